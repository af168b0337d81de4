import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Kopecks, WH_PER_MWH, type Wh } from "../../units/quantities.js";
import { divide, Rounding } from "../../units/rounding.js";

export type HourlyEnergyChargeParameters = {
  /** Hourly volumes W_h of the period (30-minute profiles are summed into hours first). */
  volumesWh: readonly Wh[];
  /** Hourly energy prices ЦЭ_h in kop/MWh, same length. */
  prices: readonly bigint[];
};
export type HourlyEnergyChargeReturnType = { volumeWh: Wh; amount: Kopecks };

/**
 * ПЦК 3/4 energy charge `Σ_h W_h × ЦЭ_h`, summed exactly and rounded half-up once to kopecks (one
 * invoice line). Mirrors `InvoiceMath.hourlyEnergyCharge`.
 */
export function hourlyEnergyCharge({
  volumesWh,
  prices,
}: HourlyEnergyChargeParameters): HourlyEnergyChargeReturnType {
  if (volumesWh.length !== prices.length) {
    throw new InvalidValueError(
      "Need one price per hour",
      `${volumesWh.length} hours, ${prices.length} prices`,
    );
  }
  let volume = 0n;
  let numerator = 0n;
  volumesWh.forEach((hourVolume, hour) => {
    const price = prices[hour]!;
    assertNonNegative(hourVolume, "Hourly volume");
    assertNonNegative(price, "Hourly price");
    volume += hourVolume;
    numerator += hourVolume * price;
  });
  return {
    volumeWh: volume,
    amount: divide({ numerator, denominator: WH_PER_MWH, rounding: Rounding.HalfUp }),
  };
}
