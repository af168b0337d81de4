import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import {
  BillingPeriod,
  Reading,
  type ReadingRow,
  TariffChoice,
  TariffPlan,
} from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { loadScopedAccount } from "../common/loadScopedAccount.js";
import type { GatewayContext } from "../context.js";
import { requireDatabase } from "../scope.js";
import { currentPeriod } from "../tariffs/tariffs.resolver.js";
import { planInForce, toTariffPlanNode } from "../tariffs/toTariffNodes.js";
import { accruedCost, type RegisterReading } from "./accruedCost.js";
import { CostAccruedNode } from "./costAccrued.type.js";

/** A period is at most a few months of half hours; this bounds one answer. */
const MAX_INTERVALS = 10_000;

const registers = (row: ReadingRow): RegisterReading => ({
  intervalEnd: row.intervalEnd,
  registers: [row.importT1, row.importT2, row.importT3, row.importT4],
  export: row.export,
});

@Resolver()
export class CostAccruedResolver {
  @Authorized()
  @Query(() => CostAccruedNode, {
    description:
      "An account's cost so far in the open billing period at half-hour resolution (F-CHAIN-06); FORBIDDEN outside the caller's scope",
  })
  async costAccrued(
    @Arg("accountId", () => String) accountId: string,
    @Ctx() context: GatewayContext,
  ): Promise<CostAccruedNode> {
    const em = requireDatabase(context).em();
    const account = await loadScopedAccount(em, context, accountId);
    const now = Math.floor(Date.now() / 1000);
    const period = await currentPeriod(em, now);
    const previous = await em.findOne(BillingPeriod, { id: period.id - 1 });
    const periodStart = previous?.periodEnd ?? null;

    // the choice in force for the period: the newest one whose first period is not after it
    const choice = (
      await em.find(
        TariffChoice,
        { accountId: account.id, fromPeriod: { $lte: period.id } },
        { orderBy: { blockNumber: "desc", logIndex: "desc" }, limit: 1 },
      )
    )[0];
    if (!choice)
      throw new NonRetryableError(`Account ${accountId} has no tariff chosen`, { code: "NO_TARIFF_CHOSEN" });
    const plan = planInForce(
      await em.find(TariffPlan, { groupId: choice.groupId, kind: choice.kind }),
      period.end ?? now + 1,
    );
    if (!plan)
      throw new NonRetryableError(`No plan of tariff group ${choice.groupId} is in force for the period`, {
        code: "NO_PLAN_IN_EFFECT",
      });

    const upTo = Math.min(period.end ?? now, now);
    const inPeriod: Record<string, number> = { $lte: upTo };
    if (periodStart !== null) inPeriod.$gt = periodStart;
    const rows = await em.find(
      Reading,
      { meterId: account.meterId, intervalEnd: inPeriod },
      { orderBy: { intervalEnd: "asc" }, limit: MAX_INTERVALS + 1 },
    );
    if (rows.length > MAX_INTERVALS)
      throw new NonRetryableError(`The period holds more than ${MAX_INTERVALS} half hours`, {
        code: "FILTER_TOO_BROAD",
      });
    // the baseline is the last reading at the period's start (the chain's snapshot); without one the
    // period's first reading is, so its own half hour is not counted
    const before =
      periodStart === null
        ? null
        : await em.findOne(
            Reading,
            { meterId: account.meterId, intervalEnd: { $lte: periodStart } },
            { orderBy: { intervalEnd: "desc" } },
          );
    const baseline = before ?? rows[0];
    const counted = before ? rows : rows.slice(1);
    const result = baseline
      ? accruedCost({ plan, baseline: registers(baseline), readings: counted.map(registers) })
      : undefined;
    const gross = result?.grossByComponent ?? [0n, 0n, 0n, 0n];
    return {
      accountId: String(account.id),
      periodId: period.id,
      periodStart,
      periodEnd: period.end,
      asOf: rows.at(-1)?.intervalEnd ?? null,
      plan: toTariffPlanNode(plan),
      zoneVolumesWh: (result?.zoneVolumesWh ?? []).map(String),
      exportWh: String(result?.exportWh ?? 0n),
      components: {
        energy: String(gross[0] ?? 0n),
        transmission: String(gross[1] ?? 0n),
        retailMarkup: String(gross[2] ?? 0n),
        infrastructure: String(gross[3] ?? 0n),
      },
      vat: String(result?.vat ?? 0n),
      exportCredit: String(result?.exportCredit ?? 0n),
      total: String(result?.payableTotal ?? 0n),
      series: (result?.series ?? []).map((point) => ({
        intervalEnd: point.intervalEnd,
        importWh: String(point.importWh),
        exportWh: String(point.exportWh),
        cost: String(point.cost),
        cumulativeCost: String(point.cumulativeCost),
      })),
    };
  }
}
