import { expect, test } from "vitest";
import { isCorrespondentAccount, isInn, isSettlementAccount, requisiteProblems } from "./requisites";

const BIK = "044525225";
const GOOD = {
  name: "ООО «Ромашка»",
  inn: "7707083893",
  kpp: "773601001",
  bankName: "ПАО Сбербанк",
  bik: BIK,
  settlementAccount: "40702810200000000001",
  correspondentAccount: "30101810400000000225",
  address: "Москва, ул. Вавилова, 19",
  phone: "",
};

test("real requisites pass; a changed digit fails its check", () => {
  expect(isInn("7707083893")).toBe(true);
  expect(isInn("7707083894")).toBe(false);
  expect(isInn("500100732259")).toBe(true);
  expect(isSettlementAccount("40702810200000000001", BIK)).toBe(true);
  expect(isSettlementAccount("40702810300000000001", BIK)).toBe(false);
  expect(isCorrespondentAccount("30101810400000000225", BIK)).toBe(true);
  expect(isCorrespondentAccount("30101810400000000226", BIK)).toBe(false);
  expect(requisiteProblems(GOOD)).toEqual({});
});

test("each problem is named at its field", () => {
  expect(
    requisiteProblems({
      ...GOOD,
      name: " ",
      inn: "123",
      kpp: "12",
      bik: "123456789",
      settlementAccount: "1",
    }),
  ).toEqual({ name: "form.required", inn: "form.inn", kpp: "form.kpp", bik: "form.bik" });
  expect(requisiteProblems({ ...GOOD, settlementAccount: "40702810300000000001" })).toEqual({
    settlementAccount: "form.settlement",
  });
});
