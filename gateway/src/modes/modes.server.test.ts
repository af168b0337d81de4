import type { GridLedgerDeployment } from "@gridledger/contracts";
import { buildReadingBatch, type ReadingBatch, readingBatchTypedData } from "@gridledger/domain";
import Fastify from "fastify";
import Keyv from "keyv";
import { createPublicClient, createWalletClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type Actors,
  deployForActors,
  freshActors,
  registerMetersWithDevice,
  testRpcUrl,
} from "../_test/chainFixture.js";
import { createUser } from "../auth/createUser.js";
import { createLoginThrottle } from "../auth/loginThrottle.js";
import { createSessionStore, type Session } from "../auth/sessions.js";
import { testDatabases } from "../db/_test/testDatabases.js";
import { type Database, openDatabase } from "../db/openDatabase.js";
import { createGatewayServer, type GatewayServer } from "../server/createGatewayServer.js";
import { createModeController, type ModeController } from "./createModeController.js";
import { chainProbe, databaseProbe } from "./probes.js";
import { registerRestWriteGuard } from "./writeGuard.js";

const SUBMIT = `mutation Submit($batch: ReadingBatchInput!, $signature: String!) {
  submitReadings(batch: $batch, signature: $signature) { accepted duplicates }
}`;
const LOGIN =
  "mutation($login: String!, $password: String!) { login(login: $login, password: $password) { token } }";
const META =
  "{ _meta { mode modeReason modeSince modePlannedEnd chainHead modeState { dependencies { name up error } } } }";

type Answer = {
  data?: Record<string, Record<string, unknown> | null> | null;
  errors?: { message: string; extensions: { code: string; retryable?: boolean; details?: string } }[];
};

