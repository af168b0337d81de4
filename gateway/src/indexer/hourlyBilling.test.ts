import {
  type GridLedgerDeployment,
  hourlyBillingAbi,
  readingsAbi,
  settlementAbi,
  tariffsAbi,
} from "@gridledger/contracts";
import { computeInvoice, planSchedule } from "@gridledger/domain";
import { type DevChain, devAccounts, startDevChain } from "@gridledger/network";
import { type Address, encodeAbiParameters, encodePacked, keccak256, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addTariffPlan,
  chainNow,
  createTariffGroup,
  deployForDevAccounts,
  openAccount,
  registerDeviceKey,
  registerMeter,
  submitReadings,
  warpTo,
} from "../_test/ledgerSteps.js";
import { testDatabases } from "../db/_test/testDatabases.js";
import { HourlyPrices, Invoice, InvoiceLine } from "../db/entities/index.js";
import { openDatabase } from "../db/openDatabase.js";
import { connect } from "./_test/scenario.js";
import { createIndexer } from "./createIndexer.js";

/**
 * ПЦК 4 billed on chain through HourlyBilling (a 48-hour period, two working days, uneven hourly
 * volumes and prices): the invoice Settlement emits equals the domain's `computeInvoice` of the same
 * data line by line, and the indexer stores the published prices and the invoice.
 */
const HOURS = 48;
const volumes = Array.from({ length: HOURS }, (_, h) => 50_000n + BigInt((h * 7_919) % 40_000));
const prices = Array.from({ length: HOURS }, (_, h) => 200_000n + BigInt((h * 104_729) % 300_000));
const adders = { energy: 1_000n, transmission: 0n, retailMarkup: 6_953n, infrastructure: 272n };
const data = {
  prices,
  capacityRate: 105_000_000n,
  maintenanceRate: 219_598_996n,
  lossRate: 59_310n,
  capacityHours: [13n, 24n + 18n],
  networkWindows: [(8n << 8n) | 4n, ((24n + 17n) << 8n) | 4n],
};
const total = volumes.reduce((sum, volume) => sum + volume, 0n);

let chain: DevChain;
let deployment: GridLedgerDeployment;
let receiptBlock: number;
let published: `0x${string}`;
let invoiceLogs: { total: bigint; components: readonly bigint[]; vat: bigint; lines: readonly bigint[] };
let billedAsAttested: boolean;
let planId: bigint;
let accountId: bigint;

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.1 });
  deployment = await deployForDevAccounts(chain.rpcUrl, devAccounts());
  const { client, chainId, send: sendTo } = await connect(chain.rpcUrl);
  const c = deployment.contracts as Record<string, Address>;
  const { operator, gridCompany: grid, retailCompanyA: retail, consumer, device, relayer } = devAccounts();
  const meterId = await registerMeter(sendTo, { registry: c.Registry!, grid, serial: "H-4", model: "CE308" });
  accountId = await openAccount(sendTo, {
    registry: c.Registry!,
    retail,
    grid: grid.address,
    consumer: consumer.address,
    meterId,
    consumerType: 2,
    priceCategory: 4,
    accountNumber: "LS-PCK4",
    siteId: "Centre",
    addressRef: "Zavodskaya 1",
  });
  const start = await chainNow(client);
  const groupId = await createTariffGroup(sendTo, {
    tariffs: c.Tariffs!,
    retail,
    name: "ПЦК 4",
    consumerType: 2,
    priceCategory: 4,
  });
  planId = await addTariffPlan(sendTo, {
    tariffs: c.Tariffs!,
    retail,
    groupId,
    kind: 7,
    validFrom: start - 86_400,
    vatIncluded: false,
    rates: [[adders.energy, adders.transmission, adders.retailMarkup, adders.infrastructure]],
  });
  await sendTo(retail, c.Tariffs!, tariffsAbi, "assignTariff", [accountId, groupId, 7]);

  // period 2 lasts 48 hours; T1 grows by the hourly volumes' total between its start and end
  const p1 = Math.ceil((start + 3600) / 3600) * 3600;
  const p2 = p1 + HOURS * 3600;
  await sendTo(operator, c.Readings!, readingsAbi, "schedulePeriod", [1, p1]);
  await sendTo(operator, c.Readings!, readingsAbi, "schedulePeriod", [2, p2]);
  await registerDeviceKey(sendTo, {
    readings: c.Readings!,
    grid,
    meterIds: [meterId],
    device: device.address,
  });
  await warpTo(client, p2 + 3600);
  await submitReadings(sendTo, {
    readings: c.Readings!,
    chainId,
    device,
    relayer,
    points: (
      [
        [p1, 1_000_000n],
        [p2, 1_000_000n + total],
        [p2 + 1800, 1_000_000n + total],
      ] as const
    ).map(([intervalEnd, register]) => ({ meterId, intervalEnd, registers: [register] })),
  });

  await sendTo(retail, c.HourlyBilling!, hourlyBillingAbi, "publishHourlyPrices", [planId, 2, data]);
  published = (await client.readContract({
    address: c.HourlyBilling!,
    abi: hourlyBillingAbi,
    functionName: "pricesHash",
    args: [planId, 2],
  })) as `0x${string}`;
  // the grid company attests the hourly profile it rebuilt from the readings; billing must match it
  await sendTo(grid, c.HourlyBilling!, hourlyBillingAbi, "attestHourlyVolumes", [
    accountId,
    2,
    keccak256(encodePacked(["uint256[]"], [volumes])),
  ]);
  const billed = await sendTo(retail, c.HourlyBilling!, hourlyBillingAbi, "billHourly", [
    accountId,
    2,
    data,
    volumes,
  ]);
  receiptBlock = Number(billed.blockNumber);
  const computed = parseEventLogs({ abi: settlementAbi, logs: billed.logs, eventName: "InvoiceComputed" })[0]!
    .args;
  const lines = parseEventLogs({
    abi: settlementAbi,
    logs: billed.logs,
    eventName: "InvoiceLinesComputed",
  })[0]!.args.lines;
  invoiceLogs = { total: computed.total, components: computed.components, vat: computed.vat, lines };
  billedAsAttested = parseEventLogs({
    abi: hourlyBillingAbi,
    logs: billed.logs,
    eventName: "HourlyVolumesBilled",
  })[0]!.args.attested;
}, 180_000);

