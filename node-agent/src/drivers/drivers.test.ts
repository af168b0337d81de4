import { describe, expect, it } from "vitest";
import { DeviceRefusedError, TimeoutError } from "../errors.js";
import { decodeSlcanLine, encodeSlcanFrame } from "../protocol/slcan/frame.js";
import { BusSession } from "../session/session.js";
import { EnergomeraSimulator } from "../simulator/energomera.js";
import { SIMULATION_EPOCH, simulatedExportWh, simulatedImportWh } from "../simulator/energy.js";
import { MercurySimulator, type SimulatedMercuryProfile } from "../simulator/mercury.js";
import { ModbusSlaveSimulator } from "../simulator/modbusSlave.js";
import { MtrCanSimulator } from "../simulator/mtrCan.js";
import { MockChannel } from "../transport/mock.js";
import { SlcanTransport } from "../transport/slcan.js";
import type { CanFrame } from "../transport/transport.js";
import { decimalToInteger, parseScale } from "./driver.js";
import { EnergomeraDriver, parseEnergomeraClock } from "./energomera.js";
import { createDriver } from "./factory.js";
import { Mercury230Driver } from "./mercury230.js";
import { ModbusMeterDriver, planBlocks } from "./modbus.js";
import { MtrCanDriver } from "./mtrCan.js";
import { BUILTIN_REGISTER_MAPS, type RegisterMap } from "./registerMaps.js";

const NOW = (SIMULATION_EPOCH + 86400) * 1000;
const now = () => NOW;

function modbusBus(simulator: ModbusSlaveSimulator) {
  const channel = new MockChannel<Uint8Array>({ respond: (request) => simulator.respond(request) });
  return { channel, session: new BusSession(channel, { timeoutMs: 50, retries: 0 }) };
}

describe("Modbus register-map driver", () => {
  it("reads an SDM630 in few requests and returns integer Wh", async () => {
    const simulator = new ModbusSlaveSimulator();
    const energy = { baseWh: 1_246_750, powerW: 0, exportPowerW: 0 };
    simulator.add({ address: 3, map: BUILTIN_REGISTER_MAPS.sdm630!, energy, now });
    const { channel, session } = modbusBus(simulator);
    const driver = new ModbusMeterDriver({
      model: "sdm630",
      session,
      address: 3,
      map: BUILTIN_REGISTER_MAPS.sdm630!,
    });
    const snapshot = await driver.read();
    expect(snapshot.registers.importTotalWh).toBe(1_246_750n);
    expect(snapshot.registers.exportWh).toBe(0n);
    expect(snapshot.values.voltageL1).toBeCloseTo(230.1, 3);
    expect(channel.recording.length).toBe(planBlocks(BUILTIN_REGISTER_MAPS.sdm630!.registers, 60).length);
    expect(channel.recording.length).toBeLessThanOrEqual(4);
  });

  it("reads the WB-MAP3E u64 little-endian counter exactly", async () => {
    const simulator = new ModbusSlaveSimulator();
    const energy = { baseWh: 98_765_432, powerW: 3600 };
    simulator.add({ address: 5, map: BUILTIN_REGISTER_MAPS["wb-map3e"]!, energy, now });
    const driver = new ModbusMeterDriver({
      model: "wb-map3e",
      session: modbusBus(simulator).session,
      address: 5,
      map: BUILTIN_REGISTER_MAPS["wb-map3e"]!,
    });
    expect((await driver.read()).registers.importTotalWh).toBe(BigInt(simulatedImportWh(energy, NOW / 1000)));
  });

  it("takes a new meter from a register map in configuration (tariffs, status, clock)", async () => {
    const map: RegisterMap = {
      function: 3,
      registers: [
        { name: "t1", address: 100, type: "uint32", role: "import.t1" },
        { name: "t2", address: 102, type: "uint32", role: "import.t2" },
        { name: "clock", address: 200, type: "uint32", role: "clock" },
        { name: "status", address: 202, type: "uint16", role: "status" },
      ],
      tamperBits: 1,
    };
    const simulator = new ModbusSlaveSimulator();
    simulator.add({ address: 1, map, energy: { baseWh: 500, powerW: 0 }, now });
    const driver = createDriver(
      {
        driver: "my-meter",
        address: 1,
        deviceAddress: "",
        password: undefined,
        clockUtcOffsetMinutes: 180,
        bcc: undefined,
        exportParameter: undefined,
      },
      { kind: "bytes", session: modbusBus(simulator).session },
      { registerMaps: { "my-meter": map } },
    );
    const snapshot = await driver.read();
    expect(snapshot.registers.importTariffWh).toEqual([500n, 0n, null, null]);
    expect(snapshot.clock?.meterSeconds).toBe(NOW / 1000);
    expect(snapshot.tamper).toBe(true); // the simulator holds 1 in non-energy registers
  });

  it("surfaces an exception response and a silent meter as distinct errors", async () => {
    const simulator = new ModbusSlaveSimulator();
    simulator.add({ address: 1, map: BUILTIN_REGISTER_MAPS.sdm120!, energy: { baseWh: 0, powerW: 0 }, now });
    const wrongMap: RegisterMap = {
      function: 4,
      registers: [{ name: "x", address: 0x0300, type: "float32", role: "import.total", scale: "1000" }],
    };
    const session = modbusBus(simulator).session;
    await expect(
      new ModbusMeterDriver({ model: "x", session, address: 1, map: wrongMap }).read(),
    ).rejects.toThrow(DeviceRefusedError);
    await expect(
      new ModbusMeterDriver({ model: "x", session, address: 9, map: wrongMap }).read(),
    ).rejects.toThrow(TimeoutError);
  });
});

