import {
  deployGridLedger,
  type GridLedgerDeployment,
  hourlyBillingAbi,
  readingsAbi,
  registryAbi,
  settlementAbi,
  tariffsAbi,
} from "@gridledger/contracts";
import { buildReadingBatch, computeInvoice, planSchedule, readingBatchTypedData } from "@gridledger/domain";
import { type DevChain, devAccounts, startDevChain } from "@gridledger/network";
import { type Address, encodeAbiParameters, encodePacked, keccak256, parseEventLogs, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

function deploy(url: string) {
  const accounts = devAccounts();
  return deployGridLedger({
    rpcUrl: url,
    deployer: accounts.all[10]!,
    roles: {
      operator: accounts.operator.address,
      gridCompany: accounts.gridCompany.address,
      retailCompanies: [accounts.retailCompanyA.address],
      paymentSources: [accounts.bank.address],
    },
  });
}

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.1 });
  deployment = await deploy(chain.rpcUrl);
  const { client, chainId, send: sendTo } = await connect(chain.rpcUrl);
  const c = deployment.contracts as Record<string, Address>;
  const { operator, gridCompany: grid, retailCompanyA: retail, consumer, device, relayer } = devAccounts();
  const text32 = (value: string) => toHex(value, { size: 32 });
  const now = async () => Number((await client.getBlock()).timestamp);

  const meter = await sendTo(grid, c.Registry!, registryAbi, "registerMeter", [
    {
      gridCompany: grid.address,
      accountId: 0n,
      meterType: 1,
      tariffZones: 1,
      meteringScheme: 1,
      remoteReading: true,
      exportCapable: false,
      atBalanceBoundary: true,
      lossMethod: 0,
      lossPpm: 0,
      serial: text32("H-4"),
      model: text32("CE308"),
      lossParameters: text32(""),
    },
  ]);
  const meterId = parseEventLogs({ abi: registryAbi, logs: meter.logs, eventName: "MeterRegistered" })[0]!
    .args.meterId;
  const opened = await sendTo(retail, c.Registry!, registryAbi, "openAccount", [
    {
      consumer: consumer.address,
      meterId,
      consumerType: 2,
      priceCategory: 4,
      active: true,
      retailCompany: retail.address,
      gridCompany: grid.address,
      accountNumber: text32("LS-PCK4"),
      siteId: text32("Centre"),
      addressRef: text32("Zavodskaya 1"),
    },
  ]);
  accountId = parseEventLogs({ abi: registryAbi, logs: opened.logs, eventName: "AccountOpened" })[0]!.args
    .accountId;
  const start = await now();
  const group = await sendTo(retail, c.Tariffs!, tariffsAbi, "createGroup", [text32("ПЦК 4"), 2, 4]);
  const groupId = parseEventLogs({ abi: tariffsAbi, logs: group.logs, eventName: "TariffGroupCreated" })[0]!
    .args.groupId;
  const added = await sendTo(retail, c.Tariffs!, tariffsAbi, "addPlan", [
    groupId,
    {
      kind: 7,
      validFrom: start - 86_400,
      validTo: 0,
      vatBp: 2200,
      vatIncluded: false,
      zoneHours: [],
      threshold1: 0n,
      threshold2: 0n,
      exportPrice: 0n,
      rates: [[adders.energy, adders.transmission, adders.retailMarkup, adders.infrastructure]],
    },
  ]);
  planId = parseEventLogs({ abi: tariffsAbi, logs: added.logs, eventName: "TariffPlanAdded" })[0]!.args
    .planId;
  await sendTo(retail, c.Tariffs!, tariffsAbi, "assignTariff", [accountId, groupId, 7]);

  // period 2 lasts 48 hours; T1 grows by the hourly volumes' total between its start and end
  const p1 = Math.ceil((start + 3600) / 3600) * 3600;
  const p2 = p1 + HOURS * 3600;
  await sendTo(operator, c.Readings!, readingsAbi, "schedulePeriod", [1, p1]);
  await sendTo(operator, c.Readings!, readingsAbi, "schedulePeriod", [2, p2]);
  await sendTo(grid, c.Readings!, readingsAbi, "registerDeviceKey", [[meterId], device.address]);
  await client.request({ method: "evm_increaseTime" as never, params: [p2 + 3600 - (await now())] as never });
  await client.request({ method: "evm_mine" as never, params: [] as never });
  const batch = buildReadingBatch(
    [
      [p1, 1_000_000n],
      [p2, 1_000_000n + total],
      [p2 + 1800, 1_000_000n + total],
    ].map(([intervalEnd, register]) => ({
      meterId,
      registerMask: 0b1,
      intervalEnd: Number(intervalEnd),
      status: 0,
      registers: [BigInt(register!)],
    })),
  );
  const signature = await device.signTypedData!(
    readingBatchTypedData({ chainId, verifyingContract: c.Readings!, batch }),
  );
  await sendTo(relayer, c.Readings!, readingsAbi, "submitReadings", [batch.meters, signature]);

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
