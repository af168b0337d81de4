import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type DevChain, startDevChain } from "@gridledger/network";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../db/_test/testDatabases.js";
import { WebhookDelivery, WebhookSubscription } from "../db/entities/index.js";
import { type Database, openDatabase } from "../db/openDatabase.js";
import type { Principal } from "../graphql/context.js";
import { runScenario, type Scenario } from "../indexer/_test/scenario.js";
import { createIndexer } from "../indexer/createIndexer.js";
import { startTestGateway, type TestGateway } from "./_test/testGateway.js";
import { createWebhookDispatcher } from "./createWebhookDispatcher.js";
import { retryDelay } from "./retrySchedule.js";
import { createWebhookSecret, verifyWebhookSignature } from "./signWebhook.js";
import { WEBHOOK_EVENT_TYPES } from "./webhookEvents.js";

type Received = { path: string; headers: IncomingHttpHeaders; body: string };

/** A real HTTP receiver: /ok answers 204, /fail 500 until `failing` is cleared, /slow after 3 s. */
async function startReceiver() {
  const received: Received[] = [];
  const state = { failing: true };
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const path = request.url ?? "";
      received.push({ path, headers: request.headers, body });
      if (path.startsWith("/slow")) setTimeout(() => response.writeHead(200).end(), 3000);
      else if (path.startsWith("/fail") && state.failing) response.writeHead(500).end("down");
      else response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { received, state, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

// MySQL when GRIDLEDGER_TEST_MYSQL_URL is set (the outbox insert-or-ignore differs by dialect), else SQLite
const targets = testDatabases("webhooks");
const target = targets.at(-1)!;
let chain: DevChain;
let scenario: Scenario;
let db: Database;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const secrets: Record<string, string> = {};
const ids: Record<string, number> = {};
let clock = Date.now();
const schedule = [1_000, 2_000, 4_000];
// the receiver is on 127.0.0.1: private targets allowed, as GRIDLEDGER_WEBHOOK_ALLOW_PRIVATE_TARGETS=on does
const dispatcher = () =>
  createWebhookDispatcher({
    db,
    now: () => clock,
    schedule,
    jitter: 0,
    timeoutMs: 1500,
    batchSize: 50,
    allowPrivateTargets: true,
  });

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.1 });
  [scenario, receiver] = await Promise.all([runScenario(chain.rpcUrl), startReceiver()]);
  db = await openDatabase({ url: target.url });
  const { accounts } = scenario;
  // subscriptions made before the index exists: fromBlock 0, so every scenario event is theirs
  const subscriptions: [string, string, string, string[]][] = [
    ["operator", accounts.operator.address, "/ok", WEBHOOK_EVENT_TYPES],
    ["retailA", accounts.retailCompanyA.address, "/ok", WEBHOOK_EVENT_TYPES],
    ["retailB", accounts.retailCompanyB.address, "/ok", WEBHOOK_EVENT_TYPES],
    ["bank", accounts.bank.address, "/ok", WEBHOOK_EVENT_TYPES],
    ["grid", accounts.gridCompany.address, "/ok", ["reading.accepted", "meter.tamper"]],
    ["failing", accounts.retailCompanyA.address, "/fail", ["invoice.confirmed"]],
    ["slow", accounts.retailCompanyA.address, "/slow", ["payment.recorded"]],
  ];
  const em = db.em();
  for (const [name, organisation, path, events] of subscriptions) {
    secrets[name] = createWebhookSecret();
    const row = em.create(WebhookSubscription, {
      organisation: organisation.toLowerCase(),
      url: `${receiver.url}${path}?s=${name}`,
      events,
      secret: secrets[name],
      active: true,
      description: name,
      fromBlock: 0,
      createdAt: clock,
      createdBy: 1,
    });
    await em.flush();
    ids[name] = row.id;
  }
  await createIndexer({ db, rpcUrl: chain.rpcUrl, deployment: scenario.deployment }).run();
  // a crash now: the outbox is committed with the rows, nothing has been sent yet
  await db.close();
  db = await openDatabase({ url: target.url });
}, 120_000);

