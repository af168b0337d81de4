import {
  GRID_LEDGER_CONTRACTS,
  type GridLedgerDeployment,
  gridLedgerArtifacts,
  readingsAbi,
} from "@gridledger/contracts";
import { decodeMeterRecords } from "@gridledger/domain";
import { type Abi, type Address, createPublicClient, http, parseEventLogs } from "viem";
import { ChainEvent, IndexerCheckpoint, Reading } from "../../db/entities/index.js";
import type { Database } from "../../db/openDatabase.js";

export type ChainFacts = {
  /** Every log of the deployment up to `toBlock`, as `block:logIndex`. */
  logs: string[];
  /** Every reading as `meter:intervalEnd:t1:tx:logIndex`. */
  readings: string[];
};

/**
 * What the chain says, read independently of the indexer (viem `getLogs` + `parseEventLogs` per
 * contract, domain's `decodeMeterRecords`).
 */
export async function chainFacts(
  url: string,
  deployment: GridLedgerDeployment,
  toBlock: number,
): Promise<ChainFacts> {
  const client = createPublicClient({ transport: http(url) });
  const logs: string[] = [];
  const readings: string[] = [];
  for (const name of GRID_LEDGER_CONTRACTS) {
    const raw = await client.getLogs({
      address: deployment.contracts[name] as Address,
      fromBlock: BigInt(deployment.deployedAtBlock),
      toBlock: BigInt(toBlock),
    });
    const parsed = parseEventLogs({ abi: gridLedgerArtifacts[name].abi as Abi, logs: raw, strict: true });
    if (parsed.length !== raw.length) throw new Error(`undecodable ${name} logs`);
    for (const log of parsed) logs.push(`${log.blockNumber}:${log.logIndex}`);
    if (name !== "Readings") continue;
    for (const log of parseEventLogs({ abi: readingsAbi, logs: raw, eventName: "MeterReadingsRecorded" })) {
      for (const record of decodeMeterRecords(log.args.registerMask, log.args.records)) {
        readings.push(
          `${log.args.meterId}:${record.intervalEnd}:${record.registers[0]}:${log.transactionHash}:${log.logIndex}`,
        );
      }
    }
  }
  return { logs: logs.sort(), readings: readings.sort() };
}

/** The same facts as the database has them. */
export async function databaseFacts(db: Database): Promise<ChainFacts & { checkpoint: number | undefined }> {
  const em = db.em();
  const events = await em.find(ChainEvent, {}, { fields: ["blockNumber", "logIndex"] });
  const readings = await em.find(Reading, {});
  const checkpoint = await em.findOne(IndexerCheckpoint, { id: "main" });
  return {
    logs: events.map((event) => `${event.blockNumber}:${event.logIndex}`).sort(),
    readings: readings
      .map((row) => `${row.meterId}:${row.intervalEnd}:${row.importT1}:${row.txHash}:${row.logIndex}`)
      .sort(),
    checkpoint: checkpoint?.blockNumber,
  };
}

/** Every chain table's rows, serialised, for "nothing changed" assertions. */
export async function snapshotTables(
  db: Database,
  entities: { meta: { className: string } }[],
): Promise<string> {
  const em = db.em();
  const parts: string[] = [];
  for (const entity of [...entities, IndexerCheckpoint]) {
    const rows = await em.find(entity as never, {});
    parts.push(
      `${entity.meta.className}:${JSON.stringify(
        rows
          .map((row) => ({ ...(row as object) }))
          .map(sortKeys)
          .sort(byJson),
      )}`,
    );
  }
  return parts.join("\n");
}

function sortKeys(row: Record<string, unknown>) {
  // The checkpoint's wall-clock `updatedAt` is the one value that is not derived from the chain.
  return Object.fromEntries(
    Object.entries(row)
      .filter(([key]) => key !== "updatedAt")
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
function byJson(a: unknown, b: unknown) {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}
