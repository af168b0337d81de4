import { assertNonNegative, type Wh } from "../../units/quantities.js";
import { mulDiv, Rounding } from "../../units/rounding.js";
import { BASIS_POINTS } from "../invoice/computeInvoice.js";

export type PercentageLossParameters = {
  meteredWh: Wh;
  /** Loss percentage agreed in the contract, basis points (3 % = 300). */
  percentBp: bigint;
};
export type PercentageLossReturnType = Wh;

/**
 * Losses between the balance boundary and the meter as a contract percentage (§4):
 * `roundHalfUp(W × p)`, Wh. Mirrors `Losses.percentageLoss`.
 *
 * @example percentageLoss({ meteredWh: 50_000_000n, percentBp: 300n }) // 1_500_000n
 */
export function percentageLoss({ meteredWh, percentBp }: PercentageLossParameters): PercentageLossReturnType {
  assertNonNegative(meteredWh, "Metered volume");
  assertNonNegative(percentBp, "Loss percentage");
  return mulDiv(meteredWh, percentBp, BASIS_POINTS, Rounding.HalfUp);
}
