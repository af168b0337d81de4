/**
 * Fault test against the REAL ledger: an anvil dev chain of its own (interval mining, 0.25 s), the
 * GridLedger contracts deployed on it, the real gateway (gateway/src: GraphQL `submitReadings`,
 * EIP-712 check, `eth_estimateGas`, relay, receipt) and the agent as its own process with six
 * simulated meters (four without a load profile, two with one) on an accelerated clock. The agent is
 * killed with SIGKILL at random moments over 12 cycles — three of those kills aimed at the moment a
 * batch is on the chain but the gateway has not yet answered — and the gateway is stopped for three
 * cycles (the chain keeps running) and started again on the same port. At the end the test reads
 * every MeterReadingsRecorded event back from the chain: each interval reading the agent's outbox
 * holds is there exactly once, with the same values and status, and nothing else is.
 *
 * Time: the agent's clock runs 4000 times faster than real time (a half hour passes in 450 ms); a
 * chain cannot follow that without rewriting its own clock under the gateway (receipt waits, the
 * indexer's block times), which would test something production never does. Instead the simulated
 * clock starts ten days before the chain's current block time, so everything the agent reads lies
 * in the chain's past — the situation of an agent uploading a backlog after an outage. The
 * contract's future check (interval end ≤ block time + 120 s) is thus never why a reading is
 * accepted here; the test checks at the end that every interval end is before the chain's time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployGridLedger, type GridLedgerDeployment, readingsAbi } from "@gridledger/contracts";
import { buildReadingBatch, decodeMeterRecords, ReadingStatus } from "@gridledger/domain";
import { readSystemConfig, type SystemConfig } from "@gridledger/gateway";
import { DEV_ROLES, type DevChain, startDevChain } from "@gridledger/network";
import { createPublicClient, http, type LocalAccount, nonceManager, type PublicClient } from "viem";
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actors, registerMetersWithDevice } from "../../gateway/src/_test/chainFixture.js";
import { type RunningGateway, startGateway } from "../../gateway/src/system/startGateway.js";
import { bundle } from "./_test/bundle.js";
import { waitFor } from "./_test/processes.js";
import { Outbox } from "./outbox/outbox.js";
import { signBatch } from "./signing/deviceKey.js";
import { defaultEnergyProfile, simulatedImportWh } from "./simulator/energy.js";
import { GraphqlUploader } from "./upload/graphqlUploader.js";
import {
  DeviceRefusedByGatewayError,
  GatewayRejectedError,
  GatewayUnavailableError,
} from "./upload/uploader.js";

const SPEED = 4000;
const MAX_LATE = 900;
const CYCLES = 12;
/** Cycles whose kill waits for a batch to land on the chain, then strikes before the agent hears of it. */
const KILL_ON_CHAIN = new Set([2, 8, 10]);
const GATEWAY_DOWN_AT = 4;
const GATEWAY_UP_AT = 7;

let chain: DevChain;
let client: PublicClient;
let deployment: GridLedgerDeployment;
let gateway: RunningGateway | undefined;
let gatewayConfig: SystemConfig;
const workDir = mkdtempSync(join(tmpdir(), "agent-ledger-fault-"));

