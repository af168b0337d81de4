import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Watts, type Wh } from "../../units/quantities.js";
import { mulDiv, Rounding } from "../../units/rounding.js";
import { type CableCapacityVolumeParameters, cableCapacityVolume } from "./cableCapacityVolume.js";

/** Which method produced the volume; numeric values match the Solidity `LegalEntityMethod` enum. */
export const LegalEntityMethod = {
  AnalogousPeriod: 0,
  NearestPeriod: 1,
  MaxPower: 2,
  CableCapacity: 3,
} as const;
export type LegalEntityMethod = (typeof LegalEntityMethod)[keyof typeof LegalEntityMethod];

export type LegalEntitySubstituteVolumeParameters = {
  /** Consecutive period without usable readings, 1-based. */
  consecutivePeriod: number;
  /** Periods billed by substitute data before the calculation method (ОП 442: 2). */
  substitutePeriods: number;
  /** Volume of the same month of the previous year, if known. */
  analogousPeriodWh: Wh | null;
  /** The nearest period with readings: its volume and its number of days, if known. */
  nearestPeriod: { volumeWh: Wh; days: bigint } | null;
  /** Days in the current period. */
  currentDays: bigint;
  /** Maximum power from the grid-connection documents, W, if known. */
  maxPowerW: Watts | null;
  /** Hours in the period, T. */
  hours: bigint;
  /** Cable data for when the maximum power is unknown. */
  cable: Omit<CableCapacityVolumeParameters, "hours"> | null;
};
export type LegalEntitySubstituteVolumeReturnType = { method: LegalEntityMethod; volumeWh: Wh };

/**
 * Legal-entity volume without usable readings (ОП 442, billing-rules §3.2): for the first
 * `substitutePeriods` periods the same month last year, else the nearest period's daily average ×
 * days (rounded half-up to Wh); afterwards, or without such data, the calculation method
 * `P_max × T`, or the cable-capacity formula when P_max is unknown. Mirrors
 * `SubstituteVolumes.legalEntitySubstituteVolume`.
 */
export function legalEntitySubstituteVolume(
  p: LegalEntitySubstituteVolumeParameters,
): LegalEntitySubstituteVolumeReturnType {
  if (!Number.isInteger(p.consecutivePeriod) || p.consecutivePeriod < 1) {
    throw new InvalidValueError("The consecutive period is 1-based", `got ${p.consecutivePeriod}`);
  }
  assertNonNegative(p.hours, "Hours");
  if (p.consecutivePeriod <= p.substitutePeriods) {
    if (p.analogousPeriodWh !== null) {
      assertNonNegative(p.analogousPeriodWh, "Analogous period volume");
      return { method: LegalEntityMethod.AnalogousPeriod, volumeWh: p.analogousPeriodWh };
    }
    if (p.nearestPeriod !== null) {
      assertNonNegative(p.nearestPeriod.volumeWh, "Nearest period volume");
      if (p.nearestPeriod.days <= 0n) throw new InvalidValueError("The nearest period must have days");
      assertNonNegative(p.currentDays, "Current days");
      return {
        method: LegalEntityMethod.NearestPeriod,
        volumeWh: mulDiv(p.nearestPeriod.volumeWh, p.currentDays, p.nearestPeriod.days, Rounding.HalfUp),
      };
    }
  }
  if (p.maxPowerW !== null) {
    assertNonNegative(p.maxPowerW, "Maximum power");
    return { method: LegalEntityMethod.MaxPower, volumeWh: p.maxPowerW * p.hours };
  }
  if (p.cable !== null) {
    return {
      method: LegalEntityMethod.CableCapacity,
      volumeWh: cableCapacityVolume({ ...p.cable, hours: p.hours }),
    };
  }
  throw new InvalidValueError("No data to substitute the volume", "need maximum power or cable data");
}
