import type { EntityManager } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/knex";
import { Account, Organisation } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import type { AccountScope } from "../scope.js";

/**
 * Organisation ids of the retail companies attached to a grid company: those serving at least one
 * account in its network (the chain records the link per account, not per organisation).
 */
export async function attachedRetailCompanyIds(em: EntityManager, gridCompany: string): Promise<number[]> {
  const rows = await em
    .getConnection()
    .execute(
      "select distinct retail_company_id as id from accounts where grid_company = ?",
      [gridCompany.toLowerCase()],
      "all",
      em.getTransactionContext(),
    );
  return (rows as { id: number | null }[])
    .map((row) => (row.id === null ? null : Number(row.id)))
    .filter((id): id is number => id !== null);
}

/** The organisation id of an address; -1 (matches nothing) when it is not registered. */
export async function organisationIdOf(em: EntityManager, address: string): Promise<number> {
  return (await em.findOne(Organisation, { address: address.toLowerCase() }))?.id ?? -1;
}

/**
 * Attached retail companies that also serve accounts in another grid company's network: their rows
 * must be narrowed to this grid company's accounts, not taken whole.
 */
async function sharedRetailCompanyIds(em: EntityManager, gridCompany: string, attached: number[]) {
  if (attached.length === 0) return [];
  const rows = await em
    .getConnection()
    .execute(
      `select distinct retail_company_id as id from accounts where grid_company <> ? and retail_company_id in (${attached.map(() => "?").join(",")})`,
      [gridCompany, ...attached],
      "all",
      em.getTransactionContext(),
    );
  return (rows as { id: number | string }[]).map((row) => Number(row.id));
}

/** A grid company's part of the rows of the given retail companies: the accounts in its network. */
function gridAccounts(em: EntityManager, gridCompany: string, retailCompanyIds: number[]) {
  return (em as SqlEntityManager)
    .createQueryBuilder(Account, "ga")
    .select("ga.id")
    .where({ gridCompany, retailCompanyId: { $in: retailCompanyIds } })
    .getKnexQuery();
}

/**
 * The condition on a table's `retailCompanyId` and `accountId` that a scope allows, for tables that
 * carry both (invoices, payments). A grid company sees the rows of the retail companies attached to
 * it; of a retail company that also serves another network, only the rows of accounts in its own.
 * `requested` is a retail company the caller filters by: outside the scope it is FORBIDDEN, never an
 * empty answer.
 */
export async function retailScopedCondition(
  em: EntityManager,
  scope: AccountScope,
  requested: string | undefined,
  what: string,
): Promise<Record<string, unknown>> {
  const requestedId = requested ? await organisationIdOf(em, requested) : undefined;
  const forbidden = () =>
    new NonRetryableError(`The ${what} of retail company ${requested} are not yours to see`, {
      code: "FORBIDDEN",
    });
  switch (scope.kind) {
    case "all":
      return requestedId === undefined ? {} : { retailCompanyId: requestedId };
    case "retailCompany": {
      const own = scope.organisationId ?? -1;
      if (requestedId !== undefined && requestedId !== own) throw forbidden();
      return { retailCompanyId: own };
    }
    case "consumer": {
      const accounts = await em.find(Account, { consumer: scope.address }, { fields: ["id"] });
      const where: Record<string, unknown> = { accountId: { $in: accounts.map((account) => account.id) } };
      if (requestedId !== undefined) where.retailCompanyId = requestedId;
      return where;
    }
    case "gridCompany": {
      const attached = await attachedRetailCompanyIds(em, scope.address);
      if (requestedId !== undefined && !attached.includes(requestedId)) throw forbidden();
      const wanted = requestedId === undefined ? attached : [requestedId];
      const shared = new Set(await sharedRetailCompanyIds(em, scope.address, wanted));
      const whole = wanted.filter((id) => !shared.has(id));
      if (shared.size === 0) return { retailCompanyId: { $in: whole } };
      const narrowed = {
        retailCompanyId: { $in: [...shared] },
        accountId: { $in: gridAccounts(em, scope.address, [...shared]) },
      };
      return whole.length === 0 ? narrowed : { $or: [{ retailCompanyId: { $in: whole } }, narrowed] };
    }
  }
}
