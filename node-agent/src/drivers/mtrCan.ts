import { DeviceRefusedError } from "../errors.js";
import {
  decodeUploadResponse,
  encodeUploadRequest,
  expectValue,
  MtrObject,
  MtrStatusBit,
  type ObjectAddress,
} from "../protocol/mtr-can/frame.js";
import type { BusSession, MessageDecoder } from "../session/session.js";
import type { CanFrame } from "../transport/transport.js";
import {
  emptyRegisters,
  type MeterDriver,
  type MeterRegisters,
  type MeterSnapshot,
  type ProfileRow,
} from "./driver.js";

export type MtrCanDriverParameters = {
  session: BusSession<CanFrame>;
  /** CAN node id 1-127. */
  node: number;
};

/** A meter speaking MTR-CAN/1 (see protocol/mtr-can). u32 Wh counters wrap at 2^32. */
export class MtrCanDriver implements MeterDriver {
  readonly model = "mtr-can";
  readonly counterModulusWh = 2n ** 32n;
  constructor(private readonly parameters: MtrCanDriverParameters) {}

  private upload(object: ObjectAddress): Promise<number> {
    const { session, node } = this.parameters;
    return session.transact({
      describe: `CAN node ${node} 0x${object.index.toString(16)}:${object.sub}`,
      request: encodeUploadRequest(node, object),
      decoder: (): MessageDecoder<CanFrame, CanFrame> => ({
        push: (frame) => ({ frames: [frame], discarded: [] }),
      }),
      accept: (frame) => {
        const response = decodeUploadResponse(frame);
        if (
          !response ||
          response.node !== node ||
          response.index !== object.index ||
          response.sub !== object.sub
        )
          return undefined;
        return expectValue(response);
      },
    });
  }

  private async optional(object: ObjectAddress): Promise<number | null> {
    try {
      return await this.upload(object);
    } catch (error) {
      if (error instanceof DeviceRefusedError) return null;
      throw error;
    }
  }

  async read(): Promise<MeterSnapshot> {
    const total = await this.upload(MtrObject.ImportTotal);
    const tariffs: Array<bigint | null> = [];
    for (const tariff of [1, 2, 3, 4] as const)
      tariffs.push(big(await this.optional(MtrObject.ImportTariff(tariff))));
    const exported = await this.optional(MtrObject.ExportTotal);
    const sentAt = Date.now();
    const clock = await this.optional(MtrObject.Clock);
    const midpoint = (sentAt + Date.now()) / 2;
    const status = (await this.optional(MtrObject.Status)) ?? 0;
    const serial = await this.optional(MtrObject.Serial);
    const firmware = await this.optional(MtrObject.Firmware);
    const errors: string[] = [];
    if (status & MtrStatusBit.InternalError) errors.push("internal error");
    if (status & MtrStatusBit.ClockInvalid) errors.push("clock invalid");
    return {
      registers: {
        importTotalWh: BigInt(total),
        importTariffWh: [tariffs[0]!, tariffs[1]!, tariffs[2]!, tariffs[3]!],
        exportWh: big(exported),
      },
      clock: clock === null ? undefined : { meterSeconds: clock, agentMidpointMs: midpoint },
      identity: {
        serial: serial === null ? undefined : String(serial),
        firmware:
          firmware === null ? undefined : `${firmware >>> 16}.${(firmware >>> 8) & 0xff}.${firmware & 0xff}`,
      },
      tamper: (status & (MtrStatusBit.CoverOpen | MtrStatusBit.MagneticField)) !== 0,
      errors,
      values: {
        importTotalWh: total,
        ...Object.fromEntries(
          tariffs.map((value, index) => [`importT${index + 1}Wh`, value === null ? null : Number(value)]),
        ),
        exportWh: exported,
        meterClock: clock === null ? null : new Date(clock * 1000).toISOString(),
        status,
        serial,
      },
    };
  }

  async readLoadProfile(sinceExclusive: number, untilInclusive: number): Promise<ProfileRow[]> {
    const depth = Math.min(255, await this.upload(MtrObject.ProfileDepth));
    const rows: ProfileRow[] = [];
    for (let row = 1; row <= depth; row++) {
      const end = await this.upload(MtrObject.ProfileEnd(row));
      if (end <= sinceExclusive) break; // rows are newest first
      if (end > untilInclusive) continue;
      const registers: MeterRegisters = {
        ...emptyRegisters(),
        importTotalWh: BigInt(await this.upload(MtrObject.ProfileImport(row))),
        exportWh: big(await this.optional(MtrObject.ProfileExport(row))),
      };
      rows.push({ intervalEnd: end, registers });
    }
    return rows.reverse();
  }
}

const big = (value: number | null) => (value === null ? null : BigInt(value));
