import { hash, verify } from "@node-rs/argon2";
import { NonRetryableError } from "../internal/errors.js";

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first recommended setting: 19 MiB of
 * memory, 2 iterations, 1 lane. The parameters are stored in each hash, so raising them later only
 * affects new hashes; `needsRehash` tells the login path when to upgrade an old one.
 */
const ARGON2ID = 2; // Algorithm.Argon2id: the package's `const enum` cannot be imported under SWC
export const PASSWORD_HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** Hashes a password for storage; refuses one too short to be worth storing. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new NonRetryableError(
      `A password needs ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
      {
        code: "WEAK_PASSWORD",
      },
    );
  }
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/** Checks a password against a stored hash; a malformed hash counts as a mismatch, never a throw. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** A stored hash made with weaker parameters than today's, to be replaced at the next login. */
export function needsRehash(storedHash: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(storedHash);
  if (!match) return true;
  return (
    Number(match[1]) < PASSWORD_HASH_OPTIONS.memoryCost || Number(match[2]) < PASSWORD_HASH_OPTIONS.timeCost
  );
}
