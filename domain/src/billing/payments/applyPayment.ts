import { assertNonNegative, type Kopecks } from "../../units/quantities.js";
import { splitByLargestRemainder } from "./splitByLargestRemainder.js";

export type ApplyPaymentParameters = {
  /** What is still owed to each provider (component order), kopecks. */
  outstanding: readonly Kopecks[];
  /** The payment (or a credit carried forward), kopecks. */
  amount: Kopecks;
};
export type ApplyPaymentReturnType = {
  /** What each provider receives from this payment; sums to `amount − credit`. */
  parts: Kopecks[];
  /** What is still owed to each provider afterwards. */
  outstandingAfter: Kopecks[];
  /** Overpayment, carried forward as a credit to the next invoice. */
  credit: Kopecks;
};

/**
 * Applies a payment to an invoice's outstanding amounts per provider. A payment that covers
 * everything pays everyone in full and the rest becomes a credit carried forward; a partial payment
 * is split pro rata to what each provider is still owed, by largest remainder (so successive partial
 * payments close the invoice exactly, and the first one splits pro rata to the gross amounts, as in
 * TV-12). Mirrors `PaymentSplit.applyPayment`.
 */
export function applyPayment({ outstanding, amount }: ApplyPaymentParameters): ApplyPaymentReturnType {
  assertNonNegative(amount, "Payment");
  const due = outstanding.reduce((sum, value) => {
    assertNonNegative(value, "Outstanding amount");
    return sum + value;
  }, 0n);
  if (amount >= due) {
    return { parts: [...outstanding], outstandingAfter: outstanding.map(() => 0n), credit: amount - due };
  }
  const parts = splitByLargestRemainder({ amount, weights: outstanding });
  return { parts, outstandingAfter: outstanding.map((value, index) => value - parts[index]!), credit: 0n };
}
