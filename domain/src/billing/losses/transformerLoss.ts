import { InvalidValueError } from "../../errors.js";
import type { Wh } from "../../units/quantities.js";
import { divide, Rounding } from "../../units/rounding.js";

export type TransformerLossParameters = {
  /** Metered active energy W, Wh. */
  meteredWh: Wh;
  /** Hours of the period T. */
  hours: bigint;
  /** Hours the transformer was energised T_on (usually = T). */
  hoursOn: bigint;
  /** cos φ, basis points (0.9 = 9 000). */
  powerFactorBp: bigint;
  /** Rated power S_nom, VA. */
  ratedPowerVA: bigint;
  /** No-load loss ΔP_xx from the passport, W. */
  noLoadLossW: bigint;
  /** Short-circuit (load) loss ΔP_kz from the passport, W. */
  shortCircuitLossW: bigint;
  /** Load-shape coefficient k_f, basis points (1 = 10 000 when unknown). */
  loadShapeBp: bigint;
};
export type TransformerLossReturnType = Wh;

/**
 * Transformer losses (§4): `ΔW = ΔP_xx × T_on + ΔP_kz × K_z² × T × k_f²`, with
 * `K_z = S_avg / S_nom` and `S_avg = W / (T × cos φ)`. Substituting gives
 * `ΔP_kz × W² × k_f² / (T × cos²φ × S_nom²)`; the basis-point scales of k_f and cos φ cancel, so the
 * whole loss is one exact fraction rounded half-up once to Wh. Mirrors `Losses.transformerLoss`.
 */
export function transformerLoss(p: TransformerLossParameters): TransformerLossReturnType {
  for (const [name, value] of Object.entries(p)) {
    if (value < 0n) throw new InvalidValueError(`${name} must not be negative`);
  }
  if (p.hours === 0n || p.powerFactorBp === 0n || p.ratedPowerVA === 0n) {
    throw new InvalidValueError("Hours, power factor and rated power must be positive");
  }
  const denominator = p.hours * p.powerFactorBp ** 2n * p.ratedPowerVA ** 2n;
  const numerator =
    p.noLoadLossW * p.hoursOn * denominator + p.shortCircuitLossW * p.meteredWh ** 2n * p.loadShapeBp ** 2n;
  return divide({ numerator, denominator, rounding: Rounding.HalfUp });
}
