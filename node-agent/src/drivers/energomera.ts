import { DecodeError } from "../errors.js";
import {
  type BccAlgorithm,
  decodeIdentification,
  encodeBreak,
  encodeCommand,
  encodeOptionSelect,
  encodeRequest,
  expectNoError,
  type IecMessage,
  IecParser,
  parseDataSets,
} from "../protocol/iec62056-21/frame.js";
import type { Bus, BusSession } from "../session/session.js";
import type { ByteTransport } from "../transport/transport.js";
import { decimalToInteger, emptyRegisters, type MeterDriver, type MeterSnapshot } from "./driver.js";

/** Pause between the option-select acknowledgement and the baud switch. */
export const IEC_SWITCH_DELAY_MS = 250;

export type EnergomeraDriverParameters = {
  model: "ce301" | "ce303";
  session: BusSession<Uint8Array>;
  /** Device address: the last 9 digits of the serial number; empty with one meter on the bus. */
  deviceAddress: string;
  /** Default: `"777777"` (said to be the Energomera factory password; unverified); empty string to skip the password step. */
  password?: string;
  /** Default: `"sum7"` (Energomera CE-series); `"xor"` for meters that follow the standard. */
  bcc?: BccAlgorithm;
  /** Baud rate of the session (Energomera on RS-485 runs at 9600 from the start). Default: 9600. */
  baudRate?: number;
  /**
   * Baud rate of the sign-on (the bus's line setting). When it differs from `baudRate`, the driver
   * does the standard mode C switch: sign-on at this rate, option select asking for `baudRate`,
   * switch the port, read, and switch back after the break. Default: `baudRate` (no switch).
   */
  handshakeBaudRate?: number;
  /** Export parameter name; empty to skip. Default: `"ET0PI"` [unverified: check the meter's guide]. */
  exportParameter?: string;
  /** Offset of the meter clock from UTC. Default: 180. */
  clockUtcOffsetMinutes?: number;
};

/**
 * Energomera CE301/CE303 over IEC 62056-21 mode C in programming mode: `ET0PE()` gives active
 * import total then T1…; `DATE_()`/`TIME_()` the local clock. Counters are kWh decimals and are
 * converted to Wh exactly (truncated), never through floating point.
 */
export class EnergomeraDriver implements MeterDriver {
  readonly model: string;
  readonly counterModulusWh = undefined;
  constructor(private readonly parameters: EnergomeraDriverParameters) {
    this.model = parameters.model;
  }

