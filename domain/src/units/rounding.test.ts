import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { divide, mulDiv, Rounding } from "./rounding.js";

const nonZero = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).filter((value) => value !== 0n);
const anyValue = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });

describe("divide()", () => {
  test.each([
    [5n, 2n, Rounding.HalfUp, 3n],
    [-5n, 2n, Rounding.HalfUp, -3n],
    [7n, 3n, Rounding.HalfUp, 2n],
    [8n, 3n, Rounding.HalfUp, 3n],
    [7n, 2n, Rounding.Floor, 3n],
    [-7n, 2n, Rounding.Floor, -4n],
    [7n, 2n, Rounding.Ceil, 4n],
    [-7n, 2n, Rounding.Ceil, -3n],
    [-7n, 2n, Rounding.Trunc, -3n],
    [-7n, 2n, Rounding.Expand, -4n],
    [6n, 3n, Rounding.Expand, 2n],
  ])("%s / %s rounded %s is %s", (numerator, denominator, rounding, expected) => {
    expect(divide({ numerator, denominator, rounding })).toBe(expected);
  });

  test("refuses a zero denominator", () => {
    expect(() => divide({ numerator: 1n, denominator: 0n, rounding: Rounding.Floor })).toThrow(
      /Division by zero/,
    );
  });

  test("property: the result is within one unit of the exact quotient, on the side the mode says", () => {
    fc.assert(
      fc.property(anyValue, nonZero, (numerator, denominator) => {
        const floor = divide({ numerator, denominator, rounding: Rounding.Floor });
        const ceil = divide({ numerator, denominator, rounding: Rounding.Ceil });
        // floor ≤ n/d ≤ ceil: multiply through by d, flipping the comparison when d is negative
        if (denominator > 0n) {
          expect(floor * denominator <= numerator && numerator <= ceil * denominator).toBe(true);
        } else {
          expect(floor * denominator >= numerator && numerator >= ceil * denominator).toBe(true);
        }
        expect(ceil - floor === 0n || ceil - floor === 1n).toBe(true);
        expect(ceil - floor === 0n).toBe(numerator % denominator === 0n);
      }),
    );
  });

  test("property: half-up picks the nearer integer and sends exact halves away from zero", () => {
    fc.assert(
      fc.property(anyValue, nonZero, (numerator, denominator) => {
        const result = divide({ numerator, denominator, rounding: Rounding.HalfUp });
        // |n − r·d| ≤ |d|/2, with equality only when r is the one farther from zero
        const error = numerator - result * denominator;
        const absolute = (value: bigint) => (value < 0n ? -value : value);
        expect(2n * absolute(error) <= absolute(denominator)).toBe(true);
        if (2n * absolute(error) === absolute(denominator)) {
          expect(absolute(result) * absolute(denominator) > absolute(numerator)).toBe(true);
        }
      }),
    );
  });

  test("property: trunc goes toward zero and expand away from zero, symmetric in sign", () => {
    fc.assert(
      fc.property(anyValue, nonZero, (numerator, denominator) => {
        const trunc = divide({ numerator, denominator, rounding: Rounding.Trunc });
        expect(trunc).toBe(numerator / denominator);
        expect(divide({ numerator: -numerator, denominator, rounding: Rounding.Expand })).toBe(
          -divide({ numerator, denominator, rounding: Rounding.Expand }),
        );
      }),
    );
  });
});

describe("mulDiv()", () => {
  test("rounds once at the end, not after the multiplication", () => {
    // 1/3 × 3 would lose everything if divided first
    expect(mulDiv(1n, 3n, 3n, Rounding.Floor)).toBe(1n);
    expect(mulDiv(150_000n, 550_000n, 1_000_000n, Rounding.HalfUp)).toBe(82_500n);
  });
});
