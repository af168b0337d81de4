import { type GridLedgerDeployment, hourlyBillingAbi, readingsAbi, tariffsAbi } from "@gridledger/contracts";
import { computeInvoice, planSchedule } from "@gridledger/domain";
import { type DevChain, devAccounts, startDevChain, TEST_MNEMONIC } from "@gridledger/network";
import { type Abi, type Account, type Address, createPublicClient, http, type PublicClient } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  addTariffPlan,
  chainNow,
  createTariffGroup,
  deployForDevAccounts,
  openAccount as openAccountStep,
  registerDeviceKey,
  registerMeter,
  submitReadings,
  warpTo,
} from "../../../_test/ledgerSteps.js";
import { testDatabases } from "../../../db/_test/testDatabases.js";
import { HourlyPrices, Invoice, Reading } from "../../../db/entities/index.js";
import { connect } from "../../../indexer/_test/scenario.js";
import {
  type ActionsChain,
  type ActionsGateway,
  staff,
  startActionsGateway,
} from "../_test/actionsFixture.js";

/**
 * The ПЦК 3/4 actions end to end on a chain of their own: a ПЦК 3 account whose meter sends
 * device-signed half-hour readings (the real Readings path, indexed by the real indexer), a period of
 * 24 hours; the retail company publishes the hourly prices, the grid company attests the volumes the
 * gateway rebuilds from the indexed readings, the retail company bills, and the indexed invoice equals
 * the domain's computeInvoice. Wrong roles, bad input and contract refusals come back as codes.
 */
const HOURS = 24;
const ADDERS = { energy: 0n, transmission: 150_000n, retailMarkup: 6_953n, infrastructure: 272n };
const CAPACITY_RATE = 105_000_000n;
const prices = Array.from({ length: HOURS }, (_, h) => 200_000n + BigInt((h * 104_729) % 300_000));
/** Uneven half hours, so that a shift between hours would change the energy line. */
const halfHours = Array.from({ length: 2 * HOURS }, (_, k) => 20_000n + BigInt((k * 7_919) % 15_000));
const hourly = Array.from({ length: HOURS }, (_, h) => halfHours[2 * h]! + halfHours[2 * h + 1]!);
const PEAK_HOURS = [9, 18];

type Setup = {
  chain: DevChain;
  deployment: GridLedgerDeployment;
  client: PublicClient;
  accounts: ReturnType<typeof devAccounts>;
  send(
    account: Account,
    contract: string,
    abi: Abi,
    functionName: string,
    args: readonly unknown[],
  ): Promise<unknown>;
  /** ПЦК 3 account with a complete half-hour profile; one whose meter missed a half hour; a ПЦК 1 account. */
  billed: bigint;
  gapped: bigint;
  singleRate: bigint;
  planId: bigint;
  periodStart: number;
};
let setup: Setup;

/**
 * A chain of its own for each database leg: the actions publish and bill on chain, and a second leg
 * on the same chain would find the prices already published and the invoice already billed.
 */
