import { describe, expect, it } from "vitest";
import { decodeInvoiceLine } from "./invoiceLines.js";

describe("decodeInvoiceLine", () => {
  it("unpacks the fields in the contract's bit layout", () => {
    const word =
      (5n << 248n) |
      (2n << 240n) |
      (1n << 232n) |
      (3n << 224n) |
      (420_000n << 160n) |
      (285_040n << 96n) |
      (119_717n << 32n);
    expect(decodeInvoiceLine(word)).toEqual({
      kind: "Export",
      zone: 2,
      range: 1,
      component: "Infrastructure",
      quantity: 420_000n,
      rate: 285_040n,
      amount: 119_717n,
    });
  });

  it("refuses a word with an unknown kind", () => {
    expect(() => decodeInvoiceLine(9n << 248n)).toThrow(RangeError);
  });
});
