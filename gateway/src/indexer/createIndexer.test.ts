import { getEventListeners } from "node:events";
import { type GridLedgerDeployment, settlementAbi } from "@gridledger/contracts";
import { type DevChain, devAccounts, startDevChain } from "@gridledger/network";
import { createPublicClient, http, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployForDevAccounts, openAccount, registerMeter } from "../_test/ledgerSteps.js";
import { testDatabases } from "../db/_test/testDatabases.js";
import {
  Account,
  DebitMandate,
  DeviceKey,
  Document,
  IndexerCheckpoint,
  Invoice,
  InvoiceLine,
  Meter,
  MeterStateEvent,
  Organisation,
  Payment,
  Reading,
  ReadingBatch,
  Reconciliation,
  ReconciliationVolume,
  TariffGroup,
  TariffPlan,
} from "../db/entities/index.js";
import { type Database, openDatabase } from "../db/openDatabase.js";
import { chainFacts, databaseFacts, snapshotTables } from "./_test/compareWithChain.js";
import { connect, runScenario, type Scenario } from "./_test/scenario.js";
import { createIndexer } from "./createIndexer.js";
import { ChainReorgError, DeploymentMismatchError, IndexerDataError } from "./errors.js";
import { reindex } from "./reindex.js";
import { CHAIN_TABLES } from "./store/chainTables.js";

let chain: DevChain;
let scenario: Scenario;
let scenarioHead: number;
/** A second deployment whose last transaction carries a value the index refuses (2^60 kopecks). */
let bad: { deployment: GridLedgerDeployment; lastGoodBlock: number };

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.1 });
  scenario = await runScenario(chain.rpcUrl);
  const { client, send } = await connect(chain.rpcUrl);
  scenarioHead = Number(await client.getBlockNumber({ cacheTime: 0 }));

  const accounts = devAccounts();
  const deployment = await deployForDevAccounts(chain.rpcUrl, accounts, { deployer: accounts.all[11]! });
  const c = deployment.contracts as Record<string, `0x${string}`>;
  const meterId = await registerMeter(send, {
    registry: c.Registry!,
    grid: accounts.gridCompany,
    serial: "B-1",
    model: "M",
  });
  const accountId = await openAccount(send, {
    registry: c.Registry!,
    retail: accounts.retailCompanyA,
    grid: accounts.gridCompany.address,
    consumer: accounts.consumer.address,
    meterId,
    consumerType: 1,
    priceCategory: 0,
    accountNumber: "B-LS",
    siteId: "S",
    addressRef: "A",
  });
  const good = await send(accounts.bank, c.Settlement!, settlementAbi, "recordPrepayment", [
    accountId,
    100n,
    1n,
    toHex("ok", { size: 32 }),
  ]);
  await send(accounts.bank, c.Settlement!, settlementAbi, "recordPrepayment", [
    accountId,
    2n ** 60n,
    2n,
    toHex("huge", { size: 32 }),
  ]);
  bad = { deployment, lastGoodBlock: Number(good.blockNumber) };
}, 120_000);

afterAll(async () => {
  await chain?.stop();
});