afterAll(async () => {
  await chain?.stop();
});

describe("HourlyBilling (ПЦК 4) against the domain", () => {
  it("the published hash is keccak256 of the ABI-encoded price data", () => {
    const encoded = encodeAbiParameters(
      hourlyBillingAbi.find((item) => item.type === "function" && item.name === "hashHourlyPrices")!.inputs,
      [data],
    );
    expect(published).toBe(keccak256(encoded));
  });

  it("the grid company's attestation (keccak256 of the packed volumes) matched the billed vector", () => {
    expect(billedAsAttested).toBe(true);
  });

  it("billHourly's invoice equals computeInvoice of the same data, line by line", () => {
    const schedule = planSchedule({
      plan: {
        kind: "priceCategory4",
        adders,
        capacityRate: data.capacityRate,
        maintenanceRate: data.maintenanceRate,
        lossRate: data.lossRate,
      },
    });
    const expected = computeInvoice({
      zoneVolumes: [total],
      rangeUpperBounds: schedule.rangeUpperBounds,
      thresholdMultiplier: schedule.thresholdMultiplier,
      prices: schedule.prices,
      hourly: { volumesWh: volumes, prices },
      capacity: {
        dailyVolumesWh: data.capacityHours.map((h) => volumes[Number(h)]!),
        rate: data.capacityRate,
      },
      network: {
        dailyMaximaWh: data.networkWindows.map((window) => {
          const first = Number(window >> 8n);
          // biome-ignore lint/complexity/useMathMinMax: bigint operands, Math.max does not take them
          return volumes.slice(first, first + Number(window & 0xffn)).reduce((a, b) => (a > b ? a : b), 0n);
        }),
        maintenanceRate: data.maintenanceRate,
        lossRate: data.lossRate,
      },
      exported: { volumeWh: 0n, price: 0n },
      vat: { mode: schedule.vatMode, rateBp: 2200n },
    });
    const word = (line: (typeof expected.lines)[number]) =>
      (BigInt(line.kind) << 248n) |
      (BigInt(line.zone) << 240n) |
      (BigInt(line.range) << 232n) |
      (BigInt(line.component) << 224n) |
      (line.quantity << 160n) |
      (line.rate << 96n) |
      (line.amount << 32n);
    // adders (energy, markup, infrastructure), hourly energy, capacity, maintenance, losses
    expect(expected.lines).toHaveLength(7);
    expect(invoiceLogs.lines).toEqual(expected.lines.map(word));
    expect(invoiceLogs.vat).toBe(expected.vat);
    expect(invoiceLogs.components).toEqual(expected.payableByComponent);
    expect(invoiceLogs.total).toBe(expected.grossTotal);
  });
});

for (const target of testDatabases("hourly")) {
  describe(`indexer on ${target.name}`, () => {
    afterAll(async () => {
      await target.drop();
    });

    it("stores the published hourly prices and the module's invoice with its lines", async () => {
      const db = await openDatabase({ url: target.url });
      try {
        await createIndexer({ db, rpcUrl: chain.rpcUrl, deployment, pollIntervalMs: 50 }).run({
          untilBlock: receiptBlock,
        });
        const em = db.em();
        const row = await em.findOneOrFail(HourlyPrices, { planId: Number(planId), periodId: 2 });
        expect(row).toMatchObject({
          pricesHash: published,
          kind: 7,
          hours: HOURS,
          prices: prices.map(Number),
          capacityRate: 105_000_000,
          maintenanceRate: 219_598_996,
          lossRate: 59_310,
          capacityHours: [13, 42],
          networkWindows: data.networkWindows.map(Number),
        });
        const invoice = await em.findOneOrFail(Invoice, { accountId: Number(accountId), periodId: 2 });
        expect(invoice).toMatchObject({
          status: "computed",
          planId: Number(planId),
          total: Number(invoiceLogs.total),
        });
        expect(await em.count(InvoiceLine, { invoiceId: invoice.id })).toBe(7);
      } finally {
        await db.close();
      }
    });
  });
}
