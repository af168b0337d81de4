import { raw } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/knex";
import { Reading } from "../../db/entities/index.js";
import type { DatabaseDialect } from "../../db/openDatabase.js";

/** Buckets are local days of this offset (Moscow, UTC+3, no daylight saving since 2014). */
export const SERIES_UTC_OFFSET_SECONDS = 3 * 3600;

export type SeriesRow = {
  bucketStart: number;
  importT1: bigint;
  importT2: bigint;
  importT3: bigint;
  importT4: bigint;
  export: bigint;
  readings: number;
};

/**
 * Energy per bucket: the differences of consecutive cumulative readings of each meter (SQL window
 * function LAG, on MySQL/MariaDB and SQLite alike), summed per half hour or per local day. The first
 * reading of each meter in the window has no predecessor and adds nothing, so the window reaches one
 * day back before `from` to give the first interval in range its predecessor.
 */
export async function consumptionSeries(parameters: {
  em: SqlEntityManager;
  dialect: DatabaseDialect;
  where: Record<string, unknown>;
  from: number | undefined;
  to: number | undefined;
  bucket: "halfHour" | "day";
}): Promise<SeriesRow[]> {
  const { em, dialect, where, from, to, bucket } = parameters;
  const widened: Record<string, unknown> = { ...where };
  const range: Record<string, number> = {};
  if (from !== undefined) range.$gt = from - 86_400;
  if (to !== undefined) range.$lte = to;
  if (Object.keys(range).length > 0) widened.intervalEnd = range;

  const lag = (column: string) =>
    `${column} - lag(${column}) over (partition by r.meter_id order by r.interval_end)`;
  const inner = em
    .createQueryBuilder(Reading, "r")
    .select([
      "r.interval_end as interval_end",
      raw(`${lag("r.import_t1")} as d1`),
      raw(`${lag("r.import_t2")} as d2`),
      raw(`${lag("r.import_t3")} as d3`),
      raw(`${lag("r.import_t4")} as d4`),
      raw(`${lag("r.export")} as dx`),
    ])
    .where(widened)
    .getKnexQuery();

  const knex = em.getKnex();
  const start = "(d.interval_end - 1800)";
  const divide = dialect === "mysql" ? "div" : "/";
  const bucketExpression =
    bucket === "halfHour"
      ? start
      : `((${start} + ${SERIES_UTC_OFFSET_SECONDS}) ${divide} 86400) * 86400 - ${SERIES_UTC_OFFSET_SECONDS}`;
  const outer = knex
    .from(inner.as("d"))
    .select(
      knex.raw(`${bucketExpression} as bucket_start`),
      knex.raw("coalesce(sum(d.d1), 0) as t1"),
      knex.raw("coalesce(sum(d.d2), 0) as t2"),
      knex.raw("coalesce(sum(d.d3), 0) as t3"),
      knex.raw("coalesce(sum(d.d4), 0) as t4"),
      knex.raw("coalesce(sum(d.dx), 0) as tx"),
      knex.raw("count(*) as readings"),
    )
    .groupByRaw("bucket_start")
    .orderByRaw("bucket_start");
  if (from !== undefined) outer.where("d.interval_end", ">", from);

  const rows = (await outer) as Record<string, number | string | bigint>[];
  return rows.map((row) => ({
    bucketStart: Number(row.bucket_start),
    importT1: BigInt(String(row.t1).split(".")[0]!),
    importT2: BigInt(String(row.t2).split(".")[0]!),
    importT3: BigInt(String(row.t3).split(".")[0]!),
    importT4: BigInt(String(row.t4).split(".")[0]!),
    export: BigInt(String(row.tx).split(".")[0]!),
    readings: Number(row.readings),
  }));
}
