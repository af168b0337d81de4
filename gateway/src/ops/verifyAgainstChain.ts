import { createHash } from "node:crypto";
import type { GridLedgerDeployment } from "@gridledger/contracts";
import { decodeMeterRecords } from "@gridledger/domain";
import { createPublicClient, type Hex, http, numberToHex } from "viem";
import { ChainEvent, IndexerCheckpoint, Reading } from "../db/entities/index.js";
import type { Database } from "../db/openDatabase.js";
import { createLogDecoder, type RpcLog } from "../indexer/indexing/decodeLogs.js";
import { jsonArgs } from "../indexer/indexing/values.js";

export type VerifyAgainstChainParameters = {
  db: Database;
  rpcUrl: string;
  deployment: GridLedgerDeployment;
  /** Largest `eth_getLogs` range. Default: 2000. */
  maxBlockRange?: number | undefined;
  /** Checkpoint row id. Default: `main`. */
  checkpointId?: string | undefined;
  onProgress?: ((progress: { phase: "chain" | "database"; done: number; total: number }) => void) | undefined;
};

/** Count and order-independent digest of one kind of row, on one side. */
export type Tally = { count: number; digest: string };

export type VerifyGroup = { name: string; chain: Tally; database: Tally; equal: boolean };

export type VerifyAgainstChainReturnType = {
  equal: boolean;
  /** The block the comparison ran to (the database's checkpoint). */
  checkpoint: number | undefined;
  head: number;
  /** Whether the chain still has the checkpoint's block hash (same chain, no reorg). */
  checkpointHashMatches: boolean;
  groups: VerifyGroup[];
};

const MODULUS = 1n << 256n;

/** Sums line hashes modulo 2^256: the same set of lines gives the same digest in any order, with no sort. */
class Tallies {
  private readonly sums = new Map<string, { count: number; sum: bigint }>();
  add(group: string, line: string): void {
    const hash = BigInt(`0x${createHash("sha256").update(line).digest("hex")}`);
    const entry = this.sums.get(group) ?? { count: 0, sum: 0n };
    entry.count += 1;
    entry.sum = (entry.sum + hash) % MODULUS;
    this.sums.set(group, entry);
  }
  names(): string[] {
    return [...this.sums.keys()];
  }
  get(group: string): Tally {
    const entry = this.sums.get(group) ?? { count: 0, sum: 0n };
    return { count: entry.count, digest: entry.sum.toString(16).padStart(64, "0") };
  }
}

const REGISTERS = ["importT1", "importT2", "importT3", "importT4", "export"] as const;

/**
 * Compares the database with the chain up to the database's checkpoint, independently of the indexer's
 * bookkeeping: it re-fetches every log of the deployment from the node and, per event kind (the
 * journal `chain_events`) and for the readings table, compares the row count and a digest of every
 * row's chain-derived columns. Equal digests mean the same rows with the same values.
 *
 * @example
 * const result = await verifyAgainstChain({ db, rpcUrl, deployment });
 * console.log(formatVerifyReport(result).join("\n"));
 */
