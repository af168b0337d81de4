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
  private readonly lengths: number[];
  /**
   * `dataLength` may list several lengths when a reply's size depends on the firmware (the
   * variant reply `08 12` has 3 data bytes on old firmware, 6 on newer, per the sources cited at
   * {@link encodeReadVariant}); the longest complete frame with a valid CRC wins.
   */
  constructor(private readonly expect: { address: number; dataLength: number | readonly number[] }) {
    const lengths = typeof expect.dataLength === "number" ? [expect.dataLength] : [...expect.dataLength];
    this.lengths = lengths.sort((a, b) => b - a);
  }

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
    const statusOnly = this.lengths.length === 1 && this.lengths[0] === 0;
    const full = statusOnly ? 4 : this.lengths[0]! + 3;
    let garbage = 0;
    scan: while (this.buffer.length >= 4) {
      const view = this.buffer.view();
      // Address 0 is the universal address: any meter answers with its own address.
      if (this.expect.address !== 0 && view[0] !== this.expect.address) {
        this.buffer.consume(1);
        garbage++;
        continue;
      }
      if (!statusOnly)
        for (const length of this.lengths) {
          const size = length + 3;
          if (view.length >= size && hasValidCrc16(view, 0, size)) {
            const frame = this.buffer.take(size);
            frames.push({ address: frame[0]!, kind: "data", data: frame.slice(1, size - 2) });
            continue scan;
          }
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

/*
 * Power profile ("профиль средних мощностей", memory 3). Nothing below comes from the Incotex PDF
 * itself (it could not be read); every layout is the one two independent open-source readers of
 * real meters agree on, and the comment at each function says which bytes come from where:
 *
 * - [KP]  Manjey73/OpnenKPs, KpMercury23x/KpMercury23x/Protocol.cs (`ReadRomReq`) and
 *         KpMercury23xLogic.cs (the "Чтение профилей мощностей" block, `ConstA`), a Rapid SCADA
 *         driver tested on Mercury 230ART and 236ART; it cites the PDF's sections 2.3.16 and 2.4.
 * - [PZ]  Prizmer/tu_mercury23X, Mercury23XDriver/Mercury23XDriver.cs (`ReadLastSlice`,
 *         `ReadSlice`, `ReadPowerSlice`, `ReadVariantExecute`).
 *
 * Where the two differ, or where only one says something, the comment says so; docs/agent.md §7
 * lists what stays unverified without a meter on the bench.
 */

/** Memory 3 holds the power profile; records are 16 bytes apart and 15 of them are read ([KP], [PZ]). */
export const MERCURY_PROFILE_MEMORY = 3;
export const MERCURY_PROFILE_RECORD_STRIDE = 16;
export const MERCURY_PROFILE_RECORD_LENGTH = 15;

/**
 * Request `06` "read by physical memory address": `[06][kind<<4 | memory | 0x80 if address > 0xFFFF]
 * [address hi][address lo][byte count]` ([KP] `ReadRomReq`: energy kind in bits 4-6, the 17th
 * address bit as bit 7, big-endian address; [PZ] sends `06 03`/`06 83` with the same layout and
 * count 0x0F). Energy kind 0 is A+, A−, R+, R− ([KP]).
 */
export function encodeReadMemory(
  address: number,
  parameters: { memory: number; byteAddress: number; length: number; energyKind?: number },
): Uint8Array {
  const { memory, byteAddress, length, energyKind = 0 } = parameters;
  if (!Number.isInteger(memory) || memory < 0 || memory > 0x0f)
    throw new DecodeError(`Mercury memory number ${memory} is out of range (0-15)`);
  if (!Number.isInteger(byteAddress) || byteAddress < 0 || byteAddress > 0x1ffff)
    throw new DecodeError(`Mercury memory address ${byteAddress} is out of range (0-0x1FFFF, 17 bits)`);
  if (!Number.isInteger(length) || length < 1 || length > 0xff)
    throw new DecodeError(`Mercury memory read of ${length} bytes is out of range (1-255)`);
  if (!Number.isInteger(energyKind) || energyKind < 0 || energyKind > 7)
    throw new DecodeError(`Mercury energy kind ${energyKind} is out of range (0-7)`);
  return encodeMercuryRequest(address, [
    0x06,
    (energyKind << 4) | memory | (byteAddress > 0xffff ? 0x80 : 0),
    (byteAddress >> 8) & 0xff,
    byteAddress & 0xff,
    length,
  ]);
}

/** Request `08 13`: address and time of the last power-profile record ([KP], [PZ]). */
export function encodeReadProfilePointer(address: number): Uint8Array {
  return encodeMercuryRequest(address, [MercuryRequest.ReadParameter, 0x13]);
}

/** Request `08 12`: the variant ("вариант исполнения") bytes, which carry the meter constant. */
export function encodeReadVariant(address: number): Uint8Array {
  return encodeMercuryRequest(address, [MercuryRequest.ReadParameter, 0x12]);
}

/** Data bytes of the `08 12` reply: 3 on firmware up to 2.1.0, 6 after it ([PZ] `ReadVariantExecute`). */
export const MERCURY_VARIANT_LENGTHS = [6, 3] as const;

/**
 * Meter constant A (impulses per kWh) from the low nibble of the second variant byte: 0 → 5000,
 * 1 → 25000, 2 → 1250, 3 → 500, 4 → 1000, 5 → 250. The same table in [KP] `ConstA` ("2.3.16 …
 * 2-й байт 0-3 биты", read from the `08 01` reply) and [PZ] `ReadVariantExecute` (from `08 12`).
 */
export const MERCURY_METER_CONSTANTS: Readonly<Record<number, number>> = {
  0: 5000,
  1: 25000,
  2: 1250,
  3: 500,
  4: 1000,
  5: 250,
};

export function meterConstantFromVariant(data: Uint8Array): number {
  if (data.length < 2)
    throw new DecodeError(`Mercury variant reply has ${data.length} data bytes, expected 3 or 6`);
  const code = data[1]! & 0x0f;
  const constant = MERCURY_METER_CONSTANTS[code];
  if (constant === undefined)
    throw new DecodeError(`Mercury variant gives meter-constant code ${code}, which no source documents`, {
      details: hex(data),
    });
  return constant;
}

/** A local BCD date-time `hh mm dd MM yy` as Unix seconds (UTC), or null when the bytes are not BCD. */
function bcdStamp(data: Uint8Array, offset: number, utcOffsetMinutes: number): number | null {
  const raw = [...data.subarray(offset, offset + 5)];
  if (raw.some((byte) => (byte & 0x0f) > 9 || byte >> 4 > 9)) return null;
  const [hour, minute, day, month, year] = raw.map(bcd) as [number, number, number, number, number];
  if (hour > 23 || minute > 59 || day < 1 || day > 31 || month < 1 || month > 12) return null;
  return Date.UTC(2000 + year, month - 1, day, hour, minute) / 1000 - utcOffsetMinutes * 60;
}

export type MercuryProfilePointer = {
  /** Byte address in memory 3 of the last record: the reply's 16-bit word × 16 ([KP], [PZ]). */
  recordAddress: number;
  /** The status byte; bit 0 is "the profile area has wrapped" per [PZ] (not used by [KP]). */
  status: number;
  /** The last record's time stamp (meter local time converted with the configured offset), Unix s. */
  stampedAt: number;
  /** Integration period in minutes (30 for a half-hour profile). */
  periodMinutes: number;
};

/**
 * Reply of `08 13` (9 data bytes): `[addr hi][addr lo][status][hh][mm][dd][MM][yy][period]`, BCD
 * time. Byte positions: [KP] (address bytes reversed into a big-endian u16, × 16; hour at 4,
 * minute at 5, day 6, month 7, year 8, period 9 counting the address byte) and [PZ] (the same
 * positions; status bit 0 = wrapped).
 */
export function decodeProfilePointer(data: Uint8Array, utcOffsetMinutes: number): MercuryProfilePointer {
  if (data.length !== 9)
    throw new DecodeError(`Mercury profile-pointer reply has ${data.length} data bytes, expected 9`, {
      details: hex(data),
    });
  const stampedAt = bcdStamp(data, 3, utcOffsetMinutes);
  if (stampedAt === null)
    throw new DecodeError("Mercury profile-pointer time is not a valid BCD date-time", {
      details: hex(data),
    });
  return {
    recordAddress: ((data[0]! << 8) | data[1]!) * MERCURY_PROFILE_RECORD_STRIDE,
    status: data[2]!,
    stampedAt,
    periodMinutes: data[8]!,
  };
}

export function encodeProfilePointer(pointer: MercuryProfilePointer, utcOffsetMinutes: number): number[] {
  const word = Math.floor(pointer.recordAddress / MERCURY_PROFILE_RECORD_STRIDE);
  return [
    (word >> 8) & 0xff,
    word & 0xff,
    pointer.status,
    ...stampBytes(pointer.stampedAt, utcOffsetMinutes),
    pointer.periodMinutes,
  ];
}

function stampBytes(unixSeconds: number, utcOffsetMinutes: number): number[] {
  const local = new Date((unixSeconds + utcOffsetMinutes * 60) * 1000);
  return [
    toBcd(local.getUTCHours()),
    toBcd(local.getUTCMinutes()),
    toBcd(local.getUTCDate()),
    toBcd(local.getUTCMonth() + 1),
    toBcd(local.getUTCFullYear() % 100),
  ];
}

/** Bit 1 of a record's status byte: "неполный срез", the period was not integrated in full ([KP], [PZ]). */
export const MERCURY_PROFILE_INCOMPLETE = 0x02;

export type MercuryProfileRecord =
  /** Erased or never written memory: the header is all FF (or all 00). */
  | { kind: "empty" }
  | {
      kind: "record";
      status: number;
      /** Status bit 1: a partial period (power cut, clock set). */
      incomplete: boolean;
      /** The record's time stamp as the meter keeps it, converted to Unix seconds. */
      stampedAt: number;
      periodMinutes: number;
      /**
       * Raw averaged values N of P+, P−, Q+, Q− (u16 little-endian); null where the meter wrote FF FF.
       * Average power over the period is N × (60 / T) / (2 × A) kW ([KP], citing the PDF's §2.4), so
       * the period's energy is N / (2 × A) kWh: see {@link profileEnergyWh}.
       */
      values: readonly [number | null, number | null, number | null, number | null];
    };

/**
 * A record read with `06 03 …` (15 data bytes): `[status][hh][mm][dd][MM][yy][period][P+ lo hi][P− lo hi]
 * [Q+ lo hi][Q− lo hi]`. Positions: [KP] (period at reply byte 7, values from reply byte 8 read
 * with BitConverter.ToUInt16, i.e. little-endian; status bit 1 = incomplete) and [PZ] (same; FF FF =
 * no value).
 */
export function decodeProfileRecord(data: Uint8Array, utcOffsetMinutes: number): MercuryProfileRecord {
  if (data.length !== MERCURY_PROFILE_RECORD_LENGTH)
    throw new DecodeError(
      `Mercury profile record has ${data.length} data bytes, expected ${MERCURY_PROFILE_RECORD_LENGTH}`,
      { details: hex(data) },
    );
  const header = [...data.subarray(0, 7)];
  if (header.every((byte) => byte === 0xff) || header.every((byte) => byte === 0x00))
    return { kind: "empty" };
  const stampedAt = bcdStamp(data, 1, utcOffsetMinutes);
  if (stampedAt === null)
    throw new DecodeError("Mercury profile record time is not a valid BCD date-time", { details: hex(data) });
  const value = (offset: number) => {
    const raw = data[offset]! | (data[offset + 1]! << 8);
    return raw === 0xffff ? null : raw;
  };
  return {
    kind: "record",
    status: data[0]!,
    incomplete: (data[0]! & MERCURY_PROFILE_INCOMPLETE) !== 0,
    stampedAt,
    periodMinutes: data[6]!,
    values: [value(7), value(9), value(11), value(13)],
  };
}

export function encodeProfileRecord(
  record: Extract<MercuryProfileRecord, { kind: "record" }>,
  utcOffsetMinutes: number,
): number[] {
  const word = (value: number | null) =>
    value === null ? [0xff, 0xff] : [value & 0xff, (value >> 8) & 0xff];
  return [
    record.status,
    ...stampBytes(record.stampedAt, utcOffsetMinutes),
    record.periodMinutes,
    ...record.values.flatMap(word),
  ];
}

/**
 * Energy of a sum of raw profile values N, in integer Wh: N / (2 × A) kWh = N × 500 / A Wh, rounded
 * down (explicitly: a bigint division truncates). Callers sum N first and convert once, so the
 * rounding error stays below 1 Wh however many periods are summed.
 */
export function profileEnergyWh(sumOfValues: bigint, meterConstant: number): bigint {
  if (sumOfValues < 0n) throw new DecodeError(`Negative profile sum ${sumOfValues}`);
  return (sumOfValues * 500n) / BigInt(meterConstant);
}
