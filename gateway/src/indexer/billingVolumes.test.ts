import {
  billingVolumesAbi,
  commonHouseBillingAbi,
  type GridLedgerDeployment,
  readingsAbi,
  registryAbi,
  settlementAbi,
  tariffsAbi,
} from "@gridledger/contracts";
import { type DevChain, devAccounts, startDevChain } from "@gridledger/network";
import { type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addTariffPlan,
  chainNow,
  createTariffGroup,
  deployForDevAccounts,
  openAccount,
  registerBuilding,
  registerDeviceKey,
  registerMeter,
  submitReadings,
  warpTo,
} from "../_test/ledgerSteps.js";
import { testDatabases } from "../db/_test/testDatabases.js";
import { Account, Invoice, InvoiceVolumeEvent, Meter, MeterReplacement } from "../db/entities/index.js";
import { openDatabase } from "../db/openDatabase.js";
import { connect } from "./_test/scenario.js";
import { createIndexer } from "./createIndexer.js";

/**
 * A household's meter replaced in period 2 and no readings in period 3, on a chain of its own: period 2
 * is billed from both meters, period 3 by the norm (no history on the new meter), and the indexer keeps
 * the replacement (the account moves to the new meter) and both volume events of the invoices; a flat's
 * common-house share (TV-11) is billed as an invoice of its own and indexed with its share.
 */
let chain: DevChain;
let deployment: GridLedgerDeployment;
let lastBlock: number;
let accountId: bigint;
let oldMeterId: bigint;
let newMeterId: bigint;
let replacedAt: number;
let flatId: bigint;

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.1 });
  const accounts = devAccounts();
  deployment = await deployForDevAccounts(chain.rpcUrl, accounts);
  const { client, chainId, send } = await connect(chain.rpcUrl);
  const c = deployment.contracts as Record<string, Address>;
  const { operator, gridCompany: grid, retailCompanyA: retail, consumer, device, relayer } = accounts;
  const meter = (serial: string) =>
    registerMeter(send, { registry: c.Registry!, grid, serial, model: "CE102" });
  const read = async (meterId: bigint, points: [number, bigint][]) => {
    await submitReadings(send, {
      readings: c.Readings!,
      chainId,
      device,
      relayer,
      points: points.map(([intervalEnd, register]) => ({ meterId, intervalEnd, registers: [register] })),
    });
  };
  const household = (meterId: bigint, accountNumber: string, addressRef: string) =>
    openAccount(send, {
      registry: c.Registry!,
      retail,
      grid: grid.address,
      consumer: consumer.address,
      meterId,
      consumerType: 1,
      priceCategory: 0,
      accountNumber,
      siteId: "Centre",
      addressRef,
    });

  oldMeterId = await meter("OLD-1");
  newMeterId = await meter("NEW-1");
  await registerDeviceKey(send, {
    readings: c.Readings!,
    grid,
    meterIds: [oldMeterId, newMeterId],
    device: device.address,
  });
  accountId = await household(oldMeterId, "LS-REPL", "Lenina 1");
  const start = await chainNow(client);
  const groupId = await createTariffGroup(send, {
    tariffs: c.Tariffs!,
    retail,
    name: "Urban",
    consumerType: 1,
    priceCategory: 0,
  });
  await addTariffPlan(send, {
    tariffs: c.Tariffs!,
    retail,
    groupId,
    kind: 1,
    validFrom: start - 86_400,
    vatIncluded: true,
    rates: [[218_000n, 121_000n, 64_000n, 1_000n]],
  });
  await send(retail, c.Tariffs!, tariffsAbi, "assignTariff", [accountId, groupId, 1]);
  // three residents x 46 kWh: the norm when there is no history
  await send(retail, c.BillingVolumes!, billingVolumesAbi, "setAccountProfile", [
    accountId,
    { residents: 3, normPerPersonWh: 46_000n, maxPowerW: 0n },
  ]);

  const p1 = Math.ceil((start + 3600) / 3600) * 3600;
  const [p2, p3] = [p1 + 3600, p1 + 7200];
  for (const [id, end] of [
    [1, p1],
    [2, p2],
    [3, p3],
  ] as const) {
    await send(operator, c.Readings!, readingsAbi, "schedulePeriod", [id, end]);
  }
  // the old meter: 1 000 kWh at the end of period 1, 1 010 kWh when it is removed half an hour later
  replacedAt = p1 + 1800;
  await warpTo(client, replacedAt + 60);
  await read(oldMeterId, [
    [p1, 1_000_000n],
    [replacedAt, 1_010_000n],
  ]);
  await send(grid, c.Registry!, registryAbi, "replaceMeter", [
    accountId,
    newMeterId,
    replacedAt,
    [1_010_000n, 0n, 0n, 0n, 0n],
    [500n, 0n, 0n, 0n, 0n],
  ]);
  // the new meter: 20.5 kWh at the end of period 2, then silent in period 3
  await warpTo(client, p3 + 60);
  await read(newMeterId, [
    [p2, 20_500n],
    [p2 + 1800, 20_500n],
  ]);
  await send(retail, c.Settlement!, settlementAbi, "closePeriod", [2, [accountId]]);
  await send(retail, c.Settlement!, settlementAbi, "closePeriod", [3, [accountId]]);

  // TV-11 in one flat: the building's common meter 12 000 kWh, the flat (54 m² of 4 500) 10 500 kWh
  const commonMeterId = await meter("ODPU-1");
  const flatMeterId = await meter("FLAT-1");
  await registerDeviceKey(send, {
    readings: c.Readings!,
    grid,
    meterIds: [commonMeterId, flatMeterId],
    device: device.address,
  });
  flatId = await household(flatMeterId, "LS-FLAT", "Lenina 2");
  await send(retail, c.Tariffs!, tariffsAbi, "assignTariff", [flatId, groupId, 1]);
  const buildingId = await registerBuilding(send, {
    commonHouse: c.CommonHouseBilling!,
    retail,
    commonMeterId,
    totalAreaDm2: 450_000n,
    commonAreaDm2: 60_000n,
    normWhPerM2: 1130,
    capAtNorm: true,
    distributeNegative: false,
  });
  await send(retail, c.CommonHouseBilling!, commonHouseBillingAbi, "setPremises", [
    flatId,
    buildingId,
    5_400n,
  ]);
  await read(commonMeterId, [
    [p1, 1_000_000n],
    [p2, 13_000_000n],
    [p2 + 1800, 13_000_000n],
  ]);
  await read(flatMeterId, [
    [p1, 1_000_000n],
    [p2, 11_500_000n],
    [p2 + 1800, 11_500_000n],
  ]);
  const billed = await send(retail, c.CommonHouseBilling!, commonHouseBillingAbi, "billCommonHouse", [
    buildingId,
    2,
  ]);
  lastBlock = Number(billed.blockNumber);
}, 180_000);

