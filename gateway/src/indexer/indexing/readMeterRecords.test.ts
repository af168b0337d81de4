import { decodeMeterRecords, encodeMeterRecords } from "@gridledger/domain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IndexerDataError } from "../errors.js";
import { readMeterRecords } from "./readMeterRecords.js";

describe("readMeterRecords()", () => {
  it("agrees with domain's decodeMeterRecords on any mask and records", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 31 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 15 }),
        fc.bigInt({ min: 0n, max: 2n ** 48n - 1n }),
        (mask, steps, status, base) => {
          const count = [0, 1, 2, 3, 4].filter((bit) => mask & (1 << bit)).length;
          const records = [...steps]
            .sort((a, b) => a - b)
            .map((step, i) => ({
              intervalEnd: step * 1800,
              status,
              registers: Array.from({ length: count }, (_, r) => (base + BigInt(i * 7 + r)) % 2n ** 48n),
            }));
          const hex = encodeMeterRecords(mask, records);
          const reference = decodeMeterRecords(mask, hex).map((record) => ({
            ...record,
            registers: record.registers.map(Number),
          }));
          expect(readMeterRecords(mask, hex)).toEqual(reference);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("agrees with decodeMeterRecords on compact records (runs of half hours)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 31 }),
        fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 40n }), { minLength: 5, maxLength: 5 }),
        fc.bigInt({ min: 0n, max: 2n ** 47n }),
        (mask, steps, increases, base) => {
          const count = [0, 1, 2, 3, 4].filter((bit) => mask & (1 << bit)).length;
          let end = 1_800_000_000 - (1_800_000_000 % 1800);
          const records = [
            { intervalEnd: end, status: 0, registers: Array.from({ length: count }, () => base) },
          ];
          steps.forEach((step, i) => {
            end += step * 1800;
            const previous = records[records.length - 1]!.registers;
            records.push({
              intervalEnd: end,
              status: i % 16,
              registers: previous.map((value, r) => value + (increases[r]! >> BigInt(i % 40))),
            });
          });
          const hex = encodeMeterRecords(mask, records, "compact");
          const reference = decodeMeterRecords(mask, hex).map((record) => ({
            ...record,
            registers: record.registers.map(Number),
          }));
          expect(readMeterRecords(mask, hex)).toEqual(reference);
        },
      ),
      { numRuns: 300 },
    );
    expect(() => readMeterRecords(1, "0xff07")).toThrow(IndexerDataError);
    expect(() => readMeterRecords(1, `0xff01${"00".repeat(11)}01`)).toThrow(IndexerDataError);
    expect(() => readMeterRecords(1, `0xff01${"00".repeat(11)}000001`)).toThrow(IndexerDataError);
  });

  it("refuses a length that is not a whole number of records, and non-hex", () => {
    expect(() => readMeterRecords(1, "0x0102")).toThrow(IndexerDataError);
    expect(() => readMeterRecords(1, `0x${"zz".repeat(11)}`)).toThrow(IndexerDataError);
  });
});
