import { InvalidValueError } from "../../errors.js";
import type { Wh } from "../../units/quantities.js";
import { divide, Rounding } from "../../units/rounding.js";

export type LineLossParameters = {
  /** Metered active energy W, Wh. */
  meteredWh: Wh;
  /** Hours of the period T. */
  hours: bigint;
  /** cos φ, basis points. */
  powerFactorBp: bigint;
  /** Line-to-line voltage U, volts (0.4 kV = 400). */
  voltageV: bigint;
  /** Specific resistance r0, micro-ohm per metre (0.206 Ω/km = 206). */
  resistanceMicroOhmPerM: bigint;
  /** Line length L, metres. */
  lengthM: bigint;
  /** Load-shape coefficient k_f, basis points (1 = 10 000). */
  loadShapeBp: bigint;
};
export type LineLossReturnType = Wh;

/**
 * Three-phase line losses (§4): `ΔW = 3 × I² × R × T × k_f²` with `I = S / (√3 × U)`,
 * `S = W / (T × cos φ)`, `R = r0 × L`, which is `W² × R × k_f² / (T × cos²φ × U²)`; one exact
 * fraction rounded half-up to Wh. Mirrors `Losses.lineLoss`.
 */
export function lineLoss(p: LineLossParameters): LineLossReturnType {
  for (const [name, value] of Object.entries(p)) {
    if (value < 0n) throw new InvalidValueError(`${name} must not be negative`);
  }
  if (p.hours === 0n || p.powerFactorBp === 0n || p.voltageV === 0n) {
    throw new InvalidValueError("Hours, power factor and voltage must be positive");
  }
  return divide({
    numerator: p.meteredWh ** 2n * p.resistanceMicroOhmPerM * p.lengthM * p.loadShapeBp ** 2n,
    denominator: p.hours * p.powerFactorBp ** 2n * p.voltageV ** 2n * 1_000_000n,
    rounding: Rounding.HalfUp,
  });
}
