import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * `glk_<prefix>_<secret>`: an 8-character public prefix (48 random bits, names the key and finds its
 * row) and a 43-character secret (256 random bits), both base64url. The fixed lengths make the
 * format unambiguous although base64url itself contains `_`; the `glk_` tag lets secret scanners
 * recognise a leaked key and keeps keys apart from the portal's 43-character session tokens.
 */
const API_KEY = /^glk_([A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{43})$/;

export type GeneratedApiKey = { key: string; prefix: string; keyHash: string };

/** A new random key, its prefix and the hash to store. */
export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(6).toString("base64url");
  const key = `glk_${prefix}_${randomBytes(32).toString("base64url")}`;
  return { key, prefix, keyHash: hashApiKey(key) };
}

/** The prefix of a well-formed key; undefined for anything else. */
export function apiKeyPrefix(key: string): string | undefined {
  return API_KEY.exec(key)?.[1];
}

/**
 * SHA-256, not a password hash: the key carries 256 random bits, so a slow hash adds nothing
 * against guessing, and a fast one keeps every request's check cheap.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Compares a presented key with a stored hash in constant time. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(key), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