describe("Mercury 230 driver", () => {
  it("logs in, reads tariffs, export, identity and the clock", async () => {
    const simulator = new MercurySimulator({
      address: 0x5f,
      tariffsWh: () => [1000, 200, 30, 4],
      exportWh: () => 77,
      now,
      clockOffsetSeconds: 3,
    });
    const channel = new MockChannel<Uint8Array>({ respond: (r) => simulator.respond(r) });
    const driver = new Mercury230Driver({
      session: new BusSession(channel, { timeoutMs: 50, retries: 0 }),
      address: 0x5f,
    });
    const snapshot = await driver.read();
    expect(snapshot.registers).toEqual({
      importTotalWh: 1234n,
      importTariffWh: [1000n, 200n, 30n, 4n],
      exportWh: 77n,
    });
    expect(snapshot.identity).toEqual({ serial: "36790160", firmware: "2.3.5" });
    expect(Math.round(snapshot.clock!.meterSeconds - snapshot.clock!.agentMidpointMs / 1000)).not.toBe(0);
    expect(driver.counterModulusWh).toBe(2n ** 32n);
  });
  it("reports a wrong password as a refusal", async () => {
    const simulator = new MercurySimulator({
      address: 1,
      tariffsWh: () => [1, 0, 0, 0],
      now,
      password: "999999",
    });
    const channel = new MockChannel<Uint8Array>({ respond: (r) => simulator.respond(r) });
    const driver = new Mercury230Driver({
      session: new BusSession(channel, { timeoutMs: 50, retries: 0 }),
      address: 1,
    });
    await expect(driver.read()).rejects.toThrow(/insufficient access level/);
  });
});

