import Keyv from "keyv";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSessionStore, type Session } from "../../../auth/sessions.js";
import type { TestDatabase } from "../../../db/_test/testDatabases.js";
import {
  Account,
  BillingPeriod,
  ChainEvent,
  Document,
  Invoice,
  InvoiceLine,
  Meter,
  Organisation,
  OrganisationProfile,
  Payment,
  Reading,
  TariffChoice,
  TariffGroup,
  TariffPlan,
} from "../../../db/entities/index.js";
import { type Database, openDatabase } from "../../../db/openDatabase.js";
import { createModeController } from "../../../modes/createModeController.js";
import { createGatewayServer, type GatewayServer } from "../../../server/createGatewayServer.js";
import type { Principal } from "../../context.js";

/**
 * One index with two grid companies and three retail companies, for testing every query against
 * every role: GRID serves RETAIL_A (accounts 1-3, account 1 is CONSUMER's) and RETAIL_B (4-5);
 * GRID_2 serves RETAIL_C (account 6) and RETAIL_A too (account 7): a retail company in two networks. Rows are written as the indexer writes them, so the queries
 * are tested on both SQLite and MariaDB without a chain (the indexer's own tests cover chain → rows).
 */
export const GRID = `0x${"a1".repeat(20)}`;
export const GRID_2 = `0x${"a2".repeat(20)}`;
export const RETAIL_A = `0x${"b1".repeat(20)}`;
export const RETAIL_B = `0x${"b2".repeat(20)}`;
export const RETAIL_C = `0x${"b3".repeat(20)}`;
export const BANK = `0x${"d1".repeat(20)}`;
export const CONSUMER = `0x${"c1".repeat(20)}`;
export const OTHER_CONSUMER = `0x${"c2".repeat(20)}`;
export const TX = `0x${"ee".repeat(32)}`;
export const DOC = `0x${"dd".repeat(32)}`;
export const REASON = `0x${"cc".repeat(32)}`;

/** UTC midnight two days ago: the open billing period (2) starts here. */
export const PERIOD_START = Math.floor(Date.now() / 1000 / 86_400) * 86_400 - 2 * 86_400;
export const PERIOD_END = PERIOD_START + 40 * 86_400;
/** Payments are made in the Moscow month of 2026-10; this is 2026-10-15 12:00 Moscow. */
export const PAID_AT = Date.UTC(2026, 9, 15, 9) / 1000;

export const invoiceId = (accountId: number, periodId: number) =>
  ((BigInt(accountId) << 32n) | BigInt(periodId)).toString();

const origin = (block = 10, logIndex = 0) => ({
  blockNumber: block,
  txHash: TX,
  logIndex,
  updatedBlock: block,
  updatedTxHash: TX,
  updatedLogIndex: logIndex,
});

const organisation = (id: number, address: string, kind: number) => ({
  id,
  address,
  kind,
  active: true,
  profileHash: TX,
  profileId: TX,
  profileIdText: null,
  ...origin(),
});

const RETAIL_OF = [0, 2, 2, 2, 3, 3, 6, 2];
const RETAIL_ADDRESS: Record<number, string> = { 2: RETAIL_A, 3: RETAIL_B, 6: RETAIL_C };

