import { InvalidValueError } from "../../errors.js";
import type { Wh } from "../../units/quantities.js";
import { mulDiv, Rounding } from "../../units/rounding.js";
import type { Ratio } from "../types.js";

export type ScaleRangeThresholdsParameters = {
  upperBounds: readonly Wh[];
  /** Seasonal multiplier of the thresholds (Irkutsk heating season: 1.8 = 9/5); 1/1 when none. */
  multiplier: Ratio;
};
export type ScaleRangeThresholdsReturnType = Wh[];

/**
 * Applies a seasonal coefficient to range thresholds, each rounded half-up to Wh. The reference
 * does not say which quantity the coefficient multiplies (VERIFY); we model it as a threshold
 * multiplier. Mirrors `TariffMath.scaleThresholds`.
 */
export function scaleRangeThresholds({
  upperBounds,
  multiplier,
}: ScaleRangeThresholdsParameters): ScaleRangeThresholdsReturnType {
  if (multiplier.denominator <= 0n || multiplier.numerator <= 0n) {
    throw new InvalidValueError("A threshold multiplier must be a positive ratio");
  }
  return upperBounds.map((bound) =>
    mulDiv(bound, multiplier.numerator, multiplier.denominator, Rounding.HalfUp),
  );
}
