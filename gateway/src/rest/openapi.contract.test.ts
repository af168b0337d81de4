import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GridLedgerDeployment } from "@gridledger/contracts";
import { readingsAbi } from "@gridledger/contracts";
import { buildReadingBatch, readingBatchTypedData } from "@gridledger/domain";
import { type DevChain, startDevChain, TEST_MNEMONIC } from "@gridledger/network";
import { createPublicClient, createWalletClient, http, type PublicClient } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { type Actors, deployForActors, freshActors } from "../_test/chainFixture.js";
import { API_KEY_SCOPE_NAMES } from "../apiKeys/apiKeyScopes.js";
import { issueApiKey } from "../apiKeys/issueApiKey.js";
import {
  Account,
  Invoice,
  Meter,
  Organisation,
  Payment,
  TariffGroup,
  TariffPlan,
} from "../db/entities/index.js";
import { type Database, openDatabase } from "../db/openDatabase.js";
import { buildDemoPlan, type DemoSize } from "../demo/demoPlan.js";
import { demoKeyDeriver, seedDemoData } from "../demo/seedDemoData.js";
import { accountControlDigit } from "../graphql/counterparties/bankDetails.js";
import { createIndexer } from "../indexer/createIndexer.js";
import { createGatewayServer, type GatewayServer } from "../server/createGatewayServer.js";

/**
 * The OpenAPI document against the implementation (issue 8 §1), on a real chain with a small demo
 * seeded and indexed into SQLite:
 * - every route the server registers under /api is in the document (or is the 405 answer for a
 *   method a documented path does not take, or the documentation itself);
 * - every documented operation is called for real: the answer's status is documented and its body
 *   validates against the documented schema — the success case with data, no key (401), a key
 *   without the scope (403) and an unknown parameter (400).
 * The seed moves the chain clock, so this file runs its own anvil, as seedDemoData.test.ts does.
 */
const SIZE: DemoSize = { accounts: 20, days: 3 };

type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, unknown> };
};
type OpenApiOperation = {
  operationId: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
type Caller = "operator" | "grid" | "retailA" | "bank";
type Sample = {
  /** Whose key calls (each holds every scope). Default: the operator, who sees every row. */
  as?: Caller;
  /** Path parameters. */
  path?: Record<string, string>;
  query?: Record<string, string>;
  /** A POST body as a form (URL-compatible values)… */
  form?: Record<string, string | string[]>;
  /** …or as JSON (nested inputs). */
  json?: Record<string, unknown>;
  /** At least one row must come back (a list or series). */
  rows?: boolean;
  /** Runs just before the call (state the call needs), returning more of the sample. */
  prepare?: () => Promise<Partial<Sample>>;
};

let chain: DevChain;
let client: PublicClient;
let actors: Actors;
let deployment: GridLedgerDeployment;
let database: Database;
let folder: string;
let gateway: GatewayServer;
let document: OpenApiDocument;
const keys: Record<Caller | "none", string> = { operator: "", grid: "", retailA: "", bank: "", none: "" };
const stopIndexer = new AbortController();
let following: Promise<unknown> | undefined;
const samples: Record<string, Sample> = {};

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.25 });
  client = createPublicClient({ transport: http(chain.rpcUrl) }) as PublicClient;
  actors = await freshActors(chain.rpcUrl);
  deployment = await deployForActors(chain.rpcUrl, actors);
  await seedDemoData({
    rpcUrl: chain.rpcUrl,
    deployment,
    accounts: {
      operator: actors.operator,
      gridCompany: actors.grid,
      retailCompanyA: actors.retailA,
      retailCompanyB: actors.retailB,
      bank: actors.bank,
      relayer: actors.relayer,
    } as Parameters<typeof seedDemoData>[0]["accounts"],
    mnemonic: TEST_MNEMONIC,
    size: SIZE,
  });
  folder = mkdtempSync(join(tmpdir(), "gl-openapi-"));
  database = await openDatabase({ url: `sqlite:${join(folder, "gateway.sqlite")}` });
  const indexer = createIndexer({ db: database, rpcUrl: chain.rpcUrl, deployment, onReorg: "stop" });
  await indexer.run({ untilBlock: Number(await client.getBlockNumber()) });
  // actions wait until the index holds their block, as in the running gateway
  following = indexer.run({ follow: true, signal: stopIndexer.signal }).catch(() => undefined);
  const byAddress = new Map(Object.values(actors).map((account) => [account.address.toLowerCase(), account]));
  gateway = await createGatewayServer({
    rpcUrl: chain.rpcUrl,
    deployment,
    logLevel: "silent",
    services: {
      chain: {
        publicClient: client,
        walletClient: createWalletClient({ transport: http(chain.rpcUrl) }),
        relayer: actors.relayer,
        chainId: deployment.chainId,
        deployedAtBlock: BigInt(deployment.deployedAtBlock),
        contracts: deployment.contracts,
        zeroGasPrice: true,
      },
      database,
      // each organisation signs its own actions with its own key (the gateway's key custody)
      signers: {
        mode: "keystore",
        account: async (_kind, address) => {
          const account = byAddress.get(address.toLowerCase());
          if (!account) throw new Error(`no key for ${address}`);
          return account;
        },
      },
      indexStatus: async () => {
        const checkpoint = await indexer.checkpoint();
        return { indexedBlock: checkpoint ? BigInt(checkpoint.blockNumber) : undefined };
      },
    },
  });
  // each organisation's key holds every scope; a second key of the operator holds none the routes need
  const callers = {
    operator: actors.operator,
    grid: actors.grid,
    retailA: actors.retailA,
    bank: actors.bank,
  };
  for (const [caller, account] of Object.entries(callers)) {
    const issued = await issueApiKey(database.em(), {
      organisation: account.address,
      name: caller,
      scopes: API_KEY_SCOPE_NAMES,
    });
    keys[caller as Caller] = issued.key;
  }
  keys.none = (
    await issueApiKey(database.em(), {
      organisation: actors.operator.address,
      name: "none",
      scopes: ["tariffs:write"],
    })
  ).key;
  document = (await gateway.app.inject({ url: "/api/openapi.json" })).json() as OpenApiDocument;
  Object.assign(samples, await buildSamples());
}, 240_000);