export async function seedScopes(database: Database): Promise<void> {
  const em = database.em();
  await em.insertMany(Organisation, [
    organisation(1, GRID, 2),
    organisation(2, RETAIL_A, 3),
    organisation(3, RETAIL_B, 3),
    organisation(4, BANK, 4),
    organisation(5, GRID_2, 2),
    organisation(6, RETAIL_C, 3),
  ]);
  await em.insert(OrganisationProfile, {
    address: GRID,
    name: "Сетевая компания",
    directorName: "Иванов Иван Иванович",
    phone: "+7 495 000-00-00",
    email: "grid@example.org",
    legalAddress: "Москва, ул. Ленина, 1",
    inn: "7707083893",
    kpp: "773601001",
    ogrn: "1027700132195",
    bankName: "ПАО Сбербанк",
    bik: "044525225",
    settlementAccount: "40702810938000000001",
    correspondentAccount: "30101810400000000225",
    updatedAt: 1,
    updatedBy: null,
  });
  const inGrid2 = (id: number) => id >= 6;
  const accounts = [1, 2, 3, 4, 5, 6, 7].map((id) => ({
    id,
    accountNumber: `1000000${id}`,
    accountNumberHex: TX,
    consumer: id === 1 ? CONSUMER : OTHER_CONSUMER,
    meterId: id,
    consumerType: 1,
    priceCategory: 0,
    active: true,
    retailCompany: RETAIL_ADDRESS[RETAIL_OF[id]!]!,
    retailCompanyId: RETAIL_OF[id]!,
    gridCompany: inGrid2(id) ? GRID_2 : GRID,
    gridCompanyId: inGrid2(id) ? 5 : 1,
    siteId: id % 2 === 0 ? "Site-North" : "Site-South",
    siteIdHex: TX,
    addressRef: `Lenina ${id}`,
    addressRefHex: TX,
    tariffGroupId: id === 1 ? 2 : null,
    tariffKind: id === 1 ? 1 : null,
    tariffFromPeriod: id === 1 ? 3 : null,
    creditBalance: id * 10,
    ...origin(),
  }));
  await em.insertMany(Account, accounts);
  await em.insertMany(
    Meter,
    accounts.map((account) => ({
      id: account.id,
      gridCompany: account.gridCompany,
      gridCompanyId: account.gridCompanyId,
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
      model: account.id % 2 ? "SDM630" : "Mercury 230",
      modelHex: TX,
      lossParameters: TX,
      referenceFirmware: null,
      currentFirmware: null,
      tampered: false,
      lastClockDrift: null,
      ...origin(),
    })),
  );
  // period 1 ended at PERIOD_START; period 2 is open
  await em.insertMany(BillingPeriod, [
    { id: 1, periodEnd: PERIOD_START, blockNumber: 5, txHash: TX, logIndex: 0 },
    { id: 2, periodEnd: PERIOD_END, blockNumber: 5, txHash: TX, logIndex: 1 },
  ]);
  // meters 1 and 2: a reading at the period's start, then one day of half hours, 100 Wh each (T1)
  await em.insertMany(
    Reading,
    [1, 2].flatMap((meterId) =>
      Array.from({ length: 49 }, (_, slot) => ({
        meterId,
        intervalEnd: PERIOD_START + slot * 1800,
        status: 0,
        registerMask: 1,
        source: 0,
        importT1: 1_000_000 + slot * 100,
        importT2: null,
        importT3: null,
        importT4: null,
        export: null,
        accountId: meterId,
        retailCompanyId: 2,
        blockNumber: 20 + slot,
        txHash: TX,
        logIndex: meterId,
      })),
    ),
  );

  // tariffs: groups 1 (volume ranges) and 2 (single rate) of retail A, 3 of retail B, 4 of retail C
  const group = (id: number, retailCompanyId: number, name: string) => ({
    id,
    retailCompany: RETAIL_ADDRESS[retailCompanyId]!,
    retailCompanyId,
    consumerType: 1,
    priceCategory: 0,
    name,
    nameHex: TX,
    deleted: false,
    ...origin(6, id),
  });
  await em.insertMany(TariffGroup, [
    group(1, 2, "A tiers"),
    group(2, 2, "A single"),
    group(3, 3, "B single"),
    group(4, 6, "C single"),
  ]);
  const plan = (id: number, groupId: number, kind: number, rates: number[][], deleted = false) => ({
    id,
    groupId,
    kind,
    zones: 1,
    vatBp: 2000,
    vatIncluded: true,
    validFrom: 0,
    validTo: 0,
    zoneHours: 0,
    threshold1: kind === 4 ? 2000 : 0,
    threshold2: 0,
    exportPrice: 0,
    rates,
    deleted,
    ...origin(7, id),
  });
  await em.insertMany(TariffPlan, [
    // 4.00 + 1.00 RUB/kWh up to 2 kWh, 8.00 + 1.00 above
    plan(1, 1, 4, [
      [400_000, 100_000, 0, 0],
      [800_000, 100_000, 0, 0],
    ]),
    plan(2, 2, 1, [[500_000, 200_000, 50_000, 10_000]]),
    plan(3, 3, 1, [[510_000, 0, 0, 0]]),
    plan(4, 4, 1, [[520_000, 0, 0, 0]]),
    plan(5, 1, 4, [[1, 1, 1, 1]], true),
  ]);
  // account 1: tiers now (chosen at once), single rate pending from period 3
  await em.insertMany(
    TariffChoice,
    [
      {
        accountId: 1,
        groupId: 1,
        kind: 4,
        fromPeriod: 0,
        chosenBy: RETAIL_A,
        blockTime: 100,
        ...origin(8, 0),
      },
      {
        accountId: 1,
        groupId: 2,
        kind: 1,
        fromPeriod: 3,
        chosenBy: CONSUMER,
        blockTime: 200,
        ...origin(9, 0),
      },
    ].map(({ updatedBlock, updatedTxHash, updatedLogIndex, ...row }) => row),
  );

  // invoices of period 1: account 1 issued and part paid, 2 confirmed, 4 disputed, 6 computed
  const invoice = (accountId: number, status: string, total: number, paid: number, block: number) => ({
    id: invoiceId(accountId, 1),
    accountId,
    periodId: 1,
    retailCompanyId: RETAIL_OF[accountId]!,
    planId: 1,
    status,
    total,
    energy: total - 100,
    transmission: 100,
    retailMarkup: 0,
    infrastructure: 0,
    vat: 0,
    exportCredit: 0,
    volumesWh: [4800, 0, 0, 0, 0],
    documentHash: status === "computed" ? null : DOC,
    dueDate: status === "computed" ? null : 1_900_000_000,
    confirmedBy: status === "confirmed" ? OTHER_CONSUMER : null,
    reasonHash: status === "disputed" ? REASON : null,
    paidTotal: paid,
    paidEnergy: paid,
    paidTransmission: 0,
    paidRetailMarkup: 0,
    paidInfrastructure: 0,
    computedAt: 1_000 + accountId,
    blockNumber: block,
    txHash: TX,
    logIndex: 0,
    updatedBlock: block + 3,
    updatedTxHash: TX,
    updatedLogIndex: 1,
  });
  await em.insertMany(Invoice, [
    invoice(1, "issued", 3520, 1000, 30),
    invoice(2, "confirmed", 2000, 0, 40),
    invoice(4, "disputed", 4000, 0, 50),
    invoice(6, "computed", 6000, 0, 60),
  ]);
  await em.insertMany(
    InvoiceLine,
    [
      [0, 0, 2000, 400_000, 800],
      [0, 1, 2000, 100_000, 200],
      [1, 0, 2800, 800_000, 2240],
      [1, 1, 2800, 100_000, 280],
    ].map(([range, component, quantity, rate, amount], lineNo) => ({
      lineNo,
      invoiceId: invoiceId(1, 1),
      kind: 0,
      zone: 0,
      range: range!,
      component: component!,
      quantity: quantity!,
      rate: rate!,
      amount: amount!,
      blockNumber: 30,
      txHash: TX,
      logIndex: 1,
    })),
  );
  await em.insertMany(Document, [
    {
      hash: DOC,
      kind: "invoice",
      subject: invoiceId(1, 1),
      accountId: 1,
      blockTime: 1_101,
      blockNumber: 31,
      txHash: TX,
      logIndex: 0,
    },
    {
      hash: DOC,
      kind: "invoice",
      subject: invoiceId(4, 1),
      accountId: 4,
      blockTime: 1_104,
      blockNumber: 51,
      txHash: TX,
      logIndex: 0,
    },
    {
      hash: REASON,
      kind: "disputeReason",
      subject: invoiceId(4, 1),
      accountId: 4,
      blockTime: 1_204,
      blockNumber: 52,
      txHash: TX,
      logIndex: 0,
    },
  ]);
  await em.insertMany(ChainEvent, [
    {
      contract: "Settlement",
      event: "InvoiceDisputed",
      args: { invoiceId: invoiceId(4, 1), consumer: OTHER_CONSUMER, reasonHash: REASON },
      blockTime: 1_204,
      blockNumber: 52,
      txHash: TX,
      logIndex: 0,
    },
    {
      contract: "Settlement",
      event: "InvoiceConfirmed",
      args: { invoiceId: invoiceId(2, 1), consumer: OTHER_CONSUMER },
      blockTime: 1_302,
      blockNumber: 42,
      txHash: TX,
      logIndex: 0,
    },
  ]);

  // payments in October 2026 (Moscow): accounts 1 (twice), 2, 4, 6 and 7; 1's first against its invoice
  const payment = (paymentNumber: number, accountId: number, amount: number, invoice: string | null) => ({
    source: BANK,
    paymentNumber,
    sourceId: 4,
    externalRef: TX,
    kind: invoice ? "payment" : "prepayment",
    invoiceId: invoice,
    accountId,
    retailCompanyId: RETAIL_OF[accountId]!,
    method: invoice ? 0 : null,
    amount,
    applied: invoice ? amount : 0,
    credited: invoice ? 0 : amount,
    splitEnergy: invoice ? amount : 0,
    splitTransmission: 0,
    splitRetailMarkup: 0,
    splitInfrastructure: 0,
    paidAt: PAID_AT + paymentNumber * 60,
    blockNumber: 70 + paymentNumber,
    txHash: TX,
    logIndex: 0,
  });
  await em.insertMany(Payment, [
    payment(1, 1, 1000, invoiceId(1, 1)),
    payment(2, 1, 500, null),
    payment(3, 2, 700, null),
    payment(4, 4, 900, null),
    payment(5, 6, 1100, null),
    payment(6, 7, 300, null),
  ]);
}

