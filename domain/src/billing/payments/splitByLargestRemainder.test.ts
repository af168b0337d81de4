import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { applyPayment } from "./applyPayment.js";
import { splitByLargestRemainder } from "./splitByLargestRemainder.js";

describe("splitByLargestRemainder()", () => {
  test("ties go to the lower index (component order)", () => {
    expect(splitByLargestRemainder({ amount: 100n, weights: [1n, 1n, 1n] })).toEqual([34n, 33n, 33n]);
    expect(splitByLargestRemainder({ amount: 2n, weights: [1n, 1n, 1n] })).toEqual([1n, 1n, 0n]);
  });

  test("TV-12 VAT allocation", () => {
    expect(
      splitByLargestRemainder({ amount: 2_014_458n, weights: [3_747_425n, 5_228_575n, 173_825n, 6_800n] }),
    ).toEqual([824_434n, 1_150_287n, 38_241n, 1_496n]);
  });

  test("all-zero weights: zero splits to zeros, anything else is refused", () => {
    expect(splitByLargestRemainder({ amount: 0n, weights: [0n, 0n] })).toEqual([0n, 0n]);
    expect(() => splitByLargestRemainder({ amount: 1n, weights: [0n, 0n] })).toThrow(/all zero/);
  });

  test("property: parts sum exactly and each is within one kopeck of pro rata", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 10n }), { minLength: 1, maxLength: 8 }),
        (amount, weights) => {
          const total = weights.reduce((a, b) => a + b, 0n);
          fc.pre(total > 0n);
          const parts = splitByLargestRemainder({ amount, weights });
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(amount);
          parts.forEach((part, i) => {
            const floor = (amount * weights[i]!) / total;
            expect(part === floor || part === floor + 1n).toBe(true);
          });
        },
      ),
    );
  });
});

describe("applyPayment()", () => {
  test("partial payments close the invoice exactly; an overpayment becomes a credit", () => {
    const first = applyPayment({
      outstanding: [4_571_859n, 6_378_862n, 212_066n, 8_296n],
      amount: 5_000_000n,
    });
    expect(first.parts).toEqual([2_046_292n, 2_855_078n, 94_917n, 3_713n]);
    const second = applyPayment({ outstanding: first.outstandingAfter, amount: 7_000_000n });
    expect(second.outstandingAfter).toEqual([0n, 0n, 0n, 0n]);
    expect(second.credit).toBe(7_000_000n - (11_171_083n - 5_000_000n));
  });
});
