import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { Account, Meter } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { AccountNode } from "../accounts/account.type.js";
import { toAccountNode } from "../accounts/toAccountNode.js";
import { accountsMatching, intersectIn } from "../common/accountsMatching.js";
import { toConnection } from "../common/connection.js";
import { loadersOf } from "../common/loaders.js";
import { PageArgs, resolvePage } from "../common/pagination.js";
import { orderByOf, SortDirection } from "../common/sort.js";
import { cleanFilter, prefixRange } from "../common/textFilters.js";
import type { GatewayContext } from "../context.js";
import { type AccountScope, accountScope, requireDatabase, requirePrincipal } from "../scope.js";
import { MeterConnection, MeterNode } from "./meter.type.js";
import { MeterReplacementNode } from "./meterReplacement.type.js";
import { toMeterReplacementNode } from "./meterReplacements.resolver.js";
import { MeterFilter, MeterSort, MeterSortField } from "./meters.input.js";
import { toMeterNode } from "./toMeterNode.js";

/** The meter-table condition of a scope: meters serve accounts, so retail and consumer scopes go through them. */
async function meterCondition(scope: AccountScope, em: ReturnType<ReturnType<typeof requireDatabase>["em"]>) {
  switch (scope.kind) {
    case "all":
      return {};
    case "gridCompany":
      return { gridCompany: scope.address };
    case "retailCompany":
      return { retailCompanyId: scope.organisationId ?? -1 };
    case "consumer": {
      const accounts = await em.find(Account, { consumer: scope.address }, { fields: ["id"] });
      return { accountId: { $in: accounts.map((account) => account.id) } };
    }
  }
}

@Resolver(() => MeterNode)
export class MetersResolver {
  @Authorized()
  @Query(() => MeterConnection, { description: "Meters the caller may see, filtered and paged" })
  async meters(
    @Arg("filter", () => MeterFilter, { nullable: true }) filter: MeterFilter | undefined,
    @Arg("sort", () => MeterSort, { nullable: true }) sort: MeterSort | undefined,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<MeterConnection> {
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const where: Record<string, unknown> = await meterCondition(await accountScope(principal, em), em);
    const serial = cleanFilter(filter?.serial);
    if (serial) where.serial = prefixRange(serial.toUpperCase());
    const model = cleanFilter(filter?.model);
    if (model) where.model = prefixRange(model);
    const accountIds = await accountsMatching(em, filter, "id");
    if (accountIds) intersectIn(where, "accountId", accountIds);
    const window = resolvePage(pageArgs);
    const [rows, total] = await em.findAndCount(Meter, where, {
      orderBy: orderByOf(
        sort,
        { [MeterSortField.SERIAL]: "serial", [MeterSortField.MODEL]: "model", [MeterSortField.ID]: "id" },
        { field: MeterSortField.SERIAL, direction: SortDirection.ASC },
        { serial: "asc", id: "asc" },
      ),
      limit: window.limit,
      offset: window.offset,
    });
    return toConnection(rows.map(toMeterNode), total, window) as MeterConnection;
  }

  @Authorized()
  @Query(() => MeterNode, { description: "One meter; refused (not empty) when outside the caller's scope" })
  async meter(@Arg("id", () => String) id: string, @Ctx() context: GatewayContext): Promise<MeterNode> {
    if (!/^\d{1,19}$/.test(id))
      throw new NonRetryableError(`Invalid meter id "${id.slice(0, 30)}"`, { code: "BAD_USER_INPUT" });
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const condition = await meterCondition(await accountScope(principal, em), em);
    const row = await em.findOne(Meter, { id: Number(id) });
    if (!row) throw new NonRetryableError(`No meter ${id}`, { code: "NOT_FOUND" });
    const visible = await em.count(Meter, { ...condition, id: Number(id) });
    if (visible === 0) throw new NonRetryableError(`Meter ${id} is not yours to see`, { code: "FORBIDDEN" });
    return toMeterNode(row);
  }

  @FieldResolver(() => AccountNode, { nullable: true, description: "The account it serves (batched)" })
  async account(@Root() meter: MeterNode, @Ctx() context: GatewayContext): Promise<AccountNode | null> {
    if (meter.accountId === null) return null;
    const row = await loadersOf(context).account.load(Number(meter.accountId));
    return row ? toAccountNode(row) : null;
  }

  @FieldResolver(() => [MeterReplacementNode], {
    description:
      "Replacements this meter took part in, removed or installed, on the account it serves now (all of them for a meter serving none, which only its grid company and the operator see), oldest first (batched)",
  })
  async replacements(
    @Root() meter: MeterNode,
    @Ctx() context: GatewayContext,
  ): Promise<MeterReplacementNode[]> {
    const rows = await loadersOf(context).meterReplacements.load(meter.id);
    // a removed meter may serve another account since: its earlier exchanges belong to the earlier
    // account's history, not to whoever sees the meter now
    const visible =
      meter.accountId === null ? rows : rows.filter((row) => String(row.accountId) === meter.accountId);
    return visible.map(toMeterReplacementNode);
  }
}
