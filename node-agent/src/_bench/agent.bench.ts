/**
 * `npm run bench:agent`: figures, never assertions.
 *
 * 1. Backlog drain: 32 meters × 7 days of half hours (10,752 readings, import + export) sitting in
 *    the outbox are drained through the real Agent upload path (SQLite outbox → EIP-712 signing →
 *    GraphQL over HTTP → the gateway test double, which verifies each signature; no chain) — readings/s.
 *    Baseline, same process: one reading per batch (what an agent without batching would do).
 * 2. Resident memory of the agent process polling 32 meters (simulated meters on an accelerated
 *    clock, so that it polls every 3 s) against a bare Node process started the same way.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { FakeGateway } from "../_test/fakeGateway.js";
import { Agent } from "../agent.js";
import { parseConfig } from "../config/config.js";
import { createLogger } from "../logger.js";
import { Outbox, type StoredReading } from "../outbox/outbox.js";
import { SIMULATION_EPOCH } from "../simulator/energy.js";
import { GraphqlUploader } from "../upload/graphqlUploader.js";
import type { Uploader } from "../upload/uploader.js";

const METERS = 32;
const DAYS = 7;
const INTERVALS = DAYS * 48;

function fill(outbox: Outbox, meters: number, intervals: number): number {
  const start = performance.now();
  const t0 = SIMULATION_EPOCH + 30 * 86400;
  let count = 0;
  for (let k = 0; k < intervals; k++) {
    for (let m = 0; m < meters; m++) {
      const reading: StoredReading = {
        meterId: BigInt(5000 + m),
        intervalEnd: t0 + k * 1800,
        registerMask: 0b10001,
        status: 0,
        registers: [BigInt(1_000_000 + k * 750), BigInt(k * 10)],
        source: "boundary",
        readAtMs: 0,
      };
      outbox.record(reading, undefined);
      count++;
    }
  }
  return count / ((performance.now() - start) / 1000);
}

async function drain(parameters: {
  maxRecordsPerBatch: number;
  meters: number;
  intervals: number;
  uploader?: Uploader;
  gatewayUrl: string;
  key: `0x${string}`;
}) {
  const dataDir = mkdtempSync(join(tmpdir(), "agent-bench-"));
  const config = parseConfig({
    dataDir,
    deviceKeyFile: "unused",
    gateway: { url: parameters.gatewayUrl },
    buses: [{ name: "none", transport: { type: "simulator" } }],
    meters: [{ meterId: "1", bus: "none", driver: "sdm630" }],
    schedule: { ntpCheck: "none" },
    upload: { maxRecordsPerBatch: parameters.maxRecordsPerBatch },
  });
  const outbox = new Outbox(join(dataDir, "outbox.sqlite"));
  const storeRate = fill(outbox, parameters.meters, parameters.intervals);
  const agent = new Agent({
    config,
    outbox,
    account: privateKeyToAccount(parameters.key),
    logger: createLogger({ level: "error" }),
    uploader: parameters.uploader ?? new GraphqlUploader({ url: parameters.gatewayUrl }),
  });
  const total = outbox.counts().pending;
  const start = performance.now();
  let batches = 0;
  while ((await agent.uploadOnce()) !== "idle") batches++;
  const seconds = (performance.now() - start) / 1000;
  const left = outbox.counts().pending + outbox.counts().batched;
  await agent.stop();
  outbox.close();
  return { readings: total, batches, seconds, perSecond: total / seconds, storeRate, left };
}

async function rss(parameters: { worker: string; meters: number; seconds: number }) {
  const dataDir = mkdtempSync(join(tmpdir(), "agent-rss-"));
  const configFile = join(dataDir, "agent.json");
  const buses = [0, 1, 2, 3].map((n) => ({
    name: `rs485-${n}`,
    transport: { type: "simulator" },
    timeoutMs: 500,
    turnaroundMs: 0,
  }));
  writeFileSync(
    configFile,
    JSON.stringify({
      dataDir,
      deviceKeyFile: "unused",
      gateway: { url: "http://127.0.0.1:9/graphql" },
      buses,
      meters: Array.from({ length: parameters.meters }, (_, i) => ({
        meterId: String(7000 + i),
        bus: `rs485-${i % 4}`,
        driver: i % 2 ? "sdm630" : "wb-map3e",
        address: 1 + Math.floor(i / 4),
        export: i % 2 === 1,
      })),
      schedule: { ntpCheck: "none", readDelaySeconds: 0, maxLateSeconds: 1700 },
      upload: { minBackoffMs: 500, maxBackoffMs: 2000 },
    }),
  );
  const sample = (args: string[], env: Record<string, string>) =>
    new Promise<{ max: number; samples: number }>((resolve) => {
      const child = spawn(process.execPath, args, {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "ignore"],
      });
      let max = 0;
      let samples = 0;
      child.stdout!.on("data", (chunk: Buffer) => {
        for (const match of chunk.toString().matchAll(/rss (\d+)/g)) {
          max = Math.max(max, Number(match[1]));
          samples++;
        }
      });
      setTimeout(() => child.kill("SIGTERM"), parameters.seconds * 1000);
      child.on("exit", () => resolve({ max, samples }));
    });
  const agent = await sample([parameters.worker], {
    AGENT_CONFIG: configFile,
    AGENT_KEY: generatePrivateKey(),
    CLOCK_REAL_START: String(Date.now()),
    CLOCK_SIM_START: String((SIMULATION_EPOCH + 40 * 86400) * 1000),
    CLOCK_SPEED: "600",
    REPORT_RSS: "1",
    AGENT_LOG_LEVEL: "error",
  });
  const bare = await sample(
    [
      "-e",
      "setInterval(() => process.stdout.write('rss ' + process.memoryUsage().rss + '\\n'), 250); setTimeout(() => process.exit(0), 1500);",
    ],
    {},
  );
  return { agent, bare };
}

/**
 * The agent as the CLI starts it (bin/agent.mjs run, compiled dist/), sampled from /proc:
 * `direct` executes the launcher itself (the npm bin and the systemd unit do), `node` runs
 * `node bin/agent.mjs run`; `nodeOptions` is passed through as NODE_OPTIONS.
 */
