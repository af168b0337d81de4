import Keyv from "keyv";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSessionStore, type Session } from "../../auth/sessions.js";
import { testDatabases } from "../../db/_test/testDatabases.js";
import { Account, Meter, Organisation, Payment, Reading } from "../../db/entities/index.js";
import { type Database, openDatabase } from "../../db/openDatabase.js";
import { createGatewayServer, type GatewayServer } from "../../server/createGatewayServer.js";
import type { Principal } from "../context.js";

const GRID = `0x${"a1".repeat(20)}`;
const RETAIL_A = `0x${"b1".repeat(20)}`;
const RETAIL_B = `0x${"b2".repeat(20)}`;
const CONSUMER = `0x${"c1".repeat(20)}`;
const OTHER_CONSUMER = `0x${"c2".repeat(20)}`;
const BANK = `0x${"d1".repeat(20)}`;
const TX = `0x${"ee".repeat(32)}`;
const DAY = Date.UTC(2026, 10, 1) / 1000 - 3 * 3600; // 2026-11-01 00:00 Moscow
const origin = {
  blockNumber: 10,
  txHash: TX,
  logIndex: 0,
  updatedBlock: 10,
  updatedTxHash: TX,
  updatedLogIndex: 0,
};

/** Accounts 1-3 at retail A (account 1 is CONSUMER's), 4-5 at retail B; meter i serves account i. */
async function seed(database: Database) {
  const em = database.em();
  await em.insertMany(Organisation, [
    {
      id: 1,
      address: GRID,
      kind: 2,
      active: true,
      profileHash: TX,
      profileId: TX,
      profileIdText: null,
      ...origin,
    },
    {
      id: 2,
      address: RETAIL_A,
      kind: 3,
      active: true,
      profileHash: TX,
      profileId: TX,
      profileIdText: null,
      ...origin,
    },
    {
      id: 3,
      address: RETAIL_B,
      kind: 3,
      active: true,
      profileHash: TX,
      profileId: TX,
      profileIdText: null,
      ...origin,
    },
  ]);
  const accounts = [1, 2, 3, 4, 5].map((id) => ({
    id,
    accountNumber: id === 5 ? "50%00005" : `1000000${id}`,
    accountNumberHex: TX,
    consumer: id === 1 ? CONSUMER : OTHER_CONSUMER,
    meterId: id,
    consumerType: 1,
    priceCategory: 0,
    active: true,
    retailCompany: id <= 3 ? RETAIL_A : RETAIL_B,
    retailCompanyId: id <= 3 ? 2 : 3,
    gridCompany: GRID,
    gridCompanyId: 1,
    siteId: id % 2 === 0 ? "Site-North" : "Site-South",
    siteIdHex: TX,
    addressRef: `Lenina ${id}`,
    addressRefHex: TX,
    tariffGroupId: null,
    tariffKind: null,
    tariffFromPeriod: null,
    creditBalance: 0,
    ...origin,
  }));
  await em.insertMany(Account, accounts);
  await em.insertMany(
    Meter,
    accounts.map((account) => ({
      id: account.id,
      gridCompany: GRID,
      gridCompanyId: 1,
      accountId: account.id,
      retailCompanyId: account.retailCompanyId,
      meterType: 1,
      tariffZones: 1,
      meteringScheme: 1,
      remoteReading: true,
      exportCapable: false,
      atBalanceBoundary: true,
      lossMethod: 0,
      lossPpm: 0,
      serial: `SDM-${account.id}`,
      serialHex: TX,
      model: "SDM630",
      modelHex: TX,
      lossParameters: TX,
      referenceFirmware: null,
      currentFirmware: null,
      tampered: false,
      lastClockDrift: null,
      ...origin,
    })),
  );
  // two local days of half-hour readings, meter i consuming i × 100 Wh per half hour
  const readings = accounts.flatMap((account) =>
    Array.from({ length: 96 }, (_, slot) => ({
      meterId: account.id,
      intervalEnd: DAY + (slot + 1) * 1800,
      status: 0,
      registerMask: 1,
      source: 0,
      importT1: 1_000_000 + (slot + 1) * account.id * 100,
      importT2: null,
      importT3: null,
      importT4: null,
      export: null,
      accountId: account.id,
      retailCompanyId: account.retailCompanyId,
      blockNumber: 11,
      txHash: TX,
      logIndex: account.id,
    })),
  );
  await em.insertMany(Reading, readings);
  // one payment per account from the bank, 1 000 RUB × account id, paid on day 1 (account 5 on day 2)
  await em.insertMany(
    Payment,
    accounts.map((account) => ({
      source: BANK,
      paymentNumber: account.id,
      sourceId: 4,
      externalRef: TX,
      kind: "payment",
      invoiceId: null,
      accountId: account.id,
      retailCompanyId: account.retailCompanyId,
      method: 0,
      amount: account.id * 100_000,
      applied: account.id * 100_000,
      credited: 0,
      splitEnergy: account.id * 50_000,
      splitTransmission: account.id * 30_000,
      splitRetailMarkup: account.id * 15_000,
      splitInfrastructure: account.id * 5_000,
      paidAt: DAY + (account.id === 5 ? 86_400 : 0) + 3600,
      blockNumber: 12,
      txHash: TX,
      logIndex: account.id,
    })),
  );
}

