import type { GridLedgerDeployment } from "@gridledger/contracts";
import { countMeterRecords } from "@gridledger/domain";
import type { Logger } from "pino";
import type { Hex } from "viem";
import { IndexerCheckpoint, type IndexerCheckpointRow, Meter, Organisation } from "../db/entities/index.js";
import type { Database } from "../db/openDatabase.js";
import { RetryableError } from "../internal/errors.js";
import { enqueueWebhookDeliveries } from "../webhooks/enqueueWebhookDeliveries.js";
import {
  ChainReorgError,
  DatabaseUnavailableError,
  DeploymentMismatchError,
  IndexerDataError,
} from "./errors.js";
import { createLogDecoder, type DecodedLog } from "./indexing/decodeLogs.js";
import { handleLog, OrganisationDirectory } from "./indexing/handlers.js";
import { clearChainTables } from "./store/chainTables.js";
import { WriteBatch } from "./store/writeBatch.js";
import {
  type BlockHeader,
  type ChainReader,
  createChainReader,
  type LogRange,
} from "./sync/createChainReader.js";

export type IndexerProgress = {
  /** Last block whose logs are all in the database. */
  checkpoint: number;
  head: number;
  deployedAtBlock: number;
  /** Logs and readings written by this run. */
  logs: number;
  readings: number;
  /** Current `eth_getLogs` range size. */
  rangeSize: number;
  elapsedMs: number;
};

export type CreateIndexerParameters = {
  db: Database;
  rpcUrl: string;
  deployment: GridLedgerDeployment;
  /** Largest `eth_getLogs` range. Default: 5000 (Besu's cap). */
  maxBlockRange?: number | undefined;
  /** Largest JSON-RPC response accepted before the range shrinks. Default: 10 MiB. */
  maxResponseBytes?: number | undefined;
  /** Milliseconds between head polls when following. Default: `1000`. */
  pollIntervalMs?: number | undefined;
  /**
   * What to do when the chain no longer has an indexed block (dev-chain reset, reorg, wrong chain):
   * `stop` throws {@link ChainReorgError}; `rebuild` logs an error, empties the index and indexes the
   * chain again from the deployment block. Default: `stop`.
   */
  onReorg?: "stop" | "rebuild" | undefined;
  /** Readings per database transaction before a range is split. Default: `20_000`. */
  maxRowsPerTransaction?: number | undefined;
  logger?: Logger | undefined;
  onProgress?: ((progress: IndexerProgress) => void) | undefined;
  /** Checkpoint row id; one per deployment indexed into this database. Default: `main`. */
  id?: string | undefined;
};

export type RunParameters = {
  /** Keep polling for new blocks after reaching the head. Default: `false` (stop at the head). */
  follow?: boolean | undefined;
  /** Stops the run after the current transaction. */
  signal?: AbortSignal | undefined;
  /** Index up to this block at most (tests, benchmarks). Default: the head. */
  untilBlock?: number | undefined;
};

export type Indexer = {
  /** Indexes from the checkpoint to the head (and on, with `follow`). Resolves with the last progress. */
  run(parameters?: RunParameters): Promise<IndexerProgress>;
  /** Empties the index (chain tables and checkpoint) so the next run rebuilds it from the deployment block. */
  clear(): Promise<void>;
  checkpoint(): Promise<IndexerCheckpointRow | undefined>;
};

type Fetched = LogRange & { headers: Map<number, BlockHeader>; decoded: DecodedLog[] };

/**
 * The chain indexer: sync (log ranges the node accepts) → indexing (event handlers into a
 * {@link WriteBatch}) → store (rows and checkpoint in one transaction).
 *
 * @dev It is an invariant that the checkpoint row and the rows of every block up to it are committed
 * together: each range is one database transaction that ends by moving the checkpoint. A crash at any
 * point leaves either the whole range or none of it, and a restart resumes after the checkpoint.
 *
 * @example
 * const db = await openDatabase({ url: "sqlite:gateway.sqlite" });
 * const indexer = createIndexer({ db, rpcUrl, deployment });
 * await indexer.run({ follow: true, signal });
 */
