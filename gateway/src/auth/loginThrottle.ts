import type Keyv from "keyv";

export type LoginThrottleOptions = {
  /** Failed attempts allowed per login within the window. Default: `5`. */
  perLogin?: number;
  /** Failed attempts allowed per client address within the window. Default: `20`. */
  perAddress?: number;
  /** Default: 15 minutes. */
  windowMs?: number;
};

export type LoginThrottle = {
  /** Milliseconds until another attempt is allowed, or 0 when one is allowed now. */
  retryAfter(login: string, address: string): Promise<number>;
  recordFailure(login: string, address: string): Promise<void>;
  /** A successful login clears its login's counter (not the address's). */
  recordSuccess(login: string): Promise<void>;
};

type Counter = { count: number; windowEndsAt: number };

/**
 * Fixed-window counters of failed logins, per login and per client address, in keyv (Redis in
 * production so that every gateway instance sees the same counts). Guessing one account's password
 * and spraying many accounts from one address are both slowed down.
 */
export function createLoginThrottle(
  store: Keyv<Counter>,
  options: LoginThrottleOptions = {},
  now = () => Date.now(),
): LoginThrottle {
  const perLogin = options.perLogin ?? 5;
  const perAddress = options.perAddress ?? 20;
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  const loginKey = (login: string) => `login:${login.toLowerCase()}`;
  const addressKey = (address: string) => `address:${address}`;

  const blockedFor = async (key: string, limit: number) => {
    const counter = await store.get(key);
    if (!counter || counter.windowEndsAt <= now()) return 0;
    return counter.count >= limit ? counter.windowEndsAt - now() : 0;
  };
  const increment = async (key: string) => {
    const counter = await store.get(key);
    const fresh = !counter || counter.windowEndsAt <= now();
    const next = fresh
      ? { count: 1, windowEndsAt: now() + windowMs }
      : { ...counter, count: counter.count + 1 };
    await store.set(key, next, next.windowEndsAt - now());
  };
  return {
    async retryAfter(login, address) {
      return Math.max(
        await blockedFor(loginKey(login), perLogin),
        await blockedFor(addressKey(address), perAddress),
      );
    },
    async recordFailure(login, address) {
      await Promise.all([increment(loginKey(login)), increment(addressKey(address))]);
    },
    async recordSuccess(login) {
      await store.delete(loginKey(login));
    },
  };
}
