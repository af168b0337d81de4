import type { EntityManager } from "@mikro-orm/core";
import type { Address } from "viem";
import { User, type UserRow } from "../db/entities/user.js";
import { type Role } from "../graphql/context.js";
import { NonRetryableError } from "../internal/errors.js";
import { hashPassword } from "./passwords.js";

export type CreateUserParameters = {
  login: string;
  password: string;
  role: Role;
  displayName: string;
  organisation?: Address | undefined;
  consumerAddress?: Address | undefined;
  locale?: "ru" | "en";
};

const LOGIN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** Creates a user with an argon2id-hashed password; a taken login or an unusable one is refused. */
export async function createUser(em: EntityManager, parameters: CreateUserParameters): Promise<UserRow> {
  const login = parameters.login.trim().toLowerCase();
  if (!LOGIN.test(login)) {
    throw new NonRetryableError(`Invalid login "${parameters.login}"`, {
      code: "BAD_USER_INPUT",
      details: "3-64 letters, digits, dots, dashes or underscores, starting with a letter or digit",
    });
  }
  if (await em.findOne(User, { login }))
    throw new NonRetryableError(`Login "${login}" is taken`, { code: "CONFLICT" });
  const row: UserRow = {
    id: 0,
    login,
    passwordHash: await hashPassword(parameters.password),
    role: parameters.role,
    organisation: parameters.organisation?.toLowerCase() ?? null,
    consumerAddress: parameters.consumerAddress?.toLowerCase() ?? null,
    displayName: parameters.displayName,
    email: null,
    phone: null,
    locale: parameters.locale ?? "ru",
    createdAt: Math.floor(Date.now() / 1000),
    lastLoginAt: null,
  };
  const { id: _id, ...columns } = row;
  const id = await em.insert(User, columns as UserRow);
  return { ...row, id: Number(id) };
}