describe("Mercury 230 power profile", () => {
  const energy = { baseWh: 5_000_000, powerW: 1800, exportPowerW: 200 };
  const B = NOW / 1000; // a half-hour boundary
  function profileMeter(
    atSeconds: number,
    profile: Partial<SimulatedMercuryProfile> = {},
    stamp: "start" | "end" = "start",
    driverStamp: "start" | "end" = stamp,
    importAt: (t: number) => number = (t) => simulatedImportWh(energy, t),
  ) {
    const at = () => atSeconds * 1000;
    const simulator = new MercurySimulator({
      address: 7,
      tariffsWh: () => [importAt(atSeconds), 0, 0, 0],
      exportWh: () => simulatedExportWh(energy, atSeconds),
      now: at,
      profile: {
        importWhAt: importAt,
        exportWhAt: (t) => simulatedExportWh(energy, t),
        firstEnd: B - 48 * 1800,
        stamp,
        ...profile,
      },
    });
    const channel = new MockChannel<Uint8Array>({ respond: (r) => simulator.respond(r) });
    const driver = new Mercury230Driver({
      session: new BusSession(channel, { timeoutMs: 50, retries: 0 }),
      address: 7,
      profileTimestamp: driverStamp,
    });
    return { driver, channel };
  }
  // Rows are derived back from the register read now: each is the true value at its end plus the
  // energy between the last boundary and the read (7 s × 1800 W = 3 Wh here), like a boundary reading.
  const expected = (end: number, readAt: number) => ({
    importTotalWh: BigInt(
      simulatedImportWh(energy, end) + simulatedImportWh(energy, readAt) - simulatedImportWh(energy, B),
    ),
    exportWh: BigInt(
      simulatedExportWh(energy, end) + simulatedExportWh(energy, readAt) - simulatedExportWh(energy, B),
    ),
  });

  it("turns the averaged powers into cumulative registers at each half-hour end", async () => {
    const { driver, channel } = profileMeter(B + 7);
    const rows = await driver.readLoadProfile!(B - 3 * 1800, B - 1800);
    expect(rows.map((row) => (row.intervalEnd - B) / 1800)).toEqual([-2, -1]);
    for (const row of rows) expect(row.registers).toMatchObject(expected(row.intervalEnd, B + 7));
    expect(rows[0]!.registers.importTariffWh).toEqual([null, null, null, null]);
    expect(expected(B, B + 7).importTotalWh - BigInt(simulatedImportWh(energy, B))).toBe(3n);
    // open, 08 12, 05 (anchor), 04 (clock), 08 13, the record in progress, B, B-1h… back to the
    // record ending at `since` (which stops the walk), close.
    expect(channel.recording.map((request) => request[1])).toEqual([1, 8, 5, 4, 8, 6, 6, 6, 6, 6, 2]);
  });

  it("reads the same rows when the meter stamps a record with its period end", async () => {
    const { driver } = profileMeter(B + 7, {}, "end");
    const rows = await driver.readLoadProfile!(B - 3 * 1800, B);
    expect(rows.map((row) => (row.intervalEnd - B) / 1800)).toEqual([-2, -1, 0]);
    for (const row of rows) expect(row.registers).toMatchObject(expected(row.intervalEnd, B + 7));
  });

  it("stops at a half hour the meter did not record (no power): older intervals stay a gap", async () => {
    const { driver } = profileMeter(B + 7, { missing: (end) => end === B - 2 * 1800 });
    const rows = await driver.readLoadProfile!(B - 6 * 1800, B);
    expect(rows.map((row) => (row.intervalEnd - B) / 1800)).toEqual([-1, 0]);
    for (const row of rows) expect(row.registers).toMatchObject(expected(row.intervalEnd, B + 7));
  });

  it("keeps the row at the end of an incomplete period but nothing older", async () => {
    const { driver } = profileMeter(B + 7, { incomplete: (end) => end === B - 1800 });
    const rows = await driver.readLoadProfile!(B - 6 * 1800, B);
    expect(rows.map((row) => (row.intervalEnd - B) / 1800)).toEqual([-1, 0]);
    expect(rows[0]!.registers).toMatchObject(expected(B - 1800, B + 7));
  });

  it("rounds A = 5000 sums down once: 0.1 Wh steps never drift", async () => {
    const { driver } = profileMeter(B + 7, { constantCode: 0 });
    const rows = await driver.readLoadProfile!(B - 4 * 1800, B);
    for (const row of rows) expect(row.registers).toMatchObject(expected(row.intervalEnd, B + 7));
  });

  it("checks its derivation against the agent's reading at `since`: a stamp read one period off is refused", async () => {
    const since = B - 3 * 1800;
    // A load step in the last half hour (+3600 W): with a flat load a stamp read one period off
    // would shift nothing visible; with a varying one it shifts energy between intervals.
    const stepped = (t: number) => simulatedImportWh(energy, t) + Math.max(0, t - (B - 1800));
    // The agent read boundary `since` 7 s after it, as it reads every boundary.
    const known = { intervalEnd: since, importTotalWh: BigInt(stepped(since + 7)) };
    const rows = await profileMeter(B + 7, {}, "start", "start", stepped).driver.readLoadProfile!(
      since,
      B,
      known,
    );
    expect(rows.map((row) => (row.intervalEnd - B) / 1800)).toEqual([-2, -1, 0]);
    expect(rows[1]!.registers.importTotalWh).toBe(BigInt(stepped(B - 1800) + stepped(B + 7) - stepped(B)));
    // The meter stamps period ends, the driver is configured for starts: the walk drops the last
    // half hour (2700 Wh) and counts one before `since` (900 Wh) instead; the check at `since` sees
    // the 1800 Wh (+7 Wh of the step during the 7 s before the read).
    await expect(
      profileMeter(B + 7, {}, "end", "start", stepped).driver.readLoadProfile!(since, B, known),
    ).rejects.toThrow(/disagrees with the reading .*\(\+1807 Wh, tolerance 225 Wh\)/);
    // A scale off by two (one source multiplies by a further 2) is as far off, whatever the load.
    await expect(
      profileMeter(B + 7).driver.readLoadProfile!(since, B, {
        intervalEnd: since,
        importTotalWh: BigInt(simulatedImportWh(energy, since + 7)) - 1350n,
      }),
    ).rejects.toThrow(/disagrees with the reading/);
  });

  it("derives nothing from a register read late in a half hour (its energy since the boundary is in no record)", async () => {
    await expect(profileMeter(B + 600).driver.readLoadProfile!(B - 3 * 1800, B)).rejects.toThrow(
      /read 600 s after the last boundary .* more than 300 s/,
    );
    const rows = await profileMeter(B + 299).driver.readLoadProfile!(B - 3 * 1800, B);
    expect(rows).toHaveLength(3);
  });

  it("is a refusal on a meter without a profile, and absent when the meter is multi-tariff", async () => {
    const simulator = new MercurySimulator({ address: 7, tariffsWh: () => [1, 0, 0, 0], now });
    const channel = new MockChannel<Uint8Array>({ respond: (r) => simulator.respond(r) });
    const session = new BusSession(channel, { timeoutMs: 50, retries: 0 });
    const driver = new Mercury230Driver({ session, address: 7 });
    await expect(driver.readLoadProfile!(B - 1800, B)).rejects.toThrow(DeviceRefusedError);
    const meter = {
      driver: "mercury230",
      address: 7,
      deviceAddress: "",
      password: undefined,
      clockUtcOffsetMinutes: 180,
      bcc: undefined,
      exportParameter: undefined,
    };
    expect(
      createDriver({ ...meter, tariffs: 2 }, { kind: "bytes", session }).readLoadProfile,
    ).toBeUndefined();
    expect(createDriver({ ...meter, tariffs: 1 }, { kind: "bytes", session }).readLoadProfile).toBeDefined();
  });
});

