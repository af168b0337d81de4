import { appendCrc16, hasValidCrc16 } from "../protocol/crc16.js";
import { encodeMercuryU32, encodeTime } from "../protocol/mercury/frame.js";

export type SimulatedMercury = {
  address: number;
  /** Wh per tariff T1..T4; the sum is tariff 0. */
  tariffsWh: () => [number, number, number, number];
  exportWh?: () => number | null;
  now: () => number;
  password?: string;
  clockOffsetSeconds?: number;
  utcOffsetMinutes?: number;
};

/** A Mercury 230 on the bus: open/close channel, energy (05), parameters (08 00, 08 03), time (04 00). */
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
      return reply(
        encodeTime(Math.floor(m.now() / 1000) + (m.clockOffsetSeconds ?? 0), m.utcOffsetMinutes ?? 180),
      );
    return reply([1]);
  }
}
