/**
 * `npm run bench:ingest`: simulated agents submit signed reading batches through the real GraphQL
 * mutation into the embedded chain; the gateway verifies and relays them, the chain mines them
 * (1-second blocks), the indexer writes them to the database. Measured: readings per second from
 * the first request until every reading is in the database (queryable). The same for a naive path —
 * one reading per request and transaction — in the same run, and the ratio. SQLite always; MariaDB
 * too when GRIDLEDGER_TEST_MYSQL_URL is set.
 *
 * Options: --meters N (default 400), --intervals M (48), --agents C concurrent requests (16),
 * --naive K readings for the naive path (300).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { deployGridLedger, readingsAbi, registryAbi } from "@gridledger/contracts";
import {
  buildReadingBatch,
  type IntervalReading,
  type ReadingBatch,
  readingBatchTypedData,
} from "@gridledger/domain";
import { DEV_ROLES, startDevChain } from "@gridledger/network";
import {
  type Abi,
  createNonceManager,
  createPublicClient,
  type Hex,
  http,
  parseEventLogs,
  toHex,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { jsonRpc } from "viem/nonce";
import { readSystemConfig } from "../src/config/systemConfig.js";
import { Reading } from "../src/db/entities/index.js";
import { dropMysqlDatabase } from "../src/db/openDatabase.js";
import { Rebroadcaster, Sender, waitForReceipts } from "../src/demo/chainTx.js";
import { startGateway } from "../src/system/startGateway.js";

const { values } = parseArgs({
  options: {
    meters: { type: "string", default: "400" },
    intervals: { type: "string", default: "48" },
    agents: { type: "string", default: "16" },
    naive: { type: "string", default: "300" },
    cold: { type: "boolean", default: false },
    /** sqlite, mariadb or both (MariaDB needs GRIDLEDGER_TEST_MYSQL_URL). */
    database: { type: "string", default: "both" },
  },
});
const METERS = Number(values.meters);
const INTERVALS = Number(values.intervals);
const AGENTS = Number(values.agents);
const NAIVE = Number(values.naive);
/** Meters that never reported before: their first reading creates their storage (about 2.5x the gas). */
const COLD = values.cold;
const METERS_PER_BATCH = 10;

type RunResult = {
  readings: number;
  seconds: number;
  perSecond: number;
  requests: number;
  /** Request latency (sent → answered with its block), milliseconds. */
  latencyP50: number;
  latencyP95: number;
  /** When the last request was answered (relayed and mined), from the first request. */
  relayedSeconds: number;
  /** CPU seconds over the run: this process (agents' requests, gateway, indexer) and anvil. */
  gatewayCpuSeconds: number;
  chainCpuSeconds: number;
  /** The local MariaDB server's CPU seconds (MariaDB leg, when it runs on this machine). */
  databaseCpuSeconds: number | undefined;
};

/** The local MariaDB/MySQL server's process id, when there is one. */
function localDatabaseServerPid(): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const name = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (name === "mariadbd" || name === "mysqld") return Number(entry);
    } catch {
      // the process ended while listing
    }
  }
  return undefined;
}

