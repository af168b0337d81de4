import { describe, expect, test } from "vitest";
import { applyLossCorrection, LossDirection } from "../losses/applyLossCorrection.js";
import { commonHouseShare } from "./commonHouseShare.js";

const building = {
  commonMeterWh: 12_000_000n,
  residentialWh: 10_500_000n,
  nonResidentialWh: 600_000n,
  totalAreaDm2: 450_000n,
  commonAreaDm2: 60_000n,
  premisesAreaDm2: 5_400n,
  normWhPerM2: 1_130n,
  capAtNorm: true,
  distributeNegative: false,
};

describe("commonHouseShare()", () => {
  test("without a common meter the norm volume is distributed", () => {
    expect(commonHouseShare({ ...building, commonMeterWh: null }).shareWh).toBe(8_136n);
  });
  test("a negative V_ОДН can be distributed as a credit when the region does so", () => {
    const result = commonHouseShare({ ...building, commonMeterWh: 11_000_000n, distributeNegative: true });
    expect(result.shareWh).toBe(-1_200n);
    expect(result.borneByManagerWh).toBe(0n);
  });
});

describe("applyLossCorrection()", () => {
  test("upstream losses larger than the volume are refused", () => {
    expect(() =>
      applyLossCorrection({ meteredWh: 1n, lossWh: 2n, direction: LossDirection.Subtract }),
    ).toThrow(/exceed/);
  });
});
