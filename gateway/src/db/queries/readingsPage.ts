import type { EntityManager } from "@mikro-orm/core";
import type { ReadingRow } from "../entities/reading.js";
import type { DatabaseDialect } from "../openDatabase.js";

export type ReadingsFilter = {
  /** Interval ends from (inclusive), Unix seconds. */
  from?: number | undefined;
  /** Interval ends to (inclusive), Unix seconds. */
  to?: number | undefined;
  /** Only these meters (what account number, serial, model and address filters resolve to). */
  meterIds?: readonly number[] | undefined;
  /** Only readings of accounts served by this retail company (organisation id). */
  retailCompanyId?: number | undefined;
};

/** Keyset cursor: the last row of the previous page. */
export type ReadingsCursor = { intervalEnd: number; meterId: number };

export type ReadingsPageParameters = {
  filter: ReadingsFilter;
  /** Default 50, at most 1000. */
  limit?: number | undefined;
  after?: ReadingsCursor | undefined;
};

export type ReadingsPage = { rows: ReadingRow[]; next: ReadingsCursor | undefined };

const COLUMNS =
  "meter_id, interval_end, status, register_mask, source, import_t1, import_t2, import_t3, import_t4, export, account_id, retail_company_id, block_number, tx_hash, log_index";

/**
 * One page of readings, newest first (`interval_end desc, meter_id desc`), with keyset pagination.
 * The query is built so that each filter runs on its index at tens of millions of rows:
 * meters → the primary key `(meter_id, interval_end)`; a retail company → `(retail_company_id,
 * interval_end)`; a date range alone → `(interval_end)`. On MySQL/MariaDB the retail-company index is
 * named explicitly: MariaDB 10.11 otherwise picks a `ref` scan on its first column and reads every row
 * of the company to skip those after `to` (39 s instead of ~10 ms at 10 million rows, see
 * docs/indexer.md). Deep OFFSETs are not offered: they cost as much as the rows they skip.
 */
export async function readingsPage(
  em: EntityManager,
  dialect: DatabaseDialect,
  parameters: ReadingsPageParameters,
): Promise<ReadingsPage> {
  const { filter, after } = parameters;
  const limit = Math.min(1000, Math.max(1, Math.floor(parameters.limit ?? 50)));
  const where: string[] = [];
  const int = (value: number, what: string) => {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer`);
    return String(value);
  };
  if (filter.meterIds) {
    if (filter.meterIds.length === 0) return { rows: [], next: undefined };
    where.push(`meter_id in (${filter.meterIds.map((id) => int(id, "meter id")).join(",")})`);
  }
  if (filter.retailCompanyId !== undefined)
    where.push(`retail_company_id = ${int(filter.retailCompanyId, "retail company id")}`);
  if (filter.from !== undefined) where.push(`interval_end >= ${int(filter.from, "from")}`);
  if (filter.to !== undefined) where.push(`interval_end <= ${int(filter.to, "to")}`);
  if (after) {
    const end = int(after.intervalEnd, "cursor");
    where.push(
      `(interval_end < ${end} or (interval_end = ${end} and meter_id < ${int(after.meterId, "cursor")}))`,
    );
  }
  let hint = "";
  if (dialect === "mysql" && !filter.meterIds) {
    hint =
      filter.retailCompanyId !== undefined
        ? " force index (readings_retail_company_id_interval_end_index)"
        : " force index (readings_interval_end_index)";
  }
  const sql = `select ${COLUMNS} from readings${hint}${where.length ? ` where ${where.join(" and ")}` : ""} order by interval_end desc, meter_id desc limit ${limit}`;
  const raw = (await em.getConnection().execute(sql, [], "all", em.getTransactionContext())) as Record<
    string,
    unknown
  >[];
  const rows = raw.map(toRow);
  const last = rows[rows.length - 1];
  return {
    rows,
    next:
      rows.length === limit && last ? { intervalEnd: last.intervalEnd, meterId: last.meterId } : undefined,
  };
}

const nullableNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function toRow(raw: Record<string, unknown>): ReadingRow {
  return {
    meterId: Number(raw.meter_id),
    intervalEnd: Number(raw.interval_end),
    status: Number(raw.status),
    registerMask: Number(raw.register_mask),
    source: Number(raw.source),
    importT1: nullableNumber(raw.import_t1),
    importT2: nullableNumber(raw.import_t2),
    importT3: nullableNumber(raw.import_t3),
    importT4: nullableNumber(raw.import_t4),
    export: nullableNumber(raw.export),
    accountId: nullableNumber(raw.account_id),
    retailCompanyId: nullableNumber(raw.retail_company_id),
    blockNumber: Number(raw.block_number),
    txHash: String(raw.tx_hash),
    logIndex: Number(raw.log_index),
  };
}