/** A process's user + system CPU seconds from /proc (Linux; 0 elsewhere). */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // fields after the parenthesised command name: utime and stime are the 12th and 13th
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function benchDatabase(
  label: string,
  databaseUrl: string,
): Promise<{ batched: RunResult; naive: RunResult }> {
  const dataDir = mkdtempSync(join(tmpdir(), "gl-bench-ingest-"));
  const chain = await startDevChain({ blockTimeSeconds: 1 });
  try {
    const role = (name: (typeof DEV_ROLES)[number]) =>
      mnemonicToAccount(chain.mnemonic, {
        addressIndex: DEV_ROLES.indexOf(name),
        // a fresh counter per chain: the next leg's chain reuses the same addresses and chain id
        nonceManager: createNonceManager({ source: jsonRpc() }),
      });
    const grid = role("gridCompany");
    const device = role("device");
    const deployment = await deployGridLedger({
      rpcUrl: chain.rpcUrl,
      deployer: chain.accounts.operator,
      roles: {
        operator: chain.accounts.operator.address,
        gridCompany: grid.address,
        retailCompanies: [chain.accounts.retailCompanyA.address],
        paymentSources: [chain.accounts.bank.address],
      },
    });
    const client = createPublicClient({ transport: http(chain.rpcUrl), cacheTime: 0 });

    // meters for the batched run and for the naive run, registered concurrently from the grid company
    // (the demo seed's sender: own nonces, re-sent when anvil drops a transaction from a full block)
    const total = METERS + NAIVE;
    const rebroadcaster = new Rebroadcaster(client);
    const sender = new Sender(client, grid, chain.chainId, 0n, rebroadcaster);
    await sender.init();
    const fromBlock = await client.getBlockNumber();
    for (let index = 0; index < total; index++) {
      void sender.call({
        address: deployment.contracts.Registry!,
        abi: registryAbi as Abi,
        functionName: "registerMeter",
        args: [
          {
            gridCompany: grid.address,
            accountId: 0n,
            meterType: 1,
            tariffZones: 1,
            meteringScheme: 1,
            remoteReading: true,
            exportCapable: false,
            atBalanceBoundary: true,
            lossMethod: 0,
            lossPpm: 0,
            serial: toHex(`BENCH-${index}`, { size: 32 }),
            model: toHex("SDM630", { size: 32 }),
            lossParameters: toHex(0, { size: 32 }),
          },
        ],
        gas: 400_000n,
      });
    }
    const registrations = await sender.drain();
    const receipts = await waitForReceipts(client, registrations, fromBlock);
    const meterIds: bigint[] = registrations.map((sent) => {
      const [event] = parseEventLogs({
        abi: registryAbi,
        logs: receipts.get(sent.hash.toLowerCase() as Hex)!.logs,
        eventName: "MeterRegistered",
      });
      return event!.args.meterId;
    });
    const keyBlock = await client.getBlockNumber();
    for (let start = 0; start < meterIds.length; start += 200) {
      void sender.call({
        address: deployment.contracts.Readings!,
        abi: readingsAbi as Abi,
        functionName: "registerDeviceKey",
        args: [meterIds.slice(start, start + 200), device.address],
        gas: 15_000_000n,
      });
    }
    await waitForReceipts(client, await sender.drain(), keyBlock);
    rebroadcaster.stop();

    const config = readSystemConfig({
      GRIDLEDGER_DATA_DIR: dataDir,
      GRIDLEDGER_DATABASE_URL: databaseUrl,
      GRIDLEDGER_GATEWAY_PORT: "0",
      GRIDLEDGER_LOG_LEVEL: "silent",
    });
    const gateway = await startGateway({
      config,
      rpcUrl: chain.rpcUrl,
      deployment,
      relayer: role("relayer"),
    });
    await gateway.caughtUp;
    try {
      const lastEnd = Math.floor(Number((await client.getBlock()).timestamp) / 1800) * 1800;
      const sign = async (readings: IntervalReading[]) => {
        const batch = buildReadingBatch(readings);
        const signature = await device.signTypedData(
          readingBatchTypedData({
            chainId: chain.chainId,
            verifyingContract: deployment.contracts.Readings!,
            batch,
          }),
        );
        return { batch, signature };
      };
      const post = async ({ batch, signature }: { batch: ReadingBatch; signature: Hex }) => {
        const response = await fetch(`${gateway.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            query:
              "mutation($b: ReadingBatchInput!, $s: String!) { submitReadings(batch: $b, signature: $s) { blockNumber accepted } }",
            variables: {
              b: {
                meters: batch.meters.map((m) => ({
                  meterId: m.meterId.toString(),
                  registerMask: m.registerMask,
                  records: m.records,
                })),
              },
              s: signature,
            },
          }),
        });
        const answer = (await response.json()) as {
          data?: { submitReadings: { blockNumber: string; accepted: number } };
          errors?: unknown;
        };
        if (!answer.data) throw new Error(`submitReadings failed: ${JSON.stringify(answer.errors)}`);
        return answer.data.submitReadings;
      };
      const run = async (
        requests: { batch: ReadingBatch; signature: Hex }[],
        readings: number,
      ): Promise<RunResult> => {
        const before = await gateway.database.em().count(Reading, {});
        const cpuBefore = process.cpuUsage();
        const chainCpuBefore = processCpuSeconds(chain.pid);
        const databasePid = databaseUrl.startsWith("mysql") ? localDatabaseServerPid() : undefined;
        const databaseCpuBefore = processCpuSeconds(databasePid);
        const started = performance.now();
        const latencies: number[] = [];
        await pool(requests, AGENTS, async (request) => {
          const sent = performance.now();
          await post(request);
          latencies.push(performance.now() - sent);
        });
        latencies.sort((a, b) => a - b);
        const percentile = (p: number) =>
          latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
        const relayedSeconds = (performance.now() - started) / 1000;
        // queryable: every reading is in the index
        while ((await gateway.database.em().count(Reading, {})) < before + readings) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const seconds = (performance.now() - started) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        return {
          readings,
          seconds,
          perSecond: readings / seconds,
          requests: requests.length,
          latencyP50: percentile(0.5),
          latencyP95: percentile(0.95),
          relayedSeconds,
          gatewayCpuSeconds: (cpu.user + cpu.system) / 1e6,
          chainCpuSeconds: processCpuSeconds(chain.pid) - chainCpuBefore,
          databaseCpuSeconds:
            databasePid === undefined ? undefined : processCpuSeconds(databasePid) - databaseCpuBefore,
        };
      };

      if (!COLD) {
        // steady state: every meter has reported before (the interval before the measured day), as in
        // a running system, where a meter's first reading ever — which creates its storage — is once
        const warmups = [];
        for (let start = 0; start < meterIds.length; start += 100) {
          warmups.push(
            await sign(
              meterIds.slice(start, start + 100).map((meterId) => ({
                meterId,
                registerMask: 1,
                intervalEnd: lastEnd - INTERVALS * 1800,
                status: 0,
                registers: [0n],
              })),
            ),
          );
        }
        await run(warmups, meterIds.length);
      }

      // batched: each agent request carries 10 meters × all intervals (480 readings at 48 intervals)
      const batchedMeters = meterIds.slice(0, METERS);
      const batches = [];
      for (let start = 0; start < batchedMeters.length; start += METERS_PER_BATCH) {
        const group = batchedMeters.slice(start, start + METERS_PER_BATCH);
        batches.push(
          await sign(
            group.flatMap((meterId) =>
              Array.from({ length: INTERVALS }, (_, slot) => ({
                meterId,
                registerMask: 1,
                intervalEnd: lastEnd - (INTERVALS - 1 - slot) * 1800,
                status: 0,
                registers: [BigInt(slot * 250)],
              })),
            ),
          ),
        );
      }
      const batched = await run(batches, batchedMeters.length * INTERVALS);

      // naive: one reading per request, per transaction
      const naiveRequests = await Promise.all(
        meterIds
          .slice(METERS, METERS + NAIVE)
          .map((meterId) =>
            sign([{ meterId, registerMask: 1, intervalEnd: lastEnd, status: 0, registers: [1n] }]),
          ),
      );
      const naive = await run(naiveRequests, NAIVE);
      process.stdout.write(
        `${label.padEnd(8)} batched ${batched.readings} readings in ${batched.requests} requests: ${batched.seconds.toFixed(1)} s, ${Math.round(batched.perSecond).toLocaleString("en")} readings/s\n` +
          `${"".padEnd(8)}         request p50 ${Math.round(batched.latencyP50)} ms, p95 ${Math.round(batched.latencyP95)} ms; last answer at ${batched.relayedSeconds.toFixed(1)} s; CPU: gateway process ${batched.gatewayCpuSeconds.toFixed(1)} s, anvil ${batched.chainCpuSeconds.toFixed(1)} s${batched.databaseCpuSeconds === undefined ? "" : `, MariaDB ${batched.databaseCpuSeconds.toFixed(1)} s`}\n` +
          `${"".padEnd(8)} naive   ${naive.readings} readings in ${naive.requests} requests: ${naive.seconds.toFixed(1)} s, ${Math.round(naive.perSecond).toLocaleString("en")} readings/s\n` +
          `${"".padEnd(8)} ratio   ${(batched.perSecond / naive.perSecond).toFixed(1)}x\n`,
      );
      return { batched, naive };
    } finally {
      await gateway.stop();
    }
  } finally {
    await chain.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

process.stdout.write(
  `bench:ingest — ${METERS} meters × ${INTERVALS} intervals in batches of ${METERS_PER_BATCH * INTERVALS}, ${AGENTS} agents at once; naive ${NAIVE} single-reading requests; 1-second blocks\n` +
    "(batches are signed before the clock starts: the figure is gateway + chain + indexer)\n" +
    (COLD
      ? "(--cold: the meters never reported before; each first reading creates the meter's storage)\n"
      : "(steady state: each meter reported the interval before, outside the clock; --cold for first readings ever)\n"),
);
if (values.database !== "mariadb") {
  const sqliteDir = mkdtempSync(join(tmpdir(), "gl-bench-sqlite-"));
  await benchDatabase("SQLite", `sqlite:${join(sqliteDir, "bench.sqlite")}`);
  rmSync(sqliteDir, { recursive: true, force: true });
}
const mysql = process.env.GRIDLEDGER_TEST_MYSQL_URL;
if (values.database === "sqlite") {
  // SQLite only, as asked
} else if (mysql) {
  const url = mysql.replace(/\/[^/]*$/, `/gl_bench_ingest_${process.pid}`);
  try {
    await benchDatabase("MariaDB", url);
  } finally {
    await dropMysqlDatabase(url);
  }
} else {
  process.stdout.write("MariaDB: skipped (set GRIDLEDGER_TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/test)\n");
}
process.exit(0);