export async function verifyAgainstChain(
  parameters: VerifyAgainstChainParameters,
): Promise<VerifyAgainstChainReturnType> {
  const { db, deployment } = parameters;
  const client = createPublicClient({
    transport: http(parameters.rpcUrl, { timeout: 60_000 }),
    cacheTime: 0,
  });
  const head = Number(await client.getBlockNumber());
  const checkpointRow = await db
    .em()
    .findOne(IndexerCheckpoint, { id: parameters.checkpointId ?? "main" }, { disableIdentityMap: true });
  if (!checkpointRow) {
    return { equal: false, checkpoint: undefined, head, checkpointHashMatches: false, groups: [] };
  }
  const checkpoint = checkpointRow.blockNumber;
  const block = await client.getBlock({ blockNumber: BigInt(checkpoint) }).catch(() => undefined);
  const checkpointHashMatches = block?.hash?.toLowerCase() === checkpointRow.blockHash.toLowerCase();

  const chain = new Tallies();
  const decoder = createLogDecoder(deployment);
  const from = Number(deployment.deployedAtBlock);
  const range = parameters.maxBlockRange ?? 2000;
  for (let start = from; start <= checkpoint; start += range) {
    const end = Math.min(checkpoint, start + range - 1);
    const logs = (await client.request({
      method: "eth_getLogs",
      params: [{ address: decoder.addresses, fromBlock: numberToHex(start), toBlock: numberToHex(end) }],
    } as never)) as RpcLog[];
    for (const raw of logs) {
      const log = decoder.decode(raw);
      const args =
        log.eventName === "MeterReadingsRecorded"
          ? { ...log.args, records: `${((log.args.records as string).length - 2) / 2} bytes` }
          : log.args;
      chain.add(
        `${log.contract}.${log.eventName}`,
        eventLine(log.blockNumber, log.logIndex, log.txHash, jsonArgs(args)),
      );
      if (log.eventName !== "MeterReadingsRecorded") continue;
      const mask = Number(log.args.registerMask);
      const columns = REGISTERS.filter((_, bit) => mask & (1 << bit));
      for (const record of decodeMeterRecords(mask, log.args.records as Hex)) {
        const registers: (bigint | null)[] = REGISTERS.map((name) => {
          const at = columns.indexOf(name);
          return at < 0 ? null : (record.registers[at] ?? null);
        });
        chain.add(
          "readings",
          readingLine({
            meterId: Number(log.args.meterId),
            intervalEnd: record.intervalEnd,
            status: record.status,
            registerMask: mask,
            source: Number(log.args.source),
            registers,
            txHash: log.txHash,
            logIndex: log.logIndex,
          }),
        );
      }
    }
    parameters.onProgress?.({ phase: "chain", done: end - from + 1, total: checkpoint - from + 1 });
  }

  const database = new Tallies();
  const em = db.em();
  const page = 5000;
  let cursor: { blockNumber: number; logIndex: number } | undefined;
  for (;;) {
    const rows = await em.find(
      ChainEvent,
      cursor
        ? {
            $or: [
              { blockNumber: { $gt: cursor.blockNumber } },
              { blockNumber: cursor.blockNumber, logIndex: { $gt: cursor.logIndex } },
            ],
          }
        : {},
      { orderBy: { blockNumber: "asc", logIndex: "asc" }, limit: page, disableIdentityMap: true },
    );
    for (const row of rows) {
      database.add(
        `${row.contract}.${row.event}`,
        eventLine(row.blockNumber, row.logIndex, row.txHash, row.args),
      );
    }
    if (rows.length < page) break;
    const last = rows[rows.length - 1]!;
    cursor = { blockNumber: last.blockNumber, logIndex: last.logIndex };
  }
  let readingCursor: { meterId: number; intervalEnd: number } | undefined;
  for (;;) {
    const rows = await em.find(
      Reading,
      readingCursor
        ? {
            $or: [
              { meterId: { $gt: readingCursor.meterId } },
              { meterId: readingCursor.meterId, intervalEnd: { $gt: readingCursor.intervalEnd } },
            ],
          }
        : {},
      { orderBy: { meterId: "asc", intervalEnd: "asc" }, limit: page, disableIdentityMap: true },
    );
    for (const row of rows) {
      database.add(
        "readings",
        readingLine({
          ...row,
          registers: REGISTERS.map((name) => (row[name] === null ? null : BigInt(row[name]))),
        }),
      );
    }
    parameters.onProgress?.({ phase: "database", done: 0, total: 0 });
    if (rows.length < page) break;
    const last = rows[rows.length - 1]!;
    readingCursor = { meterId: last.meterId, intervalEnd: last.intervalEnd };
  }

  const names = [...new Set([...chain.names(), ...database.names()])].sort((a, b) =>
    a === "readings" ? 1 : b === "readings" ? -1 : a.localeCompare(b),
  );
  const groups = names.map((name) => {
    const onChain = chain.get(name);
    const inDatabase = database.get(name);
    return {
      name,
      chain: onChain,
      database: inDatabase,
      equal: onChain.count === inDatabase.count && onChain.digest === inDatabase.digest,
    };
  });
  return {
    equal: checkpointHashMatches && groups.every((group) => group.equal),
    checkpoint,
    head,
    checkpointHashMatches,
    groups,
  };
}

function eventLine(blockNumber: number, logIndex: number, txHash: string, args: unknown): string {
  return `${blockNumber}:${logIndex}:${txHash.toLowerCase()}:${canonicalJson(args)}`;
}

function readingLine(row: {
  meterId: number;
  intervalEnd: number;
  status: number;
  registerMask: number;
  source: number;
  registers: (bigint | null)[];
  txHash: string;
  logIndex: number;
}): string {
  return [
    row.meterId,
    row.intervalEnd,
    row.status,
    row.registerMask,
    row.source,
    row.registers.map((value) => (value === null ? "-" : value.toString())).join(","),
    row.txHash.toLowerCase(),
    row.logIndex,
  ].join(":");
}

/** JSON with sorted keys and lowercased hex strings, so MySQL's JSON key order or address casing cannot differ. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  if (typeof value === "string" && /^0x[0-9a-fA-F]*$/.test(value)) return JSON.stringify(value.toLowerCase());
  return JSON.stringify(value);
}

/** The report as the CLI prints it: one line per kind of row, then the verdict. */
export function formatVerifyReport(result: VerifyAgainstChainReturnType): string[] {
  if (result.checkpoint === undefined)
    return ["DIFFERENT: the database has no indexer checkpoint (never indexed)"];
  const width = Math.max(8, ...result.groups.map((group) => group.name.length));
  const lines = result.groups.map(
    (group) =>
      `${group.name.padEnd(width)}  chain ${String(group.chain.count).padStart(8)}  database ${String(group.database.count).padStart(8)}  ${
        group.equal
          ? "equal"
          : `DIFFERENT (digest chain ${group.chain.digest.slice(0, 12)}… database ${group.database.digest.slice(0, 12)}…)`
      }`,
  );
  if (!result.checkpointHashMatches)
    lines.push(
      `checkpoint block ${result.checkpoint}: the chain has another block hash there (another chain, or a reorg)`,
    );
  const behind = result.head - result.checkpoint;
  lines.push(
    result.equal
      ? `equal: the database matches the chain up to block ${result.checkpoint} (head ${result.head}, ${behind} block${behind === 1 ? "" : "s"} not indexed yet)`
      : `DIFFERENT: the database does not match the chain up to block ${result.checkpoint}; restore a backup or run reindex`,
  );
  return lines;
}
