import { InvalidValueError } from "../errors.js";
import { assertIntervalEnd, HALF_HOUR_SECONDS } from "../time/halfHour.js";

/**
 * The canonical reading batch: what the agent signs, the gateway relays and the Readings contract
 * verifies (ARCHITECTURE decision 2). One batch carries many meters; each meter carries many
 * half-hour records packed into `bytes`, because one ABI array element and one event per reading
 * cost several times more gas than the data itself (performance-anchors.md).
 *
 * Record layout, big-endian, fixed size per meter:
 *
 * | bytes | field |
 * | ---: | --- |
 * | 4 | interval end, Unix seconds UTC, multiple of 1800 |
 * | 1 | status flags ({@link ReadingStatus}) |
 * | 6 × n | one uint48 cumulative register in Wh for each bit set in `registerMask`, lowest bit first |
 *
 * uint48 holds 281 TWh, far beyond any meter's register; a 32-bit interval end lasts until 2106.
 *
 * **Compact layout** (what {@link encodeMeterRecords} writes whenever it is shorter, i.e. for runs of
 * records): calldata and the event that carries the records are most of a batch's gas, and cumulative
 * registers barely move in half an hour, so later records carry differences only:
 *
 * | bytes | field |
 * | ---: | --- |
 * | 1 | `0xFF`, the format marker (a fixed-layout record starts with the top byte of its interval end, below 0xFF until 2105) |
 * | 1 | `w`, bytes per register difference, 1-6 |
 * | 5 + 6 × n | the first record, in the fixed layout above |
 * | per further record: 1 | half hours since the previous record, 1-255 |
 * | 1 | status flags |
 * | w × n | for each register, its increase since the previous record (unsigned, big-endian) |
 *
 * Interval ends stay aligned and strictly increasing and registers cannot go down inside an entry by
 * construction; the contract checks the first record against the meter's state.
 */
export type Hex = `0x${string}`;

/** Bit positions of the registers a record may carry (cumulative, Wh). */
export const ReadingRegister = {
  ImportT1: 0,
  ImportT2: 1,
  ImportT3: 2,
  ImportT4: 3,
  /** Energy fed into the grid by a prosumer (F-CHAIN-13). */
  Export: 4,
} as const;
export type ReadingRegister = (typeof ReadingRegister)[keyof typeof ReadingRegister];
export const ALL_REGISTERS_MASK = 0b11111;

/** Status flags of one record, set by the agent. */
export const ReadingStatus = {
  /** Filled from the meter's load profile after an outage rather than read at the boundary. */
  FromLoadProfile: 1,
  /** The meter clock differed from the agent's by more than the allowed drift. */
  ClockDrift: 2,
  /** The meter reported a tamper or error flag in this interval. */
  Tamper: 4,
  /** A register counter rolled over and was unwrapped by the agent. */
  Rollover: 8,
} as const;
export const ALL_STATUS_FLAGS = 0b1111;

export const MAX_REGISTER_WH = 2n ** 48n - 1n;
/** Bounds the gas and calldata of one transaction: 2,000 records stay far below a 30M block. */
export const MAX_RECORDS_PER_BATCH = 2000;
export const MAX_METERS_PER_BATCH = 256;

export type MeterRecord = {
  /** Interval end, Unix seconds UTC, aligned to :00/:30. */
  intervalEnd: number;
  /** {@link ReadingStatus} bits. */
  status: number;
  /** One value per register bit in the mask, lowest bit first, Wh. */
  registers: readonly bigint[];
};

export type MeterReadings = {
  /** The meter's id in the on-chain registry. */
  meterId: bigint;
  /** Which registers each record carries ({@link ReadingRegister} bits). */
  registerMask: number;
  /** Packed records, strictly increasing interval ends. */
  records: Hex;
};

/** The EIP-712 message: a list of meters, each with packed records. */
export type ReadingBatch = { meters: readonly MeterReadings[] };

/** Number of registers a mask selects. */
export function registerCount(registerMask: number): number {
  assertRegisterMask(registerMask);
  let count = 0;
  for (let bit = 0; bit < 5; bit++) if (registerMask & (1 << bit)) count++;
  return count;
}

