import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { BillingVectorFile } from "./billingCase.js";
import { compareFigures } from "./compareFigures.js";
import { evaluateBillingCase } from "./evaluateBillingCase.js";

const file = JSON.parse(
  readFileSync(new URL("../../../vectors/billing.json", import.meta.url), "utf8"),
) as BillingVectorFile;

describe("evaluateBillingCase() on domain/vectors/billing.json", () => {
  test("the file holds every worked example TV-01 … TV-16 and TV-14b", () => {
    const ids = new Set(file.cases.map((billingCase) => billingCase.id.split("/")[0]));
    const wanted = [
      ...Array.from({ length: 16 }, (_, i) => `TV-${String(i + 1).padStart(2, "0")}`),
      "TV-14b",
    ];
    expect([...wanted].filter((id) => !ids.has(id))).toEqual([]);
  });

  test.each(file.cases.map((billingCase) => [billingCase.id, billingCase] as const))(
    "%s",
    (_id, billingCase) => {
      const actual = evaluateBillingCase(billingCase);
      expect(compareFigures({ expected: billingCase.expected, actual })).toEqual([]);
    },
  );
});
