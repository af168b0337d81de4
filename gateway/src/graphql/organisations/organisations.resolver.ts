import { type EntityManager, raw } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/knex";
import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { Account, Organisation } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { toConnection } from "../common/connection.js";
import { loadersOf } from "../common/loaders.js";
import { PageArgs, resolvePage } from "../common/pagination.js";
import { attachedRetailCompanyIds } from "../common/scopeOrganisations.js";
import { type GatewayContext, type Principal, Role } from "../context.js";
import { accountCondition, accountScope, requireDatabase, requirePrincipal } from "../scope.js";
import { OrganisationConnection, OrganisationNode, OrganisationProfileNode } from "./organisation.type.js";
import { OrganisationFilter } from "./organisations.input.js";
import { toOrganisationNode } from "./toOrganisationNode.js";

export { toOrganisationNode };

async function ownId(em: EntityManager, principal: Principal): Promise<number> {
  if (!principal.organisation) return -1;
  return (await em.findOne(Organisation, { address: principal.organisation.toLowerCase() }))?.id ?? -1;
}

async function distinctIds(em: EntityManager, column: string, where: string, value: string | number) {
  const rows = await em
    .getConnection()
    .execute(
      `select distinct ${column} as id from accounts where ${where} = ?`,
      [value],
      "all",
      em.getTransactionContext(),
    );
  return (rows as { id: number | null }[])
    .map((row) => (row.id === null ? null : Number(row.id)))
    .filter((id): id is number => id !== null);
}

/**
 * Organisations (ids) a principal may see; `undefined` = all (operator). A grid company: itself and
 * the retail companies attached to it; a retail company: itself and the grid companies its accounts
 * are in; a consumer: the retail and grid companies of their accounts; a payment source: itself.
 */
export async function visibleOrganisationIds(
  em: EntityManager,
  principal: Principal,
): Promise<number[] | undefined> {
  switch (principal.role) {
    case Role.Operator:
      return undefined;
    case Role.GridCompany: {
      const own = await ownId(em, principal);
      return [own, ...(await attachedRetailCompanyIds(em, principal.organisation?.toLowerCase() ?? ""))];
    }
    case Role.RetailCompany: {
      const own = await ownId(em, principal);
      return [own, ...(await distinctIds(em, "grid_company_id", "retail_company_id", own))];
    }
    case Role.PaymentSource:
      return [await ownId(em, principal)];
    case Role.Consumer: {
      const consumer = principal.consumerAddress?.toLowerCase() ?? "";
      return [
        ...(await distinctIds(em, "retail_company_id", "consumer", consumer)),
        ...(await distinctIds(em, "grid_company_id", "consumer", consumer)),
      ];
    }
    default:
      throw new NonRetryableError("This role does not see organisations", { code: "FORBIDDEN" });
  }
}

