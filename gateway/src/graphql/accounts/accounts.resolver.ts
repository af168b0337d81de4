import type { FilterQuery } from "@mikro-orm/core";
import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { Account, type AccountRow } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { toConnection } from "../common/connection.js";
import { loadersOf } from "../common/loaders.js";
import { loadScopedAccount } from "../common/loadScopedAccount.js";
import { PageArgs, resolvePage } from "../common/pagination.js";
import { orderByOf, SortDirection } from "../common/sort.js";
import { cleanFilter, prefixRange } from "../common/textFilters.js";
import type { GatewayContext } from "../context.js";
import { MeterNode } from "../meters/meter.type.js";
import { MeterReplacementNode } from "../meters/meterReplacement.type.js";
import { toMeterReplacementNode } from "../meters/meterReplacements.resolver.js";
import { toMeterNode } from "../meters/toMeterNode.js";
import { OrganisationNode } from "../organisations/organisation.type.js";
import { toOrganisationNode } from "../organisations/toOrganisationNode.js";
import { accountCondition, accountScope, requireDatabase, requirePrincipal } from "../scope.js";
import { AccountConnection, AccountNode } from "./account.type.js";
import { AccountFilter, AccountSort, AccountSortField } from "./accounts.input.js";
import { toAccountNode } from "./toAccountNode.js";

const SORT_COLUMNS: Record<AccountSortField, string> = {
  [AccountSortField.ACCOUNT_NUMBER]: "accountNumber",
  [AccountSortField.SITE]: "siteId",
  [AccountSortField.INSTALLATION_ADDRESS]: "addressRef",
  [AccountSortField.ID]: "id",
  [AccountSortField.CREDIT_BALANCE]: "creditBalance",
};

@Resolver(() => AccountNode)
export class AccountsResolver {
  @Authorized()
  @Query(() => AccountConnection, { description: "Accounts the caller may see, filtered and paged" })
  async accounts(
    @Arg("filter", () => AccountFilter, { nullable: true }) filter: AccountFilter | undefined,
    @Arg("sort", () => AccountSort, { nullable: true }) sort: AccountSort | undefined,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<AccountConnection> {
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const scope = await accountScope(principal, em);
    const where: FilterQuery<AccountRow> = { ...accountCondition(scope) } as FilterQuery<AccountRow>;
    const conditions = where as Record<string, unknown>;
    if (filter?.retailCompany) {
      const wanted = filter.retailCompany.toLowerCase();
      if (scope.kind === "retailCompany" && wanted !== scope.address) {
        throw new NonRetryableError("A retail company sees only its own accounts", { code: "FORBIDDEN" });
      }
      conditions.retailCompany = wanted;
    }
    const accountNumber = cleanFilter(filter?.accountNumber);
    if (accountNumber) conditions.accountNumber = prefixRange(accountNumber);
    const site = cleanFilter(filter?.site);
    if (site) conditions.siteId = prefixRange(site);
    const address = cleanFilter(filter?.installationAddress);
    if (address) conditions.addressRef = prefixRange(address);
    const window = resolvePage(pageArgs);
    const [rows, total] = await em.findAndCount(Account, where, {
      orderBy: orderByOf(
        sort,
        SORT_COLUMNS,
        { field: AccountSortField.ACCOUNT_NUMBER, direction: SortDirection.ASC },
        { accountNumber: "asc" },
      ),
      limit: window.limit,
      offset: window.offset,
    });
    return toConnection(rows.map(toAccountNode), total, window) as AccountConnection;
  }

  @Authorized()
  @Query(() => AccountNode, {
    description: "One account; refused (not empty) when outside the caller's scope",
  })
  async account(@Arg("id", () => String) id: string, @Ctx() context: GatewayContext): Promise<AccountNode> {
    return toAccountNode(await loadScopedAccount(requireDatabase(context).em(), context, id));
  }

  @FieldResolver(() => MeterNode, { nullable: true, description: "The account's meter (batched)" })
  async meter(@Root() account: AccountNode, @Ctx() context: GatewayContext): Promise<MeterNode | null> {
    if (account.meterId === null) return null;
    const row = await loadersOf(context).meter.load(Number(account.meterId));
    return row ? toMeterNode(row) : null;
  }

  @FieldResolver(() => [MeterReplacementNode], {
    description: "The account's meter history: every replacement of its meter, oldest first (batched)",
  })
  async meterReplacements(
    @Root() account: AccountNode,
    @Ctx() context: GatewayContext,
  ): Promise<MeterReplacementNode[]> {
    return (await loadersOf(context).accountReplacements.load(account.id)).map(toMeterReplacementNode);
  }

  @FieldResolver(() => OrganisationNode, {
    nullable: true,
    description: "The retail company serving the account, with its card (batched)",
  })
  async retailCompanyCard(
    @Root() account: AccountNode,
    @Ctx() context: GatewayContext,
  ): Promise<OrganisationNode | null> {
    const row = await loadersOf(context).organisationByAddress.load(account.retailCompany.toLowerCase());
    return row ? toOrganisationNode(row) : null;
  }

  @FieldResolver(() => OrganisationNode, { nullable: true, description: "The grid company (batched)" })
  async gridCompanyCard(
    @Root() account: AccountNode,
    @Ctx() context: GatewayContext,
  ): Promise<OrganisationNode | null> {
    const row = await loadersOf(context).organisationByAddress.load(account.gridCompany.toLowerCase());
    return row ? toOrganisationNode(row) : null;
  }
}
