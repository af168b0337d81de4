import {
  billingVolumesAbi,
  commonHouseBillingAbi,
  hourlyBillingAbi,
  readingsAbi,
  registryAbi,
  settlementAbi,
  tariffsAbi,
} from "@gridledger/contracts";
import type { Abi } from "viem";
import { describe, expect, test } from "vitest";
import { CONTRACT_ERROR_CODES } from "./contractErrorCodes.js";

describe("CONTRACT_ERROR_CODES", () => {
  test("every custom error of the Registry, Readings, Tariffs, Settlement, HourlyBilling, BillingVolumes and CommonHouseBilling (their own, not libraries') has a code", () => {
    const own = /^(Registry|Readings|Tariff|Invoice|Payment|HourlyBilling|BillingVolumes|CommonHouse)/;
    const abis = [
      registryAbi,
      readingsAbi,
      tariffsAbi,
      settlementAbi,
      hourlyBillingAbi,
      billingVolumesAbi,
      commonHouseBillingAbi,
    ];
    const errors = abis.flatMap((abi) =>
      (abi as Abi).flatMap((item) => (item.type === "error" && own.test(item.name) ? [item.name] : [])),
    );
    expect(errors.length).toBeGreaterThan(40);
    expect(errors.filter((name) => !(name in CONTRACT_ERROR_CODES))).toEqual([]);
  });

  test("codes are stable upper-case identifiers", () => {
    for (const code of Object.values(CONTRACT_ERROR_CODES)) expect(code).toMatch(/^[A-Z][A-Z_]+$/);
  });
});
