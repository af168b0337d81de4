import { ReadingStatus } from "@gridledger/domain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGateway } from "./_test/fakeGateway.js";
import { createTestAgent, simulatedConfig, testAccount, testClock } from "./_test/harness.js";
import { Agent } from "./agent.js";
import { formatStatus, readStatus } from "./cli/status.js";
import { parseConfig } from "./config/config.js";
import { BUILTIN_REGISTER_MAPS } from "./drivers/registerMaps.js";
import { createMemoryLogger } from "./logger.js";
import { Outbox } from "./outbox/outbox.js";
import { encodeExceptionResponse } from "./protocol/modbus-rtu/frame.js";
import { type Clock, systemClock } from "./schedule/clock.js";
import { SIMULATION_EPOCH, simulatedImportWh } from "./simulator/energy.js";
import { ModbusSlaveSimulator } from "./simulator/modbusSlave.js";
import { MtrCanSimulator } from "./simulator/mtrCan.js";
import { MockChannel } from "./transport/mock.js";
import type { CanFrame } from "./transport/transport.js";
import { GraphqlUploader } from "./upload/graphqlUploader.js";

// The gateway here is the test double (src/_test/fakeGateway.ts), which answers like the real
// gateway (codes and extensions.retryable of docs/api.md); src/agent.fault.test.ts runs the agent
// against the real gateway and chain.
const account = testAccount();
let gateway: FakeGateway;
beforeEach(async () => {
  gateway = new FakeGateway({ devices: [account.address] });
  await gateway.start();
});
afterEach(() => gateway.stop());

const T0 = SIMULATION_EPOCH + 10 * 86400;
function manualClock(startSeconds: number): Clock & { set(seconds: number): void } {
  let now = startSeconds * 1000;
  return { now: () => now, sleep: systemClock.sleep, set: (seconds) => (now = seconds * 1000) };
}
async function drain(agent: Agent) {
  for (let i = 0; i < 100; i++) if ((await agent.uploadOnce()) === "idle") return;
  throw new Error("outbox did not drain");
}

