import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ParseError } from "../errors.js";
import { completeInn, parseAccountNumber, parseInn, parseMeterSerial } from "./identifiers.js";

describe("identifiers", () => {
  test("account numbers drop spaces and dashes and need 6–20 digits", () => {
    expect(parseAccountNumber(" 1234-5678 90 ")).toBe("1234567890");
    expect(() => parseAccountNumber("12345")).toThrow(/6 to 20 digits/);
    expect(() => parseAccountNumber("12345A789")).toThrow(ParseError);
  });

  test("meter serials are upper-cased and refuse odd characters", () => {
    expect(parseMeterSerial("sdm630-0042")).toBe("SDM630-0042");
    expect(() => parseMeterSerial("-ABC")).toThrow(/Invalid meter serial/);
    expect(() => parseMeterSerial("AB C1")).toThrow(/Invalid meter serial/);
    expect(() => parseMeterSerial("A".repeat(33))).toThrow(/Invalid meter serial/);
  });

  test("INN control digits of real published numbers", () => {
    // Sberbank (7707083893) and Yandex (7736207543): published organisation INNs.
    expect(parseInn("7707083893")).toBe("7707083893");
    expect(parseInn("7736207543")).toBe("7736207543");
    expect(() => parseInn("7707083894")).toThrow(/control digits/);
    expect(() => parseInn("77070838")).toThrow(/10 digits/);
  });

  test("property: completeInn() makes numbers that parseInn() accepts; a wrong control digit is caught", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(/^\d{9}$/), fc.stringMatching(/^\d{10}$/)),
        fc.integer({ min: 1, max: 9 }),
        (prefix, shift) => {
          const inn = completeInn(prefix);
          expect(parseInn(inn)).toBe(inn);
          const last = inn.length - 1;
          const changed = `${inn.slice(0, last)}${(Number(inn[last]) + shift) % 10}`;
          expect(() => parseInn(changed)).toThrow(ParseError);
        },
      ),
    );
  });
});
