import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Kopecks } from "../../units/quantities.js";

export type SplitByLargestRemainderParameters = {
  /** Amount to split, kopecks. */
  amount: Kopecks;
  /** Non-negative weights, one per part (component net amounts, outstanding amounts …). */
  weights: readonly bigint[];
};
/** Parts in kopecks, same order as the weights; they sum to `amount` exactly. */
export type SplitByLargestRemainderReturnType = Kopecks[];

/**
 * Hamilton / largest-remainder split of an amount in proportion to weights (§8 rule 4): every part
 * gets `floor(amount × w_i / Σw)`, then the kopecks left over go one each to the parts with the
 * largest remainders `amount × w_i mod Σw`. Ties go to the lower index (component order: energy,
 * transmission, retail markup, infrastructure), so the split is deterministic and the Solidity
 * mirror `PaymentSplit.splitByLargestRemainder` reproduces it exactly.
 *
 * @example splitByLargestRemainder({ amount: 100n, weights: [1n, 1n, 1n] }) // [34n, 33n, 33n]
 */
export function splitByLargestRemainder({
  amount,
  weights,
}: SplitByLargestRemainderParameters): SplitByLargestRemainderReturnType {
  assertNonNegative(amount, "Amount to split");
  let total = 0n;
  for (const weight of weights) {
    assertNonNegative(weight, "Weight");
    total += weight;
  }
  if (total === 0n) {
    if (amount === 0n) return weights.map(() => 0n);
    throw new InvalidValueError("Cannot split an amount by weights that are all zero", `amount ${amount}`);
  }
  const parts = weights.map((weight) => (amount * weight) / total);
  const remainders = weights.map((weight) => (amount * weight) % total);
  let left = amount - parts.reduce((sum, part) => sum + part, 0n);
  // left < number of parts with a non-zero remainder, so each gets at most one kopeck.
  while (left > 0n) {
    let best = -1;
    for (let index = 0; index < remainders.length; index++) {
      if (best === -1 || remainders[index]! > remainders[best]!) best = index;
    }
    parts[best] = parts[best]! + 1n;
    remainders[best] = -1n;
    left -= 1n;
  }
  return parts;
}
