import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ParseError } from "../errors.js";
import { assertNonNegative, energyCost, parseKwh, parseRubles, parseRublesPerKwh } from "./quantities.js";
import { Rounding } from "./rounding.js";

describe("energyCost()", () => {
  test("Wh × kop/MWh ÷ 10⁶, rounded half-up", () => {
    // 150 kWh at 5.50 RUB/kWh = 825.00 RUB
    expect(energyCost(150_000n, parseRublesPerKwh("5.5"), Rounding.HalfUp)).toBe(82_500n);
    // 1 Wh at 4.69 RUB/kWh = 0.469 kop → 0 kop; 2 Wh = 0.938 → 1 kop
    expect(energyCost(1n, parseRublesPerKwh("4.69"), Rounding.HalfUp)).toBe(0n);
    expect(energyCost(2n, parseRublesPerKwh("4.69"), Rounding.HalfUp)).toBe(1n);
  });

  test("property: cost is monotonic in the volume", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        (energy, extra, price) => {
          expect(
            energyCost(energy + extra, price, Rounding.HalfUp) >= energyCost(energy, price, Rounding.HalfUp),
          ).toBe(true);
        },
      ),
    );
  });
});

describe("parsing decimals", () => {
  test("accepts both separators and digit groups people type", () => {
    expect(parseKwh("1 234,567")).toBe(1_234_567n);
    expect(parseKwh("150")).toBe(150_000n);
    expect(parseRubles("1234.5")).toBe(123_450n);
    expect(parseRubles("-0,01")).toBe(-1n);
    expect(parseRublesPerKwh("4.69")).toBe(469_000n);
  });

  test("refuses more decimals than the unit holds, naming the limit", () => {
    expect(() => parseRubles("1.234")).toThrow(ParseError);
    expect(() => parseRubles("1.234")).toThrow(/at most 2 digits/);
    expect(() => parseKwh("1.0001")).toThrow(/at most 3 digits/);
  });

  test("refuses text that is not a number", () => {
    for (const text of ["", "abc", "1.2.3", "1e5", "--1", "0x10"]) {
      expect(() => parseKwh(text)).toThrow(/Not a valid energy in kWh/);
    }
  });

  test("property: parsing a formatted fixed-point value gives it back", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (kopecks) => {
        const negative = kopecks < 0n;
        const magnitude = negative ? -kopecks : kopecks;
        const text = `${negative ? "-" : ""}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, "0")}`;
        expect(parseRubles(text)).toBe(kopecks);
      }),
    );
  });
});

test("assertNonNegative() names the quantity", () => {
  expect(() => assertNonNegative(-1n, "Volume")).toThrow(/Volume must not be negative/);
  expect(() => assertNonNegative(0n, "Volume")).not.toThrow();
});