async function startChainSetup(): Promise<Setup> {
  const chain = await startDevChain({ blockTimeSeconds: 0.25 });
  try {
    const accounts = devAccounts(TEST_MNEMONIC);
    const { operator, gridCompany: grid, retailCompanyA: retail, consumer, device, relayer } = accounts;
    const deployment = await deployForDevAccounts(chain.rpcUrl, accounts, {
      deployer: operator,
      retailCompanies: [retail.address, accounts.retailCompanyB.address],
    });
    const { client, chainId, send: sendTo } = await connect(chain.rpcUrl);
    const c = deployment.contracts as Record<string, Address>;
    const send = (
      account: Account,
      contract: string,
      abi: Abi,
      functionName: string,
      args: readonly unknown[],
    ) => sendTo(account, c[contract]!, abi, functionName, args);
    const openAccount = async (name: string, priceCategory: number) => {
      const meterId = await registerMeter(sendTo, {
        registry: c.Registry!,
        grid,
        serial: `M-${name}`,
        model: "CE308",
      });
      const accountId = await openAccountStep(sendTo, {
        registry: c.Registry!,
        retail,
        grid: grid.address,
        consumer: consumer.address,
        meterId,
        consumerType: 2,
        priceCategory,
        accountNumber: `LS-${name}`,
        siteId: "Centre",
        addressRef: `Zavodskaya ${name}`,
      });
      return { meterId, accountId };
    };
    const addGroupAndPlan = async (name: string, priceCategory: number, kind: number, validFrom: number) => {
      const groupId = await createTariffGroup(sendTo, {
        tariffs: c.Tariffs!,
        retail,
        name,
        consumerType: 2,
        priceCategory,
      });
      const rates =
        kind === 6
          ? [[ADDERS.energy, ADDERS.transmission, ADDERS.retailMarkup, ADDERS.infrastructure]]
          : [[400_000n, 150_000n, 7_000n, 272n]];
      const planId = await addTariffPlan(sendTo, {
        tariffs: c.Tariffs!,
        retail,
        groupId,
        kind,
        validFrom,
        vatIncluded: false,
        rates,
      });
      return { groupId, planId };
    };

    const start = await chainNow(client);
    const billed = await openAccount("H3", 3);
    const gapped = await openAccount("H3-gap", 3);
    const single = await openAccount("P1", 1);
    const pck3 = await addGroupAndPlan("ПЦК 3", 3, 6, start - 86_400);
    const pck1 = await addGroupAndPlan("ПЦК 1", 1, 1, start - 86_400);
    await send(retail, "Tariffs", tariffsAbi, "assignTariff", [billed.accountId, pck3.groupId, 6]);
    await send(retail, "Tariffs", tariffsAbi, "assignTariff", [gapped.accountId, pck3.groupId, 6]);
    await send(retail, "Tariffs", tariffsAbi, "assignTariff", [single.accountId, pck1.groupId, 1]);

    const p1 = Math.ceil((start + 3600) / 3600) * 3600;
    const p2 = p1 + HOURS * 3600;
    await send(operator, "Readings", readingsAbi, "schedulePeriod", [1, p1]);
    await send(operator, "Readings", readingsAbi, "schedulePeriod", [2, p2]);
    const meters = [billed.meterId, gapped.meterId, single.meterId];
    await registerDeviceKey(sendTo, {
      readings: c.Readings!,
      grid,
      meterIds: meters,
      device: device.address,
    });
    await warpTo(client, p2 + 3600);

    // every half hour from the previous period's end to one past this period's end (the snapshot trigger)
    const profile = (meterId: bigint, skip?: number) => {
      let register = 5_000_000n;
      const points = [{ end: p1, register }];
      halfHours.forEach((volume, k) => {
        register += volume;
        points.push({ end: p1 + 1800 * (k + 1), register });
      });
      points.push({ end: p2 + 1800, register: register + 100n });
      return points
        .filter((_, k) => k !== skip)
        .map(({ end, register: value }) => ({ meterId, intervalEnd: end, registers: [value] }));
    };
    await submitReadings(sendTo, {
      readings: c.Readings!,
      chainId,
      device,
      relayer,
      points: [
        ...profile(billed.meterId),
        ...profile(gapped.meterId, 15), // the half hour ending 07:30 of the period: hour 7
        ...profile(single.meterId),
      ],
    });

    return {
      chain,
      deployment,
      client: createPublicClient({ transport: http(chain.rpcUrl), cacheTime: 0 }) as PublicClient,
      accounts,
      send,
      billed: billed.accountId,
      gapped: gapped.accountId,
      singleRate: single.accountId,
      planId: pck3.planId,
      periodStart: p1,
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

const RESULT = "transactionHash blockNumber sender indexed";
const PUBLISH = `mutation($input: PublishHourlyPricesInput!) { publishHourlyPrices(input: $input) { pricesHash hours ${RESULT} } }`;
const ATTEST = `mutation($accountId: String!, $periodId: Int!) { attestHourlyVolumes(accountId: $accountId, periodId: $periodId) { volumesHash hours totalWh ${RESULT} } }`;
const BILL = `mutation($accountId: String!, $periodId: Int!) { billHourly(accountId: $accountId, periodId: $periodId) { invoiceId total attested volumesHash hours totalWh ${RESULT} } }`;

describe.each(testDatabases("hourly_actions"))("ПЦК 3/4 actions on $name", (testDatabase) => {
  let gw: ActionsGateway;
  const tokens: Record<string, string> = {};
  type Answer = Awaited<ReturnType<ActionsGateway["graphql"]>>;
  const code = (answer: Answer) => answer.errors?.[0]?.extensions.code;
  const ok = (answer: Answer, field: string) => {
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const result = answer.data?.[field] as Record<string, string | boolean | number>;
    expect(result.indexed).toBe(true);
    expect(result.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    return result;
  };
  const input = (overrides: Record<string, unknown> = {}) => ({
    planId: String(setup.planId),
    periodId: 2,
    hourlyPrices: prices.map(String),
    capacityRate: String(CAPACITY_RATE),
    peakHours: PEAK_HOURS,
    ...overrides,
  });

  beforeAll(async () => {
    setup = await startChainSetup();
    // only the chain parts are read; the demo's consumers and invoices are not needed here
    gw = await startActionsGateway(setup as unknown as ActionsChain, testDatabase);
    const a = setup.accounts;
    tokens.grid = await gw.login(staff("GRID_COMPANY", a.gridCompany.address));
    tokens.retailA = await gw.login(staff("RETAIL_COMPANY", a.retailCompanyA.address));
    tokens.retailB = await gw.login(staff("RETAIL_COMPANY", a.retailCompanyB.address));
    tokens.operator = await gw.login(staff("OPERATOR", a.operator.address));
  }, 420_000);
  afterAll(async () => {
    await gw?.stop();
    await setup?.chain.stop();
  });

  test("publishHourlyPrices refuses bad input with specific codes before signing anything", async () => {
    const publish = async (overrides: Record<string, unknown>, token = tokens.retailA) =>
      code(await gw.graphql(PUBLISH, { input: input(overrides) }, token));
    expect(await publish({ hourlyPrices: prices.slice(1).map(String) })).toBe("WRONG_HOUR_COUNT");
    expect(await publish({ hourlyPrices: [...prices.slice(1).map(String), "-1"] })).toBe("INVALID_PRICE");
    expect(await publish({ hourlyPrices: [...prices.slice(1).map(String), "1.5"] })).toBe("INVALID_PRICE");
    expect(await publish({ hourlyPrices: [...prices.slice(1).map(String), String(2 ** 53)] })).toBe(
      "INVALID_PRICE",
    );
    expect(await publish({ capacityRate: String(2n ** 53n) })).toBe("INVALID_RATES");
    expect(await publish({ peakHours: [HOURS] })).toBe("HOUR_OUT_OF_RANGE");
    expect(await publish({ peakHours: [] })).toBe("INVALID_RATES");
    expect(await publish({ maintenanceRate: "1000", peakWindows: [{ firstHour: 20, hours: 5 }] })).toBe(
      "HOUR_OUT_OF_RANGE",
    );
    expect(await publish({ periodId: 1 })).toBe("INVALID_PERIOD");
    expect(await publish({ periodId: 9 })).toBe("INVALID_PERIOD");
    expect(await publish({ planId: "0" })).toBe("INVALID_ID");
    // the contract's refusals: ПЦК 3 has no maintenance rate; another company's plan
    expect(await publish({ maintenanceRate: "1000", peakWindows: [{ firstHour: 8, hours: 4 }] })).toBe(
      "INVALID_RATES",
    );
    expect(await publish({}, tokens.retailB)).toBe("FORBIDDEN");
    expect(await publish({}, tokens.grid)).toBe("FORBIDDEN");
    expect(await gw.database.em().count(HourlyPrices, {})).toBe(0);
  });

  test("billHourly before publication: HOURLY_PRICES_NOT_PUBLISHED; a single-rate account: NOT_HOURLY_PLAN", async () => {
    expect(
      code(await gw.graphql(BILL, { accountId: String(setup.billed), periodId: 2 }, tokens.retailA)),
    ).toBe("HOURLY_PRICES_NOT_PUBLISHED");
    expect(
      code(await gw.graphql(BILL, { accountId: String(setup.singleRate), periodId: 2 }, tokens.retailA)),
    ).toBe("NOT_HOURLY_PLAN");
  });

  test("publishHourlyPrices by the plan's retail company: published on chain and indexed when the answer comes", async () => {
    const result = ok(await gw.graphql(PUBLISH, { input: input() }, tokens.retailA), "publishHourlyPrices");
    expect(result.sender).toBe(setup.accounts.retailCompanyA.address);
    expect(result.hours).toBe(HOURS);
    const row = await gw.database
      .em()
      .findOneOrFail(HourlyPrices, { planId: Number(setup.planId), periodId: 2 });
    expect(row).toMatchObject({
      pricesHash: result.pricesHash,
      kind: 6,
      hours: HOURS,
      prices: prices.map(Number),
      capacityRate: Number(CAPACITY_RATE),
      capacityHours: PEAK_HOURS,
    });
    expect(code(await gw.graphql(PUBLISH, { input: input() }, tokens.retailA))).toBe(
      "HOURLY_PRICES_PUBLISHED",
    );
  });

  test("a missing half hour is refused naming the hour, before any transaction", async () => {
    expect(await gw.database.em().count(Reading, {})).toBe(3 * (2 * HOURS + 2) - 1);
    const answer = await gw.graphql(BILL, { accountId: String(setup.gapped), periodId: 2 }, tokens.retailA);
    expect(code(answer)).toBe("MISSING_HALF_HOUR");
    expect(answer.errors![0]!.message).toContain("hour 7");
    expect(
      code(await gw.graphql(ATTEST, { accountId: String(setup.gapped), periodId: 2 }, tokens.grid)),
    ).toBe("MISSING_HALF_HOUR");
  });

  test("wrong roles and another company's account are FORBIDDEN", async () => {
    const vars = { accountId: String(setup.billed), periodId: 2 };
    expect(code(await gw.graphql(BILL, vars, tokens.grid))).toBe("FORBIDDEN");
    expect(code(await gw.graphql(BILL, vars, tokens.retailB))).toBe("FORBIDDEN");
    expect(code(await gw.graphql(ATTEST, vars, tokens.retailA))).toBe("FORBIDDEN");
    expect(code(await gw.graphql(ATTEST, vars, tokens.operator))).toBe("FORBIDDEN");
    expect(code(await gw.graphql(BILL, { ...vars, accountId: "404" }, tokens.retailA))).toBe("NOT_FOUND");
  });

  test("attestation required and missing: HOURLY_VOLUMES_NOT_ATTESTED; the grid company attests; billing gives computeInvoice's invoice", async () => {
    const vars = { accountId: String(setup.billed), periodId: 2 };
    await setup.send(setup.accounts.operator, "HourlyBilling", hourlyBillingAbi, "setAttestationRequired", [
      true,
    ]);
    try {
      expect(code(await gw.graphql(BILL, vars, tokens.retailA))).toBe("HOURLY_VOLUMES_NOT_ATTESTED");
      const attested = ok(await gw.graphql(ATTEST, vars, tokens.grid), "attestHourlyVolumes");
      const total = hourly.reduce((a, b) => a + b, 0n);
      expect(attested).toMatchObject({ hours: HOURS, totalWh: String(total) });
      expect(attested.sender).toBe(setup.accounts.gridCompany.address);

      const billed = ok(await gw.graphql(BILL, vars, tokens.retailA), "billHourly");
      expect(billed).toMatchObject({
        attested: true,
        volumesHash: attested.volumesHash,
        totalWh: String(total),
      });
      const schedule = planSchedule({
        plan: { kind: "priceCategory3", adders: ADDERS, capacityRate: CAPACITY_RATE },
      });
      const expected = computeInvoice({
        zoneVolumes: [total],
        rangeUpperBounds: schedule.rangeUpperBounds,
        thresholdMultiplier: schedule.thresholdMultiplier,
        prices: schedule.prices,
        hourly: { volumesWh: hourly, prices },
        capacity: { dailyVolumesWh: PEAK_HOURS.map((h) => hourly[h]!), rate: CAPACITY_RATE },
        network: { dailyMaximaWh: [], maintenanceRate: 0n, lossRate: 0n },
        exported: { volumeWh: 0n, price: 0n },
        vat: { mode: schedule.vatMode, rateBp: 2200n },
      });
      expect(billed.total).toBe(String(expected.grossTotal));
      const invoice = await gw.database
        .em()
        .findOneOrFail(Invoice, { accountId: Number(setup.billed), periodId: 2 });
      expect(invoice).toMatchObject({
        status: "computed",
        planId: Number(setup.planId),
        total: Number(expected.grossTotal),
      });
      expect(BigInt(billed.invoiceId as string)).toBe((setup.billed << 32n) | 2n);
    } finally {
      await setup.send(setup.accounts.operator, "HourlyBilling", hourlyBillingAbi, "setAttestationRequired", [
        false,
      ]);
    }
  });
});
