import type { EntityManager } from "@mikro-orm/core";
import { AuthenticationError } from "type-graphql";
import { Organisation } from "../db/entities/index.js";
import type { Database } from "../db/openDatabase.js";
import { NonRetryableError } from "../internal/errors.js";
import { type GatewayContext, type Principal, Role } from "./context.js";

/**
 * What part of the index a principal may read (issue 5 §4): the operator everything; a grid company
 * the accounts it serves; a retail company only its own accounts; a consumer only their own. The
 * resolvers add this to every query, so a row outside the scope is never loaded, not filtered later.
 */
export type AccountScope =
  | { kind: "all" }
  | { kind: "gridCompany"; address: string }
  | { kind: "retailCompany"; address: string; organisationId: number | null }
  | { kind: "consumer"; address: string };

export function requirePrincipal(context: GatewayContext): Principal {
  if (!context.principal) throw new AuthenticationError("Log in first");
  return context.principal;
}

export function requireDatabase(context: GatewayContext): Database {
  const database = context.services.database;
  if (!database)
    throw new NonRetryableError("The index is not available on this gateway", { code: "INDEX_UNAVAILABLE" });
  return database;
}

export async function accountScope(principal: Principal, em: EntityManager): Promise<AccountScope> {
  const organisation = principal.organisation?.toLowerCase();
  switch (principal.role) {
    case Role.Operator:
      return { kind: "all" };
    case Role.GridCompany:
      if (!organisation) break;
      return { kind: "gridCompany", address: organisation };
    case Role.RetailCompany: {
      if (!organisation) break;
      const row = await em.findOne(Organisation, { address: organisation });
      return { kind: "retailCompany", address: organisation, organisationId: row?.id ?? null };
    }
    case Role.Consumer:
      if (!principal.consumerAddress) break;
      return { kind: "consumer", address: principal.consumerAddress.toLowerCase() };
    default:
      break;
  }
  throw new NonRetryableError("This role does not see accounts", { code: "FORBIDDEN" });
}

/** The account-table condition of a scope. */
export function accountCondition(scope: AccountScope): Record<string, unknown> {
  switch (scope.kind) {
    case "all":
      return {};
    case "gridCompany":
      return { gridCompany: scope.address };
    case "retailCompany":
      return { retailCompany: scope.address };
    case "consumer":
      return { consumer: scope.address };
  }
}
