import { formatEnergy, formatFixed, formatMoney } from "@gridledger/domain";
import type { Locale } from "./i18n/messages";

/** Integer decimal string → bigint, or undefined for null/empty/malformed input. */
export function toBigInt(value: string | null | undefined): bigint | undefined {
  return value && /^-?\d+$/.test(value) ? BigInt(value) : undefined;
}

/** Wh as the gateway sends it (decimal string) → "1 234,567 кВт·ч"; "—" when absent. */
export function energy(wh: string | null | undefined, locale: Locale, fractionDigits = 3): string {
  const value = toBigInt(wh);
  return value === undefined ? "—" : formatEnergy(value, { locale, fractionDigits });
}

/** Wh → kWh number without the unit ("1 234,567"), for table cells with the unit in the header. */
export function kwh(wh: string | null | undefined, locale: Locale, fractionDigits = 3): string {
  const value = toBigInt(wh);
  return value === undefined ? "—" : formatFixed(value, 3, fractionDigits, locale);
}

/** Kopecks (decimal string) → "1 234,56 ₽" / "RUB 1,234.56". */
export function money(kopecks: string | null | undefined, locale: Locale): string {
  const value = toBigInt(kopecks);
  return value === undefined ? "—" : formatMoney(value, { locale });
}

/** Unix seconds → "27.11.2026 14:30" in Moscow time (both languages; English uses ISO-like order). */
export function moscowDateTime(seconds: number, locale: Locale): string {
  const local = new Date((seconds + 3 * 3600) * 1000).toISOString();
  const [date, time] = [local.slice(0, 10), local.slice(11, 16)];
  if (locale === "en") return `${date} ${time}`;
  const [year, month, day] = date.split("-");
  return `${day}.${month}.${year} ${time}`;
}

/** Unix seconds → Moscow date only ("27.11.2026" / "2026-11-27"). */
export function moscowDate(seconds: number, locale: Locale): string {
  return moscowDateTime(seconds, locale).slice(0, 10);
}

/** Today's Moscow calendar date, YYYY-MM-DD. */
export function moscowToday(now = Date.now()): string {
  return new Date(now + 3 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Shortens a hash or address for narrow cells: 0x1234…abcd. */
export function shortHex(value: string, keep = 6): string {
  return value.length > keep * 2 + 3 ? `${value.slice(0, keep + 2)}…${value.slice(-keep)}` : value;
}