async function productionRss(parameters: {
  meters: number;
  seconds: number;
  gatewayUrl: string;
  key: `0x${string}`;
  launch: "direct" | "node";
  nodeOptions: string;
}) {
  const dataDir = mkdtempSync(join(tmpdir(), "agent-prod-rss-"));
  const keyFile = join(dataDir, "device.key");
  writeFileSync(keyFile, `${parameters.key}\n`, { mode: 0o600 });
  const configFile = join(dataDir, "agent.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      dataDir,
      deviceKeyFile: keyFile,
      gateway: { url: parameters.gatewayUrl },
      buses: [0, 1, 2, 3].map((n) => ({ name: `rs485-${n}`, transport: { type: "simulator" } })),
      meters: Array.from({ length: parameters.meters }, (_, i) => ({
        meterId: String(8000 + i),
        bus: `rs485-${i % 4}`,
        driver: i % 2 ? "sdm630" : "wb-map3e",
        address: 1 + Math.floor(i / 4),
        export: i % 2 === 1,
      })),
      // Read the boundary just passed at start-up, whatever the minute.
      schedule: { ntpCheck: "none", maxLateSeconds: 1799 },
    }),
  );
  const launcher = join(import.meta.dirname, "..", "..", "bin", "agent.mjs");
  const args = ["run", "--config", configFile];
  // Executed directly, the launcher's sh line execs node in the same process: the pid stays the agent's.
  const child = spawn(
    parameters.launch === "direct" ? launcher : process.execPath,
    parameters.launch === "direct" ? args : [launcher, ...args],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, AGENT_LOG_LEVEL: "warn", NODE_OPTIONS: parameters.nodeOptions },
    },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
  });
  const { readFileSync } = await import("node:fs");
  let peak = 0;
  let last = 0;
  const timer = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
      last = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {}
  }, 250);
  await new Promise((resolve) => setTimeout(resolve, parameters.seconds * 1000));
  clearInterval(timer);
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  const outbox = new Outbox(join(dataDir, "outbox.sqlite"), { readonly: true });
  const counts = outbox.counts();
  outbox.close();
  return { peak, last, counts, stderr };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function main(worker: string): Promise<void> {
  const key = generatePrivateKey();
  const gateway = new FakeGateway({ devices: [privateKeyToAccount(key).address] });
  await gateway.start();
  const batched = await drain({
    maxRecordsPerBatch: 2000,
    meters: METERS,
    intervals: INTERVALS,
    gatewayUrl: gateway.url,
    key,
  });
  const baseline = await drain({
    maxRecordsPerBatch: 1,
    meters: METERS,
    intervals: 24,
    gatewayUrl: gateway.url,
    key,
  });
  const nullUploader: Uploader = {
    readingsDomain: async () => ({
      chainId: 1,
      verifyingContract: "0x0000000000000000000000000000000000000001",
    }),
    submit: async () => ({
      transactionHash: `0x${"0".repeat(64)}`,
      blockNumber: 1,
      accepted: 0,
      duplicates: 0,
    }),
  };
  const agentOnly = await drain({
    maxRecordsPerBatch: 2000,
    meters: METERS,
    intervals: INTERVALS,
    gatewayUrl: gateway.url,
    key,
    uploader: nullUploader,
  });
  const launches = [
    {
      label:
        "baseline: V8's default young generation (NODE_OPTIONS=--max-semi-space-size=16, node bin/agent.mjs run)",
      launch: "node",
      nodeOptions: "--max-semi-space-size=16",
    },
    {
      label: "bin/agent.mjs run executed directly (npm bin, systemd unit)",
      launch: "direct",
      nodeOptions: "",
    },
    { label: "node bin/agent.mjs run, no flags (run in a worker)", launch: "node", nodeOptions: "" },
  ] as const;
  const production = [];
  for (const launch of launches)
    production.push({
      ...launch,
      run: await productionRss({ meters: METERS, seconds: 6, gatewayUrl: gateway.url, key, ...launch }),
    });
  await gateway.stop();

  console.log("\n== agent backlog drain: 32 meters x 7 days (10,752 readings, 2 registers each) ==");
  console.log(
    `batched (2,000/batch), to the gateway fake over HTTP: ${batched.perSecond.toFixed(0)} readings/s (${batched.readings} in ${batched.seconds.toFixed(2)} s, ${batched.batches} batches, ${batched.left} left)`,
  );
  console.log(
    `agent side only (outbox + batch + EIP-712 sign, null uploader): ${agentOnly.perSecond.toFixed(0)} readings/s`,
  );
  console.log(
    `baseline, one reading per batch (same process, ${baseline.readings} readings): ${baseline.perSecond.toFixed(0)} readings/s`,
  );
  console.log(`ratio batched / baseline: ${(batched.perSecond / baseline.perSecond).toFixed(1)}x`);
  console.log(
    `outbox write rate (one fsync'd transaction per reading): ${batched.storeRate.toFixed(0)} readings/s`,
  );

  const memory = await rss({ worker, meters: METERS, seconds: 8 });
  console.log("\n== agent resident memory, polling 32 meters (4 buses, half hour = 3 s) ==");
  console.log(`agent max RSS: ${mb(memory.agent.max)} over ${memory.agent.samples} samples (goal <= 80 MB)`);
  console.log(`baseline, bare Node process: ${mb(memory.bare.max)}`);
  console.log(`ratio agent / bare node: ${(memory.agent.max / memory.bare.max).toFixed(2)}x`);
  console.log("\n== the agent as the CLI starts it (dist/), polling 32 meters, peak RSS from /proc ==");
  for (const { label, run } of production) {
    const errors = run.stderr.includes('"level":"error"') ? `\n  errors: ${run.stderr.slice(0, 300)}` : "";
    console.log(
      `${label}: peak RSS ${mb(run.peak)}, RSS ${mb(run.last)} after reading 32 meters and uploading (${run.counts.confirmed} confirmed, ${run.counts.pending + run.counts.batched} waiting)${errors}`,
    );
  }
  const [defaults, direct, viaNode] = production.map((entry) => entry.run.peak) as [number, number, number];
  console.log(
    `ratio to the baseline: direct ${(direct / defaults).toFixed(2)}x, node + worker ${(viaNode / defaults).toFixed(2)}x (goal <= 80 MB: direct ${direct <= 80 * 1024 * 1024 ? "met" : "NOT met"}, node + worker ${viaNode <= 80 * 1024 * 1024 ? "met" : "NOT met"})\n`,
  );
}