/** Bytes per record for a mask. */
export function recordSize(registerMask: number): number {
  return 5 + 6 * registerCount(registerMask);
}

export function assertRegisterMask(registerMask: number): void {
  if (!Number.isInteger(registerMask) || registerMask <= 0 || registerMask > ALL_REGISTERS_MASK) {
    throw new InvalidValueError(
      `Invalid register mask ${registerMask}`,
      "a non-empty combination of bits 0-3 (import T1-T4) and 4 (export)",
    );
  }
}

/** The first byte of records in the compact layout. */
export const COMPACT_RECORDS_MARKER = 0xff;
/** Most half hours between two records of the compact layout (one byte). */
export const MAX_COMPACT_STEP = 255;

/** `fixed`: every record in full; `compact`: differences after the first; `auto`: the shorter one. */
export type RecordLayout = "auto" | "fixed" | "compact";

/**
 * Packs records for one meter. Validates alignment, order, flags and register ranges. With `layout`
 * `auto` (default) the compact layout is used when it is possible (steps of at most 255 half hours,
 * no register going down) and shorter.
 */
export function encodeMeterRecords(
  registerMask: number,
  records: readonly MeterRecord[],
  layout: RecordLayout = "auto",
): Hex {
  const fixed = encodeFixedRecords(registerMask, records);
  if (layout === "fixed" || records.length < 2) {
    if (layout === "compact") return encodeCompactRecords(registerMask, records) ?? compactImpossible();
    return fixed;
  }
  const compact = encodeCompactRecords(registerMask, records);
  if (layout === "compact") return compact ?? compactImpossible();
  return compact !== undefined && compact.length < fixed.length ? compact : fixed;
}

function compactImpossible(): never {
  throw new InvalidValueError(
    "These records have no compact layout",
    "at least one record, steps of at most 255 half hours and no register going down",
  );
}

/** The compact layout of already validated records; undefined when a step or a difference does not fit. */
function encodeCompactRecords(registerMask: number, records: readonly MeterRecord[]): Hex | undefined {
  const count = registerCount(registerMask);
  const first = records[0];
  if (!first) return undefined;
  let largest = 0n;
  for (let index = 1; index < records.length; index++) {
    const record = records[index]!;
    const previous = records[index - 1]!;
    if ((record.intervalEnd - previous.intervalEnd) / HALF_HOUR_SECONDS > MAX_COMPACT_STEP) return undefined;
    for (let register = 0; register < count; register++) {
      const delta = record.registers[register]! - previous.registers[register]!;
      if (delta < 0n) return undefined;
      if (delta > largest) largest = delta;
    }
  }
  let width = 1;
  while (largest >> BigInt(8 * width) !== 0n) width++;
  const headSize = 5 + 6 * count;
  const tailSize = 2 + width * count;
  const bytes = new Uint8Array(2 + headSize + tailSize * (records.length - 1));
  bytes[0] = COMPACT_RECORDS_MARKER;
  bytes[1] = width;
  bytes.set(fromHex(encodeFixedRecords(registerMask, [first])), 2);
  for (let index = 1; index < records.length; index++) {
    const record = records[index]!;
    const previous = records[index - 1]!;
    let at = 2 + headSize + tailSize * (index - 1);
    bytes[at++] = (record.intervalEnd - previous.intervalEnd) / HALF_HOUR_SECONDS;
    bytes[at++] = record.status;
    for (let register = 0; register < count; register++) {
      let delta = record.registers[register]! - previous.registers[register]!;
      for (let byte = width - 1; byte >= 0; byte--) {
        bytes[at + byte] = Number(delta & 0xffn);
        delta >>= 8n;
      }
      at += width;
    }
  }
  return toHex(bytes);
}

