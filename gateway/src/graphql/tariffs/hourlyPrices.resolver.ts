import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { HourlyPricesRow } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { chainRef } from "../common/chainRef.type.js";
import { loadersOf } from "../common/loaders.js";
import type { GatewayContext } from "../context.js";
import { HourlyPriceListNode, HourlyPriceListSummaryNode } from "./hourlyPrices.type.js";
import { TariffPlanNode } from "./tariff.type.js";

const HOURLY_KINDS: Record<number, string> = { 6: "PRICE_CATEGORY_3", 7: "PRICE_CATEGORY_4" };

export function toHourlyPriceListSummary(
  row: HourlyPricesRow,
  periodEnd: number | null,
): HourlyPriceListSummaryNode {
  // prices are below 2^53 kopecks per MWh (the indexer refuses larger ones): number math is exact
  const prices = row.prices;
  const sum = prices.reduce((total, price) => total + BigInt(price), 0n);
  return {
    planId: String(row.planId),
    periodId: row.periodId,
    periodEnd,
    kindName: HOURLY_KINDS[row.kind] ?? `KIND_${row.kind}`,
    hours: row.hours,
    pricesHash: row.pricesHash,
    minPrice: String(prices.length ? Math.min(...prices) : 0),
    maxPrice: String(prices.length ? Math.max(...prices) : 0),
    averagePrice: String(prices.length ? sum / BigInt(prices.length) : 0n),
    capacityRate: String(row.capacityRate),
    maintenanceRate: String(row.maintenanceRate),
    lossRate: String(row.lossRate),
    chain: chainRef(row),
  };
}

export function toHourlyPriceList(row: HourlyPricesRow, periodEnd: number | null): HourlyPriceListNode {
  return {
    ...toHourlyPriceListSummary(row, periodEnd),
    prices: row.prices.map((price) => String(price)),
    capacityHours: row.capacityHours,
    // packed on chain as `firstHour << 8 | hourCount`
    networkWindows: row.networkWindows.map((packed) => ({
      firstHour: Math.floor(packed / 256),
      hourCount: packed % 256,
    })),
  };
}

/** ПЦК 3/4 price data of the plans a caller already sees (the plan's query did the scoping). */
@Resolver(() => TariffPlanNode)
export class TariffPlanFieldsResolver {
  @FieldResolver(() => [HourlyPriceListSummaryNode], {
    description:
      "ПЦК 3/4: the periods with published hourly prices, oldest first, without the hours (empty for other kinds; batched)",
  })
  async hourlyPriceLists(
    @Root() plan: TariffPlanNode,
    @Ctx() context: GatewayContext,
  ): Promise<HourlyPriceListSummaryNode[]> {
    const loaders = loadersOf(context);
    const rows = await loaders.hourlyPrices.load(plan.id);
    return Promise.all(
      rows.map(async (row) =>
        toHourlyPriceListSummary(row, (await loaders.billingPeriod.load(row.periodId))?.periodEnd ?? null),
      ),
    );
  }

  @FieldResolver(() => HourlyPriceListNode, {
    nullable: true,
    description: "ПЦК 3/4: the hourly prices published for `periodId`, every hour; null when none were",
  })
  async hourlyPrices(
    @Root() plan: TariffPlanNode,
    @Arg("periodId", () => Int) periodId: number,
    @Ctx() context: GatewayContext,
  ): Promise<HourlyPriceListNode | null> {
    if (periodId < 0 || periodId >= 2 ** 31)
      throw new NonRetryableError(`Invalid period id ${periodId}`, { code: "BAD_USER_INPUT" });
    const loaders = loadersOf(context);
    const row = (await loaders.hourlyPrices.load(plan.id)).find((item) => item.periodId === periodId);
    if (!row) return null;
    return toHourlyPriceList(row, (await loaders.billingPeriod.load(periodId))?.periodEnd ?? null);
  }
}
