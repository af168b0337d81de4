import { datedValueAt } from "../dates/datedValueAt.js";

export type VatRateAtParameters = {
  /** Dated VAT rates in basis points, each valid from its date until the next (e.g. 2000 from 2019-01-01, 2200 from 2026-01-01). */
  schedule: readonly { from: string; rateBp: bigint }[];
  /** A day of the supply period (its first day); the rate is picked by the supply period (§6.3). */
  date: string;
};
export type VatRateAtReturnType = bigint;

/**
 * The VAT rate in force on a date, from a dated schedule (ascending `from`); {@link datedValueAt}
 * for VAT. Mirrors `InvoiceMath.vatRateAt`, which takes day numbers ({@link epochDay}).
 *
 * @example vatRateAt({ schedule: [{ from: "2019-01-01", rateBp: 2000n }, { from: "2026-01-01", rateBp: 2200n }], date: "2026-03-01" }) // 2200n
 */
export function vatRateAt({ schedule, date }: VatRateAtParameters): VatRateAtReturnType {
  return datedValueAt({ schedule: schedule.map(({ from, rateBp }) => ({ from, value: rateBp })), date });
}