/** The fixed layout: every record in full. */
function encodeFixedRecords(registerMask: number, records: readonly MeterRecord[]): Hex {
  const count = registerCount(registerMask);
  const size = 5 + 6 * count;
  const bytes = new Uint8Array(size * records.length);
  const view = new DataView(bytes.buffer);
  let previousEnd = Number.NEGATIVE_INFINITY;
  records.forEach((record, index) => {
    assertIntervalEnd(record.intervalEnd);
    if (record.intervalEnd <= previousEnd) {
      throw new InvalidValueError(
        `Record ${index} is out of order`,
        `interval end ${record.intervalEnd} must be after ${previousEnd}`,
      );
    }
    if (record.intervalEnd < 0 || record.intervalEnd > 0xffffffff) {
      throw new InvalidValueError(`Interval end ${record.intervalEnd} does not fit 32 bits`);
    }
    if (!Number.isInteger(record.status) || record.status < 0 || record.status > ALL_STATUS_FLAGS) {
      throw new InvalidValueError(`Invalid status flags ${record.status} in record ${index}`);
    }
    if (record.registers.length !== count) {
      throw new InvalidValueError(
        `Record ${index} has ${record.registers.length} registers`,
        `the mask ${registerMask} needs ${count}`,
      );
    }
    previousEnd = record.intervalEnd;
    const offset = index * size;
    view.setUint32(offset, record.intervalEnd);
    view.setUint8(offset + 4, record.status);
    record.registers.forEach((value, registerIndex) => {
      if (value < 0n || value > MAX_REGISTER_WH) {
        throw new InvalidValueError(`Register value ${value} Wh out of range`, "0 to 2^48-1 Wh");
      }
      const at = offset + 5 + registerIndex * 6;
      view.setUint16(at, Number(value >> 32n));
      view.setUint32(at + 2, Number(value & 0xffffffffn));
    });
  });
  return toHex(bytes);
}

/** Whether `records` (hex) are in the compact layout. */
export function isCompactRecords(records: string): boolean {
  return records.length >= 4 && records.slice(2, 4).toLowerCase() === "ff";
}

/** Number of records in one meter's packed records (either layout), without decoding them. */
export function countMeterRecords(registerMask: number, records: Hex): number {
  const length = (records.length - 2) / 2;
  if (!isCompactRecords(records)) return Math.floor(length / recordSize(registerMask));
  const width = Number.parseInt(records.slice(4, 6), 16);
  const count = registerCount(registerMask);
  return 1 + Math.floor(Math.max(0, length - 2 - (5 + 6 * count)) / (2 + width * count));
}

/** Unpacks records for one meter (either layout); the inverse of {@link encodeMeterRecords}. */
export function decodeMeterRecords(registerMask: number, records: Hex): MeterRecord[] {
  const bytes = fromHex(records);
  if (bytes[0] === COMPACT_RECORDS_MARKER) return decodeCompactRecords(registerMask, bytes);
  return decodeFixedRecords(registerMask, bytes);
}

function decodeCompactRecords(registerMask: number, bytes: Uint8Array): MeterRecord[] {
  const count = registerCount(registerMask);
  const width = bytes[1] ?? 0;
  const headSize = 5 + 6 * count;
  const tailSize = 2 + width * count;
  if (
    width < 1 ||
    width > 6 ||
    bytes.length < 2 + headSize ||
    (bytes.length - 2 - headSize) % tailSize !== 0
  ) {
    throw new InvalidValueError(
      `Compact records of ${bytes.length} bytes are malformed`,
      `marker, width 1-6, a ${headSize}-byte first record, then ${tailSize}-byte records`,
    );
  }
  const [first] = decodeFixedRecords(registerMask, bytes.subarray(2, 2 + headSize));
  const result: MeterRecord[] = [first!];
  let previous = first!;
  for (let at = 2 + headSize; at < bytes.length; ) {
    const step = bytes[at++]!;
    const status = bytes[at++]!;
    if (step === 0)
      throw new InvalidValueError(`Compact record ${result.length} repeats the previous interval`);
    const registers: bigint[] = [];
    for (let register = 0; register < count; register++) {
      let delta = 0n;
      for (let byte = 0; byte < width; byte++) delta = (delta << 8n) | BigInt(bytes[at++]!);
      const value = previous.registers[register]! + delta;
      if (value > MAX_REGISTER_WH) {
        throw new InvalidValueError(`Register value ${value} Wh out of range`, "0 to 2^48-1 Wh");
      }
      registers.push(value);
    }
    const record = { intervalEnd: previous.intervalEnd + step * HALF_HOUR_SECONDS, status, registers };
    result.push(record);
    previous = record;
  }
  return result;
}

