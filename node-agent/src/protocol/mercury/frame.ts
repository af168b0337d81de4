import { DecodeError, DeviceRefusedError } from "../../errors.js";
import { appendCrc16, hasValidCrc16, hex } from "../crc16.js";
import { ByteBuffer, type FrameParser, type ParseResult } from "../parser.js";

/**
 * Incotex Mercury 230/231/234/236 three-phase command set over RS-485 (reference §2):
 * `[addr][request][params…][CRC-16/MODBUS lo hi]`. Replies to commands without data are a 4-byte
 * status frame `[addr][status][crc]`.
 */
export const MercuryRequest = {
  TestLink: 0x00,
  OpenChannel: 0x01,
  CloseChannel: 0x02,
  ReadTime: 0x04,
  ReadEnergy: 0x05,
  ReadParameter: 0x08,
} as const;

export const MERCURY_STATUS: Record<number, string> = {
  0: "OK",
  1: "invalid command or parameter",
  2: "internal meter error",
  3: "insufficient access level",
  4: "clock already corrected today",
  5: "channel not open",
};

export function encodeMercuryRequest(address: number, body: readonly number[]): Uint8Array {
  if (!Number.isInteger(address) || address < 0 || address > 0xfe)
    throw new DecodeError(`Mercury address ${address} is out of range (0-254)`);
  return appendCrc16([address, ...body]);
}

/** Open channel: level 1 = user (read), password as six raw digit bytes (factory `111111`). */
export function encodeOpenChannel(address: number, level: 1 | 2, password: string): Uint8Array {
  if (!/^\d{6}$/.test(password)) throw new DecodeError("A Mercury password is six digits");
  return encodeMercuryRequest(address, [
    MercuryRequest.OpenChannel,
    level,
    ...[...password].map((digit) => Number(digit)),
  ]);
}

/**
 * Accumulated energy (request 0x05): `array` 0 = since reset; `tariff` 0 = sum, 1-4 = T1-T4.
 * The reply carries A+, A−, R+, R− as 32-bit values in Wh/varh.
 */
export function encodeReadEnergy(address: number, tariff: number, array = 0, month = 0): Uint8Array {
  if (tariff < 0 || tariff > 4) throw new DecodeError(`Mercury tariff ${tariff} is out of range (0-4)`);
  return encodeMercuryRequest(address, [MercuryRequest.ReadEnergy, (array << 4) | month, tariff]);
}

export type MercuryEnergy = {
  /** Active import, Wh; null when the meter does not support it (FF FF FF FF). */
  activeImportWh: bigint | null;
  activeExportWh: bigint | null;
  reactiveImportVarh: bigint | null;
  reactiveExportVarh: bigint | null;
};

/** Decodes one 4-byte "word-swapped" value: `b0 b1 b2 b3` → `b1<<24 | b0<<16 | b3<<8 | b2`. */
export function decodeMercuryU32(data: Uint8Array, offset: number): bigint | null {
  const [b0, b1, b2, b3] = [data[offset]!, data[offset + 1]!, data[offset + 2]!, data[offset + 3]!];
  if (b0 === 0xff && b1 === 0xff && b2 === 0xff && b3 === 0xff) return null;
  return BigInt(((b1 << 24) | (b0 << 16) | (b3 << 8) | b2) >>> 0);
}

export function encodeMercuryU32(value: bigint | null): number[] {
  if (value === null) return [0xff, 0xff, 0xff, 0xff];
  const v = Number(value);
  return [(v >>> 16) & 0xff, (v >>> 24) & 0xff, v & 0xff, (v >>> 8) & 0xff];
}

export function decodeEnergy(data: Uint8Array): MercuryEnergy {
  if (data.length !== 16)
    throw new DecodeError(`Mercury energy reply has ${data.length} data bytes, expected 16`);
  return {
    activeImportWh: decodeMercuryU32(data, 0),
    activeExportWh: decodeMercuryU32(data, 4),
    reactiveImportVarh: decodeMercuryU32(data, 8),
    reactiveExportVarh: decodeMercuryU32(data, 12),
  };
}

/** Serial number and manufacture date (`08 00`): 4 bytes of serial (one decimal byte each) + day, month, year. */
export function decodeSerial(data: Uint8Array): { serial: string; manufactured: string } {
  if (data.length !== 7)
    throw new DecodeError(`Mercury serial reply has ${data.length} data bytes, expected 7`);
  const serial = [...data.subarray(0, 4)].map((byte) => String(byte).padStart(2, "0")).join("");
  const manufactured = `20${String(data[6]).padStart(2, "0")}-${String(data[5]).padStart(2, "0")}-${String(data[4]).padStart(2, "0")}`;
  return { serial, manufactured };
}

