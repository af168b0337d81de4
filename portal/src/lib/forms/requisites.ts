/**
 * Russian company requisites checked in the browser before sending (the gateway checks them again):
 * INN control digits, KPP, BIK and the control key of settlement and correspondent accounts.
 */

const digits = (value: string) => [...value].map(Number);

/** INN: 10 digits (organisation) or 12 (person) with their control digits. */
export function isInn(value: string): boolean {
  if (!/^\d{10}$|^\d{12}$/.test(value)) return false;
  const d = digits(value);
  const check = (weights: number[]) =>
    (weights.reduce((sum, weight, index) => sum + weight * d[index]!, 0) % 11) % 10;
  if (value.length === 10) return check([2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[9];
  return (
    check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[10] && check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[11]
  );
}

/** KPP: 9 characters, digits with letters allowed in positions 5-6. */
export const isKpp = (value: string) => /^\d{4}[\dA-Z]{2}\d{3}$/.test(value);

/** BIK: 9 digits starting with 04 (Russian banks). */
export const isBik = (value: string) => /^04\d{7}$/.test(value);

const ACCOUNT_WEIGHTS = [7, 1, 3];
function accountKey(prefix: string, account: string): boolean {
  const line = prefix + account;
  const sum = [...line].reduce(
    (total, digit, index) => total + Number(digit) * ACCOUNT_WEIGHTS[index % 3]!,
    0,
  );
  return sum % 10 === 0;
}

/** Settlement account (расчётный счёт): 20 digits, control key against the BIK's last three digits. */
export const isSettlementAccount = (account: string, bik: string) =>
  /^\d{20}$/.test(account) && isBik(bik) && accountKey(bik.slice(-3), account);

/** Correspondent account: 20 digits starting 301, control key against "0" + the BIK's digits 5-6. */
export const isCorrespondentAccount = (account: string, bik: string) =>
  /^301\d{17}$/.test(account) && isBik(bik) && accountKey(`0${bik.slice(4, 6)}`, account);

export type CounterpartyForm = {
  name: string;
  inn: string;
  kpp: string;
  bankName: string;
  bik: string;
  settlementAccount: string;
  correspondentAccount: string;
  address: string;
  phone: string;
};

export type RequisiteProblemKey =
  | "form.required"
  | "form.inn"
  | "form.kpp"
  | "form.bik"
  | "form.settlement"
  | "form.correspondent"
  | "form.tooLong";

/** Problems by field (message keys), empty when the form may be sent. */
export function requisiteProblems(
  form: CounterpartyForm,
): Partial<Record<keyof CounterpartyForm, RequisiteProblemKey>> {
  const problems: Partial<Record<keyof CounterpartyForm, RequisiteProblemKey>> = {};
  const value = (key: keyof CounterpartyForm) => form[key].trim();
  for (const key of [
    "name",
    "inn",
    "bankName",
    "bik",
    "settlementAccount",
    "correspondentAccount",
    "address",
  ] as const)
    if (!value(key)) problems[key] = "form.required";
  if (value("name").length > 200) problems.name = "form.tooLong";
  if (value("address").length > 300) problems.address = "form.tooLong";
  if (value("inn") && !isInn(value("inn"))) problems.inn = "form.inn";
  if (value("kpp") && !isKpp(value("kpp"))) problems.kpp = "form.kpp";
  if (value("bik") && !isBik(value("bik"))) problems.bik = "form.bik";
  if (
    value("settlementAccount") &&
    !problems.bik &&
    !isSettlementAccount(value("settlementAccount"), value("bik"))
  )
    problems.settlementAccount = "form.settlement";
  if (
    value("correspondentAccount") &&
    !problems.bik &&
    !isCorrespondentAccount(value("correspondentAccount"), value("bik"))
  )
    problems.correspondentAccount = "form.correspondent";
  return problems;
}
