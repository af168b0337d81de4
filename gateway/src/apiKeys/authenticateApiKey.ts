import type { EntityManager } from "@mikro-orm/core";
import type { Address } from "viem";
import { ApiKey, Organisation } from "../db/entities/index.js";
import type { Principal, Role } from "../graphql/context.js";
import { NonRetryableError } from "../internal/errors.js";
import { apiKeyMatches, apiKeyPrefix } from "./apiKeyFormat.js";
import { type ApiKeyScope, isApiKeyScope } from "./apiKeyScopes.js";

export type AuthenticatedApiKey = {
  id: number;
  prefix: string;
  /** The organisation the key acts as, with the role it has on the ledger. */
  principal: Principal;
  scopes: ReadonlySet<ApiKeyScope>;
};

/** How stale `lastUsedAt` may get before a request writes it again (one write a minute per key). */
const LAST_USED_RESOLUTION_SECONDS = 60;

/**
 * Resolves a presented key to its organisation's principal and scopes, or throws a
 * NonRetryableError whose code says why not: API_KEY_INVALID (malformed, unknown or wrong secret:
 * one answer, so the reply says nothing about which prefixes exist), API_KEY_REVOKED,
 * API_KEY_EXPIRED, ORGANISATION_INACTIVE (the ledger deactivated the organisation).
 */
export async function authenticateApiKey(
  em: EntityManager,
  presentedKey: string,
  now = Math.floor(Date.now() / 1000),
): Promise<AuthenticatedApiKey> {
  const prefix = apiKeyPrefix(presentedKey);
  const row = prefix ? await em.findOne(ApiKey, { prefix }) : null;
  if (!prefix || !row || !apiKeyMatches(presentedKey, row.keyHash))
    throw new NonRetryableError("The API key is not valid", { code: "API_KEY_INVALID" });
  if (row.revokedAt !== null && row.revokedAt <= now)
    throw new NonRetryableError(`API key ${prefix} was revoked`, { code: "API_KEY_REVOKED" });
  if (row.expiresAt !== null && row.expiresAt <= now)
    throw new NonRetryableError(`API key ${prefix} has expired`, { code: "API_KEY_EXPIRED" });
  const organisation = await em.findOne(Organisation, { address: row.organisation });
  if (!organisation?.active)
    throw new NonRetryableError(`The organisation of API key ${prefix} is not active on the ledger`, {
      code: "ORGANISATION_INACTIVE",
    });
  if (row.lastUsedAt === null || row.lastUsedAt + LAST_USED_RESOLUTION_SECONDS <= now)
    await em.nativeUpdate(ApiKey, { id: row.id }, { lastUsedAt: now });
  return {
    id: row.id,
    prefix,
    // userId 0: no user row; the key acts as the organisation itself
    principal: {
      userId: 0,
      login: `apikey:${prefix}`,
      role: row.role as Role,
      organisation: row.organisation as Address,
    },
    scopes: new Set(row.scopes.split(" ").filter(isApiKeyScope)),
  };
}
