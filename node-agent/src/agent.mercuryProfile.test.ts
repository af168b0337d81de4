/**
 * End to end over a real serial line: the agent reads a Mercury 230 through a socat pty pair, the
 * bus goes silent for four boundaries, and on reconnect the agent fills the four half hours from
 * the meter's power profile (requests 08 12, 08 13 and 06 03 … as bytes on the line). The meter is
 * src/simulator/mercury.ts, which cuts its profile records from its simulated history in the
 * layout of protocol/mercury/frame.ts (no capture of a real meter's profile was available). Needs
 * socat and fails (does not skip) without it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReadingStatus } from "@gridledger/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGateway } from "./_test/fakeGateway.js";
import { testAccount } from "./_test/harness.js";
import { type PtyPair, startPtyPair } from "./_test/processes.js";
import { Agent } from "./agent.js";
import { type AgentConfig, parseConfig } from "./config/config.js";
import { createMemoryLogger } from "./logger.js";
import { Outbox } from "./outbox/outbox.js";
import { hasValidCrc16 } from "./protocol/crc16.js";
import { type Clock, systemClock } from "./schedule/clock.js";
import { SIMULATION_EPOCH, simulatedExportWh, simulatedImportWh } from "./simulator/energy.js";
import { MercurySimulator } from "./simulator/mercury.js";
import { MockChannel } from "./transport/mock.js";
import { SerialTransport } from "./transport/serial.js";
import { GraphqlUploader } from "./upload/graphqlUploader.js";

type AgentBuses = NonNullable<ConstructorParameters<typeof Agent>[0]["buses"]>;

const T0 = SIMULATION_EPOCH + 10 * 86400;
const READ_AT = 5; // seconds after each boundary

function manualClock(startSeconds: number): Clock & { set(seconds: number): void } {
  let now = startSeconds * 1000;
  return { now: () => now, sleep: systemClock.sleep, set: (seconds) => (now = seconds * 1000) };
}

describe("Mercury 230 power profile over a socat pty", () => {
  let pty: PtyPair;
  let meterPort: SerialTransport;
  let gateway: FakeGateway;
  let busDown = false;
  const account = testAccount();
  const clock = manualClock(T0 + READ_AT);
  const energy = { baseWh: 4_000_000, powerW: 1800, exportPowerW: 200 };
  const at = () => Math.floor(clock.now() / 1000);
  const simulator = new MercurySimulator({
    address: 7,
    tariffsWh: () => [simulatedImportWh(energy, at()), 0, 0, 0],
    exportWh: () => simulatedExportWh(energy, at()),
    now: () => clock.now(),
    profile: {
      importWhAt: (t) => simulatedImportWh(energy, t),
      exportWhAt: (t) => simulatedExportWh(energy, t),
      firstEnd: T0 - 47 * 1800,
    },
  });

  beforeAll(async () => {
    pty = await startPtyPair();
    // The meter's end of the line: requests may arrive in pieces, a frame is complete when its CRC is.
    meterPort = new SerialTransport({ path: pty.b, baudRate: 9600 });
    await meterPort.open();
    let pending = new Uint8Array(0);
    meterPort.onData((chunk) => {
      pending = new Uint8Array([...pending, ...chunk]);
      if (pending.length > 64) pending = new Uint8Array(0);
      if (pending.length < 4 || !hasValidCrc16(pending)) return;
      const request = pending;
      pending = new Uint8Array(0);
      if (busDown) return;
      const reply = simulator.respond(request);
      if (reply) void meterPort.write(reply);
    });
    gateway = new FakeGateway({ devices: [account.address] });
    await gateway.start();
  });
  afterAll(async () => {
    await gateway?.stop();
    await meterPort?.close();
    await pty?.stop();
  });

  /** An agent on the manual clock with its own outbox and a memory log, uploading to the gateway double. */
  function startAgent(config: AgentConfig, buses?: AgentBuses) {
    const outbox = new Outbox(`${config.dataDir}/outbox.sqlite`);
    const logger = createMemoryLogger();
    const agent = new Agent({
      config,
      outbox,
      account,
      logger,
      clock,
      uploader: new GraphqlUploader({ url: gateway.url }),
      ...(buses ? { buses } : {}),
    });
    return { agent, outbox, logger };
  }

  it("fills the half hours of a bus outage from the profile, each marked, none twice", async () => {
    const config = parseConfig({
      dataDir: mkdtempSync(join(tmpdir(), "agent-mercury-")),
      deviceKeyFile: "unused.key",
      gateway: { url: gateway.url },
      buses: [
        {
          name: "rs485",
          transport: { type: "serial", path: pty.a, baudRate: 9600 },
          timeoutMs: 400,
          retries: 0,
        },
      ],
      meters: [{ meterId: "3001", bus: "rs485", driver: "mercury230", address: 7, export: true }],
      schedule: { ntpCheck: "none", readDelaySeconds: 0, maxLateSeconds: 1700, readAttempts: 1 },
      upload: { minBackoffMs: 20, maxBackoffMs: 200, blockedRetryMs: 200 },
    });
    const { agent, outbox, logger } = startAgent(config);
    const boundary = async (k: number) => {
      clock.set(T0 + k * 1800 + READ_AT);
      await agent.readBoundary(T0 + k * 1800);
    };
    await boundary(0);
    busDown = true;
    for (const k of [1, 2, 3, 4]) await boundary(k);
    busDown = false;
    await boundary(5);
    for (let i = 0; i < 20 && (await agent.uploadOnce()) !== "idle"; i++);

    const rows = outbox.db
      .prepare(
        "SELECT interval_end, status, source, registers FROM readings WHERE meter_id = '3001' ORDER BY interval_end",
      )
      .all() as Array<{ interval_end: number; status: number; source: string; registers: string }>;
    expect(
      rows.map((row) => [
        (row.interval_end - T0) / 1800,
        row.source,
        row.status & ReadingStatus.FromLoadProfile,
      ]),
    ).toEqual([
      [0, "boundary", 0],
      [1, "profile", ReadingStatus.FromLoadProfile],
      [2, "profile", ReadingStatus.FromLoadProfile],
      [3, "profile", ReadingStatus.FromLoadProfile],
      [4, "profile", ReadingStatus.FromLoadProfile],
      [5, "boundary", 0],
    ]);
    // Each filled value is the meter's history at the interval end, carried forward by the energy
    // between boundary 5 and the read 5 s later (the anchor), exactly as a boundary reading is.
    const anchor = (series: typeof simulatedImportWh) =>
      series(energy, T0 + 5 * 1800 + READ_AT) - series(energy, T0 + 5 * 1800);
    for (const k of [1, 2, 3, 4]) {
      const record = gateway.records.get(`3001:${T0 + k * 1800}`)!;
      expect(record.registers.map(BigInt)).toEqual([
        BigInt(simulatedImportWh(energy, T0 + k * 1800) + anchor(simulatedImportWh)),
        BigInt(simulatedExportWh(energy, T0 + k * 1800) + anchor(simulatedExportWh)),
      ]);
    }
    expect(anchor(simulatedImportWh)).toBe(2); // 5 s at 1800 W, rounded down
    expect([...gateway.records.keys()].filter((key) => key.startsWith("3001:"))).toHaveLength(6);
    expect(gateway.conflicts).toEqual([]);
    expect(outbox.counts()).toMatchObject({ pending: 0, quarantined: 0, confirmed: 6 });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        msg: "gap filled from the load profile",
        from: T0 + 1800,
        to: T0 + 4 * 1800,
        rows: 4,
      }),
    );
    await agent.stop();
    outbox.close();
  }, 60_000);

  /**
   * An agent on a MockChannel to a Mercury that keeps no profile (address 9): reads boundary 0, then
   * boundary 4 (a three-interval gap), and returns the outbox rows, the command bytes the meter was
   * asked for ([address, command, …]; 08 12 / 08 13 and 06 are the profile's) and the log.
   */
  async function readGapWithoutProfile(meterId: string, schedule: { backfillDays?: number } = {}) {
    const plain = new MercurySimulator({
      address: 9,
      tariffsWh: () => [simulatedImportWh(energy, at()), 0, 0, 0],
      now: () => clock.now(),
    });
    const commands: number[] = [];
    const channel = new MockChannel<Uint8Array>({
      respond: (request) => {
        commands.push(request[1]!);
        return plain.respond(request);
      },
    });
    const config = parseConfig({
      dataDir: mkdtempSync(join(tmpdir(), "agent-mercury-")),
      deviceKeyFile: "unused.key",
      gateway: { url: gateway.url },
      buses: [{ name: "mock", transport: { type: "simulator" }, timeoutMs: 200, retries: 0 }],
      meters: [{ meterId, bus: "mock", driver: "mercury230", address: 9 }],
      schedule: { ntpCheck: "none", readDelaySeconds: 0, maxLateSeconds: 1700, readAttempts: 1, ...schedule },
    });
    const { agent, outbox, logger } = startAgent(config, new Map([["mock", { kind: "bytes", channel }]]));
    clock.set(T0 + READ_AT);
    await agent.readBoundary(T0);
    clock.set(T0 + 4 * 1800 + READ_AT);
    await agent.readBoundary(T0 + 4 * 1800);
    const rows = outbox.db
      .prepare("SELECT interval_end, source FROM readings WHERE meter_id = ? ORDER BY interval_end")
      .all(meterId) as Array<{ interval_end: number; source: string }>;
    await agent.stop();
    outbox.close();
    return { rows: rows.map((row) => [(row.interval_end - T0) / 1800, row.source]), commands, logger };
  }

  it("leaves the gap of a meter that keeps no profile and still takes the boundary reading", async () => {
    const { rows, logger } = await readGapWithoutProfile("3002");
    expect(rows).toEqual([
      [0, "boundary"],
      [4, "boundary"],
    ]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        msg: "load profile not read; the gap stays",
        reason: expect.stringMatching(/invalid command/),
      }),
    );
  });

  it("with backfillDays 0 asks the meter for no profile at all: the gap stays, nothing logged", async () => {
    const { rows, commands, logger } = await readGapWithoutProfile("3003", { backfillDays: 0 });
    expect(rows).toEqual([
      [0, "boundary"],
      [4, "boundary"],
    ]);
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.filter((command) => command === 0x06)).toEqual([]);
    expect(logger.lines.filter((line) => line.msg === "load profile not read; the gap stays")).toEqual([]);
  });
});