describe("Energomera CE301/CE303 driver", () => {
  it("runs a mode C programming session and converts kWh decimals to Wh exactly", async () => {
    const simulator = new EnergomeraSimulator({
      deviceAddress: "009123456",
      et0pe: () => ["34261.8262567", "25179.1846554", "9082.6416013", "0.0", "0.0", "0.0"],
      et0pi: () => "12.3456",
      now,
    });
    const channel = new MockChannel<Uint8Array>({ respond: (r) => simulator.respond(r) });
    const driver = new EnergomeraDriver({
      model: "ce303",
      session: new BusSession(channel, { timeoutMs: 50, retries: 0 }),
      deviceAddress: "009123456",
    });
    const snapshot = await driver.read();
    expect(snapshot.registers.importTotalWh).toBe(34_261_826n);
    expect(snapshot.registers.importTariffWh).toEqual([25_179_184n, 9_082_641n, 0n, 0n]);
    expect(snapshot.registers.exportWh).toBe(12_345n);
    expect(snapshot.identity.firmware).toBe("EKT5CE301v12");
    expect(Math.abs(snapshot.clock!.meterSeconds - NOW / 1000)).toBeLessThan(2);
    // The session ends with the Energomera break frame (7-bit sum BCC).
    expect(Buffer.from(channel.lastWrite!).toString("hex")).toBe("0142300375");
  });
  it("does the mode C baud switch: sign-on at 300, session at 9600, back to 300 after the break", async () => {
    const simulator = new EnergomeraSimulator({
      deviceAddress: "",
      et0pe: () => ["1.5", "1.0", "0.5"],
      now,
      bcc: "xor",
      password: "",
    });
    const garbage = new Uint8Array([0x7f, 0x3c, 0x55]);
    class BaudChannel extends MockChannel<Uint8Array> {
      baud = 300;
      readonly updates: number[] = [];
      async update({ baudRate }: { baudRate?: number }) {
        this.baud = baudRate!;
        this.updates.push(baudRate!);
      }
    }
    const channel: BaudChannel = new BaudChannel({
      respond: (bytes) => {
        const reply = simulator.respond(bytes);
        if (!reply) return undefined;
        if (bytes[0] === 0x2f) return channel.baud === 300 ? reply : garbage; // sign-on at 300
        if (bytes[0] === 0x06) {
          // The meter answers the option select at the new speed, after its reaction time.
          setTimeout(() => channel.emitData(channel.baud === 9600 ? reply : garbage), 300);
          return undefined;
        }
        return channel.baud === 9600 ? reply : garbage;
      },
    });
    const driver = new EnergomeraDriver({
      model: "ce301",
      session: new BusSession(channel, { timeoutMs: 100, retries: 0 }),
      deviceAddress: "",
      bcc: "xor",
      password: "",
      baudRate: 9600,
      handshakeBaudRate: 300,
      exportParameter: "",
    });
    const snapshot = await driver.read();
    expect(snapshot.registers.importTotalWh).toBe(1500n);
    expect(Buffer.from(channel.recording[1]!).toString("latin1")).toBe("\x06051\r\n");
    expect(channel.updates).toEqual([9600, 300]);
  });

  it("parses DATE_/TIME_ in local meter time", () => {
    expect(parseEnergomeraClock("05.27.11.26", "07:30:00", 180)).toBe(Date.UTC(2026, 10, 27, 4, 30) / 1000);
    expect(() => parseEnergomeraClock("27/11/26", "07:30", 180)).toThrow(/ww.dd.mm.yy/);
  });
});

