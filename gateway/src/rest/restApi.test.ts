import { ApolloServer } from "@apollo/server";
import Fastify from "fastify";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { API_KEY_SCOPE_NAMES } from "../apiKeys/apiKeyScopes.js";
import { issueApiKey } from "../apiKeys/issueApiKey.js";
import { revokeApiKey } from "../apiKeys/manageApiKeys.js";
import { testDatabases } from "../db/_test/testDatabases.js";
import { Account, Organisation } from "../db/entities/index.js";
import { type Database, openDatabase } from "../db/openDatabase.js";
import { buildGatewaySchema } from "../graphql/buildGatewaySchema.js";
import type { GatewayContext, GatewayServices } from "../graphql/context.js";
import { formatError } from "../graphql/formatError.js";
import { createModeController } from "../modes/createModeController.js";
import { createGatewayServer, type GatewayServer } from "../server/createGatewayServer.js";
import { restApi } from "./restApi.js";
import { REST_ROUTES } from "./restRoutes.js";

const GRID = `0x${"a1".repeat(20)}`;
const RETAIL_A = `0x${"b1".repeat(20)}`;
const RETAIL_B = `0x${"b2".repeat(20)}`;
const TX = `0x${"ee".repeat(32)}`;
const origin = {
  blockNumber: 10,
  txHash: TX,
  logIndex: 0,
  updatedBlock: 10,
  updatedTxHash: TX,
  updatedLogIndex: 0,
};

async function seed(database: Database) {
  const em = database.em();
  await em.insertMany(
    Organisation,
    [GRID, RETAIL_A, RETAIL_B].map((address, index) => ({
      id: index + 1,
      address,
      kind: index === 0 ? 2 : 3,
      active: true,
      profileHash: TX,
      profileId: TX,
      profileIdText: null,
      ...origin,
    })),
  );
  await em.insertMany(
    Account,
    [1, 2, 3].map((id) => ({
      id,
      accountNumber: `1000000${id}`,
      accountNumberHex: TX,
      consumer: `0x${"c1".repeat(20)}`,
      meterId: id,
      consumerType: 1,
      priceCategory: 0,
      active: true,
      retailCompany: id <= 2 ? RETAIL_A : RETAIL_B,
      retailCompanyId: id <= 2 ? 2 : 3,
      gridCompany: GRID,
      gridCompanyId: 1,
      siteId: "Site-North",
      siteIdHex: TX,
      addressRef: `Lenina ${id}`,
      addressRefHex: TX,
      tariffGroupId: null,
      tariffKind: null,
      tariffFromPeriod: null,
      creditBalance: 0,
      ...origin,
    })),
  );
}

/**
 * The REST layer's own behaviour on bad input: every refusal is problem+json with a specific code.
 * The chain is not needed (reads come from the index); the server points at an unused local port.
 */
