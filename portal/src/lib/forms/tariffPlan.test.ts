import { describe, expect, it } from "vitest";
import {
  checkIntervals,
  checkTariffPlan,
  defaultIntervals,
  kwhToWh,
  moscowMidnight,
  rubPerKwhToKopecksPerMwh,
  type TariffPlanDraft,
} from "./tariffPlan";

const rate = { energy: "3,5", transmission: "1,2", retailMarkup: "0,3", infrastructure: "0" };
const twoZone: TariffPlanDraft = {
  kind: "TWO_ZONE",
  validFrom: "2027-01-01",
  validTo: "",
  vatPercent: "22",
  vatIncluded: true,
  socialZones: 1,
  tiers: 1,
  threshold1: "",
  threshold2: "",
  intervals: defaultIntervals(2),
  rates: [rate, { ...rate, energy: "2" }],
};

describe("tariff plan form", () => {
  it("converts ₽ per kWh to whole kopecks per MWh exactly and refuses the rest", () => {
    expect(rubPerKwhToKopecksPerMwh("5,12")).toBe("512000");
    expect(rubPerKwhToKopecksPerMwh("0.00001")).toBe("1");
    expect(rubPerKwhToKopecksPerMwh("-1")).toBeUndefined();
    expect(rubPerKwhToKopecksPerMwh("1.000001")).toBeUndefined();
    expect(kwhToWh("150,5")).toBe("150500");
  });

  it("accepts only real calendar days", () => {
    expect(moscowMidnight("2027-02-28")).toBe("2027-02-28T00:00:00+03:00");
    expect(moscowMidnight("2027-02-29")).toBeUndefined();
  });

  it("requires zone hours covering 24 h exactly once", () => {
    expect(checkIntervals(defaultIntervals(3), 3).ok).toBe(true);
    expect(checkIntervals([{ startHour: "7", endHour: "23", zone: "0" }], 2)).toMatchObject({
      ok: false,
      problem: "tariffPlan.hoursMissing",
      detail: "0",
    });
    expect(
      checkIntervals([...defaultIntervals(2), { startHour: "22", endHour: "24", zone: "1" }], 2),
    ).toMatchObject({ ok: false, problem: "tariffPlan.hoursOverlap", detail: "22" });
    expect(checkIntervals([{ startHour: "0", endHour: "24", zone: "2" }], 2)).toMatchObject({
      problem: "tariffPlan.zoneRange",
    });
  });

  it("builds the mutation input and names the first problem", () => {
    const checked = checkTariffPlan(twoZone);
    expect(checked).toMatchObject({
      ok: true,
      input: {
        kind: "TWO_ZONE",
        validFrom: "2027-01-01T00:00:00+03:00",
        vatBp: 2200,
        zoneHours: [
          { startHour: 7, endHour: 23, zone: 0 },
          { startHour: 23, endHour: 7, zone: 1 },
        ],
        rates: [
          { energy: "350000", transmission: "120000", retailMarkup: "30000", infrastructure: "0" },
          { energy: "200000" },
        ],
      },
    });
    expect(checkTariffPlan({ ...twoZone, validTo: "2026-12-31" })).toMatchObject({
      problem: "tariffPlan.toBeforeFrom",
    });
    expect(checkTariffPlan({ ...twoZone, rates: [rate, { ...rate, transmission: "-1" }] })).toMatchObject({
      problem: "tariffPlan.badRate",
      detail: "2",
    });
    expect(
      checkTariffPlan({
        ...twoZone,
        kind: "VOLUME_RANGE",
        tiers: 3,
        threshold1: "100",
        threshold2: "50",
        rates: [rate, rate, rate],
      }),
    ).toMatchObject({ problem: "tariffPlan.badThreshold2" });
  });
});
