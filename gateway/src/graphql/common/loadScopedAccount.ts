import type { EntityManager } from "@mikro-orm/core";
import { Account, type AccountRow } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import type { GatewayContext } from "../context.js";
import { accountCondition, accountScope, requirePrincipal } from "../scope.js";
import { parseDecimalId } from "./ids.js";

/** One account the caller may see: NOT_FOUND when there is none, FORBIDDEN when it is someone else's. */
export async function loadScopedAccount(
  em: EntityManager,
  context: GatewayContext,
  id: string,
): Promise<AccountRow> {
  const accountId = parseDecimalId(id, "account");
  const scope = await accountScope(requirePrincipal(context), em);
  const row = await em.findOne(Account, { id: accountId });
  if (!row) throw new NonRetryableError(`No account ${id}`, { code: "NOT_FOUND" });
  const condition = accountCondition(scope) as Partial<Record<keyof AccountRow, string>>;
  const allowed = Object.entries(condition).every(
    ([key, value]) => String(row[key as keyof AccountRow]).toLowerCase() === value,
  );
  if (!allowed) throw new NonRetryableError(`Account ${id} is not yours to see`, { code: "FORBIDDEN" });
  return row;
}
