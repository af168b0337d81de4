import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Wh } from "../../units/quantities.js";

/** Where the meter sits relative to the balance boundary; numeric values match Solidity `LossDirection`. */
export const LossDirection = {
  /** Meter downstream, in the consumer's network: losses are the consumer's, ADD them. */
  Add: 0,
  /** Meter upstream, in the grid company's network: losses are the grid company's, SUBTRACT them. */
  Subtract: 1,
} as const;
export type LossDirection = (typeof LossDirection)[keyof typeof LossDirection];

export type ApplyLossCorrectionParameters = { meteredWh: Wh; lossWh: Wh; direction: LossDirection };
export type ApplyLossCorrectionReturnType = Wh;

/**
 * The billed volume when the meter is not at the balance boundary (§4, ОП 442 п. 144): metered ±
 * losses of the stretch between them. Mirrors `Losses.applyLossCorrection`.
 */
export function applyLossCorrection({
  meteredWh,
  lossWh,
  direction,
}: ApplyLossCorrectionParameters): ApplyLossCorrectionReturnType {
  assertNonNegative(meteredWh, "Metered volume");
  assertNonNegative(lossWh, "Loss");
  if (direction === LossDirection.Add) return meteredWh + lossWh;
  if (direction === LossDirection.Subtract) {
    if (lossWh > meteredWh)
      throw new InvalidValueError("Losses exceed the metered volume", `${lossWh} > ${meteredWh} Wh`);
    return meteredWh - lossWh;
  }
  throw new InvalidValueError(`Unknown loss direction ${String(direction)}`);
}
