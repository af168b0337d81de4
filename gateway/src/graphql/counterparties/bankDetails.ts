import { parseInn } from "@gridledger/domain";
import { NonRetryableError } from "../../internal/errors.js";

/**
 * Validation of Russian company requisites (ИНН, КПП, БИК, расчётный and корреспондентский счёт,
 * phone). Each failure is a NonRetryableError with its own code, so a client can point at the field.
 * Shared by counterparties and organisation cards.
 */

const ACCOUNT_WEIGHTS = [7, 1, 3];

/** Bank of Russia control key: Σ digit × weight (7,1,3 repeating) over the 23 digits ≡ 0 (mod 10). */
function controlKeyValid(digits23: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits23.length; index++)
    sum += (Number(digits23[index]) * ACCOUNT_WEIGHTS[index % 3]!) % 10;
  return sum % 10 === 0;
}

export function checkInn(value: string): string {
  try {
    return parseInn(value);
  } catch (error) {
    throw new NonRetryableError(`Invalid INN "${value.slice(0, 20)}"`, {
      code: "INVALID_INN",
      details: (error as { details?: string }).details ?? "10 or 12 digits with valid control digits",
    });
  }
}

export function checkKpp(value: string): string {
  const kpp = value.trim().toUpperCase();
  if (!/^\d{4}[\dA-Z]{2}\d{3}$/.test(kpp))
    throw new NonRetryableError(`Invalid KPP "${value.slice(0, 20)}"`, {
      code: "INVALID_KPP",
      details: "9 characters: 4 digits, 2 digits or capital letters, 3 digits",
    });
  return kpp;
}

export function checkBik(value: string): string {
  const bik = value.trim();
  if (!/^04\d{7}$/.test(bik))
    throw new NonRetryableError(`Invalid BIK "${value.slice(0, 20)}"`, {
      code: "INVALID_BIK",
      details: "9 digits starting 04",
    });
  return bik;
}

/** Расчётный счёт: 20 digits whose control key matches the bank's BIK (last three digits). */
export function checkSettlementAccount(value: string, bik: string): string {
  const account = value.trim();
  if (!/^\d{20}$/.test(account) || !controlKeyValid(`${bik.slice(-3)}${account}`))
    throw new NonRetryableError(`Invalid settlement account "${value.slice(0, 30)}"`, {
      code: "INVALID_SETTLEMENT_ACCOUNT",
      details: "20 digits whose control key matches the BIK",
    });
  return account;
}

/** Корреспондентский счёт: 20 digits starting 301, control key over "0" + BIK digits 5-6. */
export function checkCorrespondentAccount(value: string, bik: string): string {
  const account = value.trim();
  if (!/^301\d{17}$/.test(account) || !controlKeyValid(`0${bik.slice(4, 6)}${account}`))
    throw new NonRetryableError(`Invalid correspondent account "${value.slice(0, 30)}"`, {
      code: "INVALID_CORRESPONDENT_ACCOUNT",
      details: "20 digits starting 301 whose control key matches the BIK",
    });
  return account;
}

export function checkPhone(value: string): string {
  const phone = value.trim();
  const digits = phone.replace(/\D/g, "").length;
  if (!/^\+?[0-9 ()-]{5,30}$/.test(phone) || digits < 5 || digits > 15)
    throw new NonRetryableError(`Invalid phone "${value.slice(0, 30)}"`, {
      code: "INVALID_PHONE",
      details: "5-15 digits; spaces, dashes, brackets and a leading + allowed",
    });
  return phone;
}

export function checkEmail(value: string): string {
  const email = value.trim();
  if (!/^[^\s@]{1,100}@[^\s@]{1,100}\.[^\s@]{2,}$/.test(email) || email.length > 200)
    throw new NonRetryableError(`Invalid email "${value.slice(0, 40)}"`, { code: "INVALID_EMAIL" });
  return email;
}

/** A required text field, trimmed and with runs of white space as one space, 1..max characters. */
export function checkText(value: string, field: string, max: number): string {
  const text = value.trim().replace(/\s+/g, " ");
  if (text.length === 0) throw new NonRetryableError(`${field} is required`, { code: "MISSING_FIELD" });
  if (text.length > max)
    throw new NonRetryableError(`${field} is longer than ${max} characters`, { code: "FIELD_TOO_LONG" });
  return text;
}

/** The control digit (position 9) that makes a 20-digit account valid for a key prefix; for tests and demo data. */
export function accountControlDigit(prefix3: string, account20: string): number {
  for (let digit = 0; digit <= 9; digit++) {
    const candidate = `${account20.slice(0, 8)}${digit}${account20.slice(9)}`;
    if (controlKeyValid(`${prefix3}${candidate}`)) return digit;
  }
  throw new Error("unreachable: one digit always balances the key");
}
