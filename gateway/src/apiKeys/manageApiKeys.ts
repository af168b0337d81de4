import type { EntityManager } from "@mikro-orm/core";
import { ApiKey, type ApiKeyRow } from "../db/entities/index.js";
import { NonRetryableError } from "../internal/errors.js";

export type ApiKeyListing = Omit<ApiKeyRow, "keyHash">;

/** Keys, newest first, without their hashes; all of them or one organisation's. */
export async function listApiKeys(em: EntityManager, organisation?: string): Promise<ApiKeyListing[]> {
  const rows = await em.find(ApiKey, organisation ? { organisation: organisation.toLowerCase() } : {}, {
    orderBy: { id: "desc" },
  });
  return rows.map(({ keyHash: _hash, ...row }) => row);
}

/**
 * Revokes a key by its prefix; from then on every request with it is refused (401
 * API_KEY_REVOKED). Revoking a revoked key keeps its first revocation time.
 */
export async function revokeApiKey(
  em: EntityManager,
  prefix: string,
  now = Math.floor(Date.now() / 1000),
): Promise<ApiKeyListing> {
  const row = await em.findOne(ApiKey, { prefix });
  if (!row) throw new NonRetryableError(`No API key ${prefix}`, { code: "NOT_FOUND" });
  if (row.revokedAt === null) await em.nativeUpdate(ApiKey, { id: row.id }, { revokedAt: now });
  const { keyHash: _hash, ...listing } = row;
  return { ...listing, revokedAt: row.revokedAt ?? now };
}