/** Firmware version (`08 03`): three bytes `major.minor.patch`. */
export function decodeFirmware(data: Uint8Array): string {
  if (data.length !== 3)
    throw new DecodeError(`Mercury firmware reply has ${data.length} data bytes, expected 3`);
  return `${data[0]}.${data[1]}.${data[2]}`;
}

const bcd = (byte: number) => (byte >> 4) * 10 + (byte & 0x0f);
const toBcd = (value: number) => ((Math.floor(value / 10) % 10) << 4) | (value % 10);

/**
 * Meter clock (`04 00`) [unverified against the Incotex PDF, reference §2.4]: BCD seconds, minutes,
 * hours, weekday, day, month, year, winter flag, in the meter's local time. Returns Unix seconds,
 * converting from local time with `utcOffsetMinutes`.
 */
export function decodeTime(data: Uint8Array, utcOffsetMinutes: number): number {
  if (data.length < 7) throw new DecodeError(`Mercury time reply has ${data.length} data bytes, expected 8`);
  const [sec, min, hour, , day, month, year] = [...data.subarray(0, 7)].map(bcd) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (sec > 59 || min > 59 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12) {
    throw new DecodeError("Mercury clock reply is not a valid BCD date-time", { details: hex(data) });
  }
  return Date.UTC(2000 + year, month - 1, day, hour, min, sec) / 1000 - utcOffsetMinutes * 60;
}

export function encodeTime(unixSeconds: number, utcOffsetMinutes: number): number[] {
  const date = new Date((unixSeconds + utcOffsetMinutes * 60) * 1000);
  return [
    toBcd(date.getUTCSeconds()),
    toBcd(date.getUTCMinutes()),
    toBcd(date.getUTCHours()),
    toBcd(date.getUTCDay() === 0 ? 7 : date.getUTCDay()),
    toBcd(date.getUTCDate()),
    toBcd(date.getUTCMonth() + 1),
    toBcd(date.getUTCFullYear() % 100),
    1,
  ];
}

/** A reply: either data bytes or a status (4-byte frame). */
export type MercuryReply =
  | { address: number; kind: "data"; data: Uint8Array }
  | { address: number; kind: "status"; status: number };

/** Throws {@link DeviceRefusedError} on a non-zero status. */
export function expectOk(reply: MercuryReply, what: string): void {
  if (reply.kind === "status" && reply.status !== 0) {
    throw new DeviceRefusedError(
      `Mercury meter refused ${what}: ${MERCURY_STATUS[reply.status] ?? `status ${reply.status}`}`,
      {
        code: `MERCURY_STATUS_${reply.status}`,
      },
    );
  }
}

export function expectData(reply: MercuryReply, what: string): Uint8Array {
  if (reply.kind === "status") {
    expectOk(reply, what);
    throw new DecodeError(`Mercury meter answered ${what} with a bare OK status`);
  }
  return reply.data;
}

/**
 * Master-side parser. The reply length depends on the request, so the caller says how many data
 * bytes it expects; a 4-byte status frame is accepted too (an error answer).
 */
export class MercuryParser implements FrameParser<MercuryReply> {
  private readonly buffer = new ByteBuffer();
  constructor(private readonly expect: { address: number; dataLength: number }) {}

  get pending(): number {
    return this.buffer.length;
  }
  reset(): void {
    this.buffer.clear();
  }

  push(chunk: Uint8Array): ParseResult<MercuryReply> {
    this.buffer.append(chunk);
    const frames: MercuryReply[] = [];
    const discarded: string[] = [];
    // dataLength 0: the command answers with a status frame only.
    const statusOnly = this.expect.dataLength === 0;
    const full = statusOnly ? 4 : this.expect.dataLength + 3;
    let garbage = 0;
    while (this.buffer.length >= 4) {
      const view = this.buffer.view();
      // Address 0 is the universal address: any meter answers with its own address.
      if (this.expect.address !== 0 && view[0] !== this.expect.address) {
        this.buffer.consume(1);
        garbage++;
        continue;
      }
      if (!statusOnly && view.length >= full && hasValidCrc16(view, 0, full)) {
        const frame = this.buffer.take(full);
        frames.push({ address: frame[0]!, kind: "data", data: frame.slice(1, full - 2) });
        continue;
      }
      if (hasValidCrc16(view, 0, 4)) {
        const frame = this.buffer.take(4);
        frames.push({ address: frame[0]!, kind: "status", status: frame[1]! });
        continue;
      }
      if (view.length < full) break;
      discarded.push(`CRC mismatch in ${hex(view.subarray(0, full))}`);
      this.buffer.consume(1);
    }
    if (garbage) discarded.push(`${garbage} byte(s) of garbage skipped`);
    return { frames, discarded };
  }
}

/** Parses a reply for a command that returns only a status (open/close channel). */
export function statusParser(address: number): MercuryParser {
  return new MercuryParser({ address, dataLength: 0 });
}