function decodeFixedRecords(registerMask: number, bytes: Uint8Array): MeterRecord[] {
  const size = recordSize(registerMask);
  if (bytes.length % size !== 0) {
    throw new InvalidValueError(
      `Records of ${bytes.length} bytes are not a whole number of ${size}-byte records`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = (size - 5) / 6;
  const result: MeterRecord[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    const registers: bigint[] = [];
    for (let registerIndex = 0; registerIndex < count; registerIndex++) {
      const at = offset + 5 + registerIndex * 6;
      registers.push((BigInt(view.getUint16(at)) << 32n) | BigInt(view.getUint32(at + 2)));
    }
    result.push({ intervalEnd: view.getUint32(offset), status: view.getUint8(offset + 4), registers });
  }
  return result;
}

/** A reading as the agent and the portal think of it: one meter, one interval. */
export type IntervalReading = MeterRecord & { meterId: bigint; registerMask: number };

/**
 * Groups interval readings into a batch: one entry per (meter, mask), records sorted by interval
 * end. Refuses duplicates of one (meter, interval) and batches beyond the limits.
 */
export function buildReadingBatch(readings: readonly IntervalReading[]): ReadingBatch {
  if (readings.length === 0) throw new InvalidValueError("A reading batch must not be empty");
  if (readings.length > MAX_RECORDS_PER_BATCH) {
    throw new InvalidValueError(
      `A batch of ${readings.length} readings is too large`,
      `at most ${MAX_RECORDS_PER_BATCH} per batch`,
    );
  }
  const groups = new Map<string, IntervalReading[]>();
  for (const reading of readings) {
    const key = `${reading.meterId}:${reading.registerMask}`;
    const group = groups.get(key);
    if (group) group.push(reading);
    else groups.set(key, [reading]);
  }
  if (groups.size > MAX_METERS_PER_BATCH) {
    throw new InvalidValueError(
      `A batch for ${groups.size} meters is too large`,
      `at most ${MAX_METERS_PER_BATCH} meters per batch`,
    );
  }
  const meters: MeterReadings[] = [];
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => a.intervalEnd - b.intervalEnd);
    const first = sorted[0]!;
    meters.push({
      meterId: first.meterId,
      registerMask: first.registerMask,
      records: encodeMeterRecords(first.registerMask, sorted),
    });
  }
  return { meters };
}

/** All interval readings of a batch, in batch order. */
export function flattenReadingBatch(batch: ReadingBatch): IntervalReading[] {
  return batch.meters.flatMap((entry) =>
    decodeMeterRecords(entry.registerMask, entry.records).map((record) => ({
      ...record,
      meterId: entry.meterId,
      registerMask: entry.registerMask,
    })),
  );
}

/** Total number of records in a batch. */
export function countBatchReadings(batch: ReadingBatch): number {
  return batch.meters.reduce(
    (total, entry) => total + countMeterRecords(entry.registerMask, entry.records),
    0,
  );
}

/** Interval start of a record (its end minus 30 minutes). */
export function intervalStart(intervalEnd: number): number {
  return intervalEnd - HALF_HOUR_SECONDS;
}

export function toHex(bytes: Uint8Array): Hex {
  let text = "0x";
  for (const byte of bytes) text += byte.toString(16).padStart(2, "0");
  return text as Hex;
}

export function fromHex(hex: string): Uint8Array {
  if (!/^0x(?:[0-9a-fA-F]{2})*$/.test(hex))
    throw new InvalidValueError(`Not an even-length hex string: ${hex.slice(0, 20)}…`);
  const bytes = new Uint8Array((hex.length - 2) / 2);
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Number.parseInt(hex.slice(2 + index * 2, 4 + index * 2), 16);
  }
  return bytes;
}
