/**
 * Indexer backfill benchmark: `npm run bench:index --workspace gateway [-- --readings 200000]`.
 *
 * Builds a chain of its own (anvil, 0.25 s blocks) with N readings in transactions of 500 readings
 * (10 meters x 50 half hours, the shape of performance-anchors.md's peer comparison), then times, in
 * this one process and on the same logs:
 *   1. baseline: a plain loop, eth_getLogs by 5,000-block ranges, decode, insert into SQLite with a
 *      prepared statement, 5,000 rows a transaction (the anchors' "plain script", 40,800 events/s there);
 *   2. the indexer into SQLite (file);
 *   3. the indexer into MariaDB/MySQL (GRIDLEDGER_TEST_MYSQL_URL's server, default
 *      mysql://root@127.0.0.1:3306), when reachable.
 * Prints readings/s and the ratio to the baseline. Figures, not assertions.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployGridLedger, readingsAbi, registryAbi } from "@gridledger/contracts";
import { buildReadingBatch, decodeMeterRecords, readingBatchTypedData } from "@gridledger/domain";
import { devAccounts, startDevChain } from "@gridledger/network";
import Database from "better-sqlite3";
import {
  createPublicClient,
  createWalletClient,
  decodeEventLog,
  type Hex,
  http,
  parseEventLogs,
  toHex,
} from "viem";
import { dropMysqlDatabase, openDatabase } from "../src/db/openDatabase.js";
import { createIndexer } from "../src/indexer/createIndexer.js";

type RpcLog = { topics: [Hex, ...Hex[]]; data: Hex; blockNumber: Hex; transactionHash: Hex; logIndex: Hex };

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const READINGS = argument("readings", 200_000);
const PER_TX_METERS = 10;
const PER_TX_INTERVALS = 50;
const METERS = 100;

const chain = await startDevChain({ blockTimeSeconds: 0.25 });
try {
  const accounts = devAccounts(chain.mnemonic);
  const deployment = await deployGridLedger({
    rpcUrl: chain.rpcUrl,
    deployer: accounts.all[10]!,
    roles: {
      operator: accounts.operator.address,
      gridCompany: accounts.gridCompany.address,
      retailCompanies: [accounts.retailCompanyA.address],
      paymentSources: [accounts.bank.address],
    },
  });
  const client = createPublicClient({ transport: http(chain.rpcUrl) });
  const grid = createWalletClient({ account: accounts.gridCompany, transport: http(chain.rpcUrl) });
  const relayer = createWalletClient({ account: accounts.relayer, transport: http(chain.rpcUrl) });
  const registry = deployment.contracts.Registry as Hex;
  const readings = deployment.contracts.Readings as Hex;

  // ---------------------------------------------------------------- chain data
  process.stderr.write(`building the chain: ${METERS} meters, ${READINGS} readings…\n`);
  let nonce = await client.getTransactionCount({
    address: accounts.gridCompany.address,
    blockTag: "pending",
  });
  const setup: Hex[] = [];
  for (let index = 0; index < METERS; index++) {
    setup.push(
      await grid.writeContract({
        chain: null,
        address: registry,
        abi: registryAbi,
        functionName: "registerMeter",
        args: [
          {
            gridCompany: accounts.gridCompany.address,
            accountId: 0n,
            meterType: 1,
            tariffZones: 3,
            meteringScheme: 1,
            remoteReading: true,
            exportCapable: false,
            atBalanceBoundary: true,
            lossMethod: 0,
            lossPpm: 0,
            serial: toHex(`B-${index}`, { size: 32 }),
            model: toHex("Mercury 234", { size: 32 }),
            lossParameters: toHex("", { size: 32 }),
          },
        ],
        gas: 400_000n,
        gasPrice: 0n,
        nonce: nonce++,
      }),
    );
  }
  const meterIds: bigint[] = [];
  for (const hash of setup) {
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
    meterIds.push(
      parseEventLogs({ abi: registryAbi, logs: receipt.logs, eventName: "MeterRegistered" })[0]!.args.meterId,
    );
  }
  await client.waitForTransactionReceipt({
    hash: await grid.writeContract({
      chain: null,
      address: readings,
      abi: readingsAbi,
      functionName: "registerDeviceKey",
      args: [meterIds, accounts.device.address],
      gas: 5_000_000n,
      gasPrice: 0n,
      nonce: nonce++,
    }),
  });
  const intervalsPerMeter = Math.ceil(READINGS / METERS);
  const now = Number((await client.getBlock()).timestamp);
  const first = Math.floor(now / 1800) * 1800 - intervalsPerMeter * 1800;
  const transactions: Hex[] = [];
  let relayerNonce = await client.getTransactionCount({
    address: accounts.relayer.address,
    blockTag: "pending",
  });
  const groups = METERS / PER_TX_METERS;
  for (let step = 0; step < intervalsPerMeter; step += PER_TX_INTERVALS) {
    for (let group = 0; group < groups; group++) {
      const ids = meterIds.slice(group * PER_TX_METERS, (group + 1) * PER_TX_METERS);
      const batch = buildReadingBatch(
        ids.flatMap((meterId) =>
          Array.from({ length: Math.min(PER_TX_INTERVALS, intervalsPerMeter - step) }, (_, i) => ({
            meterId,
            registerMask: 0b111,
            intervalEnd: first + (step + i) * 1800,
            status: 0,
            registers: [BigInt((step + i) * 100), BigInt((step + i) * 40), BigInt((step + i) * 7)],
          })),
        ),
      );
      const signature = await accounts.device.signTypedData(
        readingBatchTypedData({ chainId: chain.chainId, verifyingContract: readings, batch }),
      );
      transactions.push(
        await relayer.writeContract({
          chain: null,
          address: readings,
          abi: readingsAbi,
          functionName: "submitReadings",
          args: [batch.meters, signature],
          gas: 2_000_000n,
          gasPrice: 0n,
          nonce: relayerNonce++,
        }),
      );
    }
  }
  for (const hash of transactions) {
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 250, timeout: 600_000 });
    if (receipt.status !== "success") throw new Error("a submitReadings transaction reverted");
  }
  const head = Number(await client.getBlockNumber({ cacheTime: 0 }));
  const fromBlock = Number(deployment.deployedAtBlock);
  process.stderr.write(`chain ready: ${transactions.length} transactions, blocks ${fromBlock}-${head}\n\n`);

  const results: { name: string; readings: number; seconds: number }[] = [];
  const report = (name: string, count: number, ms: number) => {
    results.push({ name, readings: count, seconds: ms / 1000 });
    process.stdout.write(
      `${name.padEnd(44)} ${count} readings in ${(ms / 1000).toFixed(2)} s = ${Math.round(count / (ms / 1000))}/s\n`,
    );
  };

  // ---------------------------------------------------------------- 1. baseline
  {
    const folder = mkdtempSync(join(tmpdir(), "gl-bench-"));
    const sqlite = new Database(join(folder, "baseline.sqlite"));
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.exec(
      "create table readings (meter_id integer not null, interval_end integer not null, status integer, t1 integer, t2 integer, t3 integer, block_number integer, tx_hash text, log_index integer, primary key (meter_id, interval_end))",
    );
    const insert = sqlite.prepare("insert into readings values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const started = performance.now();
    let count = 0;
    let pending: unknown[][] = [];
    const flush = sqlite.transaction((rows: unknown[][]) => {
      for (const row of rows) insert.run(row);
    });
    for (let from = fromBlock; from <= head; from += 5000) {
      // Plain fetch: no response size limit (viem's 10 MB cap would need the indexer's range control).
      const response = await fetch(chain.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "eth_getLogs",
          params: [
            { address: readings, fromBlock: toHex(from), toBlock: toHex(Math.min(head, from + 4999)) },
          ],
        }),
      });
      const logs = ((await response.json()) as { result: RpcLog[] }).result;
      for (const log of logs) {
        const event = decodeEventLog({ abi: readingsAbi, topics: log.topics, data: log.data });
        if (event.eventName !== "MeterReadingsRecorded") continue;
        for (const record of decodeMeterRecords(event.args.registerMask, event.args.records)) {
          pending.push([
            Number(event.args.meterId),
            record.intervalEnd,
            record.status,
            Number(record.registers[0]),
            Number(record.registers[1]),
            Number(record.registers[2]),
            Number(log.blockNumber),
            log.transactionHash,
            Number(log.logIndex),
          ]);
          if (pending.length === 5000) {
            flush(pending);
            count += pending.length;
            pending = [];
          }
        }
      }
    }
    flush(pending);
    count += pending.length;
    report("baseline: getLogs -> better-sqlite3 loop", count, performance.now() - started);
    sqlite.close();
  }

  // ---------------------------------------------------------------- 2./3. the indexer
  const targets: { name: string; url: string; drop?: string }[] = [
    {
      name: "indexer -> SQLite",
      url: `sqlite:${join(mkdtempSync(join(tmpdir(), "gl-bench-")), "gateway.sqlite")}`,
    },
  ];
  const mysqlBase = process.env.GRIDLEDGER_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";
  const mysqlUrl = mysqlBase.replace(/\/[^/]*$/, `/gl_bench_${process.pid}`);
  targets.push({ name: "indexer -> MariaDB", url: mysqlUrl, drop: mysqlUrl });
  for (const target of targets) {
    let db: Awaited<ReturnType<typeof openDatabase>>;
    try {
      db = await openDatabase({ url: target.url });
    } catch (error) {
      process.stdout.write(`${target.name.padEnd(44)} skipped: ${(error as Error).message.split("\n")[0]}\n`);
      continue;
    }
    try {
      const started = performance.now();
      const progress = await createIndexer({ db, rpcUrl: chain.rpcUrl, deployment }).run({
        untilBlock: head,
      });
      report(target.name, progress.readings, performance.now() - started);
    } finally {
      await db.close();
      if (target.drop) await dropMysqlDatabase(target.drop);
    }
  }

  const baseline = results[0]!;
  const rate = (r: { readings: number; seconds: number }) => r.readings / r.seconds;
  process.stdout.write("\nratios (same process, same logs):\n");
  for (const result of results.slice(1)) {
    process.stdout.write(
      `  ${result.name.padEnd(22)} ${(rate(result) / rate(baseline)).toFixed(2)}x the baseline; ` +
        `${(rate(result) / 7_200).toFixed(1)}x Ponder/PGlite, ${(rate(result) / 9_300).toFixed(1)}x Ponder/PostgreSQL (anchors, not re-measured)\n`,
    );
  }
  process.stdout.write(
    "targets: >= 50,000 readings/s into MariaDB; within 2x of the baseline (ratio >= 0.5)\n",
  );
} finally {
  await chain.stop();
}
