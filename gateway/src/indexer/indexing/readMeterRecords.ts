import { recordSize } from "@gridledger/domain";
import { IndexerDataError } from "../errors.js";

/** One decoded record with registers as JS numbers (uint48 fits a double exactly). */
export type FastRecord = { intervalEnd: number; status: number; registers: number[] };

const HEX = /^0x[0-9a-fA-F]*$/;

/**
 * Reads the packed records of a `MeterReadingsRecorded` event, the layout of domain's
 * `decodeMeterRecords` (readingBatch.ts): 4-byte interval end, 1-byte status, one 6-byte register per
 * mask bit. Same result as `decodeMeterRecords` with numbers instead of bigints, without the
 * per-byte copy and the BigInt arithmetic; readMeterRecords.test.ts checks the two agree.
 */
export function readMeterRecords(registerMask: number, records: string): FastRecord[] {
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