describe.each(testDatabases("readapi"))("accounts and readings API on $name", (testDatabase) => {
  let database: Database;
  let gateway: GatewayServer;
  const sessions = createSessionStore(new Keyv<Session>());
  const tokens: Record<string, string> = {};
  const principals: Record<string, Principal> = {
    operator: { userId: 1, login: "operator", role: "OPERATOR", organisation: undefined },
    grid: { userId: 2, login: "grid", role: "GRID_COMPANY", organisation: GRID as `0x${string}` },
    retailA: {
      userId: 3,
      login: "retail-a",
      role: "RETAIL_COMPANY",
      organisation: RETAIL_A as `0x${string}`,
    },
    consumer: {
      userId: 4,
      login: "consumer",
      role: "CONSUMER",
      organisation: undefined,
      consumerAddress: CONSUMER as `0x${string}`,
    },
    bank: { userId: 5, login: "bank", role: "PAYMENT_SOURCE", organisation: BANK as `0x${string}` },
  };

  beforeAll(async () => {
    database = await openDatabase({ url: testDatabase.url });
    await seed(database);
    for (const [name, principal] of Object.entries(principals))
      tokens[name] = (await sessions.open(principal)).token;
    // The chain is not read by these queries; a client for an unused local URL keeps the server honest about that.
    const client = createPublicClient({ transport: http("http://127.0.0.1:9") });
    gateway = await createGatewayServer({
      rpcUrl: "http://127.0.0.1:9",
      deployment: { chainId: 1, deployedAtBlock: "1", contracts: {} },
      logLevel: "silent",
      services: {
        chain: {
          publicClient: client,
          walletClient: createWalletClient({ transport: http("http://127.0.0.1:9") }),
          relayer: privateKeyToAccount(`0x${"01".repeat(32)}`),
          chainId: 1,
          deployedAtBlock: 1n,
          contracts: {},
          zeroGasPrice: true,
        },
        database,
        sessions,
        indexStatus: async () => ({ indexedBlock: 11n }),
      },
    });
  });
  afterAll(async () => {
    await gateway?.app.close();
    await database?.close();
    await testDatabase.drop();
  });

  type Answer = {
    // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked field by field below
    data?: Record<string, any> | null;
    errors?: { message: string; extensions: { code: string } }[];
  };
  const ask = async (
    who: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<Answer> =>
    (
      await gateway.app.inject({
        method: "POST",
        url: "/graphql",
        payload: { query, variables },
        headers: {
          "content-type": "application/json",
          ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
        },
      })
    ).json() as Answer;
  const ACCOUNTS = `query($filter: AccountFilter, $page: Int, $size: Int) {
    accounts(filter: $filter, page: $page, size: $size) { totalCount page size pageInfo { hasNextPage } nodes { id accountNumber retailCompany chain { txHash } } }
  }`;

  test("each role sees its own accounts: operator and grid all, a retail company its own, a consumer theirs", async () => {
    const count = async (who: string) => (await ask(who, ACCOUNTS)).data?.accounts.totalCount;
    expect(await count("operator")).toBe(5);
    expect(await count("grid")).toBe(5);
    expect(await count("retailA")).toBe(3);
    expect(await count("consumer")).toBe(1);
    expect((await ask("bank", ACCOUNTS)).errors?.[0]?.extensions.code).toBe("FORBIDDEN");
    expect((await ask(undefined, ACCOUNTS)).errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
  });

  test("a consumer asking for another account gets FORBIDDEN, not an empty answer", async () => {
    const own = await ask("consumer", `{ account(id: "1") { accountNumber } }`);
    expect(own.data?.account.accountNumber).toBe("10000001");
    const other = await ask("consumer", `{ account(id: "2") { accountNumber } }`);
    expect(other.errors?.[0]?.extensions.code).toBe("FORBIDDEN");
    const retailPeeking = await ask("retailA", ACCOUNTS, { filter: { retailCompany: RETAIL_B } });
    expect(retailPeeking.errors?.[0]?.extensions.code).toBe("FORBIDDEN");
  });

  test("filters: prefix match without wildcard tricks, site, pagination limits", async () => {
    const byPrefix = await ask("operator", ACCOUNTS, { filter: { accountNumber: "1000000" } });
    expect(byPrefix.data?.accounts.totalCount).toBe(4);
    const wildcard = await ask("operator", ACCOUNTS, { filter: { accountNumber: "%" } });
    expect(wildcard.data?.accounts.totalCount).toBe(0);
    const literalPercent = await ask("operator", ACCOUNTS, { filter: { accountNumber: "50%" } });
    expect(literalPercent.data?.accounts.nodes.map((node: { id: string }) => node.id)).toEqual(["5"]);
    const site = await ask("operator", ACCOUNTS, { filter: { site: "Site-North" } });
    expect(site.data?.accounts.totalCount).toBe(2);
    const paged = await ask("operator", ACCOUNTS, { page: 2, size: 2 });
    expect(paged.data?.accounts).toMatchObject({
      totalCount: 5,
      page: 2,
      size: 2,
      pageInfo: { hasNextPage: true },
    });
    expect(paged.data?.accounts.nodes.map((node: { id: string }) => node.id)).toEqual(["3", "4"]);
    expect((await ask("operator", ACCOUNTS, { size: 201 })).errors?.[0]?.extensions.code).toBe(
      "BAD_USER_INPUT",
    );
    const mixed = await ask("operator", `{ accounts(first: 2, page: 1) { totalCount } }`);
    expect(mixed.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
  });

  const READINGS = `query($filter: ReadingFilter, $first: Int, $after: String) {
    readings(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { meterId intervalEnd importT1 chain { blockNumber txHash logIndex } } }
  }`;

  test("readings are scoped like accounts, filtered by date and serial, and paged with cursors", async () => {
    expect((await ask("retailA", READINGS)).data?.readings.totalCount).toBe(3 * 96);
    expect((await ask("consumer", READINGS)).data?.readings.totalCount).toBe(96);
    const day2 = {
      from: new Date((DAY + 86_400) * 1000).toISOString(),
      to: new Date((DAY + 2 * 86_400) * 1000).toISOString(),
    };
    const filtered = await ask("grid", READINGS, { filter: { ...day2, meterSerial: "sdm-2" }, first: 10 });
    expect(filtered.data?.readings.totalCount).toBe(48);
    expect(filtered.data?.readings.nodes[0]).toMatchObject({
      meterId: "2",
      intervalEnd: DAY + 2 * 86_400,
      importT1: String(1_000_000 + 96 * 200),
    });
    const next = await ask("grid", READINGS, {
      filter: { ...day2, meterSerial: "sdm-2" },
      first: 10,
      after: filtered.data?.readings.pageInfo.endCursor,
    });
    expect(next.data?.readings.nodes[0].intervalEnd).toBe(DAY + 2 * 86_400 - 10 * 1800);
    const foreign = await ask("retailA", READINGS, { filter: { accountNumber: "10000004" } });
    expect(foreign.data?.readings.totalCount).toBe(0);
    const backwards = await ask("grid", READINGS, { filter: { from: day2.to, to: day2.from } });
    expect(backwards.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
    const badDate = await ask("grid", READINGS, { filter: { from: "yesterday" } });
    expect(badDate.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
  });

  test("meters are scoped and filtered like accounts; a foreign meter is FORBIDDEN", async () => {
    const METERS = `query($filter: MeterFilter) { meters(filter: $filter) { totalCount nodes { id serial model accountId } } }`;
    expect((await ask("retailA", METERS)).data?.meters.totalCount).toBe(3);
    expect((await ask("consumer", METERS)).data?.meters.nodes).toEqual([
      { id: "1", serial: "SDM-1", model: "SDM630", accountId: "1" },
    ]);
    expect(
      (await ask("grid", METERS, { filter: { serial: "sdm-", accountNumber: "1000000" } })).data?.meters
        .totalCount,
    ).toBe(4);
    expect(
      (await ask("grid", METERS, { filter: { installationAddress: "Lenina 5" } })).data?.meters.nodes,
    ).toHaveLength(1);
    expect((await ask("consumer", `{ meter(id: "2") { serial } }`)).errors?.[0]?.extensions.code).toBe(
      "FORBIDDEN",
    );
    expect(
      (await ask("retailA", `{ meter(id: "3") { serial tampered firmwareChanged } }`)).data?.meter,
    ).toEqual({ serial: "SDM-3", tampered: false, firmwareChanged: false });
  });

  test("payments: scoped per role (a bank sees what it recorded), filtered, split and charted per day", async () => {
    const PAYMENTS = `query($filter: PaymentFilter) { payments(filter: $filter) { totalCount nodes { accountId amount split { energy transmission retailMarkup infrastructure } chain { txHash } } } }`;
    expect((await ask("retailA", PAYMENTS)).data?.payments.totalCount).toBe(3);
    expect((await ask("bank", PAYMENTS)).data?.payments.totalCount).toBe(5);
    expect((await ask("consumer", PAYMENTS)).data?.payments.nodes).toEqual([
      {
        accountId: "1",
        amount: "100000",
        split: { energy: "50000", transmission: "30000", retailMarkup: "15000", infrastructure: "5000" },
        chain: { txHash: TX },
      },
    ]);
    const otherBank = await ask("bank", PAYMENTS, { filter: { paymentSource: `0x${"d2".repeat(20)}` } });
    expect(otherBank.errors?.[0]?.extensions.code).toBe("FORBIDDEN");
    const day1 = {
      from: new Date(DAY * 1000).toISOString(),
      to: new Date((DAY + 86_400) * 1000).toISOString(),
    };
    expect((await ask("grid", PAYMENTS, { filter: day1 })).data?.payments.totalCount).toBe(4);
    expect(
      (await ask("grid", PAYMENTS, { filter: { installationAddress: "Lenina 2" } })).data?.payments.nodes[0]
        .amount,
    ).toBe("200000");
    const SERIES = `query($bucket: PaymentBucket!) { paymentsSeries(bucket: $bucket) { bucketStart amount payments } }`;
    expect((await ask("operator", SERIES, { bucket: "DAY" })).data?.paymentsSeries).toEqual([
      { bucketStart: DAY, amount: String((1 + 2 + 3 + 4) * 100_000), payments: 4 },
      { bucketStart: DAY + 86_400, amount: "500000", payments: 1 },
    ]);
    expect((await ask("retailA", SERIES, { bucket: "MONTH" })).data?.paymentsSeries).toEqual([
      { bucketStart: DAY, amount: "600000", payments: 3 },
    ]);
  });

  test("the consumption series sums interval differences per Moscow day and per half hour", async () => {
    const SERIES = `query($filter: ReadingFilter, $bucket: SeriesBucket!) { consumptionSeries(filter: $filter, bucket: $bucket) { bucketStart importT1 readings } }`;
    const days = await ask("retailA", SERIES, { bucket: "DAY" });
    expect(days.errors, JSON.stringify(days.errors)).toBeUndefined();
    // retail A: meters 1-3 use 100+200+300 Wh per half hour; the first reading of each meter has no predecessor
    expect(days.data?.consumptionSeries).toEqual([
      { bucketStart: DAY, importT1: String(47 * 600), readings: 48 * 3 },
      { bucketStart: DAY + 86_400, importT1: String(48 * 600), readings: 48 * 3 },
    ]);
    const halfHours = await ask("consumer", SERIES, {
      bucket: "HALF_HOUR",
      filter: {
        from: new Date((DAY + 86_400) * 1000).toISOString(),
        to: new Date((DAY + 86_400 + 3 * 1800) * 1000).toISOString(),
      },
    });
    expect(halfHours.data?.consumptionSeries.map((point: { importT1: string }) => point.importT1)).toEqual([
      "100",
      "100",
      "100",
    ]);
    const months = await ask("grid", SERIES, { bucket: "MONTH" });
    expect(months.data?.consumptionSeries).toEqual([
      { bucketStart: DAY, importT1: String(95 * 1500), readings: 96 * 5 },
    ]);
  });
});
