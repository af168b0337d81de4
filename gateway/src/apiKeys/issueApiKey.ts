import type { EntityManager } from "@mikro-orm/core";
import { type Address, isAddress } from "viem";
import { ApiKey, type ApiKeyRow, Organisation } from "../db/entities/index.js";
import { Role } from "../graphql/context.js";
import { NonRetryableError } from "../internal/errors.js";
import { generateApiKey } from "./apiKeyFormat.js";
import { type ApiKeyScope, isApiKeyScope } from "./apiKeyScopes.js";

export type IssueApiKeyParameters = {
  /** The integrating organisation's chain address; it must be registered (indexed) and active. */
  organisation: Address | string;
  /** What the key is for, shown in lists. */
  name: string;
  scopes: readonly string[];
  /** Unix seconds after which the key is refused. Default: no expiry. */
  expiresAt?: number | undefined;
  now?: number | undefined;
};

export type IssueApiKeyReturnType = {
  /** The plain key: shown once, stored nowhere. */
  key: string;
  row: Omit<ApiKeyRow, "keyHash">;
};

/** Registry.OrganisationKind → the role its principal gets. */
const ROLE_OF_KIND: Record<number, Role> = {
  1: Role.Operator,
  2: Role.GridCompany,
  3: Role.RetailCompany,
  4: Role.PaymentSource,
};

/**
 * Issues an API key for an organisation registered on the ledger. The key acts as the organisation
 * (its role and address, as on the chain), limited to `scopes`; only its hash is stored.
 */
export async function issueApiKey(
  em: EntityManager,
  parameters: IssueApiKeyParameters,
): Promise<IssueApiKeyReturnType> {
  const now = parameters.now ?? Math.floor(Date.now() / 1000);
  if (!isAddress(parameters.organisation, { strict: false }))
    throw new NonRetryableError(`"${parameters.organisation}" is not a chain address`, {
      code: "BAD_USER_INPUT",
    });
  const organisation = parameters.organisation.toLowerCase();
  const name = parameters.name.trim();
  if (name.length < 1 || name.length > 100)
    throw new NonRetryableError("A key needs a name of 1-100 characters", { code: "BAD_USER_INPUT" });
  const unknown = parameters.scopes.filter((scope) => !isApiKeyScope(scope));
  if (unknown.length > 0 || parameters.scopes.length === 0)
    throw new NonRetryableError(
      unknown.length > 0 ? `Unknown scope ${unknown.join(", ")}` : "A key needs at least one scope",
      { code: "BAD_USER_INPUT", details: "see apiKeys/apiKeyScopes.ts or docs/api.md" },
    );
  if (parameters.expiresAt !== undefined && parameters.expiresAt <= now)
    throw new NonRetryableError("The expiry lies in the past", { code: "BAD_USER_INPUT" });
  const registered = await em.findOne(Organisation, { address: organisation });
  const role = registered ? ROLE_OF_KIND[registered.kind] : undefined;
  if (!registered || !role)
    throw new NonRetryableError(`No organisation ${organisation} on the ledger`, {
      code: "UNKNOWN_ORGANISATION",
      details: "register it on the chain first and let the indexer catch up",
    });
  if (!registered.active)
    throw new NonRetryableError(`Organisation ${organisation} is deactivated`, {
      code: "ORGANISATION_INACTIVE",
    });

  const { key, prefix, keyHash } = generateApiKey();
  const scopes = [...new Set(parameters.scopes as ApiKeyScope[])].sort().join(" ");
  const columns: Omit<ApiKeyRow, "id"> = {
    prefix,
    keyHash,
    name,
    organisation,
    role,
    scopes,
    createdAt: now,
    expiresAt: parameters.expiresAt ?? null,
    revokedAt: null,
    lastUsedAt: null,
  };
  const id = Number(await em.insert(ApiKey, columns as ApiKeyRow));
  const { keyHash: _hash, ...shown } = { id, ...columns };
  return { key, row: shown };
}
