import { keccak256, toHex } from "viem";
import { describe, expect, test } from "vitest";
import { canonicalProfileJson, validateCompanyProfile } from "./validateCompanyProfile.js";

const profile = {
  name: "  ООО   «Сетевая компания» ",
  directorName: "Иванов Иван Иванович",
  phone: "+7 (495) 000-00-00",
  email: "",
  legalAddress: "г. Москва, ул. Ленина, д. 1",
  inn: "7707083893",
  kpp: "773601001",
  ogrn: "1027700132195",
  bankName: "ПАО Сбербанк",
  bik: "044525225",
  settlementAccount: "40702810938000012345",
  correspondentAccount: "30101810400000000225",
};

describe("validateCompanyProfile", () => {
  test("normalises white space and empty optionals, and keeps valid requisites", () => {
    expect(validateCompanyProfile(profile)).toMatchObject({
      name: "ООО «Сетевая компания»",
      email: null,
      inn: "7707083893",
    });
  });

  test.each([
    [{ inn: "7707083894" }, "INVALID_INN"],
    [{ kpp: "77360100" }, "INVALID_KPP"],
    [{ ogrn: "12345" }, "INVALID_OGRN"],
    [{ bik: "123456789" }, "INVALID_BIK"],
    [{ settlementAccount: "40702810938000012346" }, "INVALID_SETTLEMENT_ACCOUNT"],
    [{ correspondentAccount: "30101810400000000226" }, "INVALID_CORRESPONDENT_ACCOUNT"],
    [{ phone: "call me" }, "INVALID_PHONE"],
    [{ email: "nobody" }, "INVALID_EMAIL"],
    [{ directorName: "   " }, "MISSING_FIELD"],
    [{ legalAddress: "x".repeat(301) }, "FIELD_TOO_LONG"],
  ])("%o is refused with %s", (change, code) => {
    expect(() => validateCompanyProfile({ ...profile, ...change })).toThrow(
      expect.objectContaining({ code }),
    );
  });

  test("the anchored text does not depend on the order the fields were given in", () => {
    const card = validateCompanyProfile(profile);
    const reversed = Object.fromEntries(Object.entries(card).reverse()) as typeof card;
    const address = "0x00000000000000000000000000000000000000AA";
    expect(keccak256(toHex(canonicalProfileJson(address, reversed)))).toBe(
      keccak256(toHex(canonicalProfileJson(address, card))),
    );
    expect(JSON.parse(canonicalProfileJson(address, card))).toMatchObject({
      organisation: address.toLowerCase(),
      bik: "044525225",
    });
  });
});
