import { ParseError } from "../errors.js";

/**
 * Identifiers the market uses. Each parser returns the canonical form or throws a `ParseError`
 * that says what was expected, so that every boundary (agent config, GraphQL, REST) validates the
 * same way.
 */

/** Personal account number (лицевой счёт): 6–20 digits; separators people type are dropped. */
export type AccountNumber = string & { readonly __brand: "AccountNumber" };
/** Meter serial number (заводской номер): 4–32 letters, digits or dashes, upper-cased. */
export type MeterSerial = string & { readonly __brand: "MeterSerial" };
/** Russian taxpayer number (ИНН) of an organisation (10 digits) or a person (12 digits). */
export type Inn = string & { readonly __brand: "Inn" };

const ACCOUNT_NUMBER = /^\d{6,20}$/;
const METER_SERIAL = /^[A-Z0-9](?:[A-Z0-9-]{2,30})[A-Z0-9]$/;

export function parseAccountNumber(text: string): AccountNumber {
  const compact = text.trim().replace(/[\s-]/g, "");
  if (!ACCOUNT_NUMBER.test(compact)) {
    throw new ParseError(`Invalid account number: "${text}"`, "expected 6 to 20 digits");
  }
  return compact as AccountNumber;
}

export function parseMeterSerial(text: string): MeterSerial {
  const canonical = text.trim().toUpperCase();
  if (!METER_SERIAL.test(canonical)) {
    throw new ParseError(
      `Invalid meter serial: "${text}"`,
      "expected 4 to 32 letters, digits or inner dashes",
    );
  }
  return canonical as MeterSerial;
}

const INN_WEIGHTS_10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_WEIGHTS_12_FIRST = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_WEIGHTS_12_SECOND = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function innCheckDigit(digits: readonly number[], weights: readonly number[]): number {
  const sum = weights.reduce((total, weight, index) => total + weight * (digits[index] ?? 0), 0);
  return (sum % 11) % 10;
}

/** Checks an ИНН's length and control digits (the Federal Tax Service algorithm). */
export function parseInn(text: string): Inn {
  const compact = text.trim();
  if (!/^\d{10}$|^\d{12}$/.test(compact)) {
    throw new ParseError(`Invalid INN: "${text}"`, "expected 10 digits (organisation) or 12 (person)");
  }
  const digits = [...compact].map(Number);
  const valid =
    digits.length === 10
      ? innCheckDigit(digits, INN_WEIGHTS_10) === digits[9]
      : innCheckDigit(digits, INN_WEIGHTS_12_FIRST) === digits[10] &&
        innCheckDigit(digits, INN_WEIGHTS_12_SECOND) === digits[11];
  if (!valid) throw new ParseError(`Invalid INN: "${text}"`, "the control digits do not match");
  return compact as Inn;
}

/** Appends the control digits to the first 9 (organisation) or 10 (person) digits of an ИНН. */
export function completeInn(prefix: string): Inn {
  if (!/^\d{9}$|^\d{10}$/.test(prefix)) throw new ParseError(`Invalid INN prefix: "${prefix}"`);
  const digits = [...prefix].map(Number);
  if (digits.length === 9) return `${prefix}${innCheckDigit(digits, INN_WEIGHTS_10)}` as Inn;
  const first = innCheckDigit(digits, INN_WEIGHTS_12_FIRST);
  const second = innCheckDigit([...digits, first], INN_WEIGHTS_12_SECOND);
  return `${prefix}${first}${second}` as Inn;
}

/** The kinds of organisation in the consortium (F-CHAIN-01, F-GRID-03, F-CHAIN-05). */
export const OrganisationKind = {
  GridCompany: 1,
  RetailCompany: 2,
  PaymentSource: 3,
  ConsortiumOperator: 4,
} as const;
export type OrganisationKind = (typeof OrganisationKind)[keyof typeof OrganisationKind];
