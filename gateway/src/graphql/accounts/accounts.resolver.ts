import type { FilterQuery } from "@mikro-orm/core";
import { Arg, Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { Account, type AccountRow } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { toConnection } from "../common/connection.js";
import { PageArgs, resolvePage } from "../common/pagination.js";
import { cleanFilter, prefixRange } from "../common/textFilters.js";
import type { GatewayContext } from "../context.js";
import { accountCondition, accountScope, requireDatabase, requirePrincipal } from "../scope.js";
import { AccountConnection, AccountNode } from "./account.type.js";
import { AccountFilter } from "./accounts.input.js";
import { toAccountNode } from "./toAccountNode.js";

@Resolver()
export class AccountsResolver {
  @Authorized()
  @Query(() => AccountConnection, { description: "Accounts the caller may see, filtered and paged" })
  async accounts(
    @Arg("filter", () => AccountFilter, { nullable: true }) filter: AccountFilter | undefined,
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
      orderBy: { accountNumber: "asc" },
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
    if (!/^\d{1,19}$/.test(id))
      throw new NonRetryableError(`Invalid account id "${id.slice(0, 30)}"`, { code: "BAD_USER_INPUT" });
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const scope = await accountScope(principal, em);
    const row = await em.findOne(Account, { id: Number(id) });
    if (!row) throw new NonRetryableError(`No account ${id}`, { code: "NOT_FOUND" });
    const condition = accountCondition(scope) as Partial<Record<keyof AccountRow, string>>;
    const allowed = Object.entries(condition).every(
      ([key, value]) => String(row[key as keyof AccountRow]).toLowerCase() === value,
    );
    if (!allowed) throw new NonRetryableError(`Account ${id} is not yours to see`, { code: "FORBIDDEN" });
    return toAccountNode(row);
  }
}
