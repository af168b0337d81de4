import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { NonRetryableError } from "../internal/errors.js";
import { createGuardedLookup, type ResolveHost } from "./guardedLookup.js";

/** A name server under the test's control: each call answers the next list (the last one repeats). */
const answering = (...answers: LookupAddress[][]): ResolveHost => {
  let calls = 0;
  return async () => answers[Math.min(calls++, answers.length - 1)]!;
};

/** What a socket would get from the lookup: the addresses (all: true) or the error. */
const ask = (lookup: ReturnType<typeof createGuardedLookup>, hostname: string, all = true, family = 0) =>
  new Promise<LookupAddress[] | string | Error>((resolve) =>
    lookup(hostname, { all, family }, (error, address) =>
      resolve(error ?? (address as LookupAddress[] | string)),
    ),
  );

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

describe("createGuardedLookup()", () => {
  it("DNS rebinding: a name that answered public is refused at the attempt where it answers private", async () => {
    const lookup = createGuardedLookup({
      allowPrivateTargets: false,
      resolve: answering([v4("93.184.216.34")], [v4("10.0.0.5")]),
    });
    expect(await ask(lookup, "hooks.example.org")).toEqual([v4("93.184.216.34")]);
    const refused = await ask(lookup, "hooks.example.org");
    expect(refused).toBeInstanceOf(NonRetryableError);
    expect(refused).toMatchObject({
      code: "BLOCKED_ADDRESS",
      shortMessage: "10.0.0.5 is a private network address (10.0.0.0/8)",
    });
  });

  it("refuses when any resolved address is blocked, so Happy Eyeballs cannot fall back to it", async () => {
    const lookup = createGuardedLookup({
      allowPrivateTargets: false,
      resolve: answering([v4("93.184.216.34"), v6("fd00::1")]),
    });
    expect(await ask(lookup, "hooks.example.org")).toMatchObject({
      shortMessage: "fd00::1 is a unique local (private network) address (fc00::/7)",
    });
    // also when the socket asks for one address of one family, whichever
    expect(await ask(lookup, "hooks.example.org", false, 6)).toBeInstanceOf(NonRetryableError);
    expect(await ask(lookup, "hooks.example.org", false, 4)).toBeInstanceOf(NonRetryableError);
  });

  it("answers public addresses in the form the socket asked for", async () => {
    const resolve = answering([v4("93.184.216.34"), v6("2606:2800:220:1:248:1893:25c8:1946")]);
    const lookup = createGuardedLookup({ allowPrivateTargets: false, resolve });
    expect(await ask(lookup, "hooks.example.org")).toHaveLength(2);
    expect(await ask(lookup, "hooks.example.org", false)).toBe("93.184.216.34");
    expect(await ask(lookup, "hooks.example.org", false, 6)).toBe("2606:2800:220:1:248:1893:25c8:1946");
  });

  it("a literal address is checked without asking the resolver", async () => {
    const lookup = createGuardedLookup({
      allowPrivateTargets: false,
      resolve: () => Promise.reject(new Error("the resolver must not be asked")),
    });
    expect(await ask(lookup, "169.254.169.254")).toMatchObject({ code: "BLOCKED_ADDRESS" });
    expect(await ask(lookup, "::ffff:192.168.1.1")).toMatchObject({ code: "BLOCKED_ADDRESS" });
    expect(await ask(lookup, "8.8.8.8")).toEqual([v4("8.8.8.8")]);
  });

  it("allowPrivateTargets lets private and loopback addresses through", async () => {
    const lookup = createGuardedLookup({
      allowPrivateTargets: true,
      resolve: answering([v4("127.0.0.1"), v6("::1")]),
    });
    expect(await ask(lookup, "localhost")).toEqual([v4("127.0.0.1"), v6("::1")]);
  });

  it("a resolver error or an empty answer is passed on as a network error, not a refusal", async () => {
    const failing = createGuardedLookup({
      allowPrivateTargets: false,
      resolve: () =>
        Promise.reject(Object.assign(new Error("getaddrinfo EAI_AGAIN x"), { code: "EAI_AGAIN" })),
    });
    const error = await ask(failing, "x");
    expect(error).not.toBeInstanceOf(NonRetryableError);
    expect(error).toMatchObject({ code: "EAI_AGAIN" });
    expect(
      await ask(createGuardedLookup({ allowPrivateTargets: false, resolve: answering([]) }), "x"),
    ).toMatchObject({
      code: "ENOTFOUND",
    });
  });
});