describe("Agent", () => {
  it("reads every meter at each boundary, stores first, uploads each interval exactly once", async () => {
    const config = simulatedConfig({ modbus: 3, can: 2, gatewayUrl: gateway.url });
    const clock = manualClock(T0);
    const { agent, outbox } = createTestAgent({ config, account, clock });
    for (let k = 0; k < 4; k++) {
      clock.set(T0 + k * 1800 + 1);
      await agent.readBoundary(T0 + k * 1800);
    }
    expect(outbox.counts().pending).toBe(20);
    expect(gateway.records.size).toBe(0); // nothing leaves before the upload loop runs
    await drain(agent);
    expect(outbox.counts()).toMatchObject({ pending: 0, batched: 0, confirmed: 20 });
    expect(gateway.records.size).toBe(20);
    const record = gateway.records.get(`1001:${T0 + 1800}`)!;
    expect(BigInt(record.registers[0]!)).toBe(
      BigInt(simulatedImportWh({ baseWh: 1_000_000, powerW: 1500 }, T0 + 1800 + 1)),
    );
    expect(gateway.records.get(`2001:${T0}`)!.registers).toHaveLength(2); // import + export
    expect(gateway.conflicts).toEqual([]);
    await agent.stop();
    outbox.close();
    // `agent status` reads the same database.
    const status = readStatus(config, `${config.dataDir}/outbox.sqlite`);
    expect(status.outbox).toMatchObject({ pending: 0, batched: 0, confirmed: 20 });
    expect(status.lastUpload?.readings).toBeGreaterThan(0);
    expect(status.meters.find((m) => m.meterId === "1001")?.lastIntervalEnd).toBe(
      new Date((T0 + 3 * 1800) * 1000).toISOString(),
    );
    expect(formatStatus(status)).toMatch(/outbox: 0 waiting .*\nlast upload: .* tx 0x/);
  });

  it("fills a gap from the load profile of meters that keep one, and flags those readings", async () => {
    const config = simulatedConfig({ modbus: 1, can: 1, gatewayUrl: gateway.url });
    const clock = manualClock(T0 + 1);
    const { agent, outbox } = createTestAgent({ config, account, clock });
    await agent.readBoundary(T0);
    // The agent is away for three hours.
    clock.set(T0 + 6 * 1800 + 1);
    await agent.readBoundary(T0 + 6 * 1800);
    await drain(agent);
    const canIntervals = [...gateway.records.values()]
      .filter((r) => r.meterId === "2001")
      .map((r) => r.intervalEnd);
    expect(canIntervals).toEqual(Array.from({ length: 7 }, (_, k) => T0 + k * 1800));
    expect(gateway.records.get(`2001:${T0 + 1800}`)!.status & ReadingStatus.FromLoadProfile).toBeTruthy();
    expect(gateway.records.get(`2001:${T0 + 6 * 1800}`)!.status & ReadingStatus.FromLoadProfile).toBeFalsy();
    // A meter without a profile has a gap: absent, not zero.
    expect(
      [...gateway.records.values()].filter((r) => r.meterId === "1001").map((r) => r.intervalEnd),
    ).toEqual([T0, T0 + 6 * 1800]);
    await agent.stop();
    outbox.close();
  });

  it("fills an outage of the meter's bus from its profile on reconnect: each filled interval marked, none taken twice", async () => {
    const config = simulatedConfig({ modbus: 0, can: 1, gatewayUrl: gateway.url });
    const clock = manualClock(T0 + 1);
    const energy = { baseWh: 2_000_000, powerW: 1800, exportPowerW: 100 };
    const simulator = new MtrCanSimulator();
    simulator.add({ node: 1, energy, now: () => clock.now() });
    let busDown = false;
    const channel = new MockChannel<CanFrame>({
      respond: (frame) => (busDown ? undefined : simulator.respond(frame)),
    });
    const outbox = new Outbox(`${config.dataDir}/outbox.sqlite`);
    const logger = createMemoryLogger();
    const agent = new Agent({
      config,
      outbox,
      account,
      logger,
      clock,
      uploader: new GraphqlUploader({ url: gateway.url }),
      buses: new Map([["can", { kind: "can", channel }]]),
    });
    const boundary = async (k: number) => {
      clock.set(T0 + k * 1800 + 1);
      await agent.readBoundary(T0 + k * 1800);
    };
    await boundary(0);
    await boundary(1);
    await drain(agent); // the intervals taken before the outage are already on the ledger
    busDown = true; // N = 4 boundaries without an answer (cable pulled, converter gone)
    for (const k of [2, 3, 4, 5]) await boundary(k);
    expect(outbox.counts().pending).toBe(0);
    busDown = false;
    await boundary(6);
    await drain(agent);

    const rows = outbox.db
      .prepare(
        "SELECT interval_end, status, source, registers FROM readings WHERE meter_id = '2001' ORDER BY interval_end",
      )
      .all() as Array<{ interval_end: number; status: number; source: string; registers: string }>;
    // (the driver times its clock read on the real clock, this test runs on a manual one: ClockDrift is not the point here)
    expect(
      rows.map((row) => [
        (row.interval_end - T0) / 1800,
        row.source,
        row.status & ReadingStatus.FromLoadProfile,
      ]),
    ).toEqual([
      [0, "boundary", 0],
      [1, "boundary", 0],
      [2, "profile", ReadingStatus.FromLoadProfile],
      [3, "profile", ReadingStatus.FromLoadProfile],
      [4, "profile", ReadingStatus.FromLoadProfile],
      [5, "profile", ReadingStatus.FromLoadProfile],
      [6, "boundary", 0],
    ]);
    // The filled values are the meter's own rows at each interval end.
    for (const k of [2, 3, 4, 5])
      expect(BigInt(gateway.records.get(`2001:${T0 + k * 1800}`)!.registers[0]!)).toBe(
        BigInt(simulatedImportWh(energy, T0 + k * 1800)),
      );
    // Each interval once on the ledger, nothing resent as a conflicting replay.
    expect([...gateway.records.keys()].filter((key) => key.startsWith("2001:"))).toHaveLength(7);
    expect(gateway.conflicts).toEqual([]);
    expect(outbox.counts()).toMatchObject({ pending: 0, quarantined: 0, confirmed: 7 });
    const failed = outbox.recentEvents(50).filter((event) => event.kind === "meter-read-failed");
    expect(failed).toHaveLength(4);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        msg: "gap filled from the load profile",
        from: T0 + 2 * 1800,
        to: T0 + 5 * 1800,
        rows: 4,
      }),
    );
    await agent.stop();
    outbox.close();
  });

  it("fills only what the meter's ring still holds when the outage is longer: the rest stays a gap, not zeros", async () => {
    const config = simulatedConfig({ modbus: 0, can: 1, gatewayUrl: gateway.url });
    const clock = manualClock(T0 + 1);
    const energy = { baseWh: 3_000_000, powerW: 1000 };
    const simulator = new MtrCanSimulator();
    simulator.add({ node: 1, energy, now: () => clock.now(), profileDepth: 4 });
    const channel = new MockChannel<CanFrame>({ respond: (frame) => simulator.respond(frame) });
    const outbox = new Outbox(`${config.dataDir}/outbox.sqlite`);
    const agent = new Agent({
      config,
      outbox,
      account,
      logger: createMemoryLogger(),
      clock,
      uploader: new GraphqlUploader({ url: gateway.url }),
      buses: new Map([["can", { kind: "can", channel }]]),
    });
    await agent.readBoundary(T0);
    // The agent is away for ten intervals; the meter keeps four rows (the newest is the current boundary).
    clock.set(T0 + 10 * 1800 + 1);
    await agent.readBoundary(T0 + 10 * 1800);
    await drain(agent);
    const intervals = [...gateway.records.values()]
      .filter((record) => record.meterId === "2001")
      .map((record) => (record.intervalEnd - T0) / 1800);
    expect(intervals).toEqual([0, 7, 8, 9, 10]);
    expect(
      [7, 8, 9].every(
        (k) => gateway.records.get(`2001:${T0 + k * 1800}`)!.status & ReadingStatus.FromLoadProfile,
      ),
    ).toBe(true);
    await agent.stop();
    outbox.close();
  });

  it("keeps readings while the gateway is down and drains them when it returns", async () => {
    const config = simulatedConfig({ modbus: 2, can: 0, gatewayUrl: gateway.url });
    const clock = manualClock(T0 + 1);
    const { agent, outbox } = createTestAgent({ config, account, clock });
    await agent.readBoundary(T0);
    await gateway.stop();
    expect(await agent.uploadOnce()).toBe("retry");
    clock.set(T0 + 1801);
    await agent.readBoundary(T0 + 1800);
    gateway.serviceMode = true;
    await gateway.start();
    expect(await agent.uploadOnce()).toBe("retry");
    gateway.serviceMode = false;
    await drain(agent);
    expect(gateway.records.size).toBe(4);
    expect(outbox.counts().confirmed).toBe(4);
    await agent.stop();
    outbox.close();
  });

  it("isolates and quarantines readings the gateway refuses, and sends the rest", async () => {
    const config = simulatedConfig({ modbus: 3, can: 0, gatewayUrl: gateway.url });
    const clock = manualClock(T0 + 1);
    const { agent, outbox } = createTestAgent({ config, account, clock });
    await agent.readBoundary(T0);
    gateway.unknownMeters.add("1002");
    await drain(agent);
    expect([...gateway.records.keys()].sort()).toEqual([`1001:${T0}`, `1003:${T0}`]);
    expect(outbox.quarantined()).toEqual([
      { meterId: "1002", intervalEnd: T0, reason: expect.stringMatching(/UNKNOWN_METER/) },
    ]);
    expect(outbox.recentEvents().some((e) => e.kind === "reading-quarantined" && e.meterId === "1002")).toBe(
      true,
    );
    await agent.stop();
    outbox.close();
  });

  it("pauses (without quarantining anything) when the gateway refuses the device key", async () => {
    const config = simulatedConfig({ modbus: 2, can: 0, gatewayUrl: gateway.url });
    const { agent, outbox } = createTestAgent({ config, account: testAccount(), clock: manualClock(T0 + 1) });
    await agent.readBoundary(T0);
    expect(await agent.uploadOnce()).toBe("blocked");
    expect(outbox.counts()).toMatchObject({ quarantined: 0, batched: 2 });
    expect(outbox.recentEvents()[0]).toMatchObject({ kind: "device-refused" });
    await agent.stop();
    outbox.close();
  });

  it("survives bad meters on a bus: garbage, silence, a CRC error, an exception, a clock hours off, a register going backwards — each reported, none losing a reading", async () => {
    const simulator = new ModbusSlaveSimulator();
    const map = BUILTIN_REGISTER_MAPS["wb-map3e"]!;
    // Every meter answers well at T0; at T0 + 1800 meters 2, 3, 6 and 7 go bad and 5 runs backwards.
    let bad = false;
    const clock = manualClock(T0 + 1);
    for (const address of [1, 2, 3, 6, 7])
      simulator.add({ address, map, energy: { baseWh: 5000, powerW: 1000 }, now: () => clock.now() });
    const clockMap = {
      ...map,
      registers: [
        ...map.registers,
        { name: "clock", address: 0x2000, type: "uint32" as const, role: "clock" as const },
      ],
    };
    simulator.add({
      address: 4,
      map: clockMap,
      energy: { baseWh: 5000, powerW: 1000 },
      now: () => clock.now() + 3 * 3600_000,
    });
    simulator.add({
      address: 5,
      map,
      energy: { baseWh: 5000, powerW: 1000 },
      now: () => (bad ? clock.now() - 86400_000 : clock.now()),
    });
    const channel = new MockChannel<Uint8Array>({
      respond: (request) => {
        if (bad && request[0] === 2) return new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x02, 0x04, 0xff]); // garbage
        if (bad && request[0] === 3) return undefined; // silent
        if (bad && request[0] === 6) return encodeExceptionResponse(6, 4, 2);
        const reply = simulator.respond(request);
        if (bad && request[0] === 7 && reply) reply[reply.length - 1]! ^= 0xff; // CRC error
        return reply;
      },
    });
    const config = parseConfig({
      dataDir: simulatedConfig({ modbus: 0, can: 1, gatewayUrl: gateway.url }).dataDir,
      deviceKeyFile: "x",
      gateway: { url: gateway.url },
      buses: [{ name: "rs485", transport: { type: "serial", path: "/dev/null" }, timeoutMs: 60, retries: 1 }],
      meters: [1, 2, 3, 4, 5, 6, 7].map((address) => ({
        meterId: String(address),
        bus: "rs485",
        driver: address === 4 ? "clocked" : "wb-map3e",
        address,
      })),
      registerMaps: { clocked: clockMap },
      schedule: { ntpCheck: "none", readRetrySeconds: 0.01 },
    });
    const outbox = new Outbox(`${config.dataDir}/outbox.sqlite`);
    const logger = createMemoryLogger();
    const agent = new Agent({
      config,
      outbox,
      account,
      logger,
      clock,
      uploader: new GraphqlUploader({ url: gateway.url }),
      buses: new Map([["rs485", { kind: "bytes", channel }]]),
    });
    await agent.readBoundary(T0);
    bad = true;
    clock.set(T0 + 1801);
    await agent.readBoundary(T0 + 1800);
    await drain(agent);
    // Nothing taken before the trouble is lost: every meter's T0 reading is on the ledger.
    expect([...gateway.records.keys()].sort()).toEqual(
      [...[1, 2, 3, 4, 5, 6, 7].map((id) => `${id}:${T0}`), `1:${T0 + 1800}`, `4:${T0 + 1800}`].sort(),
    );
    expect(gateway.records.get(`4:${T0}`)!.status & ReadingStatus.ClockDrift).toBeTruthy();
    // The reading that went backwards is kept, in quarantine, with its reason.
    expect(outbox.counts()).toMatchObject({ pending: 0, batched: 0, quarantined: 1, confirmed: 9 });
    expect(outbox.quarantined().map((q) => [q.meterId, q.reason])).toEqual([
      ["5", expect.stringMatching(/register 0 went backwards from \d+ to \d+ Wh/)],
    ]);
    const reasons = new Map(
      logger.lines
        .filter((line) => line.msg === "meter read failed")
        .map((line) => [line.meterId as string, line.reason as string]),
    );
    expect([...reasons.keys()].sort()).toEqual(["2", "3", "6", "7"]);
    expect(reasons.get("2")).toMatch(/^No answer from slave 2 .*garbage skipped/);
    expect(reasons.get("3")).toMatch(/^No answer from slave 3 .*nothing received/);
    expect(reasons.get("6")).toMatch(/^Modbus exception 2 \(illegal data address\)/);
    expect(reasons.get("7")).toMatch(/^Checksum error from slave 7 .*CRC mismatch/);
    // Reported: a meter-state event per failure, the reason in `agent status`.
    const events = outbox.recentEvents(50);
    for (const id of ["2", "3", "6", "7"]) {
      expect(events).toContainEqual(
        expect.objectContaining({ meterId: id, kind: "meter-read-failed", message: reasons.get(id) }),
      );
      expect(outbox.meterState(id)!.lastError).toContain(reasons.get(id)!);
    }
    expect(events.map((e) => [e.meterId, e.kind])).toEqual(
      expect.arrayContaining([
        ["4", "clock-drift"],
        ["5", "register-decreased"],
      ]),
    );
    await agent.stop();
    outbox.close();
  });

  it("runs its own schedule on :00/:30 boundaries (accelerated clock)", async () => {
    const config = simulatedConfig({ modbus: 2, can: 1, gatewayUrl: gateway.url });
    const clock = testClock(3600, Date.now(), T0 * 1000 + 1000);
    const { agent, outbox } = createTestAgent({ config, account, clock });
    agent.start();
    await new Promise((resolve) => setTimeout(resolve, 2600));
    await agent.stop();
    const ends = [...gateway.records.values()].map((r) => r.intervalEnd);
    expect(ends.length).toBeGreaterThanOrEqual(9);
    expect(ends.every((end) => end % 1800 === 0)).toBe(true);
    expect(outbox.counts().pending + outbox.counts().batched + outbox.counts().confirmed).toBe(
      gateway.records.size + outbox.counts().pending + outbox.counts().batched,
    );
    outbox.close();
    const status = readStatus(config, `${config.dataDir}/outbox.sqlite`);
    expect(status.buses?.rs485?.requests).toBeGreaterThan(0);
    expect(formatStatus(status)).toMatch(/bus rs485 \(simulator:rs485\): \d+ requests, 0 timeouts/);
  });
});

