import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Wh } from "../../units/quantities.js";
import { divide, mulDiv, Rounding } from "../../units/rounding.js";
import type { Ratio } from "../types.js";

/** Why the volume is substituted; numeric values match the Solidity `HouseholdReason` enum. */
export const HouseholdReason = {
  /** Readings not submitted (ПП 354 п. 59 "б"). */
  MissingReadings: 0,
  /** Meter failed, lost, or its calibration expired (п. 59 "а"/"г"); the caller passes the matching period cap. */
  MeterFailed: 1,
  /** Access refused twice (п. 59 "в"/60): norm × the refused-access multiplier. */
  RefusedAccess: 2,
  /** Tampering found (п. 81(11)): norm × the tampering multiplier for up to N months. */
  Tampering: 3,
} as const;
export type HouseholdReason = (typeof HouseholdReason)[keyof typeof HouseholdReason];

/** Which method produced the volume; numeric values match the Solidity `HouseholdMethod` enum. */
export const HouseholdMethod = { Average: 0, Norm: 1, IncreasedNorm: 2, Tampering: 3 } as const;
export type HouseholdMethod = (typeof HouseholdMethod)[keyof typeof HouseholdMethod];

export type HouseholdSubstituteVolumeParameters = {
  reason: HouseholdReason;
  /** Monthly volumes of earlier periods with readings, oldest first. */
  history: readonly Wh[];
  /** Averaging window, periods (ПП 354: at least 6 → 6). */
  averagingWindow: number;
  /** Least history needed for the average (3 months); less → the norm. */
  minimumHistory: number;
  /** Consecutive periods billed without readings, this one included (1 for the first). */
  periodsWithoutReadings: number;
  /** Longest run billed by average, then the norm (`AVG_MAX_PERIODS_NO_READINGS`, default 6; VERIFY 6 vs 3). */
  maxAveragePeriods: number;
  /** Residents (permanent + temporary; owners when none registered). */
  residents: bigint;
  /** Regional norm, Wh per person per month. */
  normPerPersonWh: Wh;
  /** Refused-access multiplier (×1.5 = 3/2). */
  refusedAccessMultiplier: Ratio;
  /** Tampering multiplier (×10 = 10/1). */
  tamperingMultiplier: Ratio;
  /** Months recalculated after tampering (months before the inspection, at most `tamperingMaxMonths`). */
  tamperingMonths: number;
  /** Cap on tampering months (3). */
  tamperingMaxMonths: number;
};
export type HouseholdSubstituteVolumeReturnType = {
  method: HouseholdMethod;
  /** Volume per period, Wh (the average is carried to Wh, §8 rule 6). */
  volumeWh: Wh;
  /** Number of periods the volume applies to (1, or the tampering months). */
  periods: number;
  /** `volumeWh × periods`. */
  totalWh: Wh;
};

/**
 * Household substitute volume when readings are missing or unusable (billing-rules §3.1): the
 * average of the last `averagingWindow` periods (rounded half-up to Wh) while the run without
 * readings is within `maxAveragePeriods` and there are at least `minimumHistory` periods; otherwise
 * the norm `n × N`; ×1.5 after refused access; ×10 per month for up to 3 months after tampering.
 * Every number is a parameter. Mirrors `SubstituteVolumes.householdSubstituteVolume`.
 */
export function householdSubstituteVolume(
  p: HouseholdSubstituteVolumeParameters,
): HouseholdSubstituteVolumeReturnType {
  assertNonNegative(p.residents, "Residents");
  assertNonNegative(p.normPerPersonWh, "Norm");
  for (const ratio of [p.refusedAccessMultiplier, p.tamperingMultiplier]) {
    if (ratio.denominator <= 0n || ratio.numerator < 0n)
      throw new InvalidValueError("A multiplier must be a non-negative ratio");
  }
  const norm = p.residents * p.normPerPersonWh;
  const result = (method: HouseholdMethod, volumeWh: Wh, periods = 1) => ({
    method,
    volumeWh,
    periods,
    totalWh: volumeWh * BigInt(periods),
  });
  switch (p.reason) {
    case HouseholdReason.Tampering: {
      const months = Math.min(p.tamperingMonths, p.tamperingMaxMonths);
      if (!Number.isInteger(months) || months < 1)
        throw new InvalidValueError("Tampering months must be ≥ 1");
      const volume = mulDiv(
        norm,
        p.tamperingMultiplier.numerator,
        p.tamperingMultiplier.denominator,
        Rounding.HalfUp,
      );
      return result(HouseholdMethod.Tampering, volume, months);
    }
    case HouseholdReason.RefusedAccess:
      return result(
        HouseholdMethod.IncreasedNorm,
        mulDiv(
          norm,
          p.refusedAccessMultiplier.numerator,
          p.refusedAccessMultiplier.denominator,
          Rounding.HalfUp,
        ),
      );
    case HouseholdReason.MissingReadings:
    case HouseholdReason.MeterFailed: {
      if (p.averagingWindow < 1 || p.minimumHistory < 1 || p.periodsWithoutReadings < 1) {
        throw new InvalidValueError("Averaging window, minimum history and period count must be ≥ 1");
      }
      const window = p.history.slice(-p.averagingWindow);
      if (p.periodsWithoutReadings <= p.maxAveragePeriods && window.length >= p.minimumHistory) {
        let sum = 0n;
        for (const volume of window) {
          assertNonNegative(volume, "Historic volume");
          sum += volume;
        }
        return result(
          HouseholdMethod.Average,
          divide({ numerator: sum, denominator: BigInt(window.length), rounding: Rounding.HalfUp }),
        );
      }
      return result(HouseholdMethod.Norm, norm);
    }
    default:
      throw new InvalidValueError(`Unknown substitution reason ${String(p.reason)}`);
  }
}
