import { InvalidValueError } from "../../errors.js";
import { epochDay } from "../dates/epochDay.js";

export type VatRateAtParameters = {
  /** Dated VAT rates in basis points, each valid from its date until the next (e.g. 2000 from 2019-01-01, 2200 from 2026-01-01). */
  schedule: readonly { from: string; rateBp: bigint }[];
  /** A day of the supply period (its first day); the rate is picked by the supply period (§6.3). */
  date: string;
};
export type VatRateAtReturnType = bigint;

/**
 * The VAT rate in force on a date, from a dated schedule (ascending `from`). Mirrors
 * `InvoiceMath.vatRateAt`, which takes day numbers ({@link epochDay}).
 *
 * @example vatRateAt({ schedule: [{ from: "2019-01-01", rateBp: 2000n }, { from: "2026-01-01", rateBp: 2200n }], date: "2026-03-01" }) // 2200n
 */
export function vatRateAt({ schedule, date }: VatRateAtParameters): VatRateAtReturnType {
  const day = epochDay(date);
  let rate: bigint | undefined;
  let previous = Number.NEGATIVE_INFINITY;
  for (const entry of schedule) {
    const from = epochDay(entry.from);
    if (from <= previous) throw new InvalidValueError("VAT schedule dates must ascend", entry.from);
    previous = from;
    if (from <= day) rate = entry.rateBp;
  }
  if (rate === undefined) throw new InvalidValueError(`No VAT rate in force on ${date}`);
  return rate;
}
