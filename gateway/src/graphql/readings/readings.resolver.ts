import { toLocalTime } from "@gridledger/domain";
import type { SqlEntityManager } from "@mikro-orm/knex";
import { Arg, Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { Reading, type ReadingRow } from "../../db/entities/index.js";
import { readingsPage } from "../../db/queries/readingsPage.js";
import { chainRef } from "../common/chainRef.type.js";
import { toConnection } from "../common/connection.js";
import { loadScopedAccount } from "../common/loadScopedAccount.js";
import { PageArgs, resolvePage } from "../common/pagination.js";
import type { GatewayContext } from "../context.js";
import { accountScope, requireDatabase, requirePrincipal } from "../scope.js";
import { consumptionSeries, type SeriesRow } from "./consumptionSeries.js";
import { ConsumptionPoint, ReadingConnection, type ReadingNode, SeriesBucket } from "./reading.type.js";
import { readingConditions } from "./readingConditions.js";
import { decodeReadingCursor, encodeReadingCursor } from "./readingCursor.js";
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
  @Query(() => ReadingConnection, {
    description:
      "Readings the caller may see, newest first. Relay cursors are keyset cursors (any depth costs the same); numbered pages beyond the first use an offset",
  })
  async readings(
    @Arg("filter", () => ReadingFilter, { nullable: true }) filter: ReadingFilter | undefined,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<ReadingConnection> {
    const principal = requirePrincipal(context);
    const database = requireDatabase(context);
    const em = database.em();
    if (filter?.accountId) await loadScopedAccount(em, context, filter.accountId);
    const conditions = await readingConditions(em, await accountScope(principal, em), filter);
    const keyset = pageArgs.after ? decodeReadingCursor(pageArgs.after) : undefined;
    const window = resolvePage(keyset ? { ...pageArgs, after: undefined } : pageArgs);
    if (conditions.empty) return toConnection([], 0, window) as ReadingConnection;
    const total = await em.count(Reading, conditions.where);
    const where = conditions.where as {
      meterId?: { $in: number[] };
      retailCompanyId?: number;
      accountId?: unknown;
      intervalEnd?: { $gt?: number; $lte?: number };
    };
    // readingsPage reads each filter through its index (with MariaDB's index hint); it has no offset
    // and no account condition, so deep numbered pages and account filters take the ORM path
    if (where.accountId === undefined && window.offset === 0) {
      const page = await readingsPage(em, database.dialect, {
        filter: {
          meterIds: where.meterId?.$in,
          retailCompanyId: where.retailCompanyId,
          from: where.intervalEnd?.$gt === undefined ? undefined : where.intervalEnd.$gt + 1,
          to: where.intervalEnd?.$lte,
        },
        limit: window.limit,
        after: keyset,
      });
      const edges = page.rows.map((row) => ({
        cursor: encodeReadingCursor(row),
        node: toReadingNode(row),
      }));
      return {
        edges,
        nodes: edges.map((edge) => edge.node),
        pageInfo: {
          hasNextPage: page.next !== undefined,
          hasPreviousPage: keyset !== undefined,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
        totalCount: total,
        page: 1,
        size: window.limit,
      } as ReadingConnection;
    }
    const keysetCondition = keyset
      ? {
          $or: [
            { intervalEnd: { $lt: keyset.intervalEnd } },
            { intervalEnd: keyset.intervalEnd, meterId: { $lt: keyset.meterId } },
          ],
        }
      : {};
    const rows = await em.find(
      Reading,
      { $and: [conditions.where, keysetCondition] },
      {
        orderBy: { intervalEnd: "desc", meterId: "desc" },
        limit: window.limit,
        offset: keyset ? 0 : window.offset,
      },
    );
    const connection = toConnection(rows.map(toReadingNode), total, window) as ReadingConnection;
    connection.edges = rows.map((row, index) => ({
      cursor: encodeReadingCursor(row),
      node: connection.nodes[index]!,
    }));
    connection.pageInfo.hasNextPage =
      rows.length === window.limit && (keyset ? true : connection.pageInfo.hasNextPage);
    connection.pageInfo.startCursor = connection.edges[0]?.cursor ?? null;
    connection.pageInfo.endCursor = connection.edges.at(-1)?.cursor ?? null;
    if (keyset) connection.pageInfo.hasPreviousPage = true;
    return connection;
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
