import Keyv from "keyv";
import { afterAll, describe, expect, test } from "vitest";
import type { Principal } from "../graphql/context.js";
import { createKeyValueStore } from "./createKeyValueStore.js";
import { createLoginThrottle } from "./loginThrottle.js";
import { createSessionStore, type Session } from "./sessions.js";

const principal: Principal = {
  userId: 7,
  login: "retail-a",
  role: "RETAIL_COMPANY",
  organisation: undefined,
};
const redisUrl = process.env.GRIDLEDGER_TEST_REDIS_URL;
const stores: Keyv<unknown>[] = [];
afterAll(async () => {
  for (const store of stores) await store.disconnect?.().catch(() => undefined);
});

/** Memory always; the real Redis too when CI provides it. */
const backends: [string, () => Keyv<never>][] = [["memory", () => new Keyv<never>()]];
if (redisUrl) {
  backends.push([
    "redis",
    () => {
      const store = createKeyValueStore<never>(redisUrl, `test-${crypto.randomUUID()}`);
      stores.push(store as Keyv<unknown>);
      return store;
    },
  ]);
}

describe.each(backends)("sessions on %s", (_name, makeStore) => {
  test("open → resume gives the principal back; close ends it", async () => {
    const sessions = createSessionStore(makeStore() as Keyv<Session>);
    const { token } = await sessions.open(principal);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await sessions.resume(token))?.principal).toEqual(principal);
    await sessions.close(token);
    expect(await sessions.resume(token)).toBeUndefined();
  });

  test("an expired session is refused and removed; a forged token is never looked up", async () => {
    let clock = 1_000_000;
    const store = makeStore() as Keyv<Session>;
    const sessions = createSessionStore(store, 60_000, () => clock);
    const { token } = await sessions.open(principal);
    clock += 30_000;
    expect(await sessions.resume(token)).toBeDefined(); // slides the expiry to clock + 60 s
    clock += 59_000;
    expect(await sessions.resume(token)).toBeDefined();
    clock += 61_000;
    expect(await sessions.resume(token)).toBeUndefined();
    expect(await store.get(token)).toBeUndefined();
    expect(await sessions.resume("../../etc/passwd")).toBeUndefined();
  });

  test("login throttling: 5 failures lock the login, the address limit catches spraying", async () => {
    let clock = 0;
    const throttle = createLoginThrottle(
      makeStore(),
      { perLogin: 5, perAddress: 8, windowMs: 60_000 },
      () => clock,
    );
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await throttle.retryAfter("consumer1", "10.0.0.1")).toBe(0);
      await throttle.recordFailure("Consumer1", "10.0.0.1");
    }
    expect(await throttle.retryAfter("consumer1", "10.0.0.1")).toBe(60_000);
    expect(await throttle.retryAfter("consumer2", "10.0.0.2")).toBe(0);
    for (let user = 0; user < 3; user++) await throttle.recordFailure(`user${user}`, "10.0.0.1");
    expect(await throttle.retryAfter("someone-else", "10.0.0.1")).toBeGreaterThan(0);
    clock += 60_001;
    expect(await throttle.retryAfter("consumer1", "10.0.0.1")).toBe(0);
  });
});
