import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { deployGridLedger, type GridLedgerDeployment } from "@gridledger/contracts";
import { buildReadingBatch, readingBatchTypedData } from "@gridledger/domain";
import { type RunningGateway, readSystemConfig, startGateway } from "@gridledger/gateway";
import { DEV_ROLES, type DevChain, findFreePort, startDevChain } from "@gridledger/network";
import { createNonceManager, createPublicClient, http, type LocalAccount } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { jsonRpc } from "viem/nonce";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Actors, registerMetersWithDevice } from "../../gateway/src/_test/chainFixture.js";
import { IndexerCheckpoint, Reading } from "../../gateway/src/db/entities/index.js";
import { formatVerifyReport, verifyAgainstChain } from "../../gateway/src/ops/verifyAgainstChain.js";
import { type PrivateServer, privateMariaDb, privateRedis, requireBinaries } from "./privateServices.js";

/**
 * §7 fault tests: the gateway runs on a private chain, MariaDB and Redis while agents submit readings
 * through the real `submitReadings` path; each dependency is stopped in turn. Each time the gateway
 * must report emergency mode naming it, refuse writes with EMERGENCY_MODE, lose nothing it accepted,
 * and — once the dependency is back — clear the mode and index the chain so the database equals it.
 */
const SUBMIT = `mutation Submit($batch: ReadingBatchInput!, $signature: String!) {
  submitReadings(batch: $batch, signature: $signature) { accepted duplicates transactionHash }
}`;

type Answer = {
  data?: { submitReadings?: { accepted: number; duplicates: number } } | null;
  errors?: { message: string; extensions?: { code?: string; retryable?: boolean; details?: string } }[];
};

requireBinaries();
const folder = mkdtempSync(path.join(os.tmpdir(), "gl-faults-"));
let chain: DevChain;
let chainPort: number;
let mariadb: PrivateServer;
let redis: PrivateServer;
let gateway: RunningGateway;
let deployment: GridLedgerDeployment;
let device: LocalAccount;
let meterIds: bigint[];
let firstEnd: number;

const startChain = () =>
  startDevChain({
    dataDir: path.join(folder, "chain"),
    port: chainPort,
    blockTimeSeconds: 0.5,
    stateIntervalSeconds: 1,
  });

beforeAll(async () => {
  chainPort = await findFreePort();
  mariadb = await privateMariaDb(folder, await findFreePort());
  redis = privateRedis(await findFreePort());
  [chain] = await Promise.all([startChain(), mariadb.start(), redis.start()]);
  const accounts = chain.accounts;
  deployment = await deployGridLedger({
    rpcUrl: chain.rpcUrl,
    deployer: accounts.operator,
    roles: {
      operator: accounts.operator.address,
      gridCompany: accounts.gridCompany.address,
      retailCompanies: [accounts.retailCompanyA.address],
      paymentSources: [accounts.bank.address],
    },
  });
  device = accounts.device as LocalAccount;
  meterIds = await registerMetersWithDevice(
    chain.rpcUrl,
    { grid: accounts.gridCompany, device } as unknown as Actors,
    deployment,
    ["F-1", "F-2", "F-3"],
  );
  const client = createPublicClient({ transport: http(chain.rpcUrl) });
  firstEnd = Math.floor(Number((await client.getBlock()).timestamp) / 1800) * 1800 - 2000 * 1800;

  const config = readSystemConfig({
    GRIDLEDGER_DATA_DIR: folder,
    GRIDLEDGER_DATABASE_URL: mariadb.url,
    GRIDLEDGER_REDIS_URL: redis.url,
    GRIDLEDGER_GATEWAY_PORT: "0",
    GRIDLEDGER_LOG_LEVEL: "silent",
  });
  gateway = await startGateway({
    config,
    rpcUrl: chain.rpcUrl,
    deployment,
    relayer: mnemonicToAccount(chain.mnemonic, {
      addressIndex: DEV_ROLES.indexOf("relayer"),
      nonceManager: createNonceManager({ source: jsonRpc() }),
    }),
    // the embedded chain may come back from its state file; rebuild rather than stop if it differs
    onReorg: "rebuild",
    probeIntervalMs: 250,
  });
  await gateway.caughtUp;
});

afterAll(async () => {
  await gateway?.stop().catch(() => undefined);
  await Promise.all(
    [chain?.stop(), mariadb?.stop(), redis?.stop()].map((stop) => stop?.catch(() => undefined)),
  );
  rmSync(folder, { recursive: true, force: true });
});

async function submit(meterId: bigint, slot: number): Promise<Answer & { status: number }> {
  const batch = buildReadingBatch([
    {
      meterId,
      registerMask: 1,
      intervalEnd: firstEnd + slot * 1800,
      status: 0,
      registers: [BigInt(slot) * 1000n + meterId],
    },
  ]);
  const signature = await device.signTypedData!(
    readingBatchTypedData({
      chainId: deployment.chainId,
      verifyingContract: deployment.contracts.Readings!,
      batch,
    }),
  );
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: SUBMIT,
      variables: {
        batch: {
          meters: batch.meters.map((entry) => ({
            meterId: entry.meterId.toString(),
            registerMask: entry.registerMask,
            records: entry.records,
          })),
        },
        signature,
      },
    }),
    signal: AbortSignal.timeout(60_000),
  }).catch((error: unknown) => ({ status: 0, json: async () => ({ errors: [{ message: String(error) }] }) }));
  return { ...((await response.json()) as Answer), status: response.status };
}

