import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Kopecks } from "../../units/quantities.js";
import { divide, Rounding } from "../../units/rounding.js";
import { epochDay } from "../dates/epochDay.js";
import { BASIS_POINTS } from "../invoice/computeInvoice.js";

/** From overdue day `fromDay` (day 1 = the day after the due date) the daily rate is `keyRate / divisor`. */
export type PenaltyTier = { fromDay: number; divisor: bigint };

export type LatePaymentPenaltyParameters = {
  /** The overdue debt, kopecks. */
  debt: Kopecks;
  /** Last day to pay, "YYYY-MM-DD". */
  dueDate: string;
  /** Day the debt was paid, "YYYY-MM-DD"; it counts as an overdue day. */
  paidDate: string;
  /** Key rate applied, basis points (9.5 % = 950 until 01.01.2027 by ПП 329; otherwise the key rate on the payment date). */
  rateBp: bigint;
  /**
   * Tiers in ascending `fromDay`; each runs until the next one starts. Households (ЖК ст. 155 ч. 14):
   * `[{fromDay: 31, divisor: 300}, {fromDay: 91, divisor: 130}]`; legal entities (35-ФЗ ст. 37):
   * `[{fromDay: 1, divisor: 130}]`.
   */
  tiers: readonly PenaltyTier[];
};
export type LatePaymentPenaltyReturnType = {
  overdueDays: number;
  /** Overdue days charged in each tier. */
  tierDays: number[];
  /** `roundHalfUp(debt × r × Σ_t days_t / divisor_t)`, one rounding of the exact sum. */
  penalty: Kopecks;
};

/**
 * Late-payment penalty (пени) by day tiers of the key rate. Days are numbered from the day after the
 * due date; the sum over tiers is kept exact (common denominator = product of the divisors) and
 * rounded half-up once. Mirrors `Penalties.latePaymentPenalty` (which takes day numbers).
 *
 * @example latePaymentPenalty({ debt: 200_000n, dueDate: "2026-04-15", paidDate: "2026-07-30", rateBp: 950n,
 *   tiers: [{ fromDay: 31, divisor: 300n }, { fromDay: 91, divisor: 130n }] }) // penalty 6_138n (61.38 RUB)
 */
export function latePaymentPenalty({
  debt,
  dueDate,
  paidDate,
  rateBp,
  tiers,
}: LatePaymentPenaltyParameters): LatePaymentPenaltyReturnType {
  assertNonNegative(debt, "Debt");
  assertNonNegative(rateBp, "Key rate");
  const overdueDays = Math.max(epochDay(paidDate) - epochDay(dueDate), 0);
  let product = 1n;
  let previous = 0;
  for (const { fromDay, divisor } of tiers) {
    if (!Number.isInteger(fromDay) || fromDay <= previous) {
      throw new InvalidValueError("Penalty tiers must start on ascending days ≥ 1", `fromDay ${fromDay}`);
    }
    if (divisor <= 0n) throw new InvalidValueError("A penalty divisor must be positive", `got ${divisor}`);
    previous = fromDay;
    product *= divisor;
  }
  let weighted = 0n;
  const tierDays = tiers.map(({ fromDay, divisor }, index) => {
    const until = index + 1 < tiers.length ? tiers[index + 1]!.fromDay - 1 : Number.MAX_SAFE_INTEGER;
    const days = Math.max(Math.min(overdueDays, until) - fromDay + 1, 0);
    weighted += BigInt(days) * (product / divisor);
    return days;
  });
  const penalty = divide({
    numerator: debt * rateBp * weighted,
    denominator: BASIS_POINTS * product,
    rounding: Rounding.HalfUp,
  });
  return { overdueDays, tierDays, penalty };
}