  async read(): Promise<MeterSnapshot> {
    const p = this.parameters;
    const bcc = p.bcc ?? "sum7";
    return p.session.exclusive(async (bus) => {
      const wait = <T>(
        describe: string,
        request: Uint8Array | Uint8Array[],
        accept: (message: IecMessage) => T | undefined,
        timeoutMs?: number,
      ) =>
        bus.transact<IecMessage, T>({
          describe: `Energomera ${p.deviceAddress || "(no address)"} ${describe}`,
          request,
          decoder: () => new IecParser(bcc),
          accept,
          ...(timeoutMs ? { timeoutMs } : {}),
        });
      const snapshot: MeterSnapshot = {
        registers: emptyRegisters(),
        identity: {},
        tamper: false,
        errors: [],
        values: {},
      };
      const sessionBaud = p.baudRate ?? 9600;
      const handshakeBaud = p.handshakeBaudRate ?? sessionBaud;
      const switching = handshakeBaud !== sessionBaud;
      const setBaud = async (baudRate: number) => (bus.channel as ByteTransport).update?.({ baudRate });
      try {
        const ident = await wait("identification", encodeRequest(p.deviceAddress), (m) =>
          m.kind === "identification" ? decodeIdentification(m.line) : undefined,
        );
        snapshot.identity.firmware = ident.raw.slice(1);
        snapshot.values.identification = ident.raw;
        const prompt = await bus.transact<IecMessage, Extract<IecMessage, { kind: "block" }>>({
          describe: `Energomera ${p.deviceAddress || "(no address)"} option select`,
          request: encodeOptionSelect(sessionBaud, "1"),
          decoder: () => new IecParser(bcc),
          accept: (m) => (m.kind === "block" && m.command === "P0" ? m : undefined),
          timeoutMs: 1500,
          retries: 0,
          afterWrite: switching
            ? async () => {
                // Both sides change speed after the acknowledgement (the reaction time is ≥ 200 ms).
                await bus.sleep(IEC_SWITCH_DELAY_MS);
                await setBaud(sessionBaud);
              }
            : undefined,
        });
        snapshot.values.passwordPrompt = prompt.data;
        const password = p.password ?? "777777";
        if (password) {
          await wait("password", encodeCommand("P1", `(${password})`, bcc), (m) => {
            if (m.kind === "nak") throw new DecodeError("Energomera meter rejected the password (NAK)");
            return m.kind === "ack" ? true : undefined;
          });
        }
        const read = (name: string) =>
          wait(`read ${name}`, encodeCommand("R1", `${name}()`, bcc), (m) => {
            if (m.kind !== "block") return undefined;
            expectNoError(m.data, name);
            return parseDataSets(m.data);
          });
        const energy = (await read("ET0PE")).find((set) => set.name === "ET0PE" || set.name === "");
        if (!energy || energy.values.length === 0)
          throw new DecodeError("Energomera ET0PE reply has no values");
        const wh = energy.values.map((value) => decimalToInteger(value, 3));
        snapshot.registers = {
          ...snapshot.registers,
          importTotalWh: wh[0]!,
          importTariffWh: [wh[1] ?? null, wh[2] ?? null, wh[3] ?? null, wh[4] ?? null],
        };
        snapshot.values.ET0PE = energy.values.join(";");
        const exportName = p.exportParameter ?? "ET0PI";
        if (exportName) {
          const exported = (await read(exportName).catch(() => [])).find((set) => set.name === exportName);
          if (exported?.values[0] !== undefined) {
            snapshot.registers = { ...snapshot.registers, exportWh: decimalToInteger(exported.values[0], 3) };
            snapshot.values[exportName] = exported.values.join(";");
          }
        }
        const sentAt = Date.now();
        const date = (await read("DATE_")).find((set) => set.name === "DATE_")?.values[0];
        const time = (await read("TIME_")).find((set) => set.name === "TIME_")?.values[0];
        const midpoint = (sentAt + Date.now()) / 2;
        if (date && time) {
          const meterSeconds = parseEnergomeraClock(date, time, p.clockUtcOffsetMinutes ?? 180);
          snapshot.clock = { meterSeconds, agentMidpointMs: midpoint };
          snapshot.values.meterClock = new Date(meterSeconds * 1000).toISOString();
        }
        const serial = (await read("SNUMB").catch(() => [])).find((set) => set.name === "SNUMB")?.values[0];
        if (serial) snapshot.identity.serial = serial;
      } finally {
        await sendBreak(bus, bcc);
        if (switching) await setBaud(handshakeBaud).catch(() => undefined);
      }
      return snapshot;
    });
  }
}

async function sendBreak(bus: Bus<Uint8Array>, bcc: BccAlgorithm): Promise<void> {
  await bus.send(encodeBreak(bcc)).catch(() => undefined);
}

/** `DATE_` is `ww.dd.mm.yy` (weekday first), `TIME_` is `hh:mm:ss`, both local meter time. */
export function parseEnergomeraClock(date: string, time: string, utcOffsetMinutes: number): number {
  const d = /^(\d{1,2})\.(\d{2})\.(\d{2})\.(\d{2})$/.exec(date.trim());
  const t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time.trim());
  if (!d || !t)
    throw new DecodeError(
      `Energomera clock ${JSON.stringify(date)} ${JSON.stringify(time)} is not ww.dd.mm.yy hh:mm:ss`,
    );
  const utc = Date.UTC(
    2000 + Number(d[4]),
    Number(d[3]) - 1,
    Number(d[2]),
    Number(t[1]),
    Number(t[2]),
    Number(t[3]),
  );
  return utc / 1000 - utcOffsetMinutes * 60;
}