export function createIndexer(parameters: CreateIndexerParameters): Indexer {
  const { db, deployment, logger } = parameters;
  const id = parameters.id ?? "main";
  const decoder = createLogDecoder(deployment);
  const reader: ChainReader = createChainReader({
    rpcUrl: parameters.rpcUrl,
    addresses: decoder.addresses,
    maxRange: parameters.maxBlockRange,
    maxResponseBytes: parameters.maxResponseBytes,
  });
  const deployedAtBlock = Number(deployment.deployedAtBlock);
  const identity = `${deployment.chainId}:${(deployment.contracts.Registry ?? "").toLowerCase()}`;
  const organisations = new OrganisationDirectory();
  const maxRows = parameters.maxRowsPerTransaction ?? 20_000;

  const loadCheckpoint = async () =>
    (await db.em().findOne(IndexerCheckpoint, { id }, { disableIdentityMap: true })) ?? undefined;

  const clear = async () => {
    if (db.dialect === "mysql") {
      // Autocommit, statement by statement: the checkpoint's delete must be committed before the first
      // TRUNCATE (which commits on its own), or a crash in between would leave a checkpoint over
      // emptied tables.
      await clearChainTables(db.em(), db.dialect);
    } else {
      await db.em().transactional((em) => clearChainTables(em, db.dialect));
    }
  };

  /** Fetches one range: logs, decoded, with the headers needed for the continuity check and block times. */
  const fetchRange = async (fromBlock: number, toBlock: number): Promise<Fetched> => {
    const range = await reader.logs(fromBlock, toBlock);
    const decoded = range.logs.map((log) => {
      if (log.removed)
        throw new IndexerDataError(`The node returned a removed log in block ${Number(log.blockNumber)}`);
      return decoder.decode(log);
    });
    const needed = new Set<number>([range.fromBlock, range.toBlock]);
    for (const log of decoded) if (log.blockTime === undefined) needed.add(log.blockNumber);
    const headers = await reader.headers([...needed]);
    for (const log of decoded) {
      const header = headers.get(log.blockNumber);
      if (header) {
        if (header.hash !== log.blockHash) {
          throw new ChainReorgError(log.blockNumber, header.hash, log.blockHash);
        }
        log.blockTime ??= header.timestamp;
      }
    }
    return { ...range, headers, decoded };
  };

  const write = async (fetched: Fetched, logs: DecodedLog[], checkpoint: IndexerCheckpointRow) => {
    try {
      await db.em().transactional(async (em) => {
        const batch = new WriteBatch(em);
        const context = { batch, organisations };
        const meterIds = logs
          .filter((log) => log.eventName === "MeterReadingsRecorded")
          .map((log) => Number(log.args.meterId));
        if (meterIds.length > 0) await batch.prefetch(Meter, "id", meterIds);
        for (const log of logs) await handleLog(context, log);
        await batch.flush();
        // the webhook outbox commits with the rows it announces: no event lost or doubled by a crash
        await enqueueWebhookDeliveries(em, logs, deployment.chainId);
        await em.upsert(IndexerCheckpoint, checkpoint);
      });
    } catch (error) {
      // The organisation ids assigned in the failed batch were never stored.
      organisations.reset(await loadOrganisations());
      if (error instanceof IndexerDataError || error instanceof RetryableError) throw error;
      if (isConnectionError(error)) throw new DatabaseUnavailableError("The database failed", error);
      throw new IndexerDataError(
        `Blocks ${fetched.fromBlock}-${fetched.toBlock} could not be stored`,
        (error as Error).message.split("\n")[0],
      );
    }
  };

  const loadOrganisations = async () =>
    (await db.em().find(Organisation, {}, { fields: ["id", "address"], disableIdentityMap: true })).map(
      (row) => ({
        id: row.id,
        address: row.address,
      }),
    );

  const run = async (runParameters: RunParameters = {}): Promise<IndexerProgress> => {
    const started = Date.now();
    const signal = runParameters.signal;
    const chainId = await reader.chainId();
    if (chainId !== deployment.chainId) {
      throw new DeploymentMismatchError(
        `The chain at the RPC URL has chain id ${chainId}`,
        `the deployment is on chain ${deployment.chainId}`,
      );
    }
    let checkpoint = await loadCheckpoint();
    if (checkpoint && checkpoint.deployment !== identity) {
      throw new DeploymentMismatchError(
        `The database indexes another deployment (${checkpoint.deployment})`,
        `configured: ${identity}; run \`reindex\` to rebuild it for this one`,
      );
    }
    if (!checkpoint) {
      // No checkpoint: whatever is in the chain tables is left from an interrupted reindex.
      await clear();
      const start = deployedAtBlock - 1;
      const header = start >= 0 ? (await reader.headers([start])).get(start)! : undefined;
      checkpoint = {
        id,
        chainId,
        deployment: identity,
        deployedAtBlock,
        blockNumber: start,
        blockHash: header?.hash ?? "",
        updatedAt: Math.floor(Date.now() / 1000),
      };
      logger?.info({ fromBlock: deployedAtBlock }, "indexing from the deployment block");
    }
    organisations.reset(await loadOrganisations());

    const progress: IndexerProgress = {
      checkpoint: checkpoint.blockNumber,
      head: await reader.head(),
      deployedAtBlock,
      logs: 0,
      readings: 0,
      rangeSize: reader.rangeSize(),
      elapsedMs: 0,
    };
    const report = () => {
      progress.elapsedMs = Date.now() - started;
      progress.rangeSize = reader.rangeSize();
      parameters.onProgress?.({ ...progress });
    };

    let next: Promise<Fetched> | undefined;
    let nextFrom = checkpoint.blockNumber + 1;
    const limit = () => Math.min(progress.head, runParameters.untilBlock ?? Number.POSITIVE_INFINITY);
    const prefetch = () => {
      if (nextFrom > limit()) return undefined;
      const promise = fetchRange(nextFrom, limit());
      promise.catch(() => {});
      return promise;
    };

    while (!signal?.aborted) {
      if (!next) {
        progress.head = await reader.head();
        next = prefetch();
        if (!next) {
          report();
          if (
            !runParameters.follow ||
            (runParameters.untilBlock !== undefined && nextFrom > runParameters.untilBlock)
          )
            break;
          await sleep(parameters.pollIntervalMs ?? 1000, signal);
          continue;
        }
      }
      const fetched = await next;
      next = undefined;
      // Continuity: the first block of the range must build on the checkpoint's block.
      const first = fetched.headers.get(fetched.fromBlock)!;
      if (checkpoint.blockHash && first.parentHash !== checkpoint.blockHash) {
        const error = new ChainReorgError(checkpoint.blockNumber, checkpoint.blockHash, first.parentHash);
        if (parameters.onReorg !== "rebuild") throw error;
        logger?.error(
          { err: error },
          "the chain changed under the index: rebuilding it from the deployment block",
        );
        await clear();
        return run(runParameters);
      }
      nextFrom = fetched.toBlock + 1;
      next = prefetch();

      const last = fetched.headers.get(fetched.toBlock)!;
      const newCheckpoint: IndexerCheckpointRow = {
        ...checkpoint,
        blockNumber: fetched.toBlock,
        blockHash: last.hash,
        updatedAt: Math.floor(Date.now() / 1000),
      };
      // Large ranges are split at block boundaries so one transaction stays bounded; only the last
      // part moves the checkpoint to the range's end, the others to their own last block.
      for (const part of splitByRows(fetched, maxRows)) {
        const partCheckpoint =
          part.toBlock === fetched.toBlock
            ? newCheckpoint
            : { ...newCheckpoint, blockNumber: part.toBlock, blockHash: part.toHash };
        await write(fetched, part.logs, partCheckpoint);
        progress.logs += part.logs.length;
        progress.readings += part.readings;
        progress.checkpoint = partCheckpoint.blockNumber;
      }
      checkpoint = newCheckpoint;
      report();
    }
    if (next) await next.catch(() => undefined);
    progress.elapsedMs = Date.now() - started;
    return progress;
  };

  return { run, clear, checkpoint: loadCheckpoint };
}

