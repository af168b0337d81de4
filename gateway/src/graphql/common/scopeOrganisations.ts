import type { EntityManager } from "@mikro-orm/core";
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
 * The condition on a table's `retailCompanyId` (and, for consumers, `accountId`) that a scope allows,
 * for tables that carry both (invoices, payments). `requested` is a retail company the caller filters
 * by: outside the scope it is FORBIDDEN, never an empty answer.
 */
export async function retailScopedCondition(
  em: EntityManager,
  scope: AccountScope,
  requested: string | undefined,
  what: string,
): Promise<Record<string, unknown>> {
  const where: Record<string, unknown> = {};
  switch (scope.kind) {
    case "all":
      break;
    case "gridCompany":
      where.retailCompanyId = { $in: await attachedRetailCompanyIds(em, scope.address) };
      break;
    case "retailCompany":
      where.retailCompanyId = scope.organisationId ?? -1;
      break;
    case "consumer": {
      const own = await em.find(Account, { consumer: scope.address }, { fields: ["id"] });
      where.accountId = { $in: own.map((account) => account.id) };
      break;
    }
  }
  if (requested) {
    const id = await organisationIdOf(em, requested);
    const allowed = where.retailCompanyId as number | { $in: number[] } | undefined;
    const inScope =
      allowed === undefined || (typeof allowed === "number" ? allowed === id : allowed.$in.includes(id));
    if (!inScope) {
      throw new NonRetryableError(`The ${what} of retail company ${requested} are not yours to see`, {
        code: "FORBIDDEN",
      });
    }
    where.retailCompanyId = id;
  }
  return where;
}