function relayer(): LocalAccount {
  // what startSystem gives the gateway on the embedded chain: consecutive nonces for concurrent relays
  return mnemonicToAccount(chain.mnemonic, { addressIndex: DEV_ROLES.indexOf("relayer"), nonceManager });
}
async function startTheGateway(): Promise<RunningGateway> {
  const running = await startGateway({
    config: gatewayConfig,
    rpcUrl: chain.rpcUrl,
    deployment,
    relayer: relayer(),
  });
  await running.caughtUp;
  return running;
}

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.25 });
  client = createPublicClient({ transport: http(chain.rpcUrl), cacheTime: 0 });
  const accounts = chain.accounts;
  deployment = await deployGridLedger({
    rpcUrl: chain.rpcUrl,
    deployer: accounts.operator,
    roles: {
      operator: accounts.operator.address,
      gridCompany: accounts.gridCompany.address,
      retailCompanies: [accounts.retailCompanyA.address, accounts.retailCompanyB.address],
      paymentSources: [accounts.bank.address],
    },
  });
  gatewayConfig = readSystemConfig(
    {
      GRIDLEDGER_DATA_DIR: join(workDir, "gateway"),
      GRIDLEDGER_RPC_URL: chain.rpcUrl,
      GRIDLEDGER_GATEWAY_PORT: "0",
      GRIDLEDGER_PORTAL_PORT: "0",
      GRIDLEDGER_LOG_LEVEL: "silent",
      GRIDLEDGER_DEMO_DATA: "off",
    },
    workDir,
  );
  gateway = await startTheGateway();
  // the same port from now on: the agent's configuration names it
  gatewayConfig = { ...gatewayConfig, gatewayPort: Number(new URL(gateway.url).port) };
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await chain?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** Resolves when a block after `fromBlock` holds a ReadingBatchRecorded event (polled every 10 ms). */
async function nextBatchOnChain(fromBlock: bigint, signal: AbortSignal): Promise<void> {
  let seen = fromBlock;
  while (!signal.aborted) {
    const head = await client.getBlockNumber();
    if (head > seen) {
      const logs = await client.getContractEvents({
        address: deployment.contracts.Readings!,
        abi: readingsAbi,
        eventName: "ReadingBatchRecorded",
        fromBlock: seen + 1n,
        toBlock: head,
      });
      if (logs.length) return;
      seen = head;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("SIGKILL fault test against the real gateway and chain", () => {
  it("every interval reading is on the chain exactly once across 12 SIGKILLs and a gateway outage", async () => {
    const key = generatePrivateKey();
    const device = privateKeyToAccount(key);
    const accounts = chain.accounts;
    const meterIds = await registerMetersWithDevice(
      chain.rpcUrl,
      { grid: accounts.gridCompany, device } as unknown as Actors,
      deployment,
      ["FAULT-WB-1", "FAULT-WB-2", "FAULT-WB-3", "FAULT-WB-4", "FAULT-CAN-1", "FAULT-CAN-2"],
    );
    const meters = meterIds.map((meterId, index) =>
      index < 4
        ? { meterId: meterId.toString(), bus: "rs485", driver: "wb-map3e", address: index + 1 }
        : { meterId: meterId.toString(), bus: "can", driver: "mtr-can", address: index - 3 },
    );
    const dataDir = join(workDir, "agent");
    const configFile = join(workDir, "agent.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        dataDir,
        deviceKeyFile: "unused",
        gateway: { url: `${gateway!.url}/graphql` },
        buses: [
          { name: "rs485", transport: { type: "simulator" }, timeoutMs: 200, turnaroundMs: 0 },
          { name: "can", transport: { type: "simulator" }, timeoutMs: 200, turnaroundMs: 0 },
        ],
        meters,
        schedule: { ntpCheck: "none", readDelaySeconds: 0, maxLateSeconds: MAX_LATE },
        upload: { maxRecordsPerBatch: 12, minBackoffMs: 20, maxBackoffMs: 100 },
      }),
    );
    const worker = await bundle(join(import.meta.dirname, "_test", "faultWorker.ts"), "faultWorker");
    const chainNow = Number((await client.getBlock()).timestamp);
    // ten days before the chain's time, one minute past a boundary (see the header on time)
    const simStart = (Math.floor(chainNow / 1800) * 1800 - 10 * 86400 + 60) * 1000;
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
    let killsOnChain = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      if (cycle === GATEWAY_DOWN_AT) {
        await gateway!.stop(); // the gateway is away for three cycles; the chain keeps running
        gateway = undefined;
      }
      if (cycle === GATEWAY_UP_AT) gateway = await startTheGateway();
      const { child, output } = spawnWorker();
      await waitFor(() => output().includes("started") || child.exitCode !== null, 10_000, "worker start");
      expect(child.exitCode, output()).toBeNull();
      if (KILL_ON_CHAIN.has(cycle)) {
        // Kill as soon as a batch is in a block: the gateway polls for the receipt every 200 ms, so
        // the agent usually has not heard of it yet and must resend the batch after the restart.
        const stop = new AbortController();
        const from = await client.getBlockNumber();
        const timeout = setTimeout(() => stop.abort(), 15_000);
        await nextBatchOnChain(from, stop.signal);
        clearTimeout(timeout);
        expect(stop.signal.aborted, `no batch reached the chain in cycle ${cycle}`).toBe(false);
        child.kill("SIGKILL");
        killsOnChain++;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 250 + Math.random() * 1750));
      }
      child.kill("SIGKILL");
      await exited(child);
      kills++;
    }
    // A last clean run, then a drain-only run so that everything taken reaches the chain.
    const last = spawnWorker();
    await waitFor(() => last.output().includes("started"), 10_000, "worker start");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    last.child.kill("SIGTERM");
    await exited(last.child);
    const drain = spawnWorker({ DRAIN_ONLY: "1" });
    await exited(drain.child);
    expect(drain.output()).toContain("drained");

    const outbox = new Outbox(join(dataDir, "outbox.sqlite"));
    const counts = outbox.counts();
    const stored = outbox.db
      .prepare("SELECT meter_id, interval_end, status, registers FROM readings")
      .all() as Array<{ meter_id: string; interval_end: number; status: number; registers: string }>;
    outbox.close();

    // Everything the chain holds, read from the Readings contract's events (not from the gateway).
    const head = await client.getBlock();
    const recorded = await client.getContractEvents({
      address: deployment.contracts.Readings!,
      abi: readingsAbi,
      eventName: "MeterReadingsRecorded",
      fromBlock: BigInt(deployment.deployedAtBlock),
      toBlock: head.number,
    });
    const onChain = new Map<string, { count: number; status: number; registers: string[] }>();
    for (const log of recorded) {
      for (const record of decodeMeterRecords(log.args.registerMask!, log.args.records!)) {
        const key = `${log.args.meterId}:${record.intervalEnd}`;
        const seen = onChain.get(key);
        if (seen) seen.count++;
        else onChain.set(key, { count: 1, status: record.status, registers: record.registers.map(String) });
      }
    }
    const batches = await client.getContractEvents({
      address: deployment.contracts.Readings!,
      abi: readingsAbi,
      eventName: "ReadingBatchRecorded",
      fromBlock: BigInt(deployment.deployedAtBlock),
      toBlock: head.number,
    });
    const duplicates = batches.reduce((sum, log) => sum + Number(log.args.duplicates), 0);
    const accepted = batches.reduce((sum, log) => sum + Number(log.args.accepted), 0);
    const perDigest = new Map<string, number>();
    for (const log of batches) perDigest.set(log.args.digest!, (perDigest.get(log.args.digest!) ?? 0) + 1);
    const resent = [...perDigest.values()].filter((times) => times > 1).length;
    const fromProfile = stored.filter((r) => r.status & ReadingStatus.FromLoadProfile).length;
    console.info(
      `ledger fault test: ${kills} SIGKILLs (${killsOnChain} right after a batch reached the chain), gateway down for cycles ${GATEWAY_DOWN_AT}-${GATEWAY_UP_AT - 1}, ${stored.length} readings, ${batches.length} batch transactions, ${resent} batches relayed again unchanged, ${duplicates} resubmitted readings ignored by the contract as duplicates, ${fromProfile} filled from load profiles`,
    );

    expect(kills).toBe(CYCLES);
    expect(counts).toMatchObject({ pending: 0, batched: 0, quarantined: 0 });
    expect(stored.length).toBeGreaterThan(60);
    // Kills between "on the chain" and "agent confirmed" happened: those batches went again, unchanged.
    expect(resent).toBeGreaterThan(0);
    expect(duplicates).toBeGreaterThan(0);
    // Exactly once, same content: the chain holds precisely the readings the agent took.
    expect([...onChain.keys()].sort()).toEqual(stored.map((r) => `${r.meter_id}:${r.interval_end}`).sort());
    expect([...onChain.entries()].filter(([, entry]) => entry.count !== 1)).toEqual([]);
    expect(accepted).toBe(stored.length);
    for (const row of stored) {
      const entry = onChain.get(`${row.meter_id}:${row.interval_end}`)!;
      expect(entry.registers, `${row.meter_id}:${row.interval_end}`).toEqual(JSON.parse(row.registers));
      expect(entry.status).toBe(row.status);
      // all in the chain's past (see the header on time)
      expect(row.interval_end).toBeLessThan(Number(head.timestamp));
    }
    // Values are what the meters showed at (or shortly after) each boundary.
    meters.forEach((meter, index) => {
      const energy = defaultEnergyProfile(index);
      const rows = stored
        .filter((r) => r.meter_id === meter.meterId)
        .sort((a, b) => a.interval_end - b.interval_end);
      expect(rows.length, `meter ${meter.meterId}`).toBeGreaterThan(5);
      for (const row of rows) {
        const value = BigInt(JSON.parse(row.registers)[0]);
        expect(value).toBeGreaterThanOrEqual(BigInt(simulatedImportWh(energy, row.interval_end)));
        expect(value).toBeLessThanOrEqual(BigInt(simulatedImportWh(energy, row.interval_end + MAX_LATE + 5)));
        if (row.status & ReadingStatus.FromLoadProfile)
          expect(value).toBe(BigInt(simulatedImportWh(energy, row.interval_end)));
      }
      // Meters with a load profile have no gaps at all, whatever the kills and the outage did.
      if (meter.driver === "mtr-can") {
        const ends = rows.map((r) => r.interval_end);
        for (let i = 1; i < ends.length; i++)
          expect(ends[i]! - ends[i - 1]!, `gap in meter ${meter.meterId}`).toBe(1800);
      }
    });
  }, 120_000);

  it("the real gateway's refusals land in the agent's classes: device → pause, readings → quarantine, gateway down → retry", async () => {
    gateway ??= await startTheGateway();
    const device = privateKeyToAccount(generatePrivateKey());
    const [meterId] = await registerMetersWithDevice(
      chain.rpcUrl,
      { grid: chain.accounts.gridCompany, device } as unknown as Actors,
      deployment,
      ["CLASSIFY-1"],
    );
    const uploader = new GraphqlUploader({ url: `${gateway.url}/graphql`, timeoutMs: 5000 });
    const domain = await uploader.readingsDomain();
    const now = Number((await client.getBlock()).timestamp);
    const end = Math.floor(now / 1800) * 1800 - 3 * 1800;
    const reading = (intervalEnd: number, value: bigint) => ({
      meterId: meterId!,
      registerMask: 1,
      intervalEnd,
      status: 0,
      registers: [value],
    });
    const first = buildReadingBatch([reading(end, 1000n)]);
    expect(await uploader.submit(first, await signBatch(device, domain, first))).toMatchObject({
      accepted: 1,
      duplicates: 0,
    });
    const refusal = async (batch: ReturnType<typeof buildReadingBatch>, signer = device) =>
      uploader.submit(batch, await signBatch(signer, domain, batch)).catch((error: unknown) => error);

    // a key that is not the meter's: the agent pauses, it does not quarantine
    const stranger = await refusal(
      buildReadingBatch([reading(end + 1800, 1100n)]),
      privateKeyToAccount(generatePrivateKey()),
    );
    expect(stranger).toBeInstanceOf(DeviceRefusedByGatewayError);
    expect(stranger).toMatchObject({ code: "UNAUTHORIZED_DEVICE" });
    // refusals of the readings: split and quarantine, not a device problem
    for (const [batch, code] of [
      [buildReadingBatch([reading(end + 1800, 999n)]), "DECREASING_REGISTER"],
      [buildReadingBatch([reading(end, 1001n)]), "CONFLICTING_REPLAY"],
      [buildReadingBatch([reading(Math.floor(now / 1800) * 1800 + 2 * 1800, 1200n)]), "INTERVAL_IN_FUTURE"],
    ] as const) {
      const error = await refusal(batch);
      expect(error, code).toBeInstanceOf(GatewayRejectedError);
      expect(error, code).not.toBeInstanceOf(DeviceRefusedByGatewayError);
      expect(error, code).toMatchObject({ code });
    }
    // the gateway gone: retry later
    await gateway.stop();
    gateway = undefined;
    expect(await refusal(buildReadingBatch([reading(end + 1800, 1100n)]))).toBeInstanceOf(
      GatewayUnavailableError,
    );
  }, 60_000);
});