/**
 * One agent per meter: one reading per half hour, kept (like the agent's outbox) until the gateway
 * accepts it; a retryable refusal is sent again. Records what was accepted and every refusal code.
 */
function startLoad() {
  let running = true;
  const accepted: { meterId: bigint; slot: number }[] = [];
  const refusals: Record<string, number> = {};
  const agents = meterIds.map(async (meterId) => {
    for (let slot = 1; running; ) {
      const answer = await submit(meterId, slot);
      const result = answer.data?.submitReadings;
      if (result && result.accepted + result.duplicates === 1) {
        accepted.push({ meterId, slot });
        slot += 1;
        continue;
      }
      const error = answer.errors?.[0];
      const code = error?.extensions?.code ?? `HTTP ${answer.status}`;
      refusals[code] = (refusals[code] ?? 0) + 1;
      if (error?.extensions?.retryable === false)
        throw new Error(`a reading was refused for good: ${JSON.stringify(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  });
  return {
    accepted,
    refusals,
    stop: async () => {
      running = false;
      await Promise.all(agents);
    },
  };
}

type Health = { mode: string; reason: string | null; dependencies: Record<string, { up: boolean }> };
async function health(): Promise<Health> {
  return (await (await fetch(`${gateway.url}/health`)).json()) as Health;
}
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("dependencies fail under load: emergency mode, refusals, nothing lost, the index equals the chain", () => {
  const faults: {
    name: "database" | "cache" | "chain";
    stop: () => Promise<void>;
    start: () => Promise<void>;
  }[] = [
    { name: "database", stop: () => mariadb.stop(), start: () => mariadb.start() },
    { name: "cache", stop: () => redis.stop(), start: () => redis.start() },
    {
      name: "chain",
      stop: () => chain.stop(),
      start: async () => {
        chain = await startChain();
      },
    },
  ];

  test("MariaDB, Redis and the chain RPC stopped in turn", { timeout: 150_000 }, async () => {
    expect((await health()).mode).toBe("normal");
    const load = startLoad();
    await waitFor("readings flowing", async () => load.accepted.length >= 6);
    let probeSlot = 100_000;

    for (const fault of faults) {
      const acceptedBefore = load.accepted.length;
      await fault.stop();
      const detectedMs = await waitFor(`emergency for ${fault.name}`, async () => {
        const state = await health();
        return state.mode === "emergency" && state.dependencies[fault.name]?.up === false;
      });
      // a write now is refused with the specific code, naming the dependency, and marked retryable
      const refused = await submit(meterIds[0]!, probeSlot++);
      expect(refused.status, JSON.stringify(refused)).toBe(503);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "EMERGENCY_MODE", retryable: true });
      expect(refused.errors?.[0]?.extensions?.details).toContain(`dependency=${fault.name}`);
      expect((await health()).reason).toMatch(
        fault.name === "cache" ? /Redis/ : fault.name === "chain" ? /chain RPC/ : /database/,
      );

      await fault.start();
      const clearedMs = await waitFor(
        `normal after ${fault.name}`,
        async () => (await health()).mode === "normal",
      );
      // readings flow again
      await waitFor(
        `readings after ${fault.name}`,
        async () => load.accepted.length >= acceptedBefore + 6,
        60_000,
      );
      console.info(
        `fault ${fault.name}: emergency after ${detectedMs} ms, cleared ${clearedMs} ms after restart`,
      );
    }
    await load.stop();
    expect(load.refusals.EMERGENCY_MODE ?? 0).toBeGreaterThan(0);

    // the index catches up and equals the chain; every accepted reading is there
    const client = createPublicClient({ transport: http(chain.rpcUrl), cacheTime: 0 });
    const head = Number(await client.getBlockNumber());
    const checkpoint = async () =>
      (await gateway.database.em().findOne(IndexerCheckpoint, { id: "main" }, { disableIdentityMap: true }))
        ?.blockNumber ?? -1;
    await waitFor("the index to reach the head", async () => (await checkpoint()) >= head, 60_000);
    const result = await verifyAgainstChain({ db: gateway.database, rpcUrl: chain.rpcUrl, deployment });
    expect(result.equal, formatVerifyReport(result).join("\n")).toBe(true);
    const stored = await gateway.database.em().find(Reading, { meterId: { $in: meterIds.map(Number) } });
    const keys = new Set(stored.map((row) => `${row.meterId}:${row.intervalEnd}:${row.importT1}`));
    const missing = load.accepted.filter(
      ({ meterId, slot }) =>
        !keys.has(`${meterId}:${firstEnd + slot * 1800}:${BigInt(slot) * 1000n + meterId}`),
    );
    expect(missing).toEqual([]);
    expect(load.accepted.length).toBeGreaterThanOrEqual(24);
    console.info(`accepted ${load.accepted.length} readings; refusals ${JSON.stringify(load.refusals)}`);
  });
});