afterAll(async () => {
  stopIndexer.abort();
  await following;
  await gateway?.app.close();
  await database?.close();
  await chain?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** One real call per documented operation, with ids taken from the index. */
async function buildSamples(): Promise<Record<string, Sample>> {
  const em = database.em();
  const first = { limit: 1, orderBy: { id: "asc" } } as const;
  const [account] = await em.find(Account, {}, first);
  const [meter] = await em.find(Meter, {}, first);
  const [invoice] = await em.find(Invoice, {}, first);
  const [group] = await em.find(TariffGroup, {}, first);
  const [plan] = await em.find(TariffPlan, {}, first);
  const organisation = await em.findOneOrFail(Organisation, { kind: 3 });
  const [confirmed] = await em.find(Invoice, { status: "confirmed" }, first);
  const chainTime = Number((await client.getBlock()).timestamp);
  const [payment] = await em.find(Payment, {}, { limit: 1, orderBy: { paidAt: "asc" } });
  const paidMoscow = new Date(((payment?.paidAt ?? 0) + 3 * 3600) * 1000);
  return {
    getMeta: {},
    listReadings: { query: { size: "5", meterId: String(meter?.id) }, rows: true },
    readingsSeries: { query: { bucket: "DAY", meterId: String(meter?.id) }, rows: true },
    readingsDomain: {},
    submitReadings: { form: await nextSignedBatch() },
    listAccounts: { query: { size: "3", sort: "CREDIT_BALANCE", direction: "DESC" }, rows: true },
    getAccount: { path: { id: String(account?.id) } },
    listMeters: { query: { size: "3", sort: "SERIAL" }, rows: true },
    getMeter: { path: { id: String(meter?.id) } },
    listPayments: {
      query: { size: "3", sort: "AMOUNT", direction: "DESC", accountId: String(payment?.accountId) },
      rows: true,
    },
    paymentsSeries: { query: { bucket: "MONTH" }, rows: true },
    listInvoices: { query: { size: "3", status: "CONFIRMED,DISPUTED" }, rows: true },
    getInvoice: { path: { id: String(invoice?.id) } },
    listTariffGroups: { rows: true },
    getTariffGroup: { path: { id: String(group?.id) } },
    getTariffPlan: { path: { id: String(plan?.id) } },
    listOrganisations: { query: { kind: "RETAIL_COMPANY" }, rows: true },
    getOrganisation: { path: { address: organisation.address } },
    paymentReport: {
      query: {
        year: String(paidMoscow.getUTCFullYear()),
        month: String(paidMoscow.getUTCMonth() + 1),
        size: "5",
      },
      rows: true,
    },
    getAccountTariff: { path: { id: String(account?.id) } },
    assignTariff: { as: "retailA", prepare: tariffAssignment },
    getAccountCostAccrued: { path: { id: String(account?.id) } },
    getOwnOrganisation: { as: "bank" },
    listCounterparties: { query: { size: "5" } },
    listWebhookSubscriptions: { as: "bank" },
    createWebhookSubscription: {
      as: "bank",
      form: {
        url: "https://hooks.example.org/hook",
        events: ["payment.recorded", "invoice.issued"],
        description: "REST",
      },
    },
    rotateWebhookSecret: {
      as: "bank",
      prepare: async () => ({ path: { id: String((await subscribeBank()).subscription.id) } }),
    },
    listWebhookDeliveries: { as: "bank", query: { first: "10" } },
    replayWebhookDelivery: {
      as: "bank",
      // a delivery to replay: subscribe, record a payment, wait until the indexer has put it in the outbox
      prepare: async () => {
        await subscribeBank();
        const paid = await bankCall("POST", "/api/v1/payments", {
          invoiceId: String(confirmed?.id),
          amount: "100",
          method: "CASH_DESK",
          paymentNumber: "900003",
        });
        expect(paid.statusCode, paid.body).toBe(200);
        for (let attempt = 0; attempt < 100; attempt++) {
          const deliveries = (await bankCall("GET", "/api/v1/webhooks/deliveries?first=1")).json() as {
            id: string;
          }[];
          if (deliveries[0]) return { path: { id: deliveries[0].id } };
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error("no webhook delivery appeared");
      },
    },
    updateWebhookSubscription: {
      as: "bank",
      form: { active: "false", description: "paused by REST" },
      prepare: async () => ({ path: { id: String((await subscribeBank()).subscription.id) } }),
    },
    deleteWebhookSubscription: {
      as: "bank",
      prepare: async () => ({ path: { id: String((await subscribeBank()).subscription.id) } }),
    },
    renameTariffGroup: {
      as: "retailA",
      form: { name: "REST renamed" },
      prepare: async () => ({ path: { id: await createRetailGroup() } }),
    },
    deleteTariffGroup: { as: "retailA", prepare: async () => ({ path: { id: await createRetailGroup() } }) },
    closeTariffPlan: {
      as: "retailA",
      form: { validTo: isoSeconds(chainTime + 90 * 86_400) },
      prepare: async () => ({ path: { id: await createRetailPlan(chainTime) } }),
    },
    deleteTariffPlan: {
      as: "retailA",
      prepare: async () => ({ path: { id: await createRetailPlan(chainTime) } }),
    },
    addCounterparty: { as: "retailA", form: requisites("773601001") },
    getCounterparty: {
      as: "retailA",
      prepare: async () => {
        const added = await gateway.app.inject({
          method: "POST",
          url: "/api/v1/counterparties",
          headers: { "x-api-key": keys.retailA },
          payload: requisites("773602001"),
        });
        expect(added.statusCode, added.body).toBe(200);
        return { path: { id: String((added.json() as { id: number }).id) } };
      },
    },
    updateOwnOrganisation: {
      as: "bank",
      form: (({ address: _address, kpp: _kpp, ...bank }) => ({
        ...bank,
        name: "АО «Банк Сосновский»",
        directorName: "Иванов Иван Иванович",
        phone: "+7 (495) 500-55-50",
        email: "info@bank.example",
        legalAddress: "Сосновск, ул. Ленина, 1",
        kpp: "773601001",
      }))(requisites("773601001")),
    },
    submitManualReadings: { as: "grid", json: { input: await nextManualReading() } },
    recordPayment: {
      as: "bank",
      form: {
        invoiceId: String(confirmed?.id),
        amount: "100",
        method: "CARD",
        paymentNumber: "900001",
        externalRef: "PP-REST-1",
      },
    },
    recordPrepayment: {
      as: "bank",
      form: { accountId: String(account?.id), amount: "5000", paymentNumber: "900002" },
    },
    createTariffGroup: {
      as: "retailA",
      json: { name: "REST тест", consumerType: "HOUSEHOLD", priceCategory: 0 },
    },
    addTariffPlan: {
      as: "retailA",
      // a group of its own, so that no open-ended plan of the same kind overlaps
      prepare: async () => ({ path: { id: await createRetailGroup() } }),
      json: {
        kind: "SINGLE_RATE",
        ...planInput(chainTime),
      },
    },
    verifyTransaction: { path: { hash: (await em.find(Invoice, {}, first))[0]!.txHash } },
  };
}

const BIK = "044525225";

/** A counterparty's requisites that pass the Bank of Russia checks (the settlement account's control key). */
function requisites(kpp: string): Record<string, string> {
  const draft = "40702810038000000001";
  return {
    name: "ООО «Ромашка»",
    inn: "7707083893",
    kpp,
    bankName: "ПАО Сбербанк",
    bik: BIK,
    settlementAccount: `${draft.slice(0, 8)}${accountControlDigit(BIK.slice(-3), draft)}${draft.slice(9)}`,
    correspondentAccount: "30101810400000000225",
    address: "Москва, ул. Вавилова, 19",
  };
}

const KIND_NAMES = ["", "SINGLE_RATE", "TWO_ZONE", "THREE_ZONE", "VOLUME_RANGE", "SOCIAL_NORM"];

/** An account of retail company A and a plan of one of its groups that fits the account. */
async function tariffAssignment(): Promise<Partial<Sample>> {
  const em = database.em();
  const retailA = actors.retailA.address.toLowerCase();
  for (const account of await em.find(Account, { retailCompany: retailA }, { orderBy: { id: "asc" } })) {
    const groups = await em.find(TariffGroup, {
      retailCompany: retailA,
      consumerType: account.consumerType,
      priceCategory: account.priceCategory,
      deleted: false,
    });
    for (const group of groups) {
      const [plan] = await em.find(
        TariffPlan,
        { groupId: group.id, deleted: false },
        { limit: 1, orderBy: { id: "asc" } },
      );
      if (plan)
        return {
          path: { id: String(account.id) },
          form: { groupId: String(group.id), kind: KIND_NAMES[plan.kind]! },
        };
    }
  }
  throw new Error("no account of retail company A with a fitting tariff plan");
}

const isoSeconds = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A single-rate household plan valid from 60 days after `chainTime`. */
const planInput = (chainTime: number) => ({
  validFrom: isoSeconds(chainTime + 60 * 86_400),
  vatBp: 2200,
  vatIncluded: true,
  rates: [{ energy: "450000", transmission: "250000", retailMarkup: "40000", infrastructure: "5000" }],
});

/** A new tariff group of retail company A, through REST; its id. */
async function createRetailGroup(): Promise<string> {
  const created = await gateway.app.inject({
    method: "POST",
    url: "/api/v1/tariffs/groups",
    headers: { "x-api-key": keys.retailA },
    payload: { name: "REST group", consumerType: "HOUSEHOLD", priceCategory: 0 },
  });
  expect(created.statusCode, created.body).toBe(200);
  return (created.json() as { groupId: string }).groupId;
}

/** A plan in a new group of retail company A, through REST; its id. */
async function createRetailPlan(chainTime: number): Promise<string> {
  const added = await gateway.app.inject({
    method: "POST",
    url: `/api/v1/tariffs/groups/${await createRetailGroup()}/plans`,
    headers: { "x-api-key": keys.retailA },
    payload: { kind: "SINGLE_RATE", ...planInput(chainTime) },
  });
  expect(added.statusCode, added.body).toBe(200);
  return (added.json() as { planId: string }).planId;
}

function bankCall(method: "GET" | "POST", url: string, form?: Record<string, string>) {
  return gateway.app.inject({
    method,
    url,
    headers: { "x-api-key": keys.bank },
    ...(form
      ? {
          payload: new URLSearchParams(form).toString(),
          headers: { "x-api-key": keys.bank, "content-type": "application/x-www-form-urlencoded" },
        }
      : {}),
  });
}

async function subscribeBank(): Promise<{ subscription: { id: number } }> {
  const response = await bankCall("POST", "/api/v1/webhooks", {
    url: "https://hooks.example.org/hook",
    events: "payment.recorded",
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { subscription: { id: number } };
}

/** The next half hour of a manually read demo meter, as the grid company types it in. */
async function nextManualReading(): Promise<Record<string, unknown>> {
  const plan = buildDemoPlan(SIZE);
  const consumer = plan.consumers.find((candidate) => !candidate.meter.remoteReading)!;
  const meterId = BigInt(consumer.index + 1);
  const [lastEnd, registers] = await client.readContract({
    address: deployment.contracts.Readings!,
    abi: readingsAbi,
    functionName: "meterState",
    args: [meterId],
  });
  const intervalEnd = Number(lastEnd) + 1800;
  await moveChainClockPast(intervalEnd);
  const names = ["t1", "t2", "t3", "t4"].slice(0, consumer.meter.tariffZones);
  return {
    meterId: meterId.toString(),
    readings: [
      {
        intervalEnd: new Date(intervalEnd * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        ...Object.fromEntries(names.map((name, zone) => [name, (BigInt(registers[zone]!) + 50n).toString()])),
        ...(consumer.meter.exportCapable ? { export: BigInt(registers[4]!).toString() } : {}),
      },
    ],
  };
}

async function moveChainClockPast(time: number): Promise<void> {
  const now = Number((await client.getBlock()).timestamp);
  if (time <= now) return;
  await client.request({ method: "evm_increaseTime" as never, params: [time - now + 60] as never });
  await client.request({ method: "evm_mine" as never, params: [] as never });
}

/** The next half hour of a demo remote meter, signed by its concentrator's device key, as form fields. */
async function nextSignedBatch(): Promise<Record<string, string | string[]>> {
  const plan = buildDemoPlan(SIZE);
  const agent = plan.agents[0]!;
  const consumer = plan.consumers[agent.meters[0]!]!;
  const meterId = BigInt(consumer.index + 1);
  const [lastEnd, registers] = await client.readContract({
    address: deployment.contracts.Readings!,
    abi: readingsAbi,
    functionName: "meterState",
    args: [meterId],
  });
  const intervalEnd = Number(lastEnd) + 1800;
  await moveChainClockPast(intervalEnd);
  const zones = consumer.meter.tariffZones;
  const registerMask = (1 << zones) - 1 + (consumer.meter.exportCapable ? 16 : 0);
  const values = [
    ...registers.slice(0, zones).map((value) => BigInt(value) + 100n),
    ...(consumer.meter.exportCapable ? [BigInt(registers[4]!)] : []),
  ];
  const batch = buildReadingBatch([{ meterId, registerMask, intervalEnd, status: 0, registers: values }]);
  const device = demoKeyDeriver(TEST_MNEMONIC)(agent.keyIndex);
  const signature = await device.signTypedData(
    readingBatchTypedData({
      chainId: deployment.chainId,
      verifyingContract: deployment.contracts.Readings!,
      batch,
    }),
  );
  return {
    signature,
    meters: batch.meters.map((entry) => `${entry.meterId}:${entry.registerMask}:${entry.records}`),
  };
}

/** Parses `printRoutes` (the router's own tree) into path → methods. */
function registeredRoutes(tree: string): Map<string, string[]> {
  const routes = new Map<string, string[]>();
  const stack: string[] = [];
  for (const line of tree.split("\n")) {
    const match = /^([│ ]*)[├└]── (.+?) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (stack[depth - 1] ?? "") + match[2]!;
    stack[depth] = path;
    stack.length = depth + 1;
    routes.set(path, match[3]!.split(", "));
  }
  return routes;
}

const openApiPath = (fastifyPath: string) => fastifyPath.replace(/:(\w+)/g, "{$1}");

/** The documented schema of one response as zod, `$ref`s to components resolved. */
function documentedSchema(operation: OpenApiOperation, status: number, contentType: string): z.ZodType {
  const response = operation.responses[String(status)];
  const schema = response?.content?.[contentType]?.schema;
  if (!schema) throw new Error(`${operation.operationId}: no ${contentType} schema documented for ${status}`);
  const inline = JSON.parse(JSON.stringify(schema), (_key, value) =>
    value && typeof value === "object" && typeof value.$ref === "string"
      ? document.components?.schemas?.[value.$ref.replace("#/components/schemas/", "")]
      : value,
  );
  return z.fromJSONSchema(inline);
}

describe("the OpenAPI document and the REST implementation agree", () => {
  test("the document is OpenAPI 3.1 with operations, security schemes and the Problem schema", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).length).toBeGreaterThanOrEqual(10);
    expect(document.components?.schemas).toHaveProperty("Problem");
  });

  test("every route registered under /api is documented (or is a 405 answer, or the documentation)", async () => {
    const registered = registeredRoutes(gateway.app.printRoutes({ commonPrefix: false }));
    const undocumented: string[] = [];
    let answered405 = 0;
    for (const [path, methods] of registered) {
      if (!path.startsWith("/api/") || path === "/api/openapi.json" || path.startsWith("/api/docs")) continue;
      const documented = document.paths[openApiPath(path)];
      for (const method of methods) {
        if (method === "HEAD" || documented?.[method.toLowerCase()]) continue;
        // a method the path does not take must be the 405 problem, not a silent route
        const url = path.replace(/:(\w+)/g, "1");
        const response = await gateway.app.inject({ method: method as "PUT", url });
        if (
          response.statusCode === 405 &&
          String(response.headers["content-type"] ?? "").startsWith("application/problem+json")
        )
          answered405++;
        else undocumented.push(`${method} ${path} → ${response.statusCode}`);
      }
    }
    expect(undocumented).toEqual([]);
    expect(answered405).toBeGreaterThan(0);
  });

  test("every documented operation has a sample call in this test", () => {
    const operations = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(operations.filter((id) => !(id in samples))).toEqual([]);
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
    );

  test("every documented operation answers a real call as documented: success with data, 401, 403 and 400", async () => {
    const problems: string[] = [];
    for (const { path, method, operation } of operations()) {
      const sample = { ...samples[operation.operationId]! };
      Object.assign(sample, await sample.prepare?.());
      const url = path.replace(/\{(\w+)\}/g, (_whole, name: string) =>
        encodeURIComponent(sample.path?.[name] ?? ""),
      );
      const query = new URLSearchParams(sample.query ?? {}).toString();
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(sample.form ?? {}))
        for (const item of [value].flat()) form.append(name, item);
      // GET parameters travel in the query string, POST parameters in the (form) body
      const call = (key: string | undefined, extra = "") => {
        const inQuery = method === "GET" ? [query, extra].filter(Boolean).join("&") : query;
        const payload = sample.json
          ? JSON.stringify(extra ? { ...sample.json, [extra.split("=")[0]!]: 1 } : sample.json)
          : [form.toString(), extra].filter(Boolean).join("&");
        return gateway.app.inject({
          method: method as "GET" | "POST",
          url: `${url}${inQuery ? `?${inQuery}` : ""}`,
          headers: {
            ...(key ? { authorization: `Bearer ${key}` } : {}),
            ...(method === "POST"
              ? { "content-type": sample.json ? "application/json" : "application/x-www-form-urlencoded" }
              : {}),
          },
          ...(method === "POST" ? { payload } : {}),
        });
      };
      const check = (
        label: string,
        response: Awaited<ReturnType<typeof call>>,
        status: number,
        contentType: string,
      ): unknown => {
        if (response.statusCode !== status) {
          problems.push(
            `${operation.operationId} ${label}: ${response.statusCode} ${response.body.slice(0, 300)}`,
          );
          return undefined;
        }
        if (!operation.responses[String(status)])
          problems.push(`${operation.operationId}: ${status} is not documented`);
        if (!String(response.headers["content-type"] ?? "").startsWith(contentType))
          problems.push(
            `${operation.operationId} ${label}: content-type ${response.headers["content-type"]}`,
          );
        const parsed = documentedSchema(operation, status, contentType).safeParse(response.json());
        if (!parsed.success)
          problems.push(
            `${operation.operationId} ${label}: body does not match: ${parsed.error.message.slice(0, 400)}`,
          );
        return response.json();
      };

      const body = check("with its key", await call(keys[sample.as ?? "operator"]), 200, "application/json");
      if (sample.rows && body !== undefined) {
        const rows = Array.isArray(body) ? body : (body as { nodes?: unknown[] }).nodes;
        if (!rows?.length) problems.push(`${operation.operationId}: no rows came back`);
      }
      check("without a key", await call(undefined), 401, "application/problem+json");
      if (operation.description?.includes("Scope: `"))
        check("without the scope", await call(keys.none), 403, "application/problem+json");
      check(
        "with an unknown parameter",
        await call(keys[sample.as ?? "operator"], "noSuchParameter=1"),
        400,
        "application/problem+json",
      );
    }
    expect(problems).toEqual([]);
  });
});
