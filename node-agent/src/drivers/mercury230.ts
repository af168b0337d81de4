import { DeviceRefusedError } from "../errors.js";
import {
  decodeEnergy,
  decodeFirmware,
  decodeSerial,
  decodeTime,
  encodeMercuryRequest,
  encodeOpenChannel,
  encodeReadEnergy,
  expectData,
  expectOk,
  MercuryParser,
  type MercuryReply,
  statusParser,
} from "../protocol/mercury/frame.js";
import type { Bus, BusSession } from "../session/session.js";
import { emptyRegisters, type MeterDriver, type MeterSnapshot } from "./driver.js";

export type Mercury230DriverParameters = {
  session: BusSession<Uint8Array>;
  /** Network address 1-240 (0 = universal, single meter on the bus only). */
  address: number;
  /** Level-1 (read) password. Default: `"111111"`. */
  password?: string;
  /** Offset of the meter clock from UTC. Default: 180 (Moscow). */
  clockUtcOffsetMinutes?: number;
  /** Read the meter clock (request 04 00, unverified against the Incotex PDF). Default: true. */
  readClock?: boolean;
};

/** Mercury 230/231/234/236 (Incotex three-phase command set). u32 Wh counters wrap at 2^32. */
export class Mercury230Driver implements MeterDriver {
  readonly model = "mercury230";
  readonly counterModulusWh = 2n ** 32n;
  constructor(private readonly parameters: Mercury230DriverParameters) {}

  async read(): Promise<MeterSnapshot> {
    const {
      session,
      address,
      password = "111111",
      clockUtcOffsetMinutes = 180,
      readClock = true,
    } = this.parameters;
    return session.exclusive(async (bus) => {
      const ask = (describe: string, body: number[] | Uint8Array, dataLength: number) =>
        bus.transact<MercuryReply, MercuryReply>({
          describe: `Mercury ${address} ${describe}`,
          request: body instanceof Uint8Array ? body : encodeMercuryRequest(address, body),
          decoder: () =>
            dataLength === 0 ? statusParser(address) : new MercuryParser({ address, dataLength }),
          accept: (reply) => reply,
        });
      expectOk(await ask("open channel", encodeOpenChannel(address, 1, password), 0), "open channel");
      const snapshot: MeterSnapshot = {
        registers: emptyRegisters(),
        identity: {},
        tamper: false,
        errors: [],
        values: {},
      };
      const readEnergy = async (tariff: number) => {
        const reply = await ask(`energy tariff ${tariff}`, encodeReadEnergy(address, tariff), 16);
        return decodeEnergy(expectData(reply, `energy tariff ${tariff}`));
      };
      const total = await readEnergy(0);
      const tariffs: Array<bigint | null> = [];
      for (const tariff of [1, 2, 3, 4]) tariffs.push((await readEnergy(tariff)).activeImportWh);
      snapshot.registers = {
        importTotalWh: total.activeImportWh,
        importTariffWh: [tariffs[0]!, tariffs[1]!, tariffs[2]!, tariffs[3]!],
        exportWh: total.activeExportWh,
      };
      snapshot.values = {
        activeImportWh: num(total.activeImportWh),
        activeExportWh: num(total.activeExportWh),
        reactiveImportVarh: num(total.reactiveImportVarh),
        reactiveExportVarh: num(total.reactiveExportVarh),
        ...Object.fromEntries(tariffs.map((value, index) => [`activeImportT${index + 1}Wh`, num(value)])),
      };
      const serial = decodeSerial(expectData(await ask("serial number", [0x08, 0x00], 7), "serial number"));
      snapshot.identity.serial = serial.serial;
      snapshot.values.serial = serial.serial;
      snapshot.values.manufactured = serial.manufactured;
      snapshot.identity.firmware = decodeFirmware(
        expectData(await ask("firmware", [0x08, 0x03], 3), "firmware"),
      );
      snapshot.values.firmware = snapshot.identity.firmware;
      if (readClock) await readMeterClock(bus, ask, snapshot, clockUtcOffsetMinutes);
      await bus
        .transact({
          describe: `Mercury ${address} close channel`,
          request: encodeMercuryRequest(address, [0x02]),
          decoder: () => statusParser(address),
          accept: (reply) => reply,
          retries: 0,
        })
        .catch(() => undefined);
      return snapshot;
    });
  }
}

async function readMeterClock(
  _bus: Bus<Uint8Array>,
  ask: (describe: string, body: number[], dataLength: number) => Promise<MercuryReply>,
  snapshot: MeterSnapshot,
  offset: number,
): Promise<void> {
  const sentAt = Date.now();
  const reply = await ask("clock", [0x04, 0x00], 8);
  const midpoint = (sentAt + Date.now()) / 2;
  if (reply.kind === "status")
    throw new DeviceRefusedError(`Mercury meter refused the clock read (status ${reply.status})`);
  const meterSeconds = decodeTime(reply.data, offset);
  snapshot.clock = { meterSeconds, agentMidpointMs: midpoint };
  snapshot.values.meterClock = new Date(meterSeconds * 1000).toISOString();
}

const num = (value: bigint | null) => (value === null ? null : Number(value));