afterAll(async () => {
  await chain?.stop();
});

for (const target of testDatabases("volumes")) {
  describe(`indexer on ${target.name}: meter replacement and substitute volumes`, () => {
    afterAll(async () => {
      await target.drop();
    });

    it("stores the replacement, moves the account to the new meter and marks both invoices", async () => {
      const db = await openDatabase({ url: target.url });
      try {
        await createIndexer({ db, rpcUrl: chain.rpcUrl, deployment, pollIntervalMs: 50 }).run({
          untilBlock: lastBlock,
        });
        const em = db.em();
        const id = Number(accountId);
        expect(await em.findOneOrFail(MeterReplacement, { accountId: id })).toMatchObject({
          oldMeterId: Number(oldMeterId),
          newMeterId: Number(newMeterId),
          replacedAt,
          oldFinalWh: [1_010_000, 0, 0, 0, 0],
          newInitialWh: [500, 0, 0, 0, 0],
        });
        expect((await em.findOneOrFail(Account, { id })).meterId).toBe(Number(newMeterId));
        expect((await em.findOneOrFail(Meter, { id: Number(oldMeterId) })).accountId).toBeNull();
        expect((await em.findOneOrFail(Meter, { id: Number(newMeterId) })).accountId).toBe(id);

        // period 2: 10 kWh on the old meter + 20 kWh on the new one
        const second = await em.findOneOrFail(Invoice, { accountId: id, periodId: 2 });
        expect(second.volumesWh[0]).toBe(30_000);
        expect(await em.findOneOrFail(InvoiceVolumeEvent, { invoiceId: second.id })).toMatchObject({
          kind: "acrossReplacement",
          method: null,
          details: {
            oldMeterId: Number(oldMeterId),
            newMeterId: Number(newMeterId),
            oldMeterWh: [10_000, 0, 0, 0, 0],
            newMeterWh: [20_000, 0, 0, 0, 0],
          },
        });
        // period 3: no end snapshot and no history on the new meter: the norm, 3 x 46 kWh
        const third = await em.findOneOrFail(Invoice, { accountId: id, periodId: 3 });
        expect(third.volumesWh[0]).toBe(138_000);
        expect(await em.findOneOrFail(InvoiceVolumeEvent, { invoiceId: third.id })).toMatchObject({
          kind: "substituted",
          method: "householdNorm",
          volumeWh: 138_000,
          consecutivePeriods: 1,
          details: { inputs: [3, 46_000, 1, 1], registersWh: [138_000, 0, 0, 0] },
        });

        // the flat's common-house share: min(1 500, 678) kWh x 54 / 4 500 = 8.136 kWh, 32.87 at 4.04
        const odn = await em.findOneOrFail(InvoiceVolumeEvent, {
          accountId: Number(flatId),
          kind: "commonHouse",
        });
        expect(odn).toMatchObject({
          periodId: 2,
          volumeWh: 8_136,
          details: { areaDm2: 5_400, billed: true },
        });
        expect(await em.findOneOrFail(Invoice, { id: odn.invoiceId })).toMatchObject({
          periodId: 2 + 2 ** 30,
          total: 3_287,
          volumesWh: [8_136, 0, 0, 0, 0],
        });
      } finally {
        await db.close();
      }
    });
  });
}
