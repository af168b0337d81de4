import { InvalidValueError, ParseError } from "../errors.js";
import { divide, Rounding } from "./rounding.js";

/**
 * Integers only (ARCHITECTURE decision 4): energy in watt-hours, power in watts, money in kopecks,
 * energy prices in kopecks per MWh (0.01 RUB/MWh = 10⁻⁵ RUB/kWh). Plain `bigint`s with names that
 * say the unit keep arithmetic cheap and make the unit visible at every call site.
 */
export type Wh = bigint;
export type Watts = bigint;
export type Kopecks = bigint;
/** Price of energy in kopecks per MWh (that is, in 0.01 RUB/MWh). */
export type KopecksPerMWh = bigint;

export const WH_PER_KWH = 1_000n;
export const WH_PER_MWH = 1_000_000n;
export const KOPECKS_PER_RUBLE = 100n;

/**
 * Cost of an energy volume at a price, rounded once.
 *
 * `Wh × kop/MWh ÷ 10⁶ = kop`.
 *
 * @example energyCost(150_000n, 550_000n, Rounding.HalfUp) // 150 kWh × 5.50 RUB/kWh = 82 500 kop
 */
export function energyCost(energy: Wh, price: KopecksPerMWh, rounding: Rounding): Kopecks {
  return divide({ numerator: energy * price, denominator: WH_PER_MWH, rounding });
}

/** RUB/kWh as a decimal string ("5.5", "4,69") → kop/MWh, exactly (up to 5 decimals). */
export function parseRublesPerKwh(text: string): KopecksPerMWh {
  return parseDecimal(text, 5, "price in RUB/kWh");
}

/** kWh as a decimal string ("150", "1 234,567") → Wh, exactly (up to 3 decimals). */
export function parseKwh(text: string): Wh {
  return parseDecimal(text, 3, "energy in kWh");
}

/** Roubles as a decimal string ("1234.5", "1 234,50") → kopecks, exactly (up to 2 decimals). */
export function parseRubles(text: string): Kopecks {
  return parseDecimal(text, 2, "amount in RUB");
}

const DECIMAL = /^(-)?(\d+)(?:[.,](\d+))?$/;

/** Parses a decimal with at most `scale` fraction digits into an integer of 10^-scale units. */
export function parseDecimal(text: string, scale: number, what: string): bigint {
  const compact = text.trim().replace(/[\s\u00a0\u202f_]/g, "");
  const match = DECIMAL.exec(compact);
  if (!match)
    throw new ParseError(
      `Not a valid ${what}: "${text}"`,
      "expected digits with an optional . or , fraction",
    );
  const [, sign, whole = "0", fraction = ""] = match;
  if (fraction.length > scale) {
    throw new ParseError(
      `Too many decimals in ${what}: "${text}"`,
      `at most ${scale} digits after the point`,
    );
  }
  const units = BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, "0") || "0");
  return sign ? -units : units;
}

/** Refuses a negative quantity where only non-negative ones make sense (volumes, prices, amounts). */
export function assertNonNegative(value: bigint, what: string): void {
  if (value < 0n) throw new InvalidValueError(`${what} must not be negative`, `got ${value}`);
}

export { Rounding };