export const PRINCIPALS: Record<string, Principal> = {
  operator: { userId: 1, login: "operator", role: "OPERATOR", organisation: undefined },
  grid: { userId: 2, login: "grid", role: "GRID_COMPANY", organisation: GRID as `0x${string}` },
  grid2: { userId: 3, login: "grid2", role: "GRID_COMPANY", organisation: GRID_2 as `0x${string}` },
  retailA: { userId: 4, login: "retail-a", role: "RETAIL_COMPANY", organisation: RETAIL_A as `0x${string}` },
  retailB: { userId: 5, login: "retail-b", role: "RETAIL_COMPANY", organisation: RETAIL_B as `0x${string}` },
  consumer: {
    userId: 6,
    login: "consumer",
    role: "CONSUMER",
    organisation: undefined,
    consumerAddress: CONSUMER as `0x${string}`,
  },
  otherConsumer: {
    userId: 7,
    login: "other",
    role: "CONSUMER",
    organisation: undefined,
    consumerAddress: OTHER_CONSUMER as `0x${string}`,
  },
  bank: { userId: 8, login: "bank", role: "PAYMENT_SOURCE", organisation: BANK as `0x${string}` },
  device: { userId: 9, login: "device", role: "DEVICE", organisation: undefined },
};

export type Answer = {
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked field by field
  data?: Record<string, any> | null;
  errors?: { message: string; extensions: { code: string; [key: string]: unknown } }[];
};

