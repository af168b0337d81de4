import { EntitySchema } from "@mikro-orm/core";

/**
 * A person or program that logs in to the gateway. Not chain-derived: users are the gateway's own
 * data, kept beside the index (a `reindex` keeps them). `organisation` ties staff to their
 * organisation's chain address; `consumerAddress` ties a consumer to the accounts whose consumer it is.
 */
export interface UserRow {
  id: number;
  /** Lower-case login name, unique. */
  login: string;
  /** argon2id hash (auth/passwords.ts). */
  passwordHash: string;
  /** graphql/context.ts Role. */
  role: string;
  organisation: string | null;
  consumerAddress: string | null;
  displayName: string;
  email: string | null;
  phone: string | null;
  /** "ru" or "en". */
  locale: string;
  createdAt: number;
  lastLoginAt: number | null;
}

export const User = new EntitySchema<UserRow>({
  name: "User",
  tableName: "users",
  properties: {
    id: { type: "integer", primary: true, autoincrement: true },
    login: { type: "string", length: 64, unique: true },
    passwordHash: { type: "string", length: 255 },
    role: { type: "string", length: 32 },
    organisation: { type: "string", length: 42, nullable: true, index: true },
    consumerAddress: { type: "string", length: 42, nullable: true, index: true },
    displayName: { type: "string", length: 200 },
    email: { type: "string", length: 200, nullable: true },
    phone: { type: "string", length: 40, nullable: true },
    locale: { type: "string", length: 2 },
    createdAt: { type: "integer" },
    lastLoginAt: { type: "integer", nullable: true },
  },
});
