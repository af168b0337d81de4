import { isCompactRecords, recordSize } from "@gridledger/domain";
import { IndexerDataError } from "../errors.js";

/** One decoded record with registers as JS numbers (uint48 fits a double exactly). */
export type FastRecord = { intervalEnd: number; status: number; registers: number[] };

const HEX = /^0x[0-9a-fA-F]*$/;

/**
 * Reads the packed records of a `MeterReadingsRecorded` event in either layout of domain's
 * `decodeMeterRecords` (readingBatch.ts): fixed (4-byte interval end, 1-byte status, one 6-byte
 * register per mask bit) or compact (marker 0xFF, width, the first record fixed, then steps, status and
 * register increases). Same result as `decodeMeterRecords` with numbers instead of bigints, without the
 * per-byte copy and the BigInt arithmetic; readMeterRecords.test.ts checks the two agree.
 */
export function readMeterRecords(registerMask: number, records: string): FastRecord[] {
  if (isCompactRecords(records)) return readCompactRecords(registerMask, records);
  const size = recordSize(registerMask);
  const hexSize = size * 2;
  const body = records.length - 2;
  if (body % hexSize !== 0 || !HEX.test(records)) {
    throw new IndexerDataError(`Records of ${body / 2} bytes are not a whole number of ${size}-byte records`);
  }
  const registers = (size - 5) / 6;
  const result: FastRecord[] = new Array(body / hexSize);
  for (let offset = 2, index = 0; offset < records.length; offset += hexSize, index++) {
    const values: number[] = new Array(registers);
    for (let register = 0; register < registers; register++) {
      const at = offset + 10 + register * 12;
      values[register] = Number.parseInt(records.slice(at, at + 12), 16);
    }
    result[index] = {
      intervalEnd: Number.parseInt(records.slice(offset, offset + 8), 16),
      status: Number.parseInt(records.slice(offset + 8, offset + 10), 16),
      registers: values,
    };
  }
  return result;
}

/** The compact layout; registers stay below 2^48, exact as doubles. */
function readCompactRecords(registerMask: number, records: string): FastRecord[] {
  const registers = (recordSize(registerMask) - 5) / 6;
  const width = Number.parseInt(records.slice(4, 6), 16);
  const headHex = (5 + 6 * registers) * 2;
  const tailHex = (2 + width * registers) * 2;
  const body = records.length - 6 - headHex;
  if (!HEX.test(records) || width < 1 || width > 6 || body < 0 || body % tailHex !== 0) {
    throw new IndexerDataError(`Compact records of ${(records.length - 2) / 2} bytes are malformed`);
  }
  const [first] = readMeterRecords(registerMask, `0x${records.slice(6, 6 + headHex)}`);
  const result: FastRecord[] = [first!];
  let previous = first!;
  for (let offset = 6 + headHex; offset < records.length; offset += tailHex) {
    const step = Number.parseInt(records.slice(offset, offset + 2), 16);
    if (step === 0) throw new IndexerDataError("Compact records repeat an interval");
    const values: number[] = new Array(registers);
    for (let register = 0; register < registers; register++) {
      const at = offset + 4 + register * width * 2;
      values[register] =
        previous.registers[register]! + Number.parseInt(records.slice(at, at + width * 2), 16);
    }
    previous = {
      intervalEnd: previous.intervalEnd + step * 1800,
      status: Number.parseInt(records.slice(offset + 2, offset + 4), 16),
      registers: values,
    };
    result.push(previous);
  }
  return result;
}
