import { EntitySchema } from "@mikro-orm/core";
import { address, integer, text } from "./columns.js";

/**
 * An API key of an integrating organisation (apiKeys/). Not chain-derived: keys are the gateway's own
 * data, kept beside the index (a `reindex` keeps them). Only the SHA-256 of the key is stored; the
 * plain key is shown once, when it is issued. `prefix` is the key's public part, used to find the row
 * and to name the key in lists and logs.
 */
export interface ApiKeyRow {
  id: number;
  /** The key's public 8-character id (the part after `glk_`), unique. */
  prefix: string;
  /** SHA-256 of the whole key, lowercase hex. */
  keyHash: string;
  /** What the key is for, e.g. "1C billing export". */
  name: string;
  /** The organisation's chain address, lowercase: the principal the key acts as. */
  organisation: string;
  /** graphql/context.ts Role of the organisation when the key was issued. */
  role: string;
  /** Granted scopes, space-separated (apiKeys/apiKeyScopes.ts). */
  scopes: string;
  createdAt: number;
  /** Unix seconds after which the key is refused; null: no expiry. */
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export const ApiKey = new EntitySchema<ApiKeyRow>({
  name: "ApiKey",
  tableName: "api_keys",
  properties: {
    id: integer({ primary: true, autoincrement: true }),
    prefix: text(8, { unique: true }),
    keyHash: text(64),
    name: text(100),
    organisation: address({ index: true }),
    role: text(32),
    scopes: text(500),
    createdAt: integer(),
    expiresAt: integer({ nullable: true }),
    revokedAt: integer({ nullable: true }),
    lastUsedAt: integer({ nullable: true }),
  },
});
