import { DecodeError, DeviceRefusedError, NonRetryableError } from "../errors.js";
import {
  decodeEnergy,
  decodeFirmware,
  decodeProfilePointer,
  decodeProfileRecord,
  decodeSerial,
  decodeTime,
  encodeMercuryRequest,
  encodeOpenChannel,
  encodeReadEnergy,
  encodeReadMemory,
  encodeReadProfilePointer,
  encodeReadVariant,
  expectData,
  expectOk,
  MERCURY_PROFILE_MEMORY,
  MERCURY_PROFILE_RECORD_LENGTH,
  MERCURY_PROFILE_RECORD_STRIDE,
  MERCURY_VARIANT_LENGTHS,
  MercuryParser,
  type MercuryReply,
  meterConstantFromVariant,
  profileEnergyWh,
  statusParser,
} from "../protocol/mercury/frame.js";
import type { Bus, BusSession } from "../session/session.js";
import {
  emptyRegisters,
  type KnownReading,
  type MeterDriver,
  type MeterSnapshot,
  type ProfileRow,
} from "./driver.js";

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
  /**
   * Fill gaps from the meter's power profile (memory 3). Default: true. The factory turns it off
   * for meters configured with more than one tariff: the profile holds totals only.
   */
  loadProfile?: boolean;
  /**
   * What a profile record's time stamp marks: the `start` of its averaging period or its `end`.
   * The sources (protocol/mercury/frame.ts) do not say; default `start` [unverified: check one
   * record against the meter's display or the Incotex configurator before billing from it].
   */
  profileTimestamp?: "start" | "end";
  /**
   * The register anchoring the profile rows must be read at most this long after the newest
   * complete half hour (meter clock): the energy since that boundary is in no record. Later (the
   * agent catching up late in a half hour) no rows are derived; the next boundary fills them.
   * Default: 300 s.
   */
  profileAnchorMaxSeconds?: number;
};

const HALF_HOUR = 1800;
type Ask = (
  describe: string,
  body: number[] | Uint8Array,
  dataLength: number | readonly number[],
) => Promise<MercuryReply>;

/** Mercury 230/231/234/236 (Incotex three-phase command set). u32 Wh counters wrap at 2^32. */
export class Mercury230Driver implements MeterDriver {
  readonly model = "mercury230";
  readonly counterModulusWh = 2n ** 32n;
  /** Present unless `loadProfile: false` (see {@link Mercury230DriverParameters.loadProfile}). */
  readonly readLoadProfile?: (
    sinceExclusive: number,
    untilInclusive: number,
    known?: KnownReading,
  ) => Promise<ProfileRow[]>;
  constructor(private readonly parameters: Mercury230DriverParameters) {
    if (parameters.loadProfile !== false)
      this.readLoadProfile = (since, until, known) => this.loadProfileRows(since, until, known);
  }

  private asker(bus: Bus<Uint8Array>): Ask {
    const { address } = this.parameters;
    return (describe, body, dataLength) =>
      bus.transact<MercuryReply, MercuryReply>({
        describe: `Mercury ${address} ${describe}`,
        request: body instanceof Uint8Array ? body : encodeMercuryRequest(address, body),
        decoder: () =>
          dataLength === 0 ? statusParser(address) : new MercuryParser({ address, dataLength }),
        accept: (reply) => reply,
      });
  }

  async read(): Promise<MeterSnapshot> {
    const {
      session,
      address,
      password = "111111",
      clockUtcOffsetMinutes = 180,
      readClock = true,
    } = this.parameters;
    return session.exclusive(async (bus) => {
      const ask = this.asker(bus);
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
      await closeChannel(bus, address);
      return snapshot;
    });
  }

