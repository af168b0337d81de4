import { DecodeError, DeviceRefusedError } from "../../errors.js";
import type { CanFrame } from "../../transport/transport.js";

/**
 * MTR-CAN/1: our documented request/response format for reading a meter over ISO 11898 CAN, shaped
 * like a CANopen SDO expedited upload (CiA 301). Reference §5.4; full table in docs/agent.md.
 *
 * - request  COB-ID 0x600+node, 8 bytes `[0x40, idxLo, idxHi, sub, 0, 0, 0, 0]`
 * - response COB-ID 0x580+node, 8 bytes `[0x43|0x4B|0x4F, idxLo, idxHi, sub, d0, d1, d2, d3]` (LE value, 4/2/1 bytes)
 * - abort    COB-ID 0x580+node, `[0x80, idxLo, idxHi, sub, code u32 LE]`
 *
 * Objects: 0x2000:1 A+ total Wh, 0x2000:2 A− total Wh, 0x2001:1..4 A+ T1..T4 Wh, 0x2002:1 clock
 * (Unix s, UTC), 0x2003:1 power W (int32), 0x2004:1 status bits, 0x1018:4 serial number,
 * 0x100A:0 firmware (u32 as major<<16|minor<<8|patch). Load profile extension (ours):
 * 0x2010:0 number of stored half-hour rows, 0x2011:n end of row n (Unix s; n=1 newest, up to 255),
 * 0x2012:n A+ total Wh at the end of row n, 0x2013:n A− total Wh at the end of row n.
 */
export const MtrObject = {
  ImportTotal: { index: 0x2000, sub: 1 },
  ExportTotal: { index: 0x2000, sub: 2 },
  ImportTariff: (tariff: 1 | 2 | 3 | 4) => ({ index: 0x2001, sub: tariff }),
  Clock: { index: 0x2002, sub: 1 },
  Power: { index: 0x2003, sub: 1 },
  Status: { index: 0x2004, sub: 1 },
  Serial: { index: 0x1018, sub: 4 },
  Firmware: { index: 0x100a, sub: 0 },
  ProfileDepth: { index: 0x2010, sub: 0 },
  ProfileEnd: (row: number) => ({ index: 0x2011, sub: row }),
  ProfileImport: (row: number) => ({ index: 0x2012, sub: row }),
  ProfileExport: (row: number) => ({ index: 0x2013, sub: row }),
} as const;

/** Status bits of object 0x2004:1. */
export const MtrStatusBit = { CoverOpen: 1, MagneticField: 2, InternalError: 4, ClockInvalid: 8 } as const;

export const MTR_ABORT_CODES: Record<number, string> = {
  100794368: "object does not exist",
  101253137: "sub-index does not exist",
  134217728: "general error",
  100728832: "unsupported access",
};

export type ObjectAddress = { index: number; sub: number };

export function encodeUploadRequest(node: number, object: ObjectAddress): CanFrame {
  if (!Number.isInteger(node) || node < 1 || node > 127)
    throw new DecodeError(`CAN node ${node} is out of range (1-127)`);
  return {
    id: 0x600 + node,
    data: new Uint8Array([0x40, object.index & 0xff, object.index >> 8, object.sub, 0, 0, 0, 0]),
  };
}

export type UploadResponse =
  | { node: number; index: number; sub: number; value: number }
  | { node: number; index: number; sub: number; abortCode: number };

/** Decodes a response frame, or returns undefined when the frame is not an SDO response. */
export function decodeUploadResponse(frame: CanFrame): UploadResponse | undefined {
  if (frame.extended || frame.id < 0x581 || frame.id > 0x5ff || frame.data.length !== 8) return undefined;
  const d = frame.data;
  const node = frame.id - 0x580;
  const index = d[1]! | (d[2]! << 8);
  const sub = d[3]!;
  const word = (d[4]! | (d[5]! << 8) | (d[6]! << 16) | (d[7]! << 24)) >>> 0;
  switch (d[0]) {
    case 0x43:
      return { node, index, sub, value: word };
    case 0x4b:
      return { node, index, sub, value: word & 0xffff };
    case 0x4f:
      return { node, index, sub, value: word & 0xff };
    case 0x80:
      return { node, index, sub, abortCode: word };
    default:
      return undefined;
  }
}

export function expectValue(response: UploadResponse): number {
  if ("abortCode" in response) {
    const name = MTR_ABORT_CODES[response.abortCode] ?? "abort";
    throw new DeviceRefusedError(
      `CAN node ${response.node} aborted 0x${response.index.toString(16)}:${response.sub}: ${name} (0x${response.abortCode.toString(16).padStart(8, "0")})`,
      { code: "MTR_ABORT" },
    );
  }
  return response.value;
}

/** Encodes a response (simulator/tests). */
export function encodeUploadResponse(
  node: number,
  object: ObjectAddress,
  value: number | { abortCode: number },
): CanFrame {
  const word = typeof value === "number" ? value >>> 0 : value.abortCode >>> 0;
  return {
    id: 0x580 + node,
    data: new Uint8Array([
      typeof value === "number" ? 0x43 : 0x80,
      object.index & 0xff,
      object.index >> 8,
      object.sub,
      word & 0xff,
      (word >>> 8) & 0xff,
      (word >>> 16) & 0xff,
      word >>> 24,
    ]),
  };
}
