import { describe, expect, test } from "vitest";
import { hourlyFromHalfHours } from "../zones/hourlyFromHalfHours.js";
import { fillIntervalGaps } from "./fillIntervalGaps.js";
import { HouseholdMethod, HouseholdReason, householdSubstituteVolume } from "./householdSubstituteVolume.js";
import { LegalEntityMethod, legalEntitySubstituteVolume } from "./legalEntitySubstituteVolume.js";
import { scaleProfile } from "./scaleProfile.js";

const household = {
  reason: HouseholdReason.MissingReadings,
  history: [210_000n, 190_000n, 180_000n, 170_000n, 200_000n, 230_000n],
  averagingWindow: 6,
  minimumHistory: 3,
  periodsWithoutReadings: 1,
  maxAveragePeriods: 6,
  residents: 3n,
  normPerPersonWh: 46_000n,
  refusedAccessMultiplier: { numerator: 3n, denominator: 2n },
  tamperingMultiplier: { numerator: 10n, denominator: 1n },
  tamperingMonths: 1,
  tamperingMaxMonths: 3,
} as const;

describe("householdSubstituteVolume()", () => {
  test("averages only the last `averagingWindow` periods", () => {
    const result = householdSubstituteVolume({
      ...household,
      history: [999_000n, ...household.history],
      averagingWindow: 6,
    });
    expect(result).toMatchObject({ method: HouseholdMethod.Average, volumeWh: 196_667n });
  });

  test("fewer than `minimumHistory` periods → the norm", () => {
    const result = householdSubstituteVolume({ ...household, history: [100_000n, 100_000n] });
    expect(result).toMatchObject({ method: HouseholdMethod.Norm, volumeWh: 138_000n });
  });

  test("the averaging cap is a parameter: 3 periods (the 2025 interview) instead of 6", () => {
    expect(
      householdSubstituteVolume({ ...household, periodsWithoutReadings: 4, maxAveragePeriods: 3 }).method,
    ).toBe(HouseholdMethod.Norm);
  });

  test("tampering months are capped", () => {
    const result = householdSubstituteVolume({
      ...household,
      reason: HouseholdReason.Tampering,
      tamperingMonths: 5,
    });
    expect(result).toMatchObject({ periods: 3, totalWh: 4_140_000n });
  });
});

describe("legalEntitySubstituteVolume()", () => {
  const base = {
    consecutivePeriod: 1,
    substitutePeriods: 2,
    analogousPeriodWh: null,
    nearestPeriod: null,
    currentDays: 30n,
    maxPowerW: 150_000n,
    hours: 720n,
    cable: null,
  };
  test("without substitute data the calculation method applies already in period 1", () => {
    expect(legalEntitySubstituteVolume(base)).toEqual({
      method: LegalEntityMethod.MaxPower,
      volumeWh: 108_000_000n,
    });
  });
  test("nothing to go on is refused", () => {
    expect(() => legalEntitySubstituteVolume({ ...base, maxPowerW: null })).toThrow(/No data/);
  });
});

describe("fillIntervalGaps()", () => {
  test("the last missing interval takes the remainder", () => {
    expect(fillIntervalGaps({ registerWh: 100n, knownWh: 0n, missingCount: 3 })).toEqual([33n, 33n, 34n]);
  });
  test("known intervals above the register are refused (treat the period as missing)", () => {
    expect(() => fillIntervalGaps({ registerWh: 1n, knownWh: 2n, missingCount: 1 })).toThrow(
      /exceed the register/,
    );
  });
});

describe("scaleProfile() and hourlyFromHalfHours()", () => {
  test("a reference profile scaled to the substitute volume sums to it exactly", () => {
    expect(scaleProfile({ profileWh: [1n, 1n, 2n], targetWh: 10n })).toEqual([2n, 2n, 6n]);
    expect(() => scaleProfile({ profileWh: [0n, 0n], targetWh: 10n })).toThrow(/all-zero/);
  });
  test("half hours pair into hours", () => {
    expect(hourlyFromHalfHours({ halfHoursWh: [1n, 2n, 3n, 4n] })).toEqual([3n, 7n]);
    expect(() => hourlyFromHalfHours({ halfHoursWh: [1n] })).toThrow(/whole hours/);
  });
});
