import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { EntityManager } from "@mikro-orm/core";
import type { Address } from "viem";
import { createUser } from "../auth/createUser.js";
import { User } from "../db/entities/user.js";
import type { Role } from "../graphql/context.js";

export type DemoUser = {
  login: string;
  password: string;
  role: Role;
  displayName: string;
  organisation?: Address | undefined;
  consumerAddress?: Address | undefined;
};

export type DemoUserSpec = Omit<DemoUser, "password">;

type RoleAccounts = Record<
  "operator" | "gridCompany" | "retailCompanyA" | "retailCompanyB" | "bank" | "consumer",
  { address: Address }
>;

/** One login per role of the embedded system, plus one per demo consumer (`consumer1`, …). */
export function demoUserSpecs(
  accounts: RoleAccounts,
  demoConsumers: readonly { name: string; address: Address }[] = [],
): DemoUserSpec[] {
  return [
    {
      login: "operator",
      role: "OPERATOR",
      displayName: "Оператор консорциума",
      organisation: accounts.operator.address,
    },
    {
      login: "grid",
      role: "GRID_COMPANY",
      displayName: "Сетевая компания",
      organisation: accounts.gridCompany.address,
    },
    {
      login: "retail-a",
      role: "RETAIL_COMPANY",
      displayName: "Сбытовая компания А",
      organisation: accounts.retailCompanyA.address,
    },
    {
      login: "retail-b",
      role: "RETAIL_COMPANY",
      displayName: "Сбытовая компания Б",
      organisation: accounts.retailCompanyB.address,
    },
    { login: "bank", role: "PAYMENT_SOURCE", displayName: "Банк", organisation: accounts.bank.address },
    {
      login: "consumer",
      role: "CONSUMER",
      displayName: "Потребитель",
      consumerAddress: accounts.consumer.address,
    },
    ...demoConsumers.map((person, index) => ({
      login: `consumer${index + 1}`,
      role: "CONSUMER" as const,
      displayName: person.name,
      consumerAddress: person.address,
    })),
  ];
}

/**
 * Creates the demo users of an embedded system once. Their passwords are generated at first start
 * (never in the repository), kept in `loginsFile` (mode 0600) so that every later start can print
 * them again, and stored in the database only as argon2id hashes.
 */
export async function seedDemoUsers(
  em: EntityManager,
  specs: DemoUserSpec[],
  loginsFile: string,
): Promise<DemoUser[]> {
  const known: Record<string, string> = existsSync(loginsFile)
    ? (JSON.parse(readFileSync(loginsFile, "utf8")) as Record<string, string>)
    : {};
  const users: DemoUser[] = [];
  for (const spec of specs) {
    const existing = await em.findOne(User, { login: spec.login });
    let password = known[spec.login];
    if (!existing) {
      password ??= randomBytes(9).toString("base64url");
      await createUser(em, { ...spec, password });
    }
    if (password) {
      known[spec.login] = password;
      users.push({ ...spec, password });
    }
  }
  writeFileSync(loginsFile, `${JSON.stringify(known, null, 2)}\n`, { mode: 0o600 });
  return users;
}
