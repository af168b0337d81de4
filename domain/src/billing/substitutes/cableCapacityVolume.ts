import { InvalidValueError } from "../../errors.js";
import type { Wh } from "../../units/quantities.js";
import { divide, Rounding } from "../../units/rounding.js";
import { BASIS_POINTS } from "../invoice/computeInvoice.js";

export type CableCapacityVolumeParameters = {
  /** 1 or 3. */
  phases: bigint;
  /** Phase voltage U_ф in volts (0.22 kV = 220). */
  phaseVoltageV: bigint;
  /** Long-term permissible current of the cable I_доп.дл, amperes. */
  currentA: bigint;
  /** cos φ in basis points (0.9 = 9 000). */
  powerFactorBp: bigint;
  /** Hours T (the period, or since the last inspection for unmetered use, capped by the caller). */
  hours: bigint;
};
export type CableCapacityVolumeReturnType = Wh;

/**
 * Calculation method by cable capacity when the maximum power is unknown (ОП 442 прил. 3, §3.2):
 * `W = phases × U_ф × I × cos φ × T`, Wh, rounded half-up once. Mirrors
 * `SubstituteVolumes.cableCapacityVolume`.
 *
 * @example cableCapacityVolume({ phases: 3n, phaseVoltageV: 220n, currentA: 100n, powerFactorBp: 9000n, hours: 720n }) // 42_768_000n
 */
export function cableCapacityVolume(p: CableCapacityVolumeParameters): CableCapacityVolumeReturnType {
  if (p.phases !== 1n && p.phases !== 3n)
    throw new InvalidValueError("A cable has 1 or 3 phases", `got ${p.phases}`);
  for (const [name, value] of Object.entries(p)) {
    if (value < 0n) throw new InvalidValueError(`${name} must not be negative`);
  }
  return divide({
    numerator: p.phases * p.phaseVoltageV * p.currentA * p.powerFactorBp * p.hours,
    denominator: BASIS_POINTS,
    rounding: Rounding.HalfUp,
  });
}