afterAll(async () => {
  await db?.close();
  for (const each of targets) await each.drop();
  await receiver?.close();
  await chain?.stop();
});

const deliveriesOf = (name: string) => receiver.received.filter((entry) => entry.path.endsWith(`s=${name}`));
const eventsOf = (name: string) =>
  deliveriesOf(name)
    .map((entry) => JSON.parse(entry.body).event as string)
    .sort();

describe("webhook outbox and delivery", () => {
  it("after a crash between enqueue and delivery, a new dispatcher delivers every event, each once, signed", async () => {
    expect(receiver.received).toHaveLength(0);
    clock = Date.now();
    expect(await db.em().count(WebhookDelivery, { status: "pending" })).toBeGreaterThan(0);
    await dispatcher().runOnce();

    const count = (list: string[], event: string) => list.filter((item) => item === event).length;
    // scenario: 6 meter entries (meter 3 at retail B), tamper flagged + cleared on meter 1 (retail A),
    // 2 invoices issued and 1 confirmed (retail A), a payment and a prepayment from the bank (retail A)
    expect(eventsOf("operator")).toHaveLength(13);
    expect(count(eventsOf("retailA"), "reading.accepted")).toBe(4);
    expect(eventsOf("retailA")).toHaveLength(11);
    expect(eventsOf("retailB")).toEqual(["reading.accepted", "reading.accepted"]);
    expect(eventsOf("bank")).toEqual(["payment.recorded", "payment.recorded"]);
    expect(eventsOf("grid")).toEqual(
      [...Array(6).fill("reading.accepted"), "meter.tamper", "meter.tamper"].sort(),
    );

    const good = receiver.received.filter((entry) => entry.path.startsWith("/ok"));
    const deliveryIds = good.map((entry) => entry.headers["gridledger-delivery"]);
    expect(new Set(deliveryIds).size).toBe(deliveryIds.length);
    for (const entry of good) {
      const name = /s=(\w+)/.exec(entry.path)![1]!;
      const body = JSON.parse(entry.body);
      expect(body.id).toBe(entry.headers["gridledger-delivery"]);
      expect(entry.headers["gridledger-event"]).toBe(body.event);
      expect(
        verifyWebhookSignature({
          secret: secrets[name]!,
          body: entry.body,
          header: entry.headers["gridledger-signature"] as string,
          nowSeconds: Math.floor(clock / 1000),
        }),
      ).toBe(true);
      // another subscriber's secret, or a changed body, does not verify
      expect(
        verifyWebhookSignature({
          secret: secrets[name === "operator" ? "grid" : "operator"]!,
          body: entry.body,
          header: entry.headers["gridledger-signature"] as string,
          nowSeconds: Math.floor(clock / 1000),
        }),
      ).toBe(false);
    }
    // 3 meters × 7 half hours accepted (the replayed record was dropped), whatever the record layout
    const accepted = deliveriesOf("operator")
      .map((entry) => JSON.parse(entry.body))
      .filter((body) => body.event === "reading.accepted");
    expect(accepted.reduce((sum, body) => sum + body.data.readings, 0)).toBe(21);
    expect(accepted[0].data.lastIntervalEnd - accepted[0].data.firstIntervalEnd).toBe(
      (accepted[0].data.readings - 1) * 1800,
    );
    const issued = good
      .map((entry) => JSON.parse(entry.body))
      .find((body) => body.event === "invoice.issued");
    expect(issued.data).toMatchObject({
      accountNumber: expect.stringMatching(/^LS-100[01]$/),
      dueDate: expect.any(Number),
    });
    expect(issued.chain).toMatchObject({
      chainId: scenario.deployment.chainId,
      txHash: expect.stringMatching(/^0x/),
    });
  });

  it("an endpoint that does not answer in time is retried later", async () => {
    const slow = await db.em().find(WebhookDelivery, { subscriptionId: ids.slow! });
    expect(slow).toHaveLength(2);
    for (const delivery of slow) {
      expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null });
      expect(delivery.lastError).toBe("no answer within 1500 ms");
      expect(delivery.nextAttemptAt).toBeGreaterThan(delivery.lastAttemptAt!);
    }
  });

  it("a 500 is retried on the schedule and goes dead after it; replay sends the same delivery again", async () => {
    const failing = () => db.em().findOneOrFail(WebhookDelivery, { subscriptionId: ids.failing! });
    expect(await failing()).toMatchObject({
      status: "pending",
      attempts: 1,
      lastStatusCode: 500,
      lastError: "HTTP 500",
    });
    expect((await failing()).nextAttemptAt).toBe(clock + schedule[0]!);
    await dispatcher().runOnce();
    expect(deliveriesOf("failing")).toHaveLength(1); // not due yet
    for (const [step, delay] of schedule.entries()) {
      clock += delay;
      await dispatcher().runOnce();
      expect(deliveriesOf("failing")).toHaveLength(step + 2);
    }
    const dead = await failing();
    expect(dead).toMatchObject({ status: "dead", attempts: 4, nextAttemptAt: null, lastStatusCode: 500 });
    expect(new Set(deliveriesOf("failing").map((entry) => entry.headers["gridledger-delivery"]))).toEqual(
      new Set([dead.id]),
    );

    const gateway = await startTestGateway({
      database: db,
      principals: {
        retailA: principal("RETAIL_COMPANY", scenario.accounts.retailCompanyA.address),
        retailB: principal("RETAIL_COMPANY", scenario.accounts.retailCompanyB.address),
      },
    });
    try {
      const REPLAY = `mutation($id: String!) { replayWebhookDelivery(id: $id) { id status attempts } }`;
      const foreign = await gateway.ask("retailB", REPLAY, { id: dead.id });
      expect(foreign.errors?.[0]?.extensions.code).toBe("NOT_FOUND");
      receiver.state.failing = false;
      const replayed = await gateway.ask("retailA", REPLAY, { id: dead.id });
      expect(replayed.data?.replayWebhookDelivery).toEqual({ id: dead.id, status: "pending", attempts: 0 });
      clock = Math.max(clock, Date.now());
      await dispatcher().runOnce();
      expect(await failing()).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 204 });
      expect(deliveriesOf("failing").at(-1)!.headers["gridledger-delivery"]).toBe(dead.id);
    } finally {
      await gateway.server.app.close();
    }
  });

  it("reindexing the chain writes no delivery twice and resends nothing", async () => {
    const before = await db.em().count(WebhookDelivery, {});
    const sent = receiver.received.length;
    const indexer = createIndexer({ db, rpcUrl: chain.rpcUrl, deployment: scenario.deployment });
    await indexer.clear();
    await indexer.run();
    expect(await db.em().count(WebhookDelivery, {})).toBe(before);
    expect(await db.em().count(WebhookSubscription, {})).toBe(7);
    await dispatcher().runOnce();
    expect(receiver.received.filter((entry) => entry.path.startsWith("/ok")).length).toBe(
      receiver.received.slice(0, sent).filter((entry) => entry.path.startsWith("/ok")).length,
    );
  });

  it("private targets not allowed (the default): a name resolving to loopback is refused at delivery, dead with the reason, nothing sent", async () => {
    const port = new URL(receiver.url).port;
    const template = await db.em().findOneOrFail(WebhookDelivery, { subscriptionId: ids.retailA! });
    const subscribe = async (name: string, url: string) => {
      const em = db.em();
      const row = em.create(WebhookSubscription, {
        organisation: template.organisation,
        url: `${url}?s=${name}`,
        events: WEBHOOK_EVENT_TYPES,
        secret: createWebhookSecret(),
        active: true,
        description: name,
        fromBlock: 0,
        createdAt: clock,
        createdBy: 1,
      });
      await em.flush();
      ids[name] = row.id;
      // due at 1 ms after the epoch: the only deliveries due for a dispatcher whose clock reads 1
      em.create(WebhookDelivery, {
        ...template,
        id: `${row.id}-${template.blockNumber}-${template.logIndex}`,
        subscriptionId: row.id,
        status: "pending",
        attempts: 0,
        nextAttemptAt: 0,
        lastAttemptAt: null,
        lastStatusCode: null,
        lastError: null,
        deliveredAt: null,
      });
      await em.flush();
      return () => db.em().findOneOrFail(WebhookDelivery, { subscriptionId: row.id });
    };
    const byName = await subscribe("byName", `http://localhost:${port}/ok`);
    const byNameTls = await subscribe("byNameTls", `https://localhost:${port}/ok`);
    const literal = await subscribe("literal", `http://127.0.0.1:${port}/ok`);
    const allowed = await subscribe("allowed", `http://localhost:${port}/ok`);
    await db.em().nativeUpdate(WebhookDelivery, { subscriptionId: ids.allowed! }, { nextAttemptAt: 2 });
    const sent = receiver.received.length;

    await createWebhookDispatcher({ db, now: () => 1, schedule, jitter: 0, timeoutMs: 1500 }).runOnce();
    for (const [row, address] of [
      [await byName(), /(127\.0\.0\.1|::1)/],
      [await byNameTls(), /(127\.0\.0\.1|::1)/],
      [await literal(), /127\.0\.0\.1/],
    ] as const) {
      // not retried: the schedule would only knock on the same closed door
      expect(row).toMatchObject({ status: "dead", attempts: 1, nextAttemptAt: null, lastStatusCode: null });
      expect(row.lastError).toMatch(
        new RegExp(
          `^BLOCKED_ADDRESS: ${address.source} is a loopback address \\((127\\.0\\.0\\.0/8|::1/128)\\)$`,
        ),
      );
    }
    expect(receiver.received.length).toBe(sent);
    expect(deliveriesOf("byName")).toHaveLength(0);
    expect(await allowed()).toMatchObject({ status: "pending", attempts: 0 });

    // the same target with private targets allowed is delivered as before
    await createWebhookDispatcher({ db, now: () => 2, allowPrivateTargets: true }).runOnce();
    expect(await allowed()).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 204 });
    expect(deliveriesOf("allowed")).toHaveLength(1);
    expect(receiver.received.length).toBe(sent + 1);
  });

  it("the retry delays spread by the jitter and end after the schedule", () => {
    expect(retryDelay([1000], 1, 0.2, () => 0)).toBe(800);
    expect(retryDelay([1000], 1, 0.2, () => 1)).toBe(1200);
    expect(retryDelay([1000], 2, 0.2, () => 0.5)).toBeUndefined();
  });
});

