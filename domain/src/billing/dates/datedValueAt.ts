import { InvalidValueError } from "../../errors.js";
import { epochDay } from "./epochDay.js";

export type DatedValueAtParameters = {
  /** Values each in force from its date (ascending) until the next one: VAT rates, key rates, norms … */
  schedule: readonly { from: string; value: bigint }[];
  /** The day whose value is wanted, "YYYY-MM-DD". */
  date: string;
};
export type DatedValueAtReturnType = bigint;

/**
 * The value of a dated parameter on a date. Regulated numbers change several times a year, so they
 * are kept as dated schedules and looked up by the day that matters: the supply period for VAT
 * ({@link vatRateAt}), the payment day for the key rate of a penalty (with ПП 329's 9.5 % as an
 * entry valid until 2027-01-01). Mirrors `InvoiceMath.datedValueAt`, which takes day numbers.
 *
 * @throws {InvalidValueError} when the dates do not ascend or nothing is in force on `date`.
 */
export function datedValueAt({ schedule, date }: DatedValueAtParameters): DatedValueAtReturnType {
  const day = epochDay(date);
  let value: bigint | undefined;
  let previous = Number.NEGATIVE_INFINITY;
  for (const entry of schedule) {
    const from = epochDay(entry.from);
    if (from <= previous) throw new InvalidValueError("Dated schedule entries must ascend", entry.from);
    previous = from;
    if (from <= day) value = entry.value;
  }
  if (value === undefined) throw new InvalidValueError(`No value in force on ${date}`);
  return value;
}