describe("modes through the gateway's HTTP API (real chain, real SQLite)", () => {
  const rpcUrl = testRpcUrl();
  const [testDatabase] = testDatabases("modes");
  const client = createPublicClient({ transport: http(rpcUrl), cacheTime: 0 });
  let actors: Actors;
  let deployment: GridLedgerDeployment;
  let meterId: bigint;
  let database: Database;
  let modes: ModeController;
  let gateway: GatewayServer;
  let chainId: number;
  let baseEnd: number;
  let nextSlot = 0;
  let operatorToken: string;
  let consumerToken: string;
  // the chain probe's RPC URL: the test points it at a closed port to take the chain "down"
  let probedRpcUrl = rpcUrl;

  beforeAll(async () => {
    actors = await freshActors(rpcUrl);
    deployment = await deployForActors(rpcUrl, actors);
    [meterId] = (await registerMetersWithDevice(rpcUrl, actors, deployment, ["MODE-1"])) as [bigint];
    chainId = await client.getChainId();
    baseEnd = Math.floor(Number((await client.getBlock()).timestamp) / 1800) * 1800 - 40 * 1800;
    database = await openDatabase({ url: testDatabase!.url });
    await createUser(database.em(), {
      login: "operator1",
      password: "operator pass 1",
      role: "OPERATOR",
      displayName: "Op",
    });
    await createUser(database.em(), {
      login: "consumer1",
      password: "consumer pass 1",
      role: "CONSUMER",
      displayName: "C",
    });
    modes = createModeController({
      probes: {
        chain: () =>
          chainProbe(createPublicClient({ transport: http(probedRpcUrl, { retryCount: 0 }) }), chainId)(),
        database: databaseProbe(database),
      },
      probeTimeoutMs: 1500,
    });
    gateway = await createGatewayServer({
      rpcUrl,
      deployment,
      logLevel: "silent",
      services: {
        modes,
        chain: {
          publicClient: client,
          walletClient: createWalletClient({ transport: http(rpcUrl) }),
          relayer: actors.relayer,
          chainId,
          deployedAtBlock: BigInt(deployment.deployedAtBlock),
          contracts: deployment.contracts,
          zeroGasPrice: true,
        },
        database,
        sessions: createSessionStore(new Keyv<Session>()),
        loginThrottle: createLoginThrottle(new Keyv()),
        indexStatus: async () => ({ indexedBlock: 3n }),
      },
    });
    operatorToken = ((await ask(LOGIN, { login: "operator1", password: "operator pass 1" })).data?.login
      ?.token ?? "") as string;
    consumerToken = ((await ask(LOGIN, { login: "consumer1", password: "consumer pass 1" })).data?.login
      ?.token ?? "") as string;
  });
  afterAll(async () => {
    await gateway?.app.close();
    await database?.close();
    await testDatabase?.drop();
  });

  const ask = async (query: string, variables?: Record<string, unknown>, token?: string) => {
    const response = await gateway.app.inject({
      method: "POST",
      url: "/graphql",
      payload: { query, variables },
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    return Object.assign(response.json() as Answer, { status: response.statusCode });
  };
  const nextBatch = async (): Promise<Record<string, unknown>> => {
    nextSlot += 1;
    const batch: ReadingBatch = buildReadingBatch([
      {
        meterId,
        registerMask: 1,
        intervalEnd: baseEnd + nextSlot * 1800,
        status: 0,
        registers: [BigInt(nextSlot * 100)],
      },
    ]);
    const signature = await actors.device.signTypedData!(
      readingBatchTypedData({ chainId, verifyingContract: deployment.contracts.Readings!, batch }),
    );
    return {
      batch: {
        meters: batch.meters.map((entry) => ({
          meterId: entry.meterId.toString(),
          registerMask: entry.registerMask,
          records: entry.records,
        })),
      },
      signature,
    };
  };

  test("normal: /health, /ready and _meta say normal with every dependency up; a batch is accepted", async () => {
    await modes.probe();
    const health = (await gateway.app.inject({ url: "/health" })).json();
    expect(health).toMatchObject({
      status: "ok",
      mode: "normal",
      dependencies: { chain: { up: true }, database: { up: true } },
      chain: { rpc: "up" },
    });
    const ready = await gateway.app.inject({ url: "/ready" });
    expect(ready.statusCode).toBe(200);
    const meta = await ask(META);
    expect(meta.data?._meta).toMatchObject({ mode: "normal", modeReason: null, modePlannedEnd: null });
    const submitted = await ask(SUBMIT, await nextBatch());
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data?.submitReadings).toMatchObject({ accepted: 1 });
    // every answer names its request id, the key to its log lines
    expect(ready.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await gateway.app.inject({ url: "/health", headers: { "x-request-id": "proxy-42" } });
    expect(echoed.headers["x-request-id"]).toBe("proxy-42");
  });

  test("only an operator enters service mode; a bad planned end is refused", async () => {
    const plannedEnd = new Date(Date.now() + 3_600_000).toISOString();
    const ENTER =
      "mutation($m: String!, $e: String!) { enterServiceMode(message: $m, plannedEnd: $e) { mode } }";
    expect((await ask(ENTER, { m: "x", e: plannedEnd })).errors?.[0]?.extensions.code).toMatch(
      /UNAUTHENTICATED|FORBIDDEN/,
    );
    expect((await ask(ENTER, { m: "x", e: plannedEnd }, consumerToken)).errors?.[0]?.extensions.code).toBe(
      "FORBIDDEN",
    );
    const past = await ask(ENTER, { m: "x", e: "2020-01-01T00:00:00Z" }, operatorToken);
    expect(past.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
    expect((await ask(ENTER, { m: "x", e: "tomorrow" }, operatorToken)).errors?.[0]?.extensions.code).toBe(
      "BAD_USER_INPUT",
    );
    expect(modes.status().mode).toBe("normal");
  });

  test("service: writes are refused with SERVICE_MODE, the message and the planned end; reads and logins keep working", async () => {
    const plannedEnd = new Date(Date.now() + 3_600_000);
    const entered = await ask(
      "mutation($m: String!, $e: String!) { enterServiceMode(message: $m, plannedEnd: $e) { mode reason plannedEnd } }",
      { m: "Резервное копирование базы", e: plannedEnd.toISOString() },
      operatorToken,
    );
    expect(entered.data?.enterServiceMode).toEqual({
      mode: "service",
      reason: "Резервное копирование базы",
      plannedEnd: plannedEnd.toISOString(),
    });

    const refused = await ask(SUBMIT, await nextBatch());
    expect(refused.status).toBe(503);
    expect(refused.data ?? undefined).toBeUndefined();
    expect(refused.errors?.[0]).toMatchObject({
      message: "The system is in service mode: Резервное копирование базы",
      extensions: { code: "SERVICE_MODE", retryable: true },
    });
    expect(refused.errors?.[0]?.extensions.details).toContain(plannedEnd.toISOString());
    // a profile edit is a write too
    const profile = await ask(
      'mutation { updateProfile(input: { displayName: "New" }) { login } }',
      {},
      consumerToken,
    );
    expect(profile.errors?.[0]?.extensions.code).toMatch(/SERVICE_MODE|GRAPHQL_VALIDATION_FAILED/);
    // reads and logins go on
    const meta = await ask(META);
    expect(meta.data?._meta).toMatchObject({
      mode: "service",
      modeReason: "Резервное копирование базы",
      modePlannedEnd: plannedEnd.toISOString(),
    });
    expect(
      (await ask(LOGIN, { login: "consumer1", password: "consumer pass 1" })).data?.login?.token,
    ).toBeTruthy();
    expect((await gateway.app.inject({ url: "/health" })).json()).toMatchObject({ mode: "service" });
    expect((await gateway.app.inject({ url: "/ready" })).statusCode).toBe(200);
    // a REST write under /api/ is refused the same way (problem+json); a route marked modeExempt and GETs run
    const rest = Fastify({ logger: false });
    registerRestWriteGuard(rest, () => modes);
    rest.post("/api/v1/payments", async () => ({ stored: true }));
    rest.post("/api/v1/search", { config: { modeExempt: true } }, async () => ({ found: [] }));
    rest.get("/api/v1/payments", async () => ({ payments: [] }));
    const write = await rest.inject({ method: "POST", url: "/api/v1/payments", payload: {} });
    expect(write.statusCode).toBe(503);
    expect(write.headers["content-type"]).toContain("application/problem+json");
    expect(write.json()).toMatchObject({
      status: 503,
      code: "SERVICE_MODE",
      mode: "service",
      plannedEnd: plannedEnd.toISOString(),
    });
    expect((await rest.inject({ method: "POST", url: "/api/v1/search", payload: {} })).json()).toEqual({
      found: [],
    });
    expect((await rest.inject({ method: "GET", url: "/api/v1/payments" })).statusCode).toBe(200);
    await rest.close();

    const left = await ask("mutation { leaveServiceMode { mode } }", {}, operatorToken);
    expect(left.data?.leaveServiceMode).toEqual({ mode: "normal" });
    const accepted = await ask(SUBMIT, await nextBatch());
    expect(accepted.data?.submitReadings).toMatchObject({ accepted: 1 });
  });

  test("emergency: a chain RPC that does not answer → EMERGENCY_MODE naming it, _meta and /health still answer, /ready 503; it clears", async () => {
    probedRpcUrl = "http://127.0.0.1:9"; // discard port: nothing listens
    const state = await modes.probe();
    expect(state).toMatchObject({ mode: "emergency", down: ["chain"] });

    const refused = await ask(SUBMIT, await nextBatch());
    expect(refused.status).toBe(503);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "EMERGENCY_MODE", retryable: true });
    expect(refused.errors?.[0]?.message).toMatch(/chain RPC/);
    expect(refused.errors?.[0]?.extensions.details).toMatch(/dependency=chain/);

    const meta = await ask(META);
    expect(meta.data?._meta).toMatchObject({ mode: "emergency", modeReason: "the chain RPC is down" });
    const modeState = meta.data?._meta?.modeState as { dependencies: { name: string; up: boolean }[] };
    const dependencies = modeState.dependencies;
    expect(dependencies).toContainEqual(expect.objectContaining({ name: "chain", up: false }));
    expect((await gateway.app.inject({ url: "/health" })).json()).toMatchObject({
      mode: "emergency",
      dependencies: { chain: { up: false }, database: { up: true } },
    });
    const ready = await gateway.app.inject({ url: "/ready" });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().reason).toMatch(/^chain: /);
    const metrics = (await gateway.app.inject({ url: "/metrics" })).body;
    expect(metrics).toContain('gridledger_mode{mode="emergency"} 1');
    expect(metrics).toContain('gridledger_dependency_up{dependency="chain"} 0');
    expect(metrics).toContain('gridledger_dependency_up{dependency="database"} 1');

    probedRpcUrl = rpcUrl;
    expect((await modes.probe()).mode).toBe("normal");
    expect((await ask(SUBMIT, await nextBatch())).data?.submitReadings).toMatchObject({ accepted: 1 });
  });

  test("/metrics: mode, dependencies, chain head, indexer lag and request counters with latency", async () => {
    const metrics = (await gateway.app.inject({ url: "/metrics" })).body;
    expect(metrics).toContain('gridledger_mode{mode="normal"} 1');
    expect(metrics).toContain('gridledger_mode{mode="emergency"} 0');
    expect(metrics).toMatch(/gridledger_chain_head_block \d+/);
    expect(metrics).toContain("gridledger_indexed_block 3");
    const head = Number(/gridledger_chain_head_block (\d+)/.exec(metrics)?.[1]);
    expect(metrics).toContain(`gridledger_indexer_lag_blocks ${head - 3}`);
    expect(metrics).toMatch(
      /gridledger_http_requests_total\{method="POST",route="\/graphql",status_code="503"\} \d+/,
    );
    expect(metrics).toMatch(
      /gridledger_http_request_duration_seconds_bucket\{le="[0-9.]+",method="GET",route="\/health"\}/,
    );
  });
});
