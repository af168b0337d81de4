import { toLocalTime } from "@gridledger/domain";
import type { SqlEntityManager } from "@mikro-orm/knex";
import { Arg, Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { Reading, type ReadingRow } from "../../db/entities/index.js";
import { chainRef } from "../common/chainRef.type.js";
import { toConnection } from "../common/connection.js";
import { PageArgs, resolvePage } from "../common/pagination.js";
import type { GatewayContext } from "../context.js";
import { accountScope, requireDatabase, requirePrincipal } from "../scope.js";
import { consumptionSeries, type SeriesRow } from "./consumptionSeries.js";
import { ConsumptionPoint, ReadingConnection, type ReadingNode, SeriesBucket } from "./reading.type.js";
import { readingConditions } from "./readingConditions.js";
import { ReadingFilter } from "./readings.input.js";

const text = (value: number | null) => (value === null ? null : String(value));

function toReadingNode(row: ReadingRow): ReadingNode {
  return {
    meterId: String(row.meterId),
    accountId: text(row.accountId),
    intervalEnd: row.intervalEnd,
    status: row.status,
    source: row.source,
    importT1: text(row.importT1),
    importT2: text(row.importT2),
    importT3: text(row.importT3),
    importT4: text(row.importT4),
    export: text(row.export),
    chain: chainRef(row),
  };
}

@Resolver()
export class ReadingsResolver {
  @Authorized()
  @Query(() => ReadingConnection, { description: "Readings the caller may see, newest first" })
  async readings(
    @Arg("filter", () => ReadingFilter, { nullable: true }) filter: ReadingFilter | undefined,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<ReadingConnection> {
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const conditions = await readingConditions(em, await accountScope(principal, em), filter);
    const window = resolvePage(pageArgs);
    if (conditions.empty) return toConnection([], 0, window) as ReadingConnection;
    const [rows, total] = await em.findAndCount(Reading, conditions.where, {
      orderBy: { intervalEnd: "desc", meterId: "asc" },
      limit: window.limit,
      offset: window.offset,
    });
    return toConnection(rows.map(toReadingNode), total, window) as ReadingConnection;
  }

  @Authorized()
  @Query(() => [ConsumptionPoint], {
    description: "Energy per half hour, day or month for the filters (charts)",
  })
  async consumptionSeries(
    @Arg("filter", () => ReadingFilter, { nullable: true }) filter: ReadingFilter | undefined,
    @Arg("bucket", () => SeriesBucket, { defaultValue: SeriesBucket.DAY }) bucket: SeriesBucket,
    @Ctx() context: GatewayContext,
  ): Promise<ConsumptionPoint[]> {
    const principal = requirePrincipal(context);
    const database = requireDatabase(context);
    const em = database.em() as SqlEntityManager;
    const conditions = await readingConditions(em, await accountScope(principal, em), filter);
    if (conditions.empty) return [];
    const { intervalEnd, ...where } = conditions.where as { intervalEnd?: { $gt?: number; $lte?: number } };
    const rows = await consumptionSeries({
      em,
      dialect: database.dialect,
      where,
      from: intervalEnd?.$gt,
      to: intervalEnd?.$lte,
      bucket: bucket === SeriesBucket.HALF_HOUR ? "halfHour" : "day",
    });
    const points = bucket === SeriesBucket.MONTH ? foldIntoMonths(rows) : rows;
    return points.map((row) => ({
      bucketStart: row.bucketStart,
      importT1: row.importT1.toString(),
      importT2: row.importT2.toString(),
      importT3: row.importT3.toString(),
      importT4: row.importT4.toString(),
      export: row.export.toString(),
      readings: row.readings,
    }));
  }
}

/** Local (Moscow) days into local months; a month starts at 00:00 Moscow on its first day. */
function foldIntoMonths(days: SeriesRow[]): SeriesRow[] {
  const months = new Map<string, SeriesRow>();
  for (const day of days) {
    const local = toLocalTime(day.bucketStart, "Europe/Moscow");
    const key = local.date.slice(0, 7);
    const monthStart = Date.parse(`${key}-01T00:00:00+03:00`) / 1000;
    const month = months.get(key);
    if (!month) months.set(key, { ...day, bucketStart: monthStart });
    else {
      month.importT1 += day.importT1;
      month.importT2 += day.importT2;
      month.importT3 += day.importT3;
      month.importT4 += day.importT4;
      month.export += day.export;
      month.readings += day.readings;
    }
  }
  return [...months.values()].sort((a, b) => a.bucketStart - b.bucketStart);
}
