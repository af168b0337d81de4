import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Wh } from "../../units/quantities.js";

export type RangeVolumesParameters = {
  /** The period's total volume. */
  totalWh: Wh;
  /**
   * Upper bounds L_1 < L_2 < … of every range but the last (the last range is unbounded). Empty for
   * a tariff without ranges. A social norm is one bound (the norm); volume-range tariffs have two
   * (3 900 / 6 000 kWh in 2025, regional values are parameters).
   */
  upperBounds: readonly Wh[];
};
/** Volume in each range, `upperBounds.length + 1` entries; they sum to `totalWh`. */
export type RangeVolumesReturnType = Wh[];

/**
 * Marginal (step-by-step) split of a volume into consumption ranges (billing-rules §1.3):
 * `V_k = clamp(V − L_{k−1}, 0, L_k − L_{k−1})` with L_0 = 0 and the last L = ∞. Mirrors
 * `TariffMath.rangeVolumes`.
 *
 * @example rangeVolumes({ totalWh: 7_200_000n, upperBounds: [3_900_000n, 6_000_000n] })
 * // [3_900_000n, 2_100_000n, 1_200_000n]
 */
export function rangeVolumes({ totalWh, upperBounds }: RangeVolumesParameters): RangeVolumesReturnType {
  assertNonNegative(totalWh, "Total volume");
  const volumes: Wh[] = [];
  let lower = 0n;
  for (const upper of upperBounds) {
    if (upper <= lower) {
      throw new InvalidValueError(
        "Range bounds must be positive and strictly ascending",
        `${upper} Wh after ${lower} Wh`,
      );
    }
    const inRange = totalWh <= lower ? 0n : (totalWh < upper ? totalWh : upper) - lower;
    volumes.push(inRange);
    lower = upper;
  }
  volumes.push(totalWh > lower ? totalWh - lower : 0n);
  return volumes;
}