function principal(role: Principal["role"], organisation: string | undefined, userId = 9): Principal {
  return { userId, login: role.toLowerCase(), role, organisation: organisation as `0x${string}` | undefined };
}

describe("webhook subscriptions API", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      database: db,
      principals: {
        retailA: principal("RETAIL_COMPANY", scenario.accounts.retailCompanyA.address),
        retailB: principal("RETAIL_COMPANY", scenario.accounts.retailCompanyB.address),
        consumer: {
          userId: 7,
          login: "c",
          role: "CONSUMER",
          organisation: undefined,
          consumerAddress: scenario.accounts.consumer.address,
        },
      },
    });
  });
  afterAll(() => gateway?.server.app.close());

  const CREATE = `mutation($input: WebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret subscription { id url events active fromBlock organisation } } }`;

  it("creates a subscription for the caller's organisation, shows the secret once, lists only its own", async () => {
    const created = await gateway.ask("retailB", CREATE, {
      input: { url: "https://billing.example.org/hooks", events: ["invoice.issued", "payment.recorded"] },
    });
    expect(created.errors).toBeUndefined();
    const answer = created.data?.createWebhookSubscription;
    expect(answer.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(answer.subscription).toMatchObject({
      url: "https://billing.example.org/hooks",
      events: ["invoice.issued", "payment.recorded"],
      active: true,
      organisation: scenario.accounts.retailCompanyB.address.toLowerCase(),
    });
    // events already indexed are not replayed into a new subscription
    expect(Number(answer.subscription.fromBlock)).toBeGreaterThan(1);
    const listed = await gateway.ask("retailB", "{ webhookSubscriptions { id url } }");
    expect(listed.data?.webhookSubscriptions).toEqual([
      { id: ids.retailB, url: expect.stringContaining("/ok") },
      { id: answer.subscription.id, url: "https://billing.example.org/hooks" },
    ]);
    expect(JSON.stringify(listed)).not.toContain("whsec_");
    const deliveries = await gateway.ask(
      "retailB",
      "{ webhookDeliveries(first: 500) { id subscriptionId status } }",
    );
    expect(deliveries.data?.webhookDeliveries).toHaveLength(2);
    expect(
      deliveries.data?.webhookDeliveries.every(
        (d: { subscriptionId: number }) => d.subscriptionId === ids.retailB,
      ),
    ).toBe(true);
  });

  it("refuses bad URLs, unknown events, other organisations' subscriptions and non-staff roles", async () => {
    const bad = await gateway.ask("retailA", CREATE, {
      input: { url: "http://billing.example.org/x", events: ["invoice.issued"] },
    });
    expect(bad.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
    const unknown = await gateway.ask("retailA", CREATE, {
      input: { url: "https://x.example/h", events: ["invoice.eaten"] },
    });
    expect(unknown.errors?.[0]).toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
      message: expect.stringContaining("invoice.eaten"),
    });
    const consumer = await gateway.ask("consumer", CREATE, {
      input: { url: "https://x.example/h", events: ["invoice.issued"] },
    });
    expect(consumer.errors?.[0]?.extensions.code).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
    const anonymous = await gateway.ask(undefined, "{ webhookSubscriptions { id } }");
    expect(anonymous.errors).toBeDefined();
    const foreign = await gateway.ask(
      "retailB",
      `mutation { updateWebhookSubscription(id: ${ids.retailA}, change: { active: false }) { id } }`,
    );
    expect(foreign.errors?.[0]?.extensions.code).toBe("NOT_FOUND");
    const rotate = await gateway.ask("retailA", `mutation { rotateWebhookSecret(id: ${ids.retailA}) }`);
    expect(rotate.data?.rotateWebhookSecret).toMatch(/^whsec_/);
    expect(rotate.data?.rotateWebhookSecret).not.toBe(secrets.retailA);
  });

  it("refuses a literal non-public address or a localhost name with BLOCKED_ADDRESS, unless private targets are allowed", async () => {
    for (const [url, message] of [
      ["https://10.0.0.5/h", "host 10.0.0.5 is a private network address (10.0.0.0/8)"],
      ["https://169.254.169.254/latest/meta-data/", "host 169.254.169.254 is a link-local address"],
      ["http://127.0.0.1:8080/h", "host 127.0.0.1 is a loopback address (127.0.0.0/8)"],
      ["https://0x7f.1/h", "host 127.0.0.1 is a loopback"],
      ["https://[::ffff:192.168.1.1]/h", "is IPv4-mapped 192.168.1.1, a private network address"],
      ["https://[fd00::1]/h", "host fd00::1 is a unique local (private network) address"],
      ["https://100.64.0.1/h", "carrier-grade NAT"],
      ["http://localhost:9000/h", "host localhost is a loopback name"],
      ["https://api.localhost/h", "host api.localhost is a loopback name"],
      ["https://LOCALHOST./h", "host localhost is a loopback name"],
    ] as const) {
      const refused = await gateway.ask("retailA", CREATE, { input: { url, events: ["invoice.issued"] } });
      expect(refused.errors?.[0]?.extensions.code, url).toBe("BLOCKED_ADDRESS");
      expect(refused.errors?.[0]?.message, url).toContain(message);
    }
    const changed = await gateway.ask(
      "retailA",
      `mutation { updateWebhookSubscription(id: ${ids.retailA}, change: { url: "https://192.168.0.10/x" }) { id } }`,
    );
    expect(changed.errors?.[0]?.extensions.code).toBe("BLOCKED_ADDRESS");
    // a public literal address is fine
    const publicIp = await gateway.ask("retailA", CREATE, {
      input: { url: "https://93.184.216.34/h", events: ["invoice.issued"] },
    });
    expect(publicIp.errors).toBeUndefined();

    const development = await startTestGateway({
      database: db,
      principals: { retailA: principal("RETAIL_COMPANY", scenario.accounts.retailCompanyA.address) },
      allowPrivateTargets: true,
    });
    try {
      const local = await development.ask("retailA", CREATE, {
        input: { url: "http://127.0.0.1:8080/h", events: ["invoice.issued"] },
      });
      expect(local.errors).toBeUndefined();
      expect(local.data?.createWebhookSubscription.subscription.url).toBe("http://127.0.0.1:8080/h");
    } finally {
      await development.server.app.close();
    }
  });
});

