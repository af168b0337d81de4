/**
 * Fault test: the agent runs as its own process on an accelerated clock (a half hour passes in
 * 300 ms) with six simulated meters (four without a load profile, two with one). It is killed with
 * SIGKILL at random moments over 12 cycles, and the gateway is stopped for a while. At the end every
 * interval reading the agent took is at the gateway exactly once, with the value it read.
 *
 * The gateway is the interim boundary fake (src/_test/fakeGateway.ts) with the chain's dedup rule;
 * the chain part of this test comes when the gateway issue lands.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReadingStatus } from "@gridledger/domain";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { bundle } from "./_test/bundle.js";
import { FakeGateway } from "./_test/fakeGateway.js";
import { waitFor } from "./_test/processes.js";
import { Outbox } from "./outbox/outbox.js";
import { defaultEnergyProfile, SIMULATION_EPOCH, simulatedImportWh } from "./simulator/energy.js";

const SPEED = 6000;
const MAX_LATE = 900;

describe("SIGKILL fault test", () => {
  it("loses nothing and duplicates nothing across 12 SIGKILLs and a gateway outage", async () => {
    const key = generatePrivateKey();
    const gateway = new FakeGateway({ devices: [privateKeyToAccount(key).address] });
    gateway.commitDelayMs = 60;
    await gateway.start();
    const dataDir = mkdtempSync(join(tmpdir(), "agent-fault-"));
    const meters = [
      ...[1, 2, 3, 4].map((address) => ({
        meterId: String(100 + address),
        bus: "rs485",
        driver: "wb-map3e",
        address,
      })),
      ...[1, 2].map((address) => ({
        meterId: String(200 + address),
        bus: "can",
        driver: "mtr-can",
        address,
      })),
    ];
    const configFile = join(dataDir, "agent.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        dataDir,
        deviceKeyFile: "unused",
        gateway: { url: gateway.url },
        buses: [
          { name: "rs485", transport: { type: "simulator" }, timeoutMs: 200, turnaroundMs: 0 },
          { name: "can", transport: { type: "simulator" }, timeoutMs: 200, turnaroundMs: 0 },
        ],
        meters,
        schedule: { ntpCheck: "none", readDelaySeconds: 0, maxLateSeconds: MAX_LATE },
        upload: { maxRecordsPerBatch: 7, minBackoffMs: 20, maxBackoffMs: 100 },
      }),
    );
    const worker = await bundle(join(import.meta.dirname, "_test", "faultWorker.ts"), "faultWorker");
    const simStart = (SIMULATION_EPOCH + 20 * 86400) * 1000 + 60_000;
    const env = {
      ...process.env,
      AGENT_CONFIG: configFile,
      AGENT_KEY: key,
      CLOCK_REAL_START: String(Date.now()),
      CLOCK_SIM_START: String(simStart),
      CLOCK_SPEED: String(SPEED),
    };
    const spawnWorker = (extra: Record<string, string> = {}) => {
      const child = spawn(process.execPath, [worker], {
        env: { ...env, ...extra },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout!.on("data", (c) => {
        out += c;
      });
      child.stderr!.on("data", (c) => {
        out += c;
      });
      return { child, output: () => out };
    };
    const exited = (child: ChildProcess) =>
      new Promise<void>((resolve) =>
        child.exitCode !== null || child.signalCode !== null
          ? resolve()
          : child.once("exit", () => resolve()),
      );

    let kills = 0;
    for (let cycle = 0; cycle < 12; cycle++) {
      if (cycle === 4) await gateway.stop(); // the gateway is away for cycles 4-6
      if (cycle === 7) await gateway.start();
      const { child, output } = spawnWorker();
      await waitFor(() => output().includes("started") || child.exitCode !== null, 10_000, "worker start");
      expect(child.exitCode, output()).toBeNull();
      if (cycle === 2 || cycle === 8 || cycle === 10) {
        // Kill right after the gateway committed a batch and before the agent hears about it.
        await new Promise<void>((resolve) => {
          gateway.onCommit = () => {
            gateway.onCommit = undefined;
            child.kill("SIGKILL");
            resolve();
          };
        });
      } else {
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 1200));
      }
      child.kill("SIGKILL");
      await exited(child);
      kills++;
    }
    // A last clean run, then a drain-only run so that everything taken reaches the gateway.
    const last = spawnWorker();
    await waitFor(() => last.output().includes("started"), 10_000, "worker start");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    last.child.kill("SIGTERM");
    await exited(last.child);
    const drain = spawnWorker({ DRAIN_ONLY: "1" });
    await exited(drain.child);
    expect(drain.output()).toContain("drained");
    await gateway.stop();

    const outbox = new Outbox(join(dataDir, "outbox.sqlite"));
    const counts = outbox.counts();
    const stored = outbox.db
      .prepare("SELECT meter_id, interval_end, status, registers, state FROM readings")
      .all() as Array<{
      meter_id: string;
      interval_end: number;
      status: number;
      registers: string;
      state: string;
    }>;
    outbox.close();

    const duplicates = gateway.submissions.reduce((sum, s) => sum + s.duplicates, 0);
    const fromProfile = stored.filter((r) => r.status & ReadingStatus.FromLoadProfile).length;
    console.info(
      `fault test: ${kills} SIGKILLs, ${stored.length} readings, ${gateway.submissions.length} submissions, ${duplicates} resubmitted duplicates ignored, ${fromProfile} filled from load profiles`,
    );
    expect(kills).toBe(12);
    // Three kills landed between "gateway committed" and "agent confirmed": those batches were resent.
    expect(duplicates).toBeGreaterThan(0);
    expect(counts).toMatchObject({ pending: 0, batched: 0, quarantined: 0 });
    expect(stored.length).toBeGreaterThan(30);
    // Exactly once, same content: the gateway holds precisely the readings the agent took.
    expect(gateway.conflicts).toEqual([]);
    expect([...gateway.records.keys()].sort()).toEqual(
      stored.map((r) => `${r.meter_id}:${r.interval_end}`).sort(),
    );
    const acceptedTotal = gateway.submissions.reduce((sum, s) => sum + s.accepted, 0);
    expect(acceptedTotal).toBe(stored.length);
    for (const row of stored) {
      const record = gateway.records.get(`${row.meter_id}:${row.interval_end}`)!;
      expect(record.registers).toEqual(JSON.parse(row.registers));
      expect(record.status).toBe(row.status);
    }
    // Values are what the meters showed at (or shortly after) each boundary.
    meters.forEach((meter, index) => {
      const energy = defaultEnergyProfile(index);
      const rows = stored
        .filter((r) => r.meter_id === meter.meterId)
        .sort((a, b) => a.interval_end - b.interval_end);
      expect(rows.length, `meter ${meter.meterId}`).toBeGreaterThan(3);
      for (const row of rows) {
        const value = BigInt(JSON.parse(row.registers)[0]);
        expect(value).toBeGreaterThanOrEqual(BigInt(simulatedImportWh(energy, row.interval_end)));
        expect(value).toBeLessThanOrEqual(BigInt(simulatedImportWh(energy, row.interval_end + MAX_LATE + 5)));
        if (row.status & ReadingStatus.FromLoadProfile)
          expect(value).toBe(BigInt(simulatedImportWh(energy, row.interval_end)));
      }
      // Meters with a load profile have no gaps at all, whatever the kills did.
      if (meter.driver === "mtr-can") {
        const ends = rows.map((r) => r.interval_end);
        for (let i = 1; i < ends.length; i++)
          expect(ends[i]! - ends[i - 1]!, `gap in meter ${meter.meterId}`).toBe(1800);
      }
    });
  }, 120_000);
});
