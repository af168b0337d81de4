import { HALF_HOUR_SECONDS } from "@gridledger/domain";
import { appendCrc16, hasValidCrc16 } from "../protocol/crc16.js";
import {
  encodeMercuryU32,
  encodeProfilePointer,
  encodeProfileRecord,
  encodeTime,
  MERCURY_METER_CONSTANTS,
  MERCURY_PROFILE_INCOMPLETE,
  MERCURY_PROFILE_MEMORY,
  MERCURY_PROFILE_RECORD_STRIDE,
} from "../protocol/mercury/frame.js";

/**
 * The simulated meter's power profile, cut from its simulated history: one record per half hour
 * from `firstEnd`, laid out from address 0 of memory 3 in the byte layout of
 * protocol/mercury/frame.ts (the layout the two cited open-source readers use, not a capture).
 */
export type SimulatedMercuryProfile = {
  /** Cumulative active import, Wh, at any Unix second. */
  importWhAt: (unixSeconds: number) => number;
  /** Cumulative active export, Wh; without it P− is written as 0. */
  exportWhAt?: (unixSeconds: number) => number;
  /** End of the first half hour recorded (a boundary). */
  firstEnd: number;
  /** Meter-constant code of the variant byte. Default: 4 (A = 1000 imp/kWh). */
  constantCode?: number;
  /** What the record stamp marks. Default: `start` (the driver's default). */
  stamp?: "start" | "end";
  /** Half hours (by end) the meter did not record: it had no power. */
  missing?: (intervalEnd: number) => boolean;
  /** Half hours (by end) recorded with the "incomplete period" status bit. */
  incomplete?: (intervalEnd: number) => boolean;
};

export type SimulatedMercury = {
  address: number;
  /** Wh per tariff T1..T4; the sum is tariff 0. */
  tariffsWh: () => [number, number, number, number];
  exportWh?: () => number | null;
  now: () => number;
  password?: string;
  clockOffsetSeconds?: number;
  utcOffsetMinutes?: number;
  /** When present the meter keeps a power profile (requests 08 12, 08 13, 06 03). */
  profile?: SimulatedMercuryProfile;
};

/**
 * A Mercury 230 on the bus: open/close channel, energy (05), parameters (08 00, 08 03), time
 * (04 00) and, with `profile`, the variant (08 12), the profile pointer (08 13) and memory-3 reads (06).
 */
export class MercurySimulator {
  private open = false;
  constructor(readonly meter: SimulatedMercury) {}

  respond(request: Uint8Array): Uint8Array | undefined {
    if (!hasValidCrc16(request)) return undefined;
    const m = this.meter;
    if (request[0] !== m.address && request[0] !== 0) return undefined;
    const reply = (bytes: number[]) => appendCrc16([m.address, ...bytes]);
    const code = request[1];
    if (code === 0x01) {
      const password = [...request.subarray(3, 9)].join("");
      if (password !== (m.password ?? "111111")) return reply([3]);
      this.open = true;
      return reply([0]);
    }
    if (code === 0x02) {
      this.open = false;
      return reply([0]);
    }
    if (!this.open) return reply([5]);
    if (code === 0x05) {
      const tariff = request[3]!;
      const tariffs = m.tariffsWh();
      const value = tariff === 0 ? tariffs.reduce((a, b) => a + b, 0) : tariffs[tariff - 1]!;
      const exported = tariff === 0 ? (m.exportWh?.() ?? null) : null;
      return reply([
        ...encodeMercuryU32(BigInt(value)),
        ...encodeMercuryU32(exported === null ? null : BigInt(exported)),
        ...encodeMercuryU32(0n),
        ...encodeMercuryU32(0n),
      ]);
    }
    if (code === 0x08 && request[2] === 0x00) return reply([0x24, 0x4f, 0x01, 0x3c, 0x0a, 0x02, 0x13]);
    if (code === 0x08 && request[2] === 0x03) return reply([2, 3, 5]);
    if (code === 0x04 && request[2] === 0x00)
      return reply(encodeTime(this.meterSeconds(), m.utcOffsetMinutes ?? 180));
    const profile = m.profile;
    if (profile && code === 0x08 && request[2] === 0x12)
      return reply([0x00, profile.constantCode ?? 4, 0, 0, 0, 0]);
    if (profile && code === 0x08 && request[2] === 0x13) {
      const records = this.records(profile);
      const last = records.at(-1);
      if (!last) return reply([2]);
      return reply(
        encodeProfilePointer(
          {
            recordAddress: (records.length - 1) * MERCURY_PROFILE_RECORD_STRIDE,
            status: 0,
            stampedAt: last.stampedAt,
            periodMinutes: 30,
          },
          m.utcOffsetMinutes ?? 180,
        ),
      );
    }
    if (profile && code === 0x06 && request.length === 8) {
      if ((request[2]! & 0x0f) !== MERCURY_PROFILE_MEMORY) return reply([1]);
      const start = ((request[2]! & 0x80) << 9) | (request[3]! << 8) | request[4]!;
      const records = this.records(profile);
      const bytes: number[] = [];
      for (let address = start; address < start + request[5]!; address++) {
        const record = records[Math.floor(address / MERCURY_PROFILE_RECORD_STRIDE)];
        bytes.push(record?.bytes[address % MERCURY_PROFILE_RECORD_STRIDE] ?? 0xff);
      }
      return reply(bytes);
    }
    return reply([1]);
  }

  private meterSeconds(): number {
    return Math.floor(this.meter.now() / 1000) + (this.meter.clockOffsetSeconds ?? 0);
  }

  /** The records in memory now, oldest first; with `start` stamps the period in progress is the last one. */
  private records(profile: SimulatedMercuryProfile): Array<{ stampedAt: number; bytes: number[] }> {
    const stampIsStart = (profile.stamp ?? "start") === "start";
    const constant = MERCURY_METER_CONSTANTS[profile.constantCode ?? 4]!;
    const now = this.meterSeconds();
    const lastEnd =
      Math.floor(now / HALF_HOUR_SECONDS) * HALF_HOUR_SECONDS + (stampIsStart ? HALF_HOUR_SECONDS : 0);
    // N = energy × 2A (protocol/mercury/frame.ts profileEnergyWh); the period in progress holds what it has so far.
    const raw = (at: (t: number) => number, end: number) => {
      const value = Math.round(
        ((at(Math.min(end, now)) - at(end - HALF_HOUR_SECONDS)) * 2 * constant) / 1000,
      );
      if (value > 0xfffe) throw new Error(`simulated Mercury: ${value} does not fit a profile value (u16)`);
      return value;
    };
    const records: Array<{ stampedAt: number; bytes: number[] }> = [];
    for (let end = profile.firstEnd; end <= lastEnd; end += HALF_HOUR_SECONDS) {
      if (profile.missing?.(end)) continue;
      const stampedAt = stampIsStart ? end - HALF_HOUR_SECONDS : end;
      const record = encodeProfileRecord(
        {
          kind: "record",
          status: profile.incomplete?.(end) ? MERCURY_PROFILE_INCOMPLETE : 0,
          incomplete: false,
          stampedAt,
          periodMinutes: 30,
          values: [raw(profile.importWhAt, end), profile.exportWhAt ? raw(profile.exportWhAt, end) : 0, 0, 0],
        },
        this.meter.utcOffsetMinutes ?? 180,
      );
      records.push({ stampedAt, bytes: [...record, 0xff] });
    }
    return records;
  }
}