describe.each(testDatabases("restapi"))("REST API on $name: keys, scopes and bad input", (testDatabase) => {
  let database: Database;
  let gateway: GatewayServer;
  let services: GatewayServices;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    database = await openDatabase({ url: testDatabase.url });
    await seed(database);
    const issue = async (name: string, organisation: string, scopes: string[]) =>
      (await issueApiKey(database.em(), { organisation, name, scopes })).key;
    keys.retailA = await issue("retail A billing", RETAIL_A, [
      "accounts:read",
      "readings:write",
      "tariffs:write",
    ]);
    keys.retailANoScope = await issue("retail A meters only", RETAIL_A, ["meters:read"]);
    keys.revoked = await issue("old", RETAIL_A, ["accounts:read"]);
    await revokeApiKey(database.em(), keys.revoked.slice(4, 12));
    keys.flood = await issue("flood", RETAIL_B, ["accounts:read"]);
    keys.everything = await issue("everything", GRID, [...API_KEY_SCOPE_NAMES]);
    const unused = "http://127.0.0.1:9";
    services = {
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
      // no dependency probed: normal mode until a test enters service mode
      modes: createModeController({ probes: {} }),
      indexStatus: async () => ({ indexedBlock: 11n }),
    };
    gateway = await createGatewayServer({
      rpcUrl: unused,
      deployment: { chainId: 1, deployedAtBlock: "1", contracts: {} },
      logLevel: "silent",
      services,
    });
  });
  afterAll(async () => {
    await gateway?.app.close();
    await database?.close();
    await testDatabase.drop();
  });

  const call = (options: {
    method?: "GET" | "POST" | "DELETE" | "PUT";
    url: string;
    key?: string | undefined;
    header?: "bearer" | "x-api-key";
    body?: string | Buffer;
    contentType?: string;
  }) =>
    gateway.app.inject({
      method: options.method ?? "GET",
      url: options.url,
      headers: {
        ...(options.key
          ? options.header === "x-api-key"
            ? { "x-api-key": options.key }
            : { authorization: `Bearer ${options.key}` }
          : {}),
        ...(options.contentType ? { "content-type": options.contentType } : {}),
      },
      ...(options.body !== undefined ? { payload: options.body } : {}),
    });

  const expectProblem = (
    response: Awaited<ReturnType<typeof call>>,
    status: number,
    code: string,
  ): Record<string, unknown> => {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const body = response.json() as Record<string, unknown>;
    expect(body).toMatchObject({
      status,
      code,
      type: `https://gridledger.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    });
    expect(typeof body.title).toBe("string");
    expect(typeof body.detail).toBe("string");
    return body;
  };

  test("a key with the scope reads through the GraphQL resolvers, scoped to its organisation; both headers work", async () => {
    const bearer = await call({ url: "/api/v1/accounts?size=10", key: keys.retailA });
    expect(bearer.statusCode, bearer.body).toBe(200);
    expect(bearer.headers["content-type"]).toMatch(/^application\/json/);
    const page = bearer.json() as { totalCount: number; nodes: { id: string; retailCompany: string }[] };
    expect(page.totalCount).toBe(2);
    expect(page.nodes.map((node) => node.retailCompany)).toEqual([RETAIL_A, RETAIL_A]);
    const header = await call({ url: "/api/v1/accounts/1", key: keys.retailA, header: "x-api-key" });
    expect(header.json()).toMatchObject({ id: "1", accountNumber: "10000001" });
    // another retail company's account: GraphQL's FORBIDDEN, as a 403
    expectProblem(await call({ url: "/api/v1/accounts/3", key: keys.retailA }), 403, "FORBIDDEN");
  });

  test("missing, malformed, unknown and revoked keys are 401 with their own codes; a scope exceeded is 403", async () => {
    expectProblem(await call({ url: "/api/v1/accounts" }), 401, "API_KEY_MISSING");
    expectProblem(await call({ url: "/api/v1/accounts", key: "not-a-key" }), 401, "API_KEY_INVALID");
    const forged = `${keys.retailA!.slice(0, 13)}${"x".repeat(43)}`;
    expectProblem(await call({ url: "/api/v1/accounts", key: forged }), 401, "API_KEY_INVALID");
    expectProblem(await call({ url: "/api/v1/accounts", key: keys.revoked }), 401, "API_KEY_REVOKED");
    const scope = expectProblem(
      await call({ url: "/api/v1/accounts", key: keys.retailANoScope, header: "x-api-key" }),
      403,
      "SCOPE_MISSING",
    );
    expect(scope.detail).toContain("accounts:read");
  });

  test("unknown routes are 404 and known paths with another method 405 naming the allowed ones", async () => {
    const missing = expectProblem(
      await call({ url: "/api/v1/nothing-here", key: keys.retailA }),
      404,
      "ROUTE_NOT_FOUND",
    );
    expect(missing.instance).toBe("/api/v1/nothing-here");
    expectProblem(await call({ url: "/api/v2/accounts" }), 404, "ROUTE_NOT_FOUND");
    const wrong = await call({ method: "DELETE", url: "/api/v1/accounts", key: keys.retailA });
    expectProblem(wrong, 405, "METHOD_NOT_ALLOWED");
    expect(wrong.headers.allow).toBe("GET, HEAD");
    const put = await call({ method: "PUT", url: "/api/v1/readings" });
    expectProblem(put, 405, "METHOD_NOT_ALLOWED");
    expect(put.headers.allow).toBe("GET, POST, HEAD");
  });

  test("invalid parameter values are 400 naming the parameter and where it was", async () => {
    const size = expectProblem(
      await call({ url: "/api/v1/accounts?size=500", key: keys.retailA }),
      400,
      "INVALID_PARAMETER",
    );
    expect(size.errors).toEqual([expect.objectContaining({ parameter: "size", in: "query" })]);
    const unknown = expectProblem(
      await call({ url: "/api/v1/accounts?colour=red", key: keys.retailA }),
      400,
      "INVALID_PARAMETER",
    );
    expect(unknown.errors).toEqual([{ parameter: "colour", in: "query", message: "unknown parameter" }]);
    const address = expectProblem(
      await call({ url: "/api/v1/accounts?retailCompany=0x1234", key: keys.retailA }),
      400,
      "INVALID_PARAMETER",
    );
    expect(address.detail).toContain("retailCompany");
    const path = expectProblem(
      await call({ url: "/api/v1/accounts/abc", key: keys.retailA }),
      400,
      "INVALID_PARAMETER",
    );
    expect(path.errors).toEqual([expect.objectContaining({ parameter: "id", in: "path" })]);
    // a rule only GraphQL knows (both paging styles at once) comes back as its BAD_USER_INPUT
    expectProblem(
      await call({ url: "/api/v1/accounts?page=1&first=5", key: keys.retailA }),
      400,
      "BAD_USER_INPUT",
    );
    const body = expectProblem(
      await call({
        method: "POST",
        url: "/api/v1/readings",
        key: keys.retailA,
        contentType: "application/x-www-form-urlencoded",
        body: `signature=0x${"ab".repeat(65)}&meters=1:1:0xzz`,
      }),
      400,
      "INVALID_PARAMETER",
    );
    expect(body.errors).toEqual([expect.objectContaining({ parameter: "meters.0", in: "body" })]);
  });

  test("malformed JSON is 400, an unsupported media type 415, a body over 1 MiB 413", async () => {
    const post = (body: string | Buffer, contentType: string) =>
      call({ method: "POST", url: "/api/v1/readings", key: keys.retailA, body, contentType });
    expectProblem(await post('{"signature": "0x', "application/json"), 400, "MALFORMED_BODY");
    expectProblem(await post("", "application/json"), 400, "MALFORMED_BODY");
    expectProblem(await post("signature=0x", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
    // a route whose input is nested takes JSON only
    const form = await call({
      method: "POST",
      url: "/api/v1/tariffs/groups",
      key: keys.retailA,
      body: "name=x&consumerType=HOUSEHOLD&priceCategory=0",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(expectProblem(form, 415, "UNSUPPORTED_MEDIA_TYPE").detail).toBe("Send application/json");
    const big = Buffer.from(JSON.stringify({ signature: "0x", meters: ["x".repeat(1024 * 1024)] }));
    expectProblem(await post(big, "application/json"), 413, "BODY_TOO_LARGE");
  });

  test("each key has its own rate limit: past it, 429 with Retry-After; other keys go on", async () => {
    // the same plugin on a bare server with a limit of 3 a minute (the gateway's is 600)
    const app = Fastify({ logger: false });
    const apollo = new ApolloServer<GatewayContext>({ schema: await buildGatewaySchema(), formatError });
    await apollo.start();
    await app.register(restApi, {
      prefix: "/api",
      apollo,
      services,
      rateLimit: { max: 3, timeWindowMs: 60_000 },
    });
    const get = (key: string) =>
      app.inject({ method: "GET", url: "/api/v1/accounts?size=1", headers: { "x-api-key": key } });
    for (let count = 0; count < 3; count++) expect((await get(keys.flood!)).statusCode).toBe(200);
    const refused = await get(keys.flood!);
    expectProblem(refused, 429, "RATE_LIMITED");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect((refused.json() as { retryable: boolean }).retryable).toBe(true);
    expect((await get(keys.retailA!)).statusCode).toBe(200);
    await app.close();
    await apollo.stop();
  });

  test("every list route can be asked for its largest page within the query cost limit", async () => {
    const listRoutes = REST_ROUTES.filter(
      (route) => route.method === "GET" && typeof route.input !== "function" && "size" in route.input.shape,
    );
    expect(listRoutes.length).toBeGreaterThanOrEqual(8);
    const costly: string[] = [];
    for (const route of listRoutes) {
      const extra = route.field === "paymentReport" ? "&year=2026&month=11" : "";
      const response = await call({ url: `/api${route.url}?size=200${extra}`, key: keys.everything });
      if (response.statusCode !== 200 && response.statusCode !== 403)
        costly.push(`${route.url}: ${response.body.slice(0, 200)}`);
    }
    expect(costly).toEqual([]);
  });

  test("in service mode a write is 503 problem+json naming the mode (as documented); reads go on", async () => {
    services.modes!.enterServiceMode({
      message: "Backup until 02:00",
      plannedEnd: new Date(Date.now() + 3_600_000),
      by: "test",
    });
    try {
      const write = await call({
        method: "POST",
        url: "/api/v1/readings",
        key: keys.retailA,
        contentType: "application/json",
        body: JSON.stringify({ signature: `0x${"ab".repeat(65)}`, meters: ["1:1:0x00"] }),
      });
      expectProblem(write, 503, "SERVICE_MODE");
      expect(write.headers["retry-after"]).toBeDefined();
      expect((await call({ url: "/api/v1/accounts?size=1", key: keys.retailA })).statusCode).toBe(200);
    } finally {
      services.modes!.leaveServiceMode("test");
    }
  });

  test("the OpenAPI 3.1 document and Swagger UI are served without a key", async () => {
    const document = await call({ url: "/api/openapi.json" });
    expect(document.statusCode).toBe(200);
    const spec = document.json() as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toContain("/api/v1/accounts/{id}");
    const ui = await call({ url: "/api/docs/" });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain("swagger");
  });
});
