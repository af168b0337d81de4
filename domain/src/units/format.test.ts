import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { formatEnergy, formatFixed, formatMoney, formatPricePerKwh } from "./format.js";

const NBSP = "\u00a0";

describe("formatting for people", () => {
  test("energy in ru and en", () => {
    expect(formatEnergy(1_234_567n, { locale: "ru" })).toBe(`1${NBSP}234,567${NBSP}кВт·ч`);
    expect(formatEnergy(1_234_567n, { locale: "en" })).toBe(`1,234.567${NBSP}kWh`);
    expect(formatEnergy(1_234_567n, { locale: "en", fractionDigits: 1 })).toBe(`1,234.6${NBSP}kWh`);
  });

  test("money in ru and en, negative with a real minus sign", () => {
    expect(formatMoney(123_456_789n, { locale: "ru" })).toBe(`1${NBSP}234${NBSP}567,89${NBSP}₽`);
    expect(formatMoney(5n, { locale: "en" })).toBe(`RUB${NBSP}0.05`);
    expect(formatMoney(-150n, { locale: "en" })).toBe(`RUB${NBSP}−1.50`);
  });

  test("prices shown per kWh", () => {
    expect(formatPricePerKwh(469_000n, { locale: "ru", fractionDigits: 2 })).toBe(`4,69${NBSP}₽/кВт·ч`);
  });

  test("rounds half-up when showing fewer digits, and never says −0", () => {
    expect(formatFixed(1_005n, 3, 2, "en")).toBe("1.01");
    expect(formatFixed(-4n, 3, 2, "en")).toBe("0.00");
  });

  test("property: the en form parses back to the same number for any size", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), (units) => {
        const text = formatFixed(units, 2, 2, "en").replaceAll(",", "").replace("−", "-");
        const [whole = "", fraction = ""] = text.replace("-", "").split(".");
        const parsed = BigInt(whole) * 100n + BigInt(fraction);
        expect(text.startsWith("-") ? -parsed : parsed).toBe(units);
      }),
    );
  });
});
