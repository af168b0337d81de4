import { ParseError } from "../../errors.js";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Calendar date "YYYY-MM-DD" → days since 1970-01-01. Dated parameters (VAT rate, key rate) and due
 * dates are calendar days; the Solidity mirror takes these day numbers.
 *
 * @example epochDay("2026-04-15") // 20558
 */
export function epochDay(date: string): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new ParseError(`Not a calendar date: "${date}"`, "expected YYYY-MM-DD");
  const [, year, month, day] = match;
  const millis = Date.UTC(Number(year), Number(month) - 1, Number(day));
  if (new Date(millis).toISOString().slice(0, 10) !== date) throw new ParseError(`No such date: "${date}"`);
  return millis / 86_400_000;
}