describe("MTR-CAN driver over slcan", () => {
  it("reads registers and the load profile through an slcan adapter", async () => {
    const simulator = new MtrCanSimulator();
    const energy = { baseWh: 10_000, powerW: 2000 };
    simulator.add({ node: 4, energy, now, status: 1 });
    // A simulated slcan adapter: answers `t…` lines with the meter's frames.
    const serial = new MockChannel<Uint8Array>({
      respond: (bytes) => {
        const line = Buffer.from(bytes).toString("latin1").replace(/\r$/, "");
        const frame = decodeSlcanLine(line);
        if (!frame) return new Uint8Array([0x0d]);
        const reply = simulator.respond(frame);
        return reply ? [new Uint8Array([0x7a, 0x0d]), encodeSlcanFrame(reply)] : undefined;
      },
    });
    const can = new SlcanTransport({ serial, bitrate: 500_000 });
    const driver = new MtrCanDriver({
      session: new BusSession<CanFrame>(can, { timeoutMs: 50, retries: 0 }),
      node: 4,
    });
    const snapshot = await driver.read();
    expect(snapshot.registers.importTotalWh).toBe(BigInt(simulatedImportWh(energy, NOW / 1000)));
    expect(snapshot.tamper).toBe(true);
    expect(Buffer.from(serial.recording[1]!).toString()).toBe("S6\r");
    const end = Math.floor(NOW / 1000 / 1800) * 1800;
    const rows = await driver.readLoadProfile(end - 3 * 1800, end);
    expect(rows.map((row) => row.intervalEnd)).toEqual([end - 2 * 1800, end - 1800, end]);
    expect(rows[0]!.registers.importTotalWh).toBe(BigInt(simulatedImportWh(energy, end - 2 * 1800)));
  });
});

describe("helpers", () => {
  it("convert decimals and scales exactly", () => {
    expect(decimalToInteger("34261.8262567", 3)).toBe(34_261_826n);
    expect(decimalToInteger("0.0", 3)).toBe(0n);
    expect(parseScale("0.003125")).toEqual({ numerator: 3125n, denominator: 1_000_000n });
    expect(parseScale("3.125e-6")).toEqual({ numerator: 3125n, denominator: 1_000_000_000n });
    expect(() => decimalToInteger("1,5", 3)).toThrow();
  });
});
