import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { InvalidValueError } from "../errors.js";
import {
  buildReadingBatch,
  COMPACT_RECORDS_MARKER,
  countBatchReadings,
  countMeterRecords,
  decodeMeterRecords,
  encodeMeterRecords,
  flattenReadingBatch,
  type IntervalReading,
  MAX_RECORDS_PER_BATCH,
  MAX_REGISTER_WH,
  ReadingRegister,
  ReadingStatus,
  recordSize,
  registerCount,
} from "./readingBatch.js";

const T1_T2_EXPORT =
  (1 << ReadingRegister.ImportT1) | (1 << ReadingRegister.ImportT2) | (1 << ReadingRegister.Export);
const base = Date.UTC(2026, 10, 1) / 1000;

describe("record packing", () => {
  test("a captured record: T1+T2+export at 2026-11-01T00:30Z", () => {
    const hex = encodeMeterRecords(T1_T2_EXPORT, [
      { intervalEnd: base + 1800, status: ReadingStatus.Tamper, registers: [1_234_567n, 89n, 2n ** 40n] },
    ]);
    // 4-byte interval end | status | three uint48 registers
    expect(hex).toBe(
      `0x${(base + 1800).toString(16).padStart(8, "0")}04${"00000012d687"}${"000000000059"}${"010000000000"}`,
    );
    expect(recordSize(T1_T2_EXPORT)).toBe(23);
    expect(registerCount(T1_T2_EXPORT)).toBe(3);
  });

  test("refuses what the ledger would refuse, with the reason", () => {
    const ok = { intervalEnd: base + 1800, status: 0, registers: [1n] };
    expect(() => encodeMeterRecords(1, [{ ...ok, intervalEnd: base + 1801 }])).toThrow(/not aligned/);
    expect(() => encodeMeterRecords(1, [ok, ok])).toThrow(/out of order/);
    expect(() => encodeMeterRecords(1, [{ ...ok, registers: [MAX_REGISTER_WH + 1n] }])).toThrow(
      /out of range/,
    );
    expect(() => encodeMeterRecords(1, [{ ...ok, registers: [-1n] }])).toThrow(/out of range/);
    expect(() => encodeMeterRecords(1, [{ ...ok, registers: [1n, 2n] }])).toThrow(/needs 1/);
    expect(() => encodeMeterRecords(1, [{ ...ok, status: 16 }])).toThrow(/status flags/);
    expect(() => encodeMeterRecords(0, [ok])).toThrow(/register mask/);
    expect(() => encodeMeterRecords(32, [ok])).toThrow(InvalidValueError);
    expect(() => decodeMeterRecords(1, "0x00")).toThrow(/whole number of 11-byte records/);
    expect(() => decodeMeterRecords(1, "0xzz")).toThrow(/hex/);
  });

  test("property: decode(encode(records)) gives the records back for every mask", () => {
    const recordsFor = (mask: number) =>
      fc.uniqueArray(fc.integer({ min: 1, max: 2_000_000 }), { minLength: 0, maxLength: 60 }).chain((slots) =>
        fc.tuple(
          ...[...slots]
            .sort((a, b) => a - b)
            .map((slot) =>
              fc.record({
                intervalEnd: fc.constant(slot * 1800),
                status: fc.integer({ min: 0, max: 15 }),
                registers: fc.array(fc.bigInt({ min: 0n, max: MAX_REGISTER_WH }), {
                  minLength: registerCount(mask),
                  maxLength: registerCount(mask),
                }),
              }),
            ),
        ),
      );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 31 }).chain((mask) => fc.tuple(fc.constant(mask), recordsFor(mask))),
        ([mask, records]) => {
          const hex = encodeMeterRecords(mask, records, "fixed");
          expect((hex.length - 2) / 2).toBe(records.length * recordSize(mask));
          expect(decodeMeterRecords(mask, hex)).toEqual(records);
          const auto = encodeMeterRecords(mask, records);
          expect(auto.length).toBeLessThanOrEqual(hex.length);
          expect(decodeMeterRecords(mask, auto)).toEqual(records);
          expect(countMeterRecords(mask, auto)).toBe(records.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("compact layout", () => {
  const run = (count: number, step = 1) =>
    Array.from({ length: count }, (_, index) => ({
      intervalEnd: base + 1800 * step * (index + 1),
      status: index % 3 === 0 ? ReadingStatus.ClockDrift : 0,
      registers: [1_000_000n + BigInt(index) * 700n, 400_000n + BigInt(index * index)],
    }));
  const T1_T2 = 0b11;

  test("a run of records: marker, width, the first record in full, then steps and differences", () => {
    const hex = encodeMeterRecords(T1_T2, run(3));
    const first = encodeMeterRecords(T1_T2, run(1));
    // width 2 (700 Wh needs two bytes); record 2: step 1, status 0, +700, +1; record 3: step 1, +700, +3
    expect(hex).toBe(`0xff02${first.slice(2)}010002bc0001010002bc0003`);
    expect(decodeMeterRecords(T1_T2, hex)).toEqual(run(3));
    expect(countMeterRecords(T1_T2, hex)).toBe(3);
    expect(Number.parseInt(hex.slice(2, 4), 16)).toBe(COMPACT_RECORDS_MARKER);
  });

  test("falls back to the fixed layout when a step or a register going down does not fit", () => {
    expect(isFixed(encodeMeterRecords(T1_T2, run(3, 256)))).toBe(true);
    const down = run(3);
    down[2] = { ...down[2]!, registers: [down[1]!.registers[0]! - 1n, down[2]!.registers[1]!] };
    expect(isFixed(encodeMeterRecords(T1_T2, down))).toBe(true);
    expect(() => encodeMeterRecords(T1_T2, down, "compact")).toThrow(/no compact layout/);
    expect(isFixed(encodeMeterRecords(T1_T2, run(1)))).toBe(true);
    expect(isFixed(encodeMeterRecords(T1_T2, run(3, 255)))).toBe(false);
  });

  test("refuses malformed compact records", () => {
    const hex = encodeMeterRecords(T1_T2, run(3));
    expect(() => decodeMeterRecords(T1_T2, `${hex}00` as `0x${string}`)).toThrow(/malformed/);
    expect(() => decodeMeterRecords(T1_T2, `0xff07${hex.slice(6)}` as `0x${string}`)).toThrow(/malformed/);
    const zeroStep = `${hex.slice(0, hex.length - 12)}00${hex.slice(hex.length - 10)}` as `0x${string}`;
    expect(() => decodeMeterRecords(T1_T2, zeroStep)).toThrow(/repeats/);
  });
});

const isFixed = (hex: string) => !hex.startsWith("0xff");

describe("buildReadingBatch()", () => {
  const reading = (meterId: bigint, slot: number, value: bigint): IntervalReading => ({
    meterId,
    registerMask: 1,
    intervalEnd: base + slot * 1800,
    status: 0,
    registers: [value],
  });

  test("groups by meter and sorts each meter's records by interval", () => {
    const batch = buildReadingBatch([reading(2n, 2, 20n), reading(1n, 1, 10n), reading(2n, 1, 15n)]);
    expect(batch.meters.map((entry) => entry.meterId)).toEqual([2n, 1n]);
    expect(countBatchReadings(batch)).toBe(3);
    expect(flattenReadingBatch(batch).map((r) => [r.meterId, r.intervalEnd])).toEqual([
      [2n, base + 1800],
      [2n, base + 3600],
      [1n, base + 1800],
    ]);
  });

  test("refuses an empty batch, an oversized one, and two readings of one interval", () => {
    expect(() => buildReadingBatch([])).toThrow(/must not be empty/);
    const tooMany = Array.from({ length: MAX_RECORDS_PER_BATCH + 1 }, (_, slot) =>
      reading(1n, slot + 1, BigInt(slot)),
    );
    expect(() => buildReadingBatch(tooMany)).toThrow(/too large/);
    expect(() => buildReadingBatch([reading(1n, 1, 1n), reading(1n, 1, 2n)])).toThrow(/out of order/);
  });
});
