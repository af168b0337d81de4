import { NonRetryableError } from "../../../internal/errors.js";
import {
  checkBik,
  checkCorrespondentAccount,
  checkEmail,
  checkInn,
  checkKpp,
  checkPhone,
  checkSettlementAccount,
  checkText,
} from "../../counterparties/bankDetails.js";
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

/**
 * Normalises and checks a company profile with the same requisite checks as counterparties
 * (`counterparties/bankDetails.ts`): required texts present and bounded, phone and e-mail
 * well-formed, INN with its control digits, KPP/OGRN shapes, the BIK and both accounts consistent
 * by the Bank of Russia control key. Each failure has its own code.
 */
export function validateCompanyProfile(
  input: Record<keyof CompanyProfile, string | null | undefined>,
): CompanyProfile {
  const text = (name: keyof CompanyProfile, max: number): string => {
    const value = checkText(input[name] ?? "", name, max);
    if (hasControlCharacters(value)) {
      throw new NonRetryableError(`${name} must not contain control characters`, { code: "INVALID_TEXT" });
    }
    return value;
  };
  const optional = (name: keyof CompanyProfile): string | null => {
    const value = (input[name] ?? "").trim();
    return value === "" ? null : value;
  };
  const email = optional("email");
  const inn = optional("inn");
  const kpp = optional("kpp");
  const ogrn = optional("ogrn");
  if (ogrn !== null && !/^(\d{13}|\d{15})$/.test(ogrn)) {
    throw new NonRetryableError(`Invalid OGRN "${ogrn.slice(0, 20)}"`, {
      code: "INVALID_OGRN",
      details: "13 or 15 digits",
    });
  }
  const bik = checkBik(input.bik ?? "");
  return {
    name: text("name", 200),
    directorName: text("directorName", 200),
    phone: checkPhone(input.phone ?? ""),
    email: email === null ? null : checkEmail(email),
    legalAddress: text("legalAddress", 300),
    inn: inn === null ? null : checkInn(inn),
    kpp: kpp === null ? null : checkKpp(kpp),
    ogrn,
    bankName: text("bankName", 200),
    bik,
    settlementAccount: checkSettlementAccount(input.settlementAccount ?? "", bik),
    correspondentAccount: checkCorrespondentAccount(input.correspondentAccount ?? "", bik),
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
