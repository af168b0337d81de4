import type { Kopecks, Wh } from "./quantities.js";

export type Locale = "ru" | "en";

export type FormatOptions = {
  locale: Locale;
  /** Fraction digits to show. Default: 3 for kWh, 2 for RUB. */
  fractionDigits?: number;
};

/**
 * Formats a fixed-point integer (`units` of 10^-scale) for people, rounding half-up to
 * `fractionDigits`. Russian: thin-space groups and a comma ("1 234,57"); English: "1,234.57".
 * Works on bigint digits, never through floating point, so large values stay exact.
 */
export function formatFixed(units: bigint, scale: number, fractionDigits: number, locale: Locale): string {
  const negative = units < 0n;
  let magnitude = negative ? -units : units;
  if (fractionDigits < scale) {
    const drop = 10n ** BigInt(scale - fractionDigits);
    magnitude = (magnitude + drop / 2n) / drop;
  } else {
    magnitude *= 10n ** BigInt(fractionDigits - scale);
  }
  const digits = magnitude.toString().padStart(fractionDigits + 1, "0");
  const whole = digits.slice(0, digits.length - fractionDigits);
  const fraction = digits.slice(digits.length - fractionDigits);
  const groupSeparator = locale === "ru" ? "\u00a0" : ",";
  const decimalSeparator = locale === "ru" ? "," : ".";
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, groupSeparator);
  const sign = negative && magnitude !== 0n ? "−" : "";
  return fractionDigits > 0 ? `${sign}${grouped}${decimalSeparator}${fraction}` : `${sign}${grouped}`;
}

/** "1 234,567 кВт·ч" / "1,234.567 kWh". */
export function formatEnergy(energy: Wh, { locale, fractionDigits = 3 }: FormatOptions): string {
  const unit = locale === "ru" ? "кВт·ч" : "kWh";
  return `${formatFixed(energy, 3, fractionDigits, locale)}\u00a0${unit}`;
}

/** "1 234,56 ₽" / "RUB 1,234.56". */
export function formatMoney(amount: Kopecks, { locale, fractionDigits = 2 }: FormatOptions): string {
  const text = formatFixed(amount, 2, fractionDigits, locale);
  return locale === "ru" ? `${text}\u00a0₽` : `RUB\u00a0${text}`;
}

/** Price in kop/MWh shown as RUB/kWh: "5,50000 ₽/кВт·ч" / "RUB 5.50000/kWh". */
export function formatPricePerKwh(price: bigint, { locale, fractionDigits = 5 }: FormatOptions): string {
  const text = formatFixed(price, 5, fractionDigits, locale);
  return locale === "ru" ? `${text}\u00a0₽/кВт·ч` : `RUB\u00a0${text}/kWh`;
}
