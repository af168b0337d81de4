import {
  assertNonNegative,
  energyCost,
  type Kopecks,
  type KopecksPerMWh,
  type Wh,
} from "../../units/quantities.js";
import { Rounding } from "../../units/rounding.js";

export type RecalculationChargeParameters = {
  /** Actual volume of the whole gap once real readings arrive. */
  actualWh: Wh;
  /** Price of the period. */
  price: KopecksPerMWh;
  /** Amounts already billed for the gap (by average), kopecks. */
  billed: readonly Kopecks[];
};
export type RecalculationChargeReturnType = {
  /** The actual volume priced as one line, rounded half-up. */
  actualAmount: Kopecks;
  billedTotal: Kopecks;
  /** `actualAmount − billedTotal`: positive = additional charge, negative = credit. */
  adjustment: Kopecks;
};

/**
 * Recalculation (перерасчет) after an averaged gap: the actual volume is charged for the whole gap
 * minus what was already billed (billing-rules §3.1 item 1, TV-06). Mirrors
 * `SubstituteVolumes.recalculationCharge`.
 */
export function recalculationCharge({
  actualWh,
  price,
  billed,
}: RecalculationChargeParameters): RecalculationChargeReturnType {
  assertNonNegative(actualWh, "Actual volume");
  assertNonNegative(price, "Price");
  const actualAmount = energyCost(actualWh, price, Rounding.HalfUp);
  const billedTotal = billed.reduce((sum, amount) => {
    assertNonNegative(amount, "Billed amount");
    return sum + amount;
  }, 0n);
  return { actualAmount, billedTotal, adjustment: actualAmount - billedTotal };
}
