import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Kopecks, type Watts, WH_PER_MWH, type Wh } from "../../units/quantities.js";
import { divide, Rounding } from "../../units/rounding.js";

export type AveragePowerChargeParameters = {
  /**
   * One hourly volume per working day (Wh in one hour = average W in that hour): for P_cons the
   * volume in the hour the commercial operator (АТС) published for that day; for P_net the day's
   * maximum hourly volume inside the system operator's planned peak window.
   */
  dailyVolumesWh: readonly Wh[];
  /** Capacity rate ЦМ or maintenance rate Т_сод, kop per MW per month (0.01 RUB/MW·month). */
  rate: bigint;
};
export type AveragePowerChargeReturnType = {
  /** The average power, rounded half-up to W (for display; the amount uses the exact average). */
  powerW: Watts;
  amount: Kopecks;
};

/**
 * ПЦК 3/4 capacity-type charge: `P = Σ W_d / N_wd`, `amount = P × rate`, with the numerator kept
 * exact and one half-up rounding (§8): `roundHalfUp(Σ W_d × rate / (N_wd × 10⁶))`. Mirrors
 * `InvoiceMath.averagePowerCharge`.
 */
export function averagePowerCharge({
  dailyVolumesWh,
  rate,
}: AveragePowerChargeParameters): AveragePowerChargeReturnType {
  assertNonNegative(rate, "Rate");
  if (dailyVolumesWh.length === 0) throw new InvalidValueError("Need at least one working day");
  let sum = 0n;
  for (const volume of dailyVolumesWh) {
    assertNonNegative(volume, "Hourly volume");
    sum += volume;
  }
  const days = BigInt(dailyVolumesWh.length);
  return {
    powerW: divide({ numerator: sum, denominator: days, rounding: Rounding.HalfUp }),
    amount: divide({ numerator: sum * rate, denominator: days * WH_PER_MWH, rounding: Rounding.HalfUp }),
  };
}