@Resolver(() => OrganisationNode)
export class OrganisationsResolver {
  @Authorized()
  @Query(() => OrganisationConnection, {
    description:
      "Organisations the caller may see (F-GRID-03: a grid company's attached retail companies with `kind: RETAIL_COMPANY`)",
  })
  async organisations(
    @Arg("filter", () => OrganisationFilter, { nullable: true }) filter: OrganisationFilter | undefined,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<OrganisationConnection> {
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const visible = await visibleOrganisationIds(em, principal);
    const where: Record<string, unknown> = {};
    if (visible) where.id = { $in: visible };
    if (filter?.kind !== undefined) where.kind = filter.kind;
    if (filter?.active !== undefined) where.active = filter.active;
    if (filter?.gridCompany) {
      const grid = filter.gridCompany.toLowerCase();
      if (principal.role === Role.GridCompany && grid !== principal.organisation?.toLowerCase())
        throw new NonRetryableError("A grid company sees only its own retail companies", {
          code: "FORBIDDEN",
        });
      const attached = await attachedRetailCompanyIds(em, grid);
      where.id = { $in: visible ? attached.filter((id) => visible.includes(id)) : attached };
    }
    const window = resolvePage(pageArgs);
    const [rows, total] = await em.findAndCount(Organisation, where, {
      orderBy: { id: "asc" },
      limit: window.limit,
      offset: window.offset,
    });
    return toConnection(rows.map(toOrganisationNode), total, window) as OrganisationConnection;
  }

  @Authorized()
  @Query(() => OrganisationNode, {
    description: "An organisation by chain address (its card); FORBIDDEN outside the caller's scope",
  })
  async organisation(
    @Arg("address", () => String) address: string,
    @Ctx() context: GatewayContext,
  ): Promise<OrganisationNode> {
    if (!/^0x[0-9a-fA-F]{40}$/.test(address))
      throw new NonRetryableError("Invalid address", { code: "BAD_USER_INPUT" });
    const em = requireDatabase(context).em();
    const row = await em.findOne(Organisation, { address: address.toLowerCase() });
    if (!row) throw new NonRetryableError(`No organisation ${address}`, { code: "NOT_FOUND" });
    const visible = await visibleOrganisationIds(em, requirePrincipal(context));
    if (visible && !visible.includes(row.id))
      throw new NonRetryableError(`Organisation ${address} is not yours to see`, { code: "FORBIDDEN" });
    return toOrganisationNode(row);
  }

  @Authorized(Role.Operator, Role.GridCompany, Role.RetailCompany, Role.PaymentSource)
  @Query(() => OrganisationNode, {
    description: "The caller's own organisation with its card (F-GRID-09 reads it here)",
  })
  async myOrganisation(@Ctx() context: GatewayContext): Promise<OrganisationNode> {
    const principal = requirePrincipal(context);
    if (!principal.organisation)
      throw new NonRetryableError("This user belongs to no organisation", { code: "NOT_FOUND" });
    const row = await requireDatabase(context)
      .em()
      .findOne(Organisation, { address: principal.organisation.toLowerCase() });
    if (!row) throw new NonRetryableError("The organisation is not on the ledger yet", { code: "NOT_FOUND" });
    return toOrganisationNode(row);
  }

  @FieldResolver(() => OrganisationProfileNode, {
    nullable: true,
    description: "The card (name, director, contacts, bank details); null until filled in",
  })
  async profile(
    @Root() organisation: OrganisationNode,
    @Ctx() context: GatewayContext,
  ): Promise<OrganisationProfileNode | null> {
    const row = await loadersOf(context).profile.load(organisation.address);
    if (!row) return null;
    return {
      name: row.name,
      directorName: row.directorName,
      phone: row.phone,
      email: row.email,
      legalAddress: row.legalAddress,
      inn: row.inn,
      kpp: row.kpp,
      ogrn: row.ogrn,
      bank: {
        bankName: row.bankName,
        bik: row.bik,
        settlementAccount: row.settlementAccount,
        correspondentAccount: row.correspondentAccount,
      },
      updatedAt: row.updatedAt,
    };
  }

  @FieldResolver(() => Int, {
    description:
      "Accounts it serves (retail company) or in its network (grid company) within the caller's scope; 0 for other kinds",
  })
  async accountCount(
    @Root() organisation: OrganisationNode,
    @Ctx() context: GatewayContext,
  ): Promise<number> {
    const where = await this.accountsOf(organisation, context);
    return where ? requireDatabase(context).em().count(Account, where) : 0;
  }

  @FieldResolver(() => Int, { description: "Distinct consumers of those accounts" })
  async consumerCount(
    @Root() organisation: OrganisationNode,
    @Ctx() context: GatewayContext,
  ): Promise<number> {
    const where = await this.accountsOf(organisation, context);
    if (!where) return 0;
    const em = requireDatabase(context).em() as SqlEntityManager;
    const row = (await em
      .createQueryBuilder(Account, "a")
      .select([raw("count(distinct a.consumer) as consumers")])
      .where(where)
      .execute("get")) as { consumers: number | string };
    return Number(row.consumers);
  }

  @FieldResolver(() => Int, { description: "Meters attached to those accounts" })
  async meterCount(@Root() organisation: OrganisationNode, @Ctx() context: GatewayContext): Promise<number> {
    const where = await this.accountsOf(organisation, context);
    return where
      ? requireDatabase(context)
          .em()
          .count(Account, { ...where, meterId: { $gt: 0 } })
      : 0;
  }

  private async accountsOf(organisation: OrganisationNode, context: GatewayContext) {
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const byKind: Record<number, string> = { 2: "gridCompany", 3: "retailCompany" };
    const column = byKind[organisation.kind];
    if (!column) return undefined;
    let scoped: Record<string, unknown> = {};
    if (principal.role !== Role.PaymentSource) scoped = accountCondition(await accountScope(principal, em));
    else return undefined;
    return { ...scoped, [column]: organisation.address };
  }
}