describe("Agent read retries", () => {
  it("tries a meter again within the interval after a bus hiccup", async () => {
    const simulator = new ModbusSlaveSimulator();
    const clock = manualClock(T0 + 1);
    simulator.add({
      address: 1,
      map: BUILTIN_REGISTER_MAPS["wb-map3e"]!,
      energy: { baseWh: 100, powerW: 0 },
      now: () => clock.now(),
    });
    let dropped = 0;
    const channel = new MockChannel<Uint8Array>({
      respond: (request) => (++dropped <= 3 ? undefined : simulator.respond(request)),
    });
    const config = parseConfig({
      dataDir: simulatedConfig({ modbus: 1, can: 0, gatewayUrl: gateway.url }).dataDir,
      deviceKeyFile: "x",
      gateway: { url: gateway.url },
      buses: [{ name: "rs485", transport: { type: "serial", path: "/dev/null" }, timeoutMs: 30, retries: 1 }],
      meters: [{ meterId: "1", bus: "rs485", driver: "wb-map3e", address: 1 }],
      schedule: { ntpCheck: "none", readRetrySeconds: 0.01, readAttempts: 3 },
    });
    const outbox = new Outbox(`${config.dataDir}/outbox.sqlite`);
    const logger = createMemoryLogger();
    const agent = new Agent({
      config,
      outbox,
      account,
      logger,
      clock,
      uploader: new GraphqlUploader({ url: gateway.url }),
      buses: new Map([["rs485", { kind: "bytes", channel }]]),
    });
    await agent.readBoundary(T0);
    expect(outbox.meterState("1")?.lastIntervalEnd).toBe(T0);
    expect(logger.lines.filter((line) => line.msg === "meter read failed, trying again")).toHaveLength(1);
    await agent.stop();
    outbox.close();
  });
});

describe("Agent schedule and the wall clock", () => {
  it("re-reads the wall clock while waiting: never reads early, follows a jump (NTP sync after boot)", async () => {
    const config = simulatedConfig({ modbus: 1, can: 0, gatewayUrl: gateway.url });
    // Timers fire early and often here (like a monotonic timer after the wall clock moved); only
    // the wall clock says when the boundary T0 is due.
    let wallMs = (T0 - 600) * 1000 + 1000;
    const clock: Clock = {
      now: () => wallMs,
      sleep: (ms, signal) => systemClock.sleep(Math.min(ms, 10), signal),
    };
    const { agent, outbox } = createTestAgent({ config, account, clock });
    agent.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    // The boundary before start-up (T0 - 1800) was caught up; T0 is not due yet.
    expect(outbox.meterState("1001")?.lastIntervalEnd).toBe(T0 - 1800);
    wallMs = (T0 - 30) * 1000;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(outbox.meterState("1001")?.lastIntervalEnd).toBe(T0 - 1800);
    wallMs = (T0 + 5) * 1000; // NTP stepped the clock past the boundary
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(outbox.meterState("1001")?.lastIntervalEnd).toBe(T0);
    await agent.stop();
    outbox.close();
  });
});
