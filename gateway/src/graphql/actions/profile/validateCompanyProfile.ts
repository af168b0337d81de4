import { NonRetryableError } from "../../../internal/errors.js";
import { hasControlCharacters } from "../common/parseInputs.js";

/** An organisation's card (F-GRID-09) as the gateway stores and hashes it. */
export type CompanyProfile = {
  name: string;
  directorName: string;
  phone: string;
  email: string | null;
  legalAddress: string;
  inn: string | null;
  kpp: string | null;
  ogrn: string | null;
  bankName: string;
  bik: string;
  settlementAccount: string;
  correspondentAccount: string;
};

const fail = (code: string, message: string, details?: string): never => {
  throw new NonRetryableError(message, { code, details });
};

const digits = (value: string) => [...value].map(Number);

/** INN checksum (10 digits for organisations, 12 for individual entrepreneurs). */
export function isValidInn(inn: string): boolean {
  if (!/^(\d{10}|\d{12})$/.test(inn)) return false;
  const d = digits(inn);
  const check = (weights: number[]) => (weights.reduce((sum, w, i) => sum + w * d[i]!, 0) % 11) % 10;
  if (inn.length === 10) return check([2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[9];
  return (
    check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[10] && check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[11]
  );
}

/** The Bank of Russia control key of a 20-digit account against its bank's BIK (weights 7-1-3 over 23 digits). */
export function isValidAccount(bik: string, account: string, kind: "settlement" | "correspondent"): boolean {
  if (!/^\d{9}$/.test(bik) || !/^\d{20}$/.test(account)) return false;
  const prefix = kind === "settlement" ? bik.slice(6) : `0${bik.slice(4, 6)}`;
  const weights = [7, 1, 3];
  const sum = digits(prefix + account).reduce(
    (total, digit, i) => total + ((digit * weights[i % 3]!) % 10),
    0,
  );
  return sum % 10 === 0;
}

/**
 * Normalises and checks a company profile: required texts present and bounded, phone and e-mail
 * well-formed, INN/KPP/OGRN of the right shape (INN with its checksum), the BIK and both accounts
 * consistent by the Bank of Russia control key. Each failure has its own code.
 */
export function validateCompanyProfile(
  input: Record<keyof CompanyProfile, string | null | undefined>,
): CompanyProfile {
  const text = (name: keyof CompanyProfile, max: number): string => {
    const value = (input[name] ?? "").trim().replace(/\s+/g, " ");
    if (!value) fail("MISSING_FIELD", `${name} is required`);
    if (value.length > max) fail("FIELD_TOO_LONG", `${name} is longer than ${max} characters`);
    if (hasControlCharacters(value)) fail("INVALID_TEXT", `${name} must not contain control characters`);
    return value;
  };
  const optional = (name: keyof CompanyProfile): string | null => {
    const value = (input[name] ?? "").trim();
    return value === "" ? null : value;
  };
  const phone = text("phone", 40);
  if (!/^\+?[\d\s()-]{5,30}$/.test(phone) || phone.replace(/\D/g, "").length < 5) {
    fail(
      "INVALID_PHONE",
      "phone must be digits with an optional leading +, spaces, brackets and dashes",
      phone,
    );
  }
  const email = optional("email");
  if (email !== null && (email.length > 200 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) {
    fail("INVALID_EMAIL", "email is not an e-mail address", email);
  }
  const inn = optional("inn");
  if (inn !== null && !isValidInn(inn))
    fail("INVALID_INN", "inn must be 10 or 12 digits with a valid checksum", inn);
  const kpp = optional("kpp");
  if (kpp !== null && !/^\d{4}[\dA-Z]{2}\d{3}$/.test(kpp))
    fail("INVALID_KPP", "kpp must be 9 characters", kpp);
  const ogrn = optional("ogrn");
  if (ogrn !== null && !/^(\d{13}|\d{15})$/.test(ogrn))
    fail("INVALID_OGRN", "ogrn must be 13 or 15 digits", ogrn);
  const bik = (input.bik ?? "").trim();
  if (!/^04\d{7}$/.test(bik)) fail("INVALID_BANK_DETAILS", "bik must be 9 digits starting with 04", bik);
  const settlementAccount = (input.settlementAccount ?? "").replace(/\s/g, "");
  if (!isValidAccount(bik, settlementAccount, "settlement")) {
    fail(
      "INVALID_BANK_DETAILS",
      "settlementAccount is not a 20-digit account matching the BIK's control key",
      settlementAccount,
    );
  }
  const correspondentAccount = (input.correspondentAccount ?? "").replace(/\s/g, "");
  if (
    !isValidAccount(bik, correspondentAccount, "correspondent") ||
    !correspondentAccount.startsWith("30101")
  ) {
    fail(
      "INVALID_BANK_DETAILS",
      "correspondentAccount is not a 30101… account matching the BIK's control key",
      correspondentAccount,
    );
  }
  return {
    name: text("name", 200),
    directorName: text("directorName", 200),
    phone,
    email,
    legalAddress: text("legalAddress", 300),
    inn,
    kpp,
    ogrn,
    bankName: text("bankName", 200),
    bik,
    settlementAccount,
    correspondentAccount,
  };
}

/**
 * The exact text whose keccak256 is anchored on chain: JSON with the keys in a fixed (sorted) order,
 * so the same card always gives the same hash and anybody can recompute it from the stored fields.
 */
export function canonicalProfileJson(organisation: string, profile: CompanyProfile): string {
  const record: Record<string, string | null> = { ...profile, organisation: organisation.toLowerCase() };
  const sorted = Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key] ?? null]),
  );
  return JSON.stringify({ type: "gridledger.companyProfile.v1", ...sorted });
}