for (const target of testDatabases("indexer")) {
  describe(`indexer on ${target.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await openDatabase({ url: target.url });
    });
    afterAll(async () => {
      await db?.close();
      await target.drop();
    });

    const indexerFor = (extra: Partial<Parameters<typeof createIndexer>[0]> = {}) =>
      createIndexer({
        db,
        rpcUrl: chain.rpcUrl,
        deployment: scenario.deployment,
        pollIntervalMs: 50,
        ...extra,
      });

    it("run() indexes every log of the deployment into rows equal to the chain, checkpoint at the head", async () => {
      const progress = await indexerFor().run({ untilBlock: scenarioHead });
      expect(progress.checkpoint).toBe(scenarioHead);
      const chainSide = await chainFacts(chain.rpcUrl, scenario.deployment, scenarioHead);
      const dbSide = await databaseFacts(db);
      expect(dbSide.logs).toEqual(chainSide.logs);
      expect(dbSide.readings).toEqual(chainSide.readings);
      expect(dbSide.readings).toHaveLength(21);
      expect(dbSide.checkpoint).toBe(scenarioHead);
    });

    it("run() decodes each event into the entity rows the portal filters on", async () => {
      const em = db.em();
      const { accounts } = scenario;
      const organisations = await em.find(Organisation, {}, { orderBy: { id: "asc" } });
      expect(organisations.map((o) => [o.id, o.address, o.kind])).toEqual([
        [1, accounts.gridCompany.address.toLowerCase(), 2],
        [2, accounts.retailCompanyA.address.toLowerCase(), 3],
        [3, accounts.retailCompanyB.address.toLowerCase(), 3],
        [4, accounts.bank.address.toLowerCase(), 4],
        [5, accounts.operator.address.toLowerCase(), 1],
      ]);
      expect(organisations[3]!.profileIdText).toBe("7707083893");

      const meters = await em.find(Meter, {}, { orderBy: { id: "asc" } });
      expect(meters.map((m) => [m.serial, m.model, m.accountId, m.retailCompanyId])).toEqual([
        ["SN-0001", "Mercury 234", 1, 2],
        ["SN-0002", "Mercury 234", 2, 2],
        ["SN-0003", "CE308", 3, 3],
      ]);
      expect(meters[0]).toMatchObject({
        meterType: 2,
        lossMethod: 1,
        lossPpm: 15_000,
        atBalanceBoundary: false,
        tampered: false,
        referenceFirmware: keccak256(toHex("fw 1.0")),
        currentFirmware: keccak256(toHex("fw 1.0")),
      });
      expect(meters[1]!.lastClockDrift).toBe(-42);
      const states = await em.find(MeterStateEvent, {}, { orderBy: { blockNumber: "asc", logIndex: "asc" } });
      expect(states.map((s) => s.kind)).toEqual([
        "tamperFlagged",
        "tamperCleared",
        "referenceFirmwareSet",
        "firmwareChanged",
        "firmwareChanged",
        "firmwareRestored",
        "clockDrift",
      ]);

      const account = await em.findOneOrFail(Account, { accountNumber: "LS-1001" });
      expect(account).toMatchObject({
        siteId: "Centre-2",
        addressRef: "Lenina 2, flat 11",
        retailCompanyId: 2,
        tariffGroupId: 1,
        tariffKind: 1,
        creditBalance: 2_500,
      });
      expect(await em.count(Account, { retailCompanyId: 2 })).toBe(2);

      const readings = await em.find(Reading, { meterId: 1 }, { orderBy: { intervalEnd: "asc" } });
      expect(readings).toHaveLength(7);
      expect(readings.every((r) => r.accountId === 1 && r.retailCompanyId === 2 && r.importT2 === null)).toBe(
        true,
      );
      expect(await em.count(ReadingBatch, {})).toBe(3);
      expect((await em.find(ReadingBatch, {}, { orderBy: { blockNumber: "desc" } }))[0]).toMatchObject({
        accepted: 0,
        duplicates: 1,
      });
      expect(await em.count(DeviceKey, { revoked: true })).toBe(1);

      const groups = await em.find(TariffGroup, {}, { orderBy: { id: "asc" } });
      expect(groups.map((g) => [g.name, g.deleted])).toEqual([
        ["Urban households", false],
        ["Spare", true],
      ]);
      expect((await em.findOneOrFail(TariffPlan, { groupId: 1 })).rates).toEqual([
        [274_000, 81_000, 48_000, 1_000],
      ]);

      const invoices = await em.find(Invoice, {}, { orderBy: { accountId: "asc" } });
      expect(invoices.map((i) => [i.accountId, i.periodId, i.status])).toEqual([
        [1, 2, "confirmed"],
        [2, 2, "disputed"],
      ]);
      expect(invoices[0]!.total).toBeGreaterThan(0);
      expect(invoices[0]!.paidTotal).toBe(invoices[0]!.total);
      expect(
        invoices[0]!.paidEnergy +
          invoices[0]!.paidTransmission +
          invoices[0]!.paidRetailMarkup +
          invoices[0]!.paidInfrastructure,
      ).toBe(invoices[0]!.total);
      const lines = await em.find(InvoiceLine, { invoiceId: invoices[0]!.id });
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.reduce((sum, line) => sum + line.amount, 0)).toBe(
        invoices[0]!.energy +
          invoices[0]!.transmission +
          invoices[0]!.retailMarkup +
          invoices[0]!.infrastructure,
      );
      const payments = await em.find(Payment, {}, { orderBy: { paymentNumber: "asc" } });
      expect(payments.map((p) => [p.kind, p.paymentNumber, p.accountId, p.sourceId, p.credited])).toEqual([
        ["payment", 1, 1, 4, 500],
        ["prepayment", 2, 2, 4, 2_500],
      ]);
      expect(await em.count(DebitMandate, { limitPerDebit: 10_000 })).toBe(1);
      expect((await em.find(Document, {})).map((d) => d.kind).sort()).toEqual([
        "disputeReason",
        "inspection",
        "invoice",
        "invoice",
        "organisationProfile",
        "supplyContract",
        "supplyContract",
        "tamperEvidence",
      ]);
      // both anchors of the re-signed contract are kept; the latest one is the current
      const contracts = await em.find(
        Document,
        { kind: "supplyContract" },
        { orderBy: { blockNumber: "asc", logIndex: "asc" } },
      );
      expect(contracts.map((d) => [d.subject, d.accountId, d.hash])).toEqual([
        ["1", 1, keccak256(toHex("contract 1"))],
        ["1", 1, keccak256(toHex("contract 1 re-signed"))],
      ]);
      expect(contracts[1]!.blockNumber).toBeGreaterThan(contracts[0]!.blockNumber);
      expect(await em.findOneOrFail(Reconciliation, { periodId: 2 })).toMatchObject({
        gridSignedWh: 3000,
        retailSignedWh: 3100,
        matched: false,
      });
      expect(
        (await em.find(ReconciliationVolume, { mismatch: true })).map((v) => [
          v.accountId,
          v.gridWh,
          v.retailWh,
        ]),
      ).toEqual([[2, 2000, 2100]]);
    });

    it("run() resumes after the checkpoint: new blocks only, nothing twice", async () => {
      const client = createPublicClient({ transport: http(chain.rpcUrl) });
      await client.request({ method: "evm_increaseTime" as never, params: [3600] as never });
      await client.request({ method: "evm_mine" as never, params: [] as never });
      const ends = [Math.floor((await scenario.now()) / 1800) * 1800];
      const receipt = await scenario.submitReadings([scenario.meterIds[1]!], ends);
      const head = Number(receipt.blockNumber);
      const before = (await databaseFacts(db)).readings.length;
      const progress = await indexerFor().run({ untilBlock: head });
      const chainSide = await chainFacts(chain.rpcUrl, scenario.deployment, head);
      // Only the readings added since the last run (this test's, and the other database's run's).
      expect(progress.readings).toBe(chainSide.readings.length - before);
      expect(progress.readings).toBeGreaterThanOrEqual(1);
      expect((await databaseFacts(db)).readings).toEqual(chainSide.readings);
    });

    it("run() with tiny ranges and a tiny response limit shrinks the range and stores the same rows", async () => {
      const before = await snapshotTables(db, CHAIN_TABLES);
      const checkpoint = (await db.em().findOneOrFail(IndexerCheckpoint, { id: "main" })).blockNumber;
      const sizes: number[] = [];
      const progress = await reindex(
        {
          db,
          rpcUrl: chain.rpcUrl,
          deployment: scenario.deployment,
          maxBlockRange: 64,
          // Above the largest single block here (the deployment's, ~28 kB), below most 64-block ranges.
          maxResponseBytes: 32_000,
          maxRowsPerTransaction: 5,
          onProgress: (p) => sizes.push(p.rangeSize),
        },
        { untilBlock: checkpoint },
      );
      expect(progress.checkpoint).toBe(checkpoint);
      expect(Math.min(...sizes)).toBeLessThan(64);
      expect(await snapshotTables(db, CHAIN_TABLES)).toEqual(before);
    });

    it("run() stops loudly when the indexed block is gone (changed chain), without touching rows; rebuild repairs", async () => {
      const em = db.em();
      await em.nativeUpdate(IndexerCheckpoint, { id: "main" }, { blockHash: `0x${"ee".repeat(32)}` });
      const tampered = await snapshotTables(db, CHAIN_TABLES);
      const head = Number(
        await createPublicClient({ transport: http(chain.rpcUrl) }).getBlockNumber({ cacheTime: 0 }),
      );
      await expect(indexerFor().run({ untilBlock: head })).rejects.toBeInstanceOf(ChainReorgError);
      expect(await snapshotTables(db, CHAIN_TABLES)).toEqual(tampered);

      const rebuilt = await indexerFor({ onReorg: "rebuild" }).run({ untilBlock: head });
      expect(rebuilt.checkpoint).toBe(head);
      const chainSide = await chainFacts(chain.rpcUrl, scenario.deployment, head);
      const dbSide = await databaseFacts(db);
      expect(dbSide.logs).toEqual(chainSide.logs);
      expect(dbSide.readings).toEqual(chainSide.readings);
    });

    it("run() refuses a database that indexes another deployment", async () => {
      const other = { ...scenario.deployment, contracts: { ...bad.deployment.contracts } };
      await expect(
        createIndexer({ db, rpcUrl: chain.rpcUrl, deployment: other }).run({ untilBlock: scenarioHead }),
      ).rejects.toBeInstanceOf(DeploymentMismatchError);
    });

    it("bad input (a value the index cannot hold) stops the indexer and changes no stored row", async () => {
      const badDb = await openDatabase({
        url: target.url.replace(/(gl_[a-z0-9_]+)$/, "$1_bad").replace(/test\.sqlite$/, "bad.sqlite"),
      });
      try {
        const indexer = createIndexer({
          db: badDb,
          rpcUrl: chain.rpcUrl,
          deployment: bad.deployment,
          id: "main",
        });
        await indexer.clear();
        await indexer.run({ untilBlock: bad.lastGoodBlock });
        const before = await snapshotTables(badDb, CHAIN_TABLES);
        expect(await badDb.em().count(Payment, {})).toBe(1);
        const head = Number(
          await createPublicClient({ transport: http(chain.rpcUrl) }).getBlockNumber({ cacheTime: 0 }),
        );
        const error = await indexer.run({ untilBlock: head }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(IndexerDataError);
        expect((error as Error).message).toContain("does not fit");
        expect(await snapshotTables(badDb, CHAIN_TABLES)).toEqual(before);
      } finally {
        await badDb.close();
        if (target.name === "mysql") {
          const { dropMysqlDatabase } = await import("../db/openDatabase.js");
          await dropMysqlDatabase(target.url.replace(/(gl_[a-z0-9_]+)$/, "$1_bad"));
        }
      }
    });
    // last: it follows the chain past the head the tests above index to
    it("following the head sleeps between polls without piling listeners on the stop signal; abort ends it", async () => {
      const stop = new AbortController();
      const following = indexerFor({ pollIntervalMs: 10 }).run({ follow: true, signal: stop.signal });
      // dozens of polls at the head: each sleep must take its abort listener away again
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(getEventListeners(stop.signal, "abort").length).toBeLessThanOrEqual(1);
      stop.abort();
      await expect(following).resolves.toBeDefined();
    });
  });
}
