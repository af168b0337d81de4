import type { EntityManager } from "@mikro-orm/core";
import { Account } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { cleanFilter, prefixRange } from "./textFilters.js";

/** A text filter may select at most this many accounts; beyond it the caller narrows the filter. */
export const MAX_ACCOUNTS_PER_FILTER = 5000;

export type AccountTextFilter = {
  accountNumber?: string | undefined;
  installationAddress?: string | undefined;
};

/**
 * Resolves the account-number and installation-address filters that meters, readings and payments
 * share into the matching accounts' ids (or meter ids), through the accounts table's indexes.
 * `undefined` when neither filter is set.
 */
export async function accountsMatching(
  em: EntityManager,
  filter: AccountTextFilter | undefined,
  field: "id" | "meterId",
): Promise<number[] | undefined> {
  const accountNumber = cleanFilter(filter?.accountNumber);
  const address = cleanFilter(filter?.installationAddress);
  if (!accountNumber && !address) return undefined;
  const where: Record<string, unknown> = {};
  if (accountNumber) where.accountNumber = prefixRange(accountNumber);
  if (address) where.addressRef = prefixRange(address);
  const accounts = await em.find(Account, where, { fields: [field], limit: MAX_ACCOUNTS_PER_FILTER + 1 });
  if (accounts.length > MAX_ACCOUNTS_PER_FILTER) {
    throw new NonRetryableError(`The filter matches more than ${MAX_ACCOUNTS_PER_FILTER} accounts`, {
      code: "FILTER_TOO_BROAD",
      details: "add characters to the account number or address, or a narrower date range",
    });
  }
  return accounts.map((account) => account[field]);
}

/** Narrows an `$in` condition already in `where[key]` to `ids` (or sets it). */
export function intersectIn(where: Record<string, unknown>, key: string, ids: number[]): void {
  const existing = where[key] as { $in: number[] } | undefined;
  where[key] = { $in: existing ? ids.filter((id) => existing.$in.includes(id)) : ids };
}