  /**
   * Rows `sinceExclusive < intervalEnd ≤ untilInclusive` from the power profile, oldest first.
   *
   * The profile gives each half hour's energy, the ledger takes cumulative registers: the rows are
   * derived backwards from the register read now (`05 00 00`), cumulative(end of period k) = now −
   * energy of every complete period after k (sums of raw values converted once, rounded down, see
   * {@link profileEnergyWh}). The anchor is the register when the profile is read, a few seconds
   * after the boundary: the same approximation every boundary reading makes. The walk goes from
   * the newest record back and stops, leaving the older intervals a gap, at the first record that
   * breaks the chain: a missing period (meter without power), an incomplete period (its own row is
   * still exact, the older ones are not), a value the meter did not write (FF FF), an empty or
   * foreign record, or the start of profile memory (the ring's size is not in the sources, so the
   * walk does not wrap).
   *
   * Scaling (N / 2A) and what a time stamp marks are not verified on a meter (frame.ts). So when
   * the walk reaches `sinceExclusive` unbroken and the agent passed its reading there (`known`),
   * the derived value at that boundary must match it within a quarter of the mean half-hour
   * energy (both anchors are read a few seconds after their boundaries); otherwise nothing is
   * returned and the error says by how much they disagree: a wrong scale or a stamp read one
   * period off shows here instead of on the ledger.
   */
  private async loadProfileRows(
    sinceExclusive: number,
    untilInclusive: number,
    known?: KnownReading,
  ): Promise<ProfileRow[]> {
    const { session, address, password = "111111", clockUtcOffsetMinutes: offset = 180 } = this.parameters;
    const stampIsStart = (this.parameters.profileTimestamp ?? "start") === "start";
    return session.exclusive(async (bus) => {
      const ask = this.asker(bus);
      const data = async (
        describe: string,
        body: number[] | Uint8Array,
        length: number | readonly number[],
      ) => expectData(await ask(describe, body, length), describe);
      expectOk(await ask("open channel", encodeOpenChannel(address, 1, password), 0), "open channel");
      try {
        const constant = meterConstantFromVariant(
          await data("variant", encodeReadVariant(address), MERCURY_VARIANT_LENGTHS),
        );
        const now = decodeEnergy(await data("energy tariff 0", encodeReadEnergy(address, 0), 16));
        if (now.activeImportWh === null)
          throw new DecodeError("Mercury meter reports no active import register (FF FF FF FF)");
        const meterNow = decodeTime(await data("clock", [0x04, 0x00], 8), offset);
        const pointer = decodeProfilePointer(
          await data("profile pointer", encodeReadProfilePointer(address), 9),
          offset,
        );
        if (pointer.periodMinutes !== 30)
          throw new DeviceRefusedError(
            `Mercury meter keeps its power profile in ${pointer.periodMinutes}-minute periods; the ledger takes half hours`,
            { code: "MERCURY_PROFILE_PERIOD" },
          );
        const newestEnd = Math.floor(meterNow / HALF_HOUR) * HALF_HOUR;
        const anchorLimit = this.parameters.profileAnchorMaxSeconds ?? 300;
        if (meterNow - newestEnd > anchorLimit)
          throw new NonRetryableError(
            `Mercury profile not used: the register was read ${meterNow - newestEnd} s after the last boundary (meter clock), more than ${anchorLimit} s; the next boundary's read fills the gap`,
            { code: "MERCURY_PROFILE_ANCHOR_LATE" },
          );
        const modulus = this.counterModulusWh;
        const wrap = (value: bigint) => ((value % modulus) + modulus) % modulus;
        const rows: ProfileRow[] = [];
        let importSum = 0n;
        let exportSum: bigint | null = now.activeExportWh === null ? null : 0n;
        let expectedEnd = newestEnd;
        let periods = 0;
        // At most one record per half hour since the oldest interval asked for, plus the one in progress.
        const maxReads = Math.ceil((meterNow - sinceExclusive) / HALF_HOUR) + 2;
        for (
          let byteAddress = pointer.recordAddress, reads = 0;
          byteAddress >= 0 && reads < maxReads;
          byteAddress -= MERCURY_PROFILE_RECORD_STRIDE, reads++
        ) {
          const record = decodeProfileRecord(
            await data(
              `profile record at 0x${byteAddress.toString(16)}`,
              encodeReadMemory(address, {
                memory: MERCURY_PROFILE_MEMORY,
                byteAddress,
                length: MERCURY_PROFILE_RECORD_LENGTH,
              }),
              MERCURY_PROFILE_RECORD_LENGTH,
            ),
            offset,
          );
          if (record.kind === "empty" || record.periodMinutes !== 30) break;
          const end = record.stampedAt + (stampIsStart ? HALF_HOUR : 0);
          // The period in progress is not in the chain: its energy is part of the anchor's few seconds.
          if (expectedEnd === newestEnd && end > newestEnd) continue;
          if (end !== expectedEnd) break; // a missing period, a foreign stamp or a clock change
          if (end <= sinceExclusive) {
            if (end === sinceExclusive && known?.intervalEnd === end && periods > 0)
              checkAgainstKnown(
                wrap(now.activeImportWh - profileEnergyWh(importSum, constant)),
                known.importTotalWh,
                profileEnergyWh(importSum, constant) / BigInt(periods),
                end,
              );
            break;
          }
          if (end <= untilInclusive)
            rows.push({
              intervalEnd: end,
              registers: {
                ...emptyRegisters(),
                importTotalWh: wrap(now.activeImportWh - profileEnergyWh(importSum, constant)),
                exportWh:
                  exportSum === null || now.activeExportWh === null
                    ? null
                    : wrap(now.activeExportWh - profileEnergyWh(exportSum, constant)),
              },
            });
          const [importValue, exportValue] = record.values;
          if (record.incomplete || importValue === null) break;
          importSum += BigInt(importValue);
          periods++;
          exportSum = exportSum === null || exportValue === null ? null : exportSum + BigInt(exportValue);
          expectedEnd = end - HALF_HOUR;
        }
        return rows.reverse();
      } finally {
        await closeChannel(bus, address);
      }
    });
  }
}

/** Throws when the profile-derived register at a boundary disagrees with the reading the agent took there. */
function checkAgainstKnown(derived: bigint, known: bigint, meanPeriodWh: bigint, at: number): void {
  const modulus = 2n ** 32n;
  let difference = (((derived - known) % modulus) + modulus) % modulus;
  if (difference > modulus / 2n) difference -= modulus;
  const tolerance = meanPeriodWh / 4n > 5n ? meanPeriodWh / 4n : 5n;
  if (difference > tolerance || difference < -tolerance)
    throw new DecodeError(
      `Mercury power profile disagrees with the reading at ${new Date(at * 1000).toISOString()}: derived ${derived} Wh, read ${known} Wh (${difference > 0n ? "+" : ""}${difference} Wh, tolerance ${tolerance} Wh); the profile's scale or time stamps are not what the driver assumes (see profileTimestamp)`,
      { code: "MERCURY_PROFILE_MISMATCH" },
    );
}

async function closeChannel(bus: Bus<Uint8Array>, address: number): Promise<void> {
  await bus
    .transact({
      describe: `Mercury ${address} close channel`,
      request: encodeMercuryRequest(address, [0x02]),
      decoder: () => statusParser(address),
      accept: (reply) => reply,
      retries: 0,
    })
    .catch(() => undefined);
}

async function readMeterClock(
  _bus: Bus<Uint8Array>,
  ask: Ask,
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
