import Keyv from "keyv";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createUser } from "../../auth/createUser.js";
import { createLoginThrottle } from "../../auth/loginThrottle.js";
import { createSessionStore, type Session } from "../../auth/sessions.js";
import { testDatabases } from "../../db/_test/testDatabases.js";
import { type Database, openDatabase } from "../../db/openDatabase.js";
import { createGatewayServer, type GatewayServer } from "../../server/createGatewayServer.js";

describe.each(testDatabases("auth"))("login, sessions and profile on $name", (testDatabase) => {
  let database: Database;
  let gateway: GatewayServer;

  beforeAll(async () => {
    database = await openDatabase({ url: testDatabase.url });
    const em = database.em();
    await createUser(em, {
      login: "Retail-A",
      password: "correct horse 1",
      role: "RETAIL_COMPANY",
      displayName: "Retail A",
    });
    await createUser(em, {
      login: "consumer1",
      password: "correct horse 2",
      role: "CONSUMER",
      displayName: "Иван Петров",
    });
    const unused = "http://127.0.0.1:9";
    gateway = await createGatewayServer({
      rpcUrl: unused,
      deployment: { chainId: 1, deployedAtBlock: "1", contracts: {} },
      logLevel: "silent",
      services: {
        chain: {
          publicClient: createPublicClient({ transport: http(unused) }),
          walletClient: createWalletClient({ transport: http(unused) }),
          relayer: privateKeyToAccount(`0x${"01".repeat(32)}`),
          chainId: 1,
          deployedAtBlock: 1n,
          contracts: {},
          zeroGasPrice: true,
        },
        database,
        sessions: createSessionStore(new Keyv<Session>()),
        loginThrottle: createLoginThrottle(new Keyv(), { perLogin: 3, perAddress: 100 }),
        indexStatus: async () => ({ indexedBlock: undefined }),
      },
    });
  });
  afterAll(async () => {
    await gateway?.app.close();
    await database?.close();
    await testDatabase.drop();
  });

  type Answer = {
    data?: Record<string, Record<string, unknown> | boolean | null> | null;
    errors?: { message: string; extensions: { code: string } }[];
  };
  const ask = async (query: string, variables?: Record<string, unknown>, token?: string): Promise<Answer> =>
    (
      await gateway.app.inject({
        method: "POST",
        url: "/graphql",
        payload: { query, variables },
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      })
    ).json() as Answer;
  const LOGIN =
    "mutation($login: String!, $password: String!) { login(login: $login, password: $password) { token expiresAt user { login role displayName } } }";

  test("the right password opens a session; the login is case-insensitive", async () => {
    const answer = await ask(LOGIN, { login: "RETAIL-a", password: "correct horse 1" });
    const login = answer.data?.login as { token: string; expiresAt: number; user: Record<string, string> };
    expect(login.user).toEqual({ login: "retail-a", role: "RETAIL_COMPANY", displayName: "Retail A" });
    expect(login.expiresAt).toBeGreaterThan(Date.now() / 1000);
    const me = await ask("{ me { login role } }", {}, login.token);
    expect(me.data?.me).toEqual({ login: "retail-a", role: "RETAIL_COMPANY" });
  });

  test("a wrong password and an unknown login get the same answer, with no hint which was wrong", async () => {
    const wrongPassword = await ask(LOGIN, { login: "consumer1", password: "wrong password" });
    const unknownLogin = await ask(LOGIN, { login: "nobody", password: "correct horse 2" });
    expect(wrongPassword.errors?.[0]).toMatchObject({
      message: "Wrong login or password",
      extensions: { code: "BAD_CREDENTIALS" },
    });
    expect(unknownLogin.errors?.[0]).toMatchObject({
      message: "Wrong login or password",
      extensions: { code: "BAD_CREDENTIALS" },
    });
  });

  test("repeated failures lock the login for a while, even for the right password", async () => {
    await createUser(database.em(), {
      login: "target",
      password: "correct horse 3",
      role: "CONSUMER",
      displayName: "T",
    });
    for (let attempt = 0; attempt < 3; attempt++)
      await ask(LOGIN, { login: "target", password: `guess ${attempt}xxxxx` });
    const locked = await ask(LOGIN, { login: "target", password: "correct horse 3" });
    expect(locked.errors?.[0]?.extensions.code).toBe("RATE_LIMITED");
  });

  test("logout ends the session; a forged or expired token is anonymous", async () => {
    const login = (await ask(LOGIN, { login: "consumer1", password: "correct horse 2" })).data?.login as {
      token: string;
    };
    expect((await ask("{ me { login } }", {}, login.token)).data?.me).toEqual({ login: "consumer1" });
    expect((await ask("mutation { logout }", {}, login.token)).data?.logout).toBe(true);
    expect((await ask("{ me { login } }", {}, login.token)).errors?.[0]?.extensions.code).toBe(
      "UNAUTHENTICATED",
    );
    const forged = `${login.token.slice(0, -1)}${login.token.endsWith("A") ? "B" : "A"}`;
    const refused = (await ask("{ me { login } }", {}, forged)).errors?.[0];
    expect(refused?.extensions.code).toBe("UNAUTHENTICATED");
    // a refusal names its code and nothing of the server's insides
    expect(refused?.extensions).not.toHaveProperty("stacktrace");
  });

  test("profile edits are validated and only touch one's own user", async () => {
    const login = (await ask(LOGIN, { login: "consumer1", password: "correct horse 2" })).data?.login as {
      token: string;
    };
    const UPDATE =
      "mutation($email: String, $locale: String) { updateProfile(email: $email, locale: $locale) { login locale } }";
    expect(
      (await ask(UPDATE, { email: "ivan@example.org", locale: "en" }, login.token)).data?.updateProfile,
    ).toEqual({ login: "consumer1", locale: "en" });
    expect((await ask(UPDATE, { email: "not an email" }, login.token)).errors?.[0]?.extensions.code).toBe(
      "BAD_USER_INPUT",
    );
    expect((await ask(UPDATE, { locale: "de" }, login.token)).errors?.[0]?.extensions.code).toBe(
      "BAD_USER_INPUT",
    );
    expect((await ask(UPDATE, { locale: "ru" })).errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
  });

  test("me answers the profile fields (F-GRID-02): email and phone as updated; a bad one changes nothing", async () => {
    const login = (await ask(LOGIN, { login: "retail-a", password: "correct horse 1" })).data?.login as {
      token: string;
    };
    const UPDATE =
      "mutation($email: String, $phone: String, $displayName: String) { updateProfile(email: $email, phone: $phone, displayName: $displayName) { email phone } }";
    const ME = "{ me { login displayName email phone createdAt lastLoginAt } }";
    expect(
      (await ask(UPDATE, { email: "office@retail-a.example", phone: "+7 (495) 123-45-67" }, login.token)).data
        ?.updateProfile,
    ).toEqual({ email: "office@retail-a.example", phone: "+7 (495) 123-45-67" });
    expect((await ask(UPDATE, { phone: "call me maybe" }, login.token)).errors?.[0]?.extensions.code).toBe(
      "BAD_USER_INPUT",
    );
    expect((await ask(UPDATE, { displayName: "" }, login.token)).errors?.[0]?.extensions.code).toBe(
      "BAD_USER_INPUT",
    );
    const me = (await ask(ME, {}, login.token)).data?.me as Record<string, unknown>;
    expect(me).toMatchObject({
      login: "retail-a",
      displayName: "Retail A",
      email: "office@retail-a.example",
      phone: "+7 (495) 123-45-67",
    });
    expect(me.createdAt).toBeGreaterThan(0);
    expect(me.lastLoginAt).toBeGreaterThan(0);
  });

  test("createUser refuses taken and malformed logins and weak passwords", async () => {
    const em = database.em();
    await expect(
      createUser(em, { login: "consumer1", password: "another pass", role: "CONSUMER", displayName: "x" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      createUser(em, { login: "a b", password: "another pass", role: "CONSUMER", displayName: "x" }),
    ).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(
      createUser(em, { login: "shorty", password: "short", role: "CONSUMER", displayName: "x" }),
    ).rejects.toMatchObject({ code: "WEAK_PASSWORD" });
  });
});
