import type { EntityManager } from "@mikro-orm/core";
import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import {
  Account,
  BillingPeriod,
  TariffChoice,
  type TariffChoiceRow,
  TariffGroup,
  type TariffGroupRow,
  TariffPlan,
} from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { chainRef } from "../common/chainRef.type.js";
import { parseDecimalId } from "../common/ids.js";
import { loadersOf } from "../common/loaders.js";
import { loadScopedAccount } from "../common/loadScopedAccount.js";
import { attachedRetailCompanyIds, organisationIdOf } from "../common/scopeOrganisations.js";
import type { GatewayContext } from "../context.js";
import { type AccountScope, accountScope, requireDatabase, requirePrincipal } from "../scope.js";
import {
  AccountTariffNode,
  TariffGroupNode,
  TariffPlanNode,
  type TariffSelectionNode,
} from "./tariff.type.js";
import { planInForce, toTariffGroupNode, toTariffPlanNode } from "./toTariffNodes.js";

/** Retail companies (organisation ids) whose tariff groups a scope sees; undefined = all. */
async function visibleRetailIds(em: EntityManager, scope: AccountScope): Promise<number[] | undefined> {
  switch (scope.kind) {
    case "all":
      return undefined;
    case "gridCompany":
      return attachedRetailCompanyIds(em, scope.address);
    case "retailCompany":
      return [scope.organisationId ?? -1];
    case "consumer": {
      const accounts = await em.find(Account, { consumer: scope.address }, { fields: ["retailCompanyId"] });
      return [...new Set(accounts.map((account) => account.retailCompanyId ?? -1))];
    }
  }
}

/**
 * The open billing period as `Readings.currentPeriodId` defines it: the first scheduled period whose
 * end is not in the past; the last one + 1 when every scheduled period has ended (or none exists).
 */
export async function currentPeriod(
  em: EntityManager,
  now: number,
): Promise<{ id: number; end: number | null }> {
  const open = await em.findOne(
    BillingPeriod,
    { periodEnd: { $gte: now } },
    { orderBy: { periodEnd: "asc" } },
  );
  if (open) return { id: open.id, end: open.periodEnd };
  const last = await em.findOne(BillingPeriod, {}, { orderBy: { id: "desc" } });
  return { id: (last?.id ?? 0) + 1, end: null };
}

@Resolver(() => TariffGroupNode)
export class TariffsResolver {
  @Authorized()
  @Query(() => [TariffGroupNode], {
    description:
      "Tariff groups (F-RETAIL-03): a retail company its own, a grid company its retail companies', a consumer those of their retail companies; FORBIDDEN for another retail company",
  })
  async tariffGroups(
    @Arg("retailCompany", () => String, { nullable: true }) retailCompany: string | undefined,
    @Arg("includeDeleted", () => Boolean, { defaultValue: false }) includeDeleted: boolean,
    @Ctx() context: GatewayContext,
  ): Promise<TariffGroupNode[]> {
    const em = requireDatabase(context).em();
    const visible = await visibleRetailIds(em, await accountScope(requirePrincipal(context), em));
    const where: Record<string, unknown> = {};
    if (visible) where.retailCompanyId = { $in: visible };
    if (retailCompany) {
      if (!/^0x[0-9a-fA-F]{40}$/.test(retailCompany))
        throw new NonRetryableError("Invalid retailCompany address", { code: "BAD_USER_INPUT" });
      const id = await organisationIdOf(em, retailCompany);
      if (visible && !visible.includes(id))
        throw new NonRetryableError(`The tariffs of ${retailCompany} are not yours to see`, {
          code: "FORBIDDEN",
        });
      where.retailCompanyId = id;
    }
    if (!includeDeleted) where.deleted = false;
    const rows = await em.find(TariffGroup, where, { orderBy: { id: "asc" }, limit: 1000 });
    return rows.map(toTariffGroupNode);
  }

  @Authorized()
  @Query(() => TariffGroupNode, { description: "One tariff group; FORBIDDEN outside the caller's scope" })
  async tariffGroup(
    @Arg("id", () => String) id: string,
    @Ctx() context: GatewayContext,
  ): Promise<TariffGroupNode> {
    const em = requireDatabase(context).em();
    const row = await em.findOne(TariffGroup, { id: parseDecimalId(id, "tariff group") });
    if (!row) throw new NonRetryableError(`No tariff group ${id}`, { code: "NOT_FOUND" });
    const visible = await visibleRetailIds(em, await accountScope(requirePrincipal(context), em));
    if (visible && !visible.includes(row.retailCompanyId ?? -1))
      throw new NonRetryableError(`Tariff group ${id} is not yours to see`, { code: "FORBIDDEN" });
    return toTariffGroupNode(row);
  }

