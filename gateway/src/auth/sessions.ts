import { randomBytes } from "node:crypto";
import type Keyv from "keyv";
import type { Principal } from "../graphql/context.js";

/** Sessions end after this much inactivity. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;

export type Session = { principal: Principal; createdAt: number; expiresAt: number };

export type SessionStore = {
  /** Opens a session and returns its bearer token (256 random bits, base64url). */
  open(principal: Principal): Promise<{ token: string; expiresAt: number }>;
  /** The session behind a token, sliding its expiry; undefined when unknown or expired. */
  resume(token: string): Promise<Session | undefined>;
  /** Ends a session (logout). */
  close(token: string): Promise<void>;
};

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sessions kept in keyv (Redis in production) under the token, with expiry enforced twice: by the
 * store's TTL and by `expiresAt`, so a store without TTL support still ends them.
 */
export function createSessionStore(
  store: Keyv<Session>,
  idleMs = SESSION_IDLE_MS,
  now = () => Date.now(),
): SessionStore {
  return {
    async open(principal) {
      const token = randomBytes(32).toString("base64url");
      const createdAt = now();
      const expiresAt = createdAt + idleMs;
      await store.set(token, { principal, createdAt, expiresAt }, idleMs);
      return { token, expiresAt };
    },
    async resume(token) {
      if (!TOKEN.test(token)) return undefined;
      const session = await store.get(token);
      if (!session) return undefined;
      if (session.expiresAt <= now()) {
        await store.delete(token);
        return undefined;
      }
      const renewed = { ...session, expiresAt: now() + idleMs };
      await store.set(token, renewed, idleMs);
      return renewed;
    },
    async close(token) {
      if (TOKEN.test(token)) await store.delete(token);
    },
  };
}