export type QueriesGateway = {
  database: Database;
  ask(who: string | undefined, query: string, variables?: Record<string, unknown>): Promise<Answer>;
  /** The first error code of an answer (undefined when it succeeded). */
  code(
    who: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<string | undefined>;
  close(): Promise<void>;
};

/** Opens `testDatabase`, seeds {@link seedScopes}, starts a gateway and opens a session per principal. */
export async function startQueriesGateway(testDatabase: TestDatabase): Promise<QueriesGateway> {
  const database = await openDatabase({ url: testDatabase.url });
  await seedScopes(database);
  const sessions = createSessionStore(new Keyv<Session>());
  const tokens: Record<string, string> = {};
  for (const [name, principal] of Object.entries(PRINCIPALS))
    tokens[name] = (await sessions.open(principal)).token;
  // these queries read the index only: a client for an unused local URL keeps them honest about that
  const unused = "http://127.0.0.1:9";
  const gateway: GatewayServer = await createGatewayServer({
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
      sessions,
      indexStatus: async () => ({ indexedBlock: 100n }),
      modes: createModeController({ probes: {} }),
    },
  });
  const ask = async (who: string | undefined, query: string, variables?: Record<string, unknown>) =>
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
  return {
    database,
    ask,
    code: async (who, query, variables) => (await ask(who, query, variables)).errors?.[0]?.extensions.code,
    close: async () => {
      await gateway.app.close();
      await database.close();
      await testDatabase.drop();
    },
  };
}