// last: it deletes the delivered rows the tests above look at
describe("webhook delivery retention", () => {
  it("delivered rows past the retention are deleted in small batches; pending and dead ones are kept", async () => {
    const retentionMs = 30 * 86_400_000;
    const at = clock;
    const count = (status: string) => db.em().count(WebhookDelivery, { status });
    const delivered = await db
      .em()
      .find(WebhookDelivery, { status: "delivered" }, { orderBy: { id: "asc" } });
    expect(delivered.length).toBeGreaterThan(30);
    await db
      .em()
      .nativeUpdate(WebhookDelivery, { status: "delivered" }, { deliveredAt: at - retentionMs - 1 });
    // exactly the retention old, and younger: kept
    await db.em().nativeUpdate(WebhookDelivery, { id: delivered[0]!.id }, { deliveredAt: at - retentionMs });
    await db.em().nativeUpdate(WebhookDelivery, { id: delivered[1]!.id }, { deliveredAt: at - 1000 });
    // a dead row that was once delivered (deliveredAt set) is not the prune's to delete
    await db.em().nativeUpdate(WebhookDelivery, { subscriptionId: ids.byName! }, { deliveredAt: 1 });
    const pending = await count("pending");
    const dead = await count("dead");

    const pruning = createWebhookDispatcher({
      db,
      now: () => at,
      schedule,
      jitter: 0,
      timeoutMs: 1500,
      allowPrivateTargets: true,
      retentionMs,
      pruneBatchSize: 1,
    });
    // 20 batches of 1 per pass: a backlog is worked off over the next passes, not in one long run
    await pruning.runOnce();
    expect(await count("delivered")).toBe(delivered.length - 20);
    await pruning.runOnce();
    expect(await count("delivered")).toBe(2);
    expect(
      (await db.em().find(WebhookDelivery, { status: "delivered" }, { orderBy: { id: "asc" } })).map(
        (row) => row.id,
      ),
    ).toEqual([delivered[0]!.id, delivered[1]!.id]);
    expect((await count("pending")) + (await count("dead"))).toBe(pending + dead);
    expect(await db.em().count(WebhookDelivery, { subscriptionId: ids.byName! })).toBe(1);
    // a millisecond later the row exactly the retention old is past it
    const later = createWebhookDispatcher({ db, now: () => at + 1, retentionMs, allowPrivateTargets: true });
    expect(await later.prune()).toBe(1);
    expect(await count("delivered")).toBe(1);
  });
});
