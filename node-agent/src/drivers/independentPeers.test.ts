/**
 * The agent against implementations it shares no code with: Debian's python3-pymodbus as an RTU
 * slave emulating an SDM630 on a socat pty (mbpoll as a second, independent master to cross-check),
 * and Debian's python3-can as an MTR-CAN/1 meter behind an slcan line. These tests need socat,
 * python3-pymodbus, python3-can and mbpoll and fail (not skip) without them.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle, writeLauncher } from "../_test/bundle.js";
import { FakeGateway } from "../_test/fakeGateway.js";
import { testAccount } from "../_test/harness.js";
import { type PtyPair, PYTHON, requireTool, startPtyPair, startPython } from "../_test/processes.js";
import { Agent } from "../agent.js";
import { parseConfig } from "../config/config.js";
import { DeviceRefusedError, TimeoutError } from "../errors.js";
import { createMemoryLogger } from "../logger.js";
import { Outbox } from "../outbox/outbox.js";
import { systemClock } from "../schedule/clock.js";
import { BusSession } from "../session/session.js";
import { SerialTransport } from "../transport/serial.js";
import { SlcanTransport } from "../transport/slcan.js";
import type { CanFrame } from "../transport/transport.js";
import { GraphqlUploader } from "../upload/graphqlUploader.js";
import { ModbusMeterDriver } from "./modbus.js";
import { MtrCanDriver } from "./mtrCan.js";
import { BUILTIN_REGISTER_MAPS } from "./registerMaps.js";

const run = promisify(execFile);
const testDir = join(import.meta.dirname, "..", "_test");

describe("SDM630 emulated by python3-pymodbus over a socat pty", () => {
  let pty: PtyPair;
  let slave: ReturnType<typeof startPython>;

  beforeAll(async () => {
    requireTool(PYTHON, ["-c", "import pymodbus"], "apt-get install -y python3-pymodbus");
    requireTool("mbpoll", ["-V"], "apt-get install -y mbpoll");
    pty = await startPtyPair();
    slave = startPython(join(testDir, "pymodbus_sdm630.py"), [pty.b, "1"]);
    // Wait until the slave answers (it opens the pty after printing "ready").
    const session = new BusSession(new SerialTransport({ path: pty.a, baudRate: 9600 }), {
      timeoutMs: 300,
      retries: 0,
    });
    const driver = new ModbusMeterDriver({
      model: "sdm630",
      session,
      address: 1,
      map: BUILTIN_REGISTER_MAPS.sdm630!,
    });
    const until = Date.now() + 15_000;
    for (;;) {
      try {
        await driver.read();
        break;
      } catch (error) {
        if (Date.now() > until)
          throw new Error(`pymodbus slave did not answer: ${slave.output()}`, { cause: error });
      }
    }
    await session.close();
  });
  afterAll(async () => {
    await slave?.stop();
    await pty?.stop();
  });

  it("reads the SDM630 registers as typed integer-Wh readings", async () => {
    const session = new BusSession(new SerialTransport({ path: pty.a, baudRate: 9600 }), {
      timeoutMs: 500,
      retries: 1,
    });
    const driver = new ModbusMeterDriver({
      model: "sdm630",
      session,
      address: 1,
      map: BUILTIN_REGISTER_MAPS.sdm630!,
    });
    const snapshot = await driver.read();
    await session.close();
    expect(snapshot.registers.importTotalWh).toBe(1_234_500n);
    expect(snapshot.registers.exportWh).toBe(12_250n);
    expect(snapshot.values.totalActiveEnergy).toBe(1_246_750);
    expect(snapshot.values.voltageL1).toBeCloseTo(230.1, 3);
    expect(snapshot.values.frequency).toBe(50);
  });

  it("agrees with mbpoll, an independent master, on every energy register", async () => {
    const mbpoll = async (reference: number) => {
      const { stdout } = await run("mbpoll", [
        "-m",
        "rtu",
        "-a",
        "1",
        "-b",
        "9600",
        "-P",
        "none",
        "-t",
        "3:float",
        "-B",
        "-0",
        "-r",
        String(reference),
        "-c",
        "1",
        "-1",
        "-o",
        "1",
        pty.a,
      ]);
      const match = new RegExp(`\\[${reference}\\]:\\s+(\\S+)`).exec(stdout);
      if (!match) throw new Error(`unexpected mbpoll output: ${stdout}`);
      return Number(match[1]);
    };
    const session = new BusSession(new SerialTransport({ path: pty.a, baudRate: 9600 }), {
      timeoutMs: 500,
      retries: 1,
    });
    const snapshot = await new ModbusMeterDriver({
      model: "sdm630",
      session,
      address: 1,
      map: BUILTIN_REGISTER_MAPS.sdm630!,
    }).read();
    await session.close();
    expect(Math.round((await mbpoll(0x48)) * 1000)).toBe(Number(snapshot.registers.importTotalWh));
    expect(Math.round((await mbpoll(0x4a)) * 1000)).toBe(Number(snapshot.registers.exportWh));
    expect(await mbpoll(0x156)).toBe((snapshot.values.totalActiveEnergy! as number) / 1000);
  });

  it("gets an exception response for an unmapped register and a timeout from an absent slave", async () => {
    const session = new BusSession(new SerialTransport({ path: pty.a, baudRate: 9600 }), {
      timeoutMs: 300,
      retries: 0,
    });
    const map = {
      function: 4 as const,
      registers: [{ name: "x", address: 0x300, type: "float32" as const }],
    };
    await expect(new ModbusMeterDriver({ model: "x", session, address: 1, map }).read()).rejects.toThrow(
      DeviceRefusedError,
    );
    await expect(new ModbusMeterDriver({ model: "x", session, address: 7, map }).read()).rejects.toThrow(
      TimeoutError,
    );
    await session.close();
  });

  it("`agent read --driver sdm630 --port … --json` prints the registers for installers", async () => {
    const cli = await bundle(join(import.meta.dirname, "..", "cli", "main.ts"), "cli");
    const launcher = writeLauncher("agent-cli.mjs", `import { main } from "./cli.mjs";\nawait main();\n`);
    void cli;
    const { stdout } = await run(process.execPath, [
      launcher,
      "read",
      "--driver",
      "sdm630",
      "--port",
      pty.a,
      "--address",
      "1",
      "--baud",
      "9600",
      "--json",
    ]);
    const result = JSON.parse(stdout);
    expect(result.registers.importTotalWh).toBe("1234500");
    expect(result.values.importActiveEnergy).toBe(1_234_500);
    const failed = await run(process.execPath, [
      launcher,
      "read",
      "--driver",
      "sdm999",
      "--port",
      pty.a,
    ]).catch((error) => error);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/^agent: --driver: unknown driver "sdm999"/);
  });

  it("runs the service for the pymodbus meter and uploads its reading (gateway test double)", async () => {
    const account = testAccount();
    const gateway = new FakeGateway({ devices: [account.address] });
    await gateway.start();
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const config = parseConfig({
      dataDir: mkdtempSync(join(tmpdir(), "agent-pymodbus-")),
      deviceKeyFile: "unused",
      gateway: { url: gateway.url },
      buses: [{ name: "rs485", transport: { type: "serial", path: pty.a, baudRate: 9600 }, timeoutMs: 500 }],
      meters: [{ meterId: "630", bus: "rs485", driver: "sdm630", address: 1, export: true }],
      schedule: { ntpCheck: "none" },
    });
    const outbox = new Outbox(join(config.dataDir, "outbox.sqlite"));
    // The agent's clock stands one second after the boundary just passed (the meter is real time).
    const boundary = Math.floor(Date.now() / 1000 / 1800) * 1800;
    const clock = { now: () => boundary * 1000 + 1000, sleep: systemClock.sleep };
    const agent = new Agent({
      config,
      outbox,
      account,
      clock,
      logger: createMemoryLogger(),
      uploader: new GraphqlUploader({ url: gateway.url }),
    });
    await agent.readBoundary(boundary);
    expect(await agent.uploadOnce()).toBe("confirmed");
    expect(gateway.records.get(`630:${boundary}`)?.registers).toEqual(["1234500", "12250"]);
    await agent.stop();
    outbox.close();
    await gateway.stop();
  });
});

describe("MTR-CAN/1 meter emulated by python3-can behind slcan", () => {
  let pty: PtyPair;
  let meter: ReturnType<typeof startPython>;
  beforeAll(async () => {
    requireTool(PYTHON, ["-c", "import can"], "apt-get install -y python3-can");
    pty = await startPtyPair();
    meter = startPython(join(testDir, "pycan_mtr_meter.py"), [pty.b, "5"]);
  });
  afterAll(async () => {
    await meter?.stop();
    await pty?.stop();
  });

  it("reads registers, identity and the load profile over slcan frames", async () => {
    const channel = new SlcanTransport({
      serial: new SerialTransport({ path: pty.a, baudRate: 115200 }),
      bitrate: 500_000,
    });
    const session = new BusSession<CanFrame>(channel, { timeoutMs: 500, retries: 0 });
    const driver = new MtrCanDriver({ session, node: 5 });
    const until = Date.now() + 15_000;
    let snapshot: Awaited<ReturnType<MtrCanDriver["read"]>> | undefined;
    while (!snapshot) {
      snapshot = await driver.read().catch((error) => {
        if (Date.now() > until)
          throw new Error(`python-can meter did not answer: ${meter.output()}`, { cause: error });
        return undefined;
      });
    }
    expect(snapshot.registers).toEqual({
      importTotalWh: 12_345_678n,
      importTariffWh: [10_000_000n, 2_345_678n, null, null],
      exportWh: 4321n,
    });
    expect(snapshot.identity).toEqual({ serial: "99887766", firmware: "1.4.2" });
    expect(Math.abs(snapshot.clock!.meterSeconds - Date.now() / 1000)).toBeLessThan(120);
    const end = Math.floor(Date.now() / 1000 / 1800) * 1800;
    const rows = await driver.readLoadProfile(end - 3 * 1800, end + 1800);
    expect(rows.map((row) => row.registers.importTotalWh)).toEqual([12_343_678n, 12_344_678n, 12_345_678n]);
    await session.close();
  });
});
