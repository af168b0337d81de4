import { HALF_HOUR_SECONDS } from "@gridledger/domain";
import { encodeUploadResponse } from "../protocol/mtr-can/frame.js";
import type { CanFrame } from "../transport/transport.js";
import { type EnergyProfile, simulatedExportWh, simulatedImportWh } from "./energy.js";

export type SimulatedCanMeter = {
  node: number;
  energy: EnergyProfile;
  now: () => number;
  serial?: number;
  /** Half-hour rows kept (ring depth). Default: 255. */
  profileDepth?: number;
  status?: number;
  /** Offset of the meter clock, seconds. */
  clockOffsetSeconds?: number;
};

/** An MTR-CAN/1 meter (see protocol/mtr-can) with a half-hour load profile. */
export class MtrCanSimulator {
  private readonly meters = new Map<number, SimulatedCanMeter>();
  add(meter: SimulatedCanMeter): void {
    this.meters.set(meter.node, meter);
  }

  respond(frame: CanFrame): CanFrame | undefined {
    if (
      frame.extended ||
      frame.id < 0x601 ||
      frame.id > 0x67f ||
      frame.data.length !== 8 ||
      frame.data[0] !== 0x40
    )
      return undefined;
    const node = frame.id - 0x600;
    const meter = this.meters.get(node);
    if (!meter) return undefined;
    const object = { index: frame.data[1]! | (frame.data[2]! << 8), sub: frame.data[3]! };
    const value = this.value(meter, object.index, object.sub);
    return encodeUploadResponse(node, object, value === undefined ? { abortCode: 0x06020000 } : value);
  }

  private value(meter: SimulatedCanMeter, index: number, sub: number): number | undefined {
    const seconds = Math.floor(meter.now() / 1000);
    const depth = meter.profileDepth ?? 255;
    const rowEnd = (row: number) =>
      Math.floor(seconds / HALF_HOUR_SECONDS) * HALF_HOUR_SECONDS - (row - 1) * HALF_HOUR_SECONDS;
    const wrap = (wh: number) => wh % 2 ** 32;
    switch (`${index.toString(16)}:${sub}`) {
      case "2000:1":
        return wrap(simulatedImportWh(meter.energy, seconds));
      case "2000:2":
        return wrap(simulatedExportWh(meter.energy, seconds));
      case "2001:1":
        return wrap(simulatedImportWh(meter.energy, seconds));
      case "2002:1":
        return seconds + (meter.clockOffsetSeconds ?? 0);
      case "2003:1":
        return meter.energy.powerW;
      case "2004:1":
        return meter.status ?? 0;
      case "1018:4":
        return meter.serial ?? 1000 + meter.node;
      case "100a:0":
        return (1 << 16) | (2 << 8) | 3;
      case "2010:0":
        return depth;
    }
    if (sub >= 1 && sub <= depth) {
      if (index === 0x2011) return rowEnd(sub);
      if (index === 0x2012) return wrap(simulatedImportWh(meter.energy, rowEnd(sub)));
      if (index === 0x2013) return wrap(simulatedExportWh(meter.energy, rowEnd(sub)));
    }
    return undefined;
  }
}