type Part = { logs: DecodedLog[]; toBlock: number; toHash: string; readings: number };

/** Splits a range's logs into parts of about `maxRows` readings, never inside a block. */
function splitByRows(fetched: Fetched, maxRows: number): Part[] {
  const parts: Part[] = [];
  let current: DecodedLog[] = [];
  let rows = 0;
  const readingsOf = (log: DecodedLog) =>
    log.eventName === "MeterReadingsRecorded" ? Math.max(1, readingsIn(log)) : 1;
  for (let index = 0; index < fetched.decoded.length; index++) {
    const log = fetched.decoded[index]!;
    current.push(log);
    rows += readingsOf(log);
    const following = fetched.decoded[index + 1];
    if (rows >= maxRows && following && following.blockNumber !== log.blockNumber) {
      parts.push({
        logs: current,
        toBlock: log.blockNumber,
        toHash: log.blockHash,
        readings: countReadings(current),
      });
      current = [];
      rows = 0;
    }
  }
  parts.push({
    logs: current,
    toBlock: fetched.toBlock,
    toHash: fetched.headers.get(fetched.toBlock)!.hash,
    readings: countReadings(current),
  });
  return parts;
}

/** Readings one `MeterReadingsRecorded` carries, in either record layout, without decoding them. */
function readingsIn(log: DecodedLog): number {
  return countMeterRecords(Number(log.args.registerMask), log.args.records as Hex);
}

function countReadings(logs: DecodedLog[]): number {
  let count = 0;
  for (const log of logs) if (log.eventName === "MeterReadingsRecorded") count += readingsIn(log);
  return count;
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  return /ECONNREFUSED|ECONNRESET|PROTOCOL_CONNECTION_LOST|ER_LOCK_WAIT_TIMEOUT|ER_LOCK_DEADLOCK|SQLITE_BUSY|ETIMEDOUT|ER_CON_COUNT/i.test(
    code,
  );
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    // the listener goes with the timer: a follow loop sleeps thousands of times on one signal
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