  @Authorized()
  @Query(() => TariffPlanNode, { description: "One tariff plan; FORBIDDEN outside the caller's scope" })
  async tariffPlan(
    @Arg("id", () => String) id: string,
    @Ctx() context: GatewayContext,
  ): Promise<TariffPlanNode> {
    const em = requireDatabase(context).em();
    const plan = await em.findOne(TariffPlan, { id: parseDecimalId(id, "tariff plan") });
    if (!plan) throw new NonRetryableError(`No tariff plan ${id}`, { code: "NOT_FOUND" });
    const group = await em.findOne(TariffGroup, { id: plan.groupId });
    const visible = await visibleRetailIds(em, await accountScope(requirePrincipal(context), em));
    if (visible && !visible.includes(group?.retailCompanyId ?? -1))
      throw new NonRetryableError(`Tariff plan ${id} is not yours to see`, { code: "FORBIDDEN" });
    return toTariffPlanNode(plan);
  }

  @FieldResolver(() => [TariffPlanNode], { description: "The group's plans, oldest first (batched)" })
  async plans(
    @Root() group: TariffGroupNode,
    @Arg("includeDeleted", () => Boolean, { defaultValue: false }) includeDeleted: boolean,
    @Ctx() context: GatewayContext,
  ): Promise<TariffPlanNode[]> {
    const plans = await loadersOf(context).tariffPlans.load(group.id);
    const rows = includeDeleted ? plans : plans.filter((plan) => !plan.deleted);
    return rows.map(toTariffPlanNode);
  }

  @Authorized()
  @Query(() => AccountTariffNode, {
    description:
      "An account's tariff (F-CONSUMER-03, F-CHAIN-12): the current one, a choice pending for a later period, the plans open to it",
  })
  async accountTariff(
    @Arg("accountId", () => String) accountId: string,
    @Ctx() context: GatewayContext,
  ): Promise<AccountTariffNode> {
    const em = requireDatabase(context).em();
    const account = await loadScopedAccount(em, context, accountId);
    const now = Math.floor(Date.now() / 1000);
    const period = await currentPeriod(em, now);
    const choices = await em.find(
      TariffChoice,
      { accountId: account.id },
      { orderBy: { blockNumber: "desc", logIndex: "desc" }, limit: 50 },
    );
    const latest = choices[0];
    const pendingChoice = latest && latest.fromPeriod > period.id ? latest : undefined;
    const currentChoice = choices.find((choice) => choice.fromPeriod <= period.id);

    const groups = await em.find(TariffGroup, {
      retailCompanyId: account.retailCompanyId ?? -1,
      consumerType: account.consumerType,
      priceCategory: account.priceCategory,
      deleted: false,
    });
    const chosenGroupIds = [currentChoice?.groupId, pendingChoice?.groupId].filter(
      (id): id is number => id !== undefined,
    );
    const extraGroups = chosenGroupIds.filter((id) => !groups.some((group) => group.id === id));
    const allGroups: TariffGroupRow[] = extraGroups.length
      ? [...groups, ...(await em.find(TariffGroup, { id: { $in: extraGroups } }))]
      : groups;
    const plans = await em.find(
      TariffPlan,
      { groupId: { $in: allGroups.map((group) => group.id) } },
      { orderBy: { groupId: "asc", kind: "asc", validFrom: "asc", id: "asc" } },
    );
    const periodEndOf = async (periodId: number, fallback: number) =>
      (await em.findOne(BillingPeriod, { id: periodId }))?.periodEnd ?? fallback;

    const selection = async (choice: TariffChoiceRow, periodEnd: number): Promise<TariffSelectionNode> => {
      const group = allGroups.find((row) => row.id === choice.groupId);
      const plan = planInForce(
        plans.filter((row) => row.groupId === choice.groupId && row.kind === choice.kind),
        periodEnd,
      );
      return {
        groupId: String(choice.groupId),
        kind: choice.kind,
        fromPeriod: choice.fromPeriod,
        group: group ? toTariffGroupNode(group) : null,
        plan: plan ? toTariffPlanNode(plan) : null,
        chain: chainRef(choice),
      };
    };
    const openGroupIds = new Set(groups.map((group) => group.id));
    return {
      accountId: String(account.id),
      currentPeriod: period.id,
      current: currentChoice ? await selection(currentChoice, period.end ?? now + 1) : null,
      pending: pendingChoice
        ? await selection(pendingChoice, await periodEndOf(pendingChoice.fromPeriod, Number.MAX_SAFE_INTEGER))
        : null,
      available: plans
        .filter(
          (plan) =>
            openGroupIds.has(plan.groupId) && !plan.deleted && (plan.validTo === 0 || plan.validTo > now),
        )
        .map(toTariffPlanNode),
    };
  }
}
