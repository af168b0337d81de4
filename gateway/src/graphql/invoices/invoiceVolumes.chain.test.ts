import {
  billingVolumesAbi,
  commonHouseBillingAbi,
  hourlyBillingAbi,
  readingsAbi,
  registryAbi,
  settlementAbi,
  tariffsAbi,
} from "@gridledger/contracts";
import { type DevChain, devAccounts, startDevChain } from "@gridledger/network";
import { type Address, createPublicClient, http, type PublicClient } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  addTariffPlan,
  chainNow,
  createTariffGroup,
  deployForDevAccounts,
  openAccount as openAccountStep,
  registerBuilding,
  registerDeviceKey,
  registerMeter as registerMeterStep,
  submitReadings,
  warpTo,
} from "../../_test/ledgerSteps.js";
import { testDatabases } from "../../db/_test/testDatabases.js";
import { connect } from "../../indexer/_test/scenario.js";
import {
  type ActionsChain,
  type ActionsGateway,
  consumerPrincipal,
  staff,
  startActionsGateway,
} from "../actions/_test/actionsFixture.js";

/**
 * The new billing facts through the API, on a chain of the test's own (the scenario of the indexer's
 * BillingVolumes test): a household's meter replaced in period 2 (billed from both meters), no readings
 * in period 3 (billed by the norm), a flat's common-house share (TV-11, another consumer's account)
 * billed as an invoice of its own with period id `2 | 2^30`, and a ПЦК 4 plan's hourly prices published
 * for period 4. Checked: `Invoice.volumeSource`, `isCommonHouseShare`/`billingPeriodId`, the account's
 * and the meter's replacements, `TariffPlan.hourlyPriceLists`/`hourlyPrices`, and that another retail
 * company and another consumer are refused.
 */
const accounts = devAccounts();
const otherConsumer = accounts.all[11]!;
const HOURLY = {
  prices: [310_000n, 290_000n, 455_500n, 402_000n],
  capacityRate: 105_000_000n,
  maintenanceRate: 219_598_996n,
  lossRate: 59_310n,
  capacityHours: [2n],
  networkWindows: [(1n << 8n) | 2n],
};

let fixture: Pick<ActionsChain, "chain" | "client" | "deployment" | "accounts">;
let chain: DevChain;
const ids = {
  account: 0n,
  flat: 0n,
  oldMeter: 0n,
  newMeter: 0n,
  hourlyPlan: 0n,
  replacedAt: 0,
  p2: 0,
  publishTx: "",
  pricesHash: "",
};
const invoiceId = (accountId: bigint, periodId: number) => ((accountId << 32n) | BigInt(periodId)).toString();

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.1 });
  const deployment = await deployForDevAccounts(chain.rpcUrl, accounts, {
    retailCompanies: [accounts.retailCompanyA.address, accounts.retailCompanyB.address],
  });
  const client = createPublicClient({ transport: http(chain.rpcUrl), cacheTime: 0 }) as PublicClient;
  fixture = { chain, client, deployment, accounts };
  const { chainId, send } = await connect(chain.rpcUrl);
  const c = deployment.contracts as Record<string, Address>;
  const { operator, gridCompany: grid, retailCompanyA: retail, consumer, device, relayer } = accounts;
  const registerMeter = (serial: string) =>
    registerMeterStep(send, { registry: c.Registry!, grid, serial, model: "CE102" });
  const openAccount = (owner: Address, meterId: bigint, number: string) =>
    openAccountStep(send, {
      registry: c.Registry!,
      retail,
      grid: grid.address,
      consumer: owner,
      meterId,
      consumerType: 1,
      priceCategory: 0,
      accountNumber: number,
      siteId: "Centre",
      addressRef: `${number} street`,
    });
  const read = async (meterId: bigint, points: [number, bigint][]) => {
    await submitReadings(send, {
      readings: c.Readings!,
      chainId,
      device,
      relayer,
      points: points.map(([intervalEnd, register]) => ({ meterId, intervalEnd, registers: [register] })),
    });
  };
  const createGroup = (name: string, consumerType: number, priceCategory: number) =>
    createTariffGroup(send, { tariffs: c.Tariffs!, retail, name, consumerType, priceCategory });

  ids.oldMeter = await registerMeter("OLD-1");
  ids.newMeter = await registerMeter("NEW-1");
  await registerDeviceKey(send, {
    readings: c.Readings!,
    grid,
    meterIds: [ids.oldMeter, ids.newMeter],
    device: device.address,
  });
  ids.account = await openAccount(consumer.address, ids.oldMeter, "LS-REPL");
  const start = await chainNow(client);
  const groupId = await createGroup("Urban", 1, 0);
  await addTariffPlan(send, {
    tariffs: c.Tariffs!,
    retail,
    groupId,
    kind: 1,
    validFrom: start - 86_400,
    vatIncluded: true,
    rates: [[218_000n, 121_000n, 64_000n, 1_000n]],
  });
  await send(retail, c.Tariffs!, tariffsAbi, "assignTariff", [ids.account, groupId, 1]);
  // three residents x 46 kWh: the norm when there is no history
  await send(retail, c.BillingVolumes!, billingVolumesAbi, "setAccountProfile", [
    ids.account,
    { residents: 3, normPerPersonWh: 46_000n, maxPowerW: 0n },
  ]);

  const p1 = Math.ceil((start + 3600) / 3600) * 3600;
  ids.p2 = p1 + 3600;
  const p3 = p1 + 7200;
  // period 4 lasts 4 hours: the ПЦК 4 price list below has one price per hour
  const p4 = p3 + 4 * 3600;
  for (const [id, end] of [
    [1, p1],
    [2, ids.p2],
    [3, p3],
    [4, p4],
  ] as const) {
    await send(operator, c.Readings!, readingsAbi, "schedulePeriod", [id, end]);
  }
  ids.replacedAt = p1 + 1800;
  await warpTo(client, ids.replacedAt + 60);
  await read(ids.oldMeter, [
    [p1, 1_000_000n],
    [ids.replacedAt, 1_010_000n],
  ]);
  await send(grid, c.Registry!, registryAbi, "replaceMeter", [
    ids.account,
    ids.newMeter,
    ids.replacedAt,
    [1_010_000n, 0n, 0n, 0n, 0n],
    [500n, 0n, 0n, 0n, 0n],
  ]);
  await warpTo(client, p3 + 60);
  await read(ids.newMeter, [
    [ids.p2, 20_500n],
    [ids.p2 + 1800, 20_500n],
  ]);
  await send(retail, c.Settlement!, settlementAbi, "closePeriod", [2, [ids.account]]);
  await send(retail, c.Settlement!, settlementAbi, "closePeriod", [3, [ids.account]]);

  // TV-11: the building's common meter 12 000 kWh, the flat (54 m² of 4 500) 10 500 kWh
  const commonMeterId = await registerMeter("ODPU-1");
  const flatMeterId = await registerMeter("FLAT-1");
  await registerDeviceKey(send, {
    readings: c.Readings!,
    grid,
    meterIds: [commonMeterId, flatMeterId],
    device: device.address,
  });
  ids.flat = await openAccount(otherConsumer.address, flatMeterId, "LS-FLAT");
  await send(retail, c.Tariffs!, tariffsAbi, "assignTariff", [ids.flat, groupId, 1]);
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
    ids.flat,
    buildingId,
    5_400n,
  ]);
  await read(commonMeterId, [
    [p1, 1_000_000n],
    [ids.p2, 13_000_000n],
    [ids.p2 + 1800, 13_000_000n],
  ]);
  await read(flatMeterId, [
    [p1, 1_000_000n],
    [ids.p2, 11_500_000n],
    [ids.p2 + 1800, 11_500_000n],
  ]);
  await send(retail, c.CommonHouseBilling!, commonHouseBillingAbi, "billCommonHouse", [buildingId, 2]);

  // a ПЦК 4 plan (adders only; the hourly price is the energy component) and its prices for period 4
  const hourlyGroup = await createGroup("ПЦК 4", 2, 4);
  ids.hourlyPlan = await addTariffPlan(send, {
    tariffs: c.Tariffs!,
    retail,
    groupId: hourlyGroup,
    kind: 7,
    validFrom: start - 86_400,
    vatIncluded: false,
    rates: [[1_000n, 0n, 6_953n, 272n]],
  });
  const published = await send(retail, c.HourlyBilling!, hourlyBillingAbi, "publishHourlyPrices", [
    ids.hourlyPlan,
    4,
    HOURLY,
  ]);
  ids.publishTx = published.transactionHash;
  ids.pricesHash = (await client.readContract({
    address: c.HourlyBilling!,
    abi: hourlyBillingAbi,
    functionName: "pricesHash",
    args: [ids.hourlyPlan, 4],
  })) as string;
}, 240_000);

afterAll(async () => {
  await chain?.stop();
});

const INVOICE = `query($id: String!) { invoice(id: $id) {
  id periodId billingPeriodId isCommonHouseShare periodEnd volumesWh
  volumeSource { kind method periodId volumeWh consecutivePeriods inputs registersWh meteredWh deductedWh
    oldMeterId newMeterId oldMeterWh newMeterWh buildingId areaDm2 billed }
} }`;
const REPLACEMENT = `accountId oldMeterId newMeterId oldMeterSerial oldMeterModel newMeterSerial replacedAt oldFinalWh newInitialWh chain { txHash }`;
const ACCOUNT = `query($id: String!) { account(id: $id) { id meterReplacements { ${REPLACEMENT} } } }`;
const METER = `query($id: String!) { meter(id: $id) { id replacements { ${REPLACEMENT} } } }`;
const PLAN = `query($id: String!, $period: Int!) { tariffPlan(id: $id) {
  id hourlyPriceLists { planId periodId periodEnd kindName hours pricesHash minPrice maxPrice averagePrice
    capacityRate maintenanceRate lossRate chain { txHash } }
  hourlyPrices(periodId: $period) { periodId hours prices capacityHours networkWindows { firstHour hourCount } }
} }`;

describe.each(testDatabases("invoice_volumes"))(
  "invoice volumes, replacements and hourly prices on $name",
  (testDatabase) => {
    let gateway: ActionsGateway;
    let operator: string;
    let consumer: string;
    let neighbour: string;
    let retailB: string;
    beforeAll(async () => {
      gateway = await startActionsGateway(fixture as ActionsChain, testDatabase);
      operator = await gateway.login(staff("OPERATOR", accounts.operator.address));
      consumer = await gateway.login(consumerPrincipal(accounts.consumer.address));
      neighbour = await gateway.login(consumerPrincipal(otherConsumer.address, "neighbour"));
      retailB = await gateway.login(staff("RETAIL_COMPANY", accounts.retailCompanyB.address, "retail-b"));
    }, 120_000);
    afterAll(async () => gateway?.stop());

    const ask = async (query: string, variables: Record<string, unknown>, token: string) => {
      const answer = await gateway.graphql(query, variables, token);
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked field by field
      return answer.data as Record<string, any>;
    };
    const code = async (query: string, variables: Record<string, unknown>, token: string) =>
      (await gateway.graphql(query, variables, token)).errors?.[0]?.extensions.code;

    test("the invoice of the replacement period names both meters and what each contributed", async () => {
      const { invoice } = await ask(INVOICE, { id: invoiceId(ids.account, 2) }, consumer);
      expect(invoice).toMatchObject({
        periodId: 2,
        billingPeriodId: 2,
        isCommonHouseShare: false,
        periodEnd: ids.p2,
        volumesWh: ["30000", "0", "0", "0", "0"],
        volumeSource: [
          {
            kind: "ACROSS_REPLACEMENT",
            method: null,
            volumeWh: null,
            oldMeterId: String(ids.oldMeter),
            newMeterId: String(ids.newMeter),
            oldMeterWh: ["10000", "0", "0", "0", "0"],
            newMeterWh: ["20000", "0", "0", "0", "0"],
            inputs: null,
            buildingId: null,
            billed: null,
          },
        ],
      });
    });

    test("the invoice of a period without readings is marked substituted, with the method and its inputs", async () => {
      const { invoice } = await ask(INVOICE, { id: invoiceId(ids.account, 3) }, consumer);
      expect(invoice.volumeSource).toEqual([
        expect.objectContaining({
          kind: "SUBSTITUTED",
          method: "HOUSEHOLD_NORM",
          periodId: 3,
          volumeWh: "138000",
          consecutivePeriods: 1,
          inputs: ["3", "46000", "1", "1"],
          registersWh: ["138000", "0", "0", "0"],
          oldMeterId: null,
        }),
      ]);
    });

    test("the common-house share is its own invoice of the real period, and lists show the sources batched", async () => {
      const id = invoiceId(ids.flat, 2 + 2 ** 30);
      const { invoice } = await ask(INVOICE, { id }, neighbour);
      expect(invoice).toMatchObject({
        periodId: 2 + 2 ** 30,
        billingPeriodId: 2,
        isCommonHouseShare: true,
        periodEnd: ids.p2,
        volumesWh: ["8136", "0", "0", "0", "0"],
        volumeSource: [
          { kind: "COMMON_HOUSE", periodId: 2, volumeWh: "8136", areaDm2: "5400", billed: true },
        ],
      });
      const { invoices } = await ask(
        `{ invoices(size: 50) { nodes { id isCommonHouseShare volumeSource { kind } } } }`,
        {},
        operator,
      );
      const kinds = Object.fromEntries(
        (invoices as { nodes: { id: string; volumeSource: { kind: string }[] }[] }).nodes.map((node) => [
          node.id,
          node.volumeSource.map((event) => event.kind),
        ]),
      );
      expect(kinds).toMatchObject({
        [invoiceId(ids.account, 2)]: ["ACROSS_REPLACEMENT"],
        [invoiceId(ids.account, 3)]: ["SUBSTITUTED"],
        [id]: ["COMMON_HOUSE"],
        // the flat's energy invoice was not closed: only the share exists for it
      });
    });

    test("the account's meter history and the installed meter list the replacement with both meters", async () => {
      const expected = {
        accountId: String(ids.account),
        oldMeterId: String(ids.oldMeter),
        newMeterId: String(ids.newMeter),
        oldMeterSerial: "OLD-1",
        oldMeterModel: "CE102",
        newMeterSerial: "NEW-1",
        replacedAt: ids.replacedAt,
        oldFinalWh: ["1010000", "0", "0", "0", "0"],
        newInitialWh: ["500", "0", "0", "0", "0"],
      };
      const { account } = await ask(ACCOUNT, { id: String(ids.account) }, consumer);
      expect(account.meterReplacements).toEqual([expect.objectContaining(expected)]);
      const { meter } = await ask(METER, { id: String(ids.newMeter) }, consumer);
      expect(meter.replacements).toEqual([expect.objectContaining(expected)]);
      // the removed meter serves no account: its grid company still sees it and the exchange
      const grid = await gateway.login(staff("GRID_COMPANY", accounts.gridCompany.address));
      const removed = await ask(METER, { id: String(ids.oldMeter) }, grid);
      expect(removed.meter.replacements).toEqual([expect.objectContaining(expected)]);
      expect(await code(METER, { id: String(ids.oldMeter) }, consumer)).toBe("FORBIDDEN");
    });

    test("a ПЦК 4 plan lists its published periods and gives one period's hours", async () => {
      const { tariffPlan } = await ask(PLAN, { id: String(ids.hourlyPlan), period: 4 }, operator);
      expect(tariffPlan.hourlyPriceLists).toEqual([
        {
          planId: String(ids.hourlyPlan),
          periodId: 4,
          periodEnd: ids.p2 + 5 * 3600,
          kindName: "PRICE_CATEGORY_4",
          hours: 4,
          pricesHash: ids.pricesHash,
          minPrice: "290000",
          maxPrice: "455500",
          averagePrice: "364375",
          capacityRate: "105000000",
          maintenanceRate: "219598996",
          lossRate: "59310",
          chain: { txHash: ids.publishTx },
        },
      ]);
      expect(tariffPlan.hourlyPrices).toEqual({
        periodId: 4,
        hours: 4,
        prices: ["310000", "290000", "455500", "402000"],
        capacityHours: [2],
        networkWindows: [{ firstHour: 1, hourCount: 2 }],
      });
      const none = await ask(PLAN, { id: String(ids.hourlyPlan), period: 3 }, operator);
      expect(none.tariffPlan.hourlyPrices).toBeNull();
    });

    test("another retail company and another consumer are refused, and their lists hold none of it", async () => {
      const odn = invoiceId(ids.flat, 2 + 2 ** 30);
      expect(await code(INVOICE, { id: invoiceId(ids.account, 3) }, retailB)).toBe("FORBIDDEN");
      expect(await code(INVOICE, { id: odn }, retailB)).toBe("FORBIDDEN");
      expect(await code(ACCOUNT, { id: String(ids.account) }, retailB)).toBe("FORBIDDEN");
      expect(await code(METER, { id: String(ids.newMeter) }, retailB)).toBe("FORBIDDEN");
      expect(await code(PLAN, { id: String(ids.hourlyPlan), period: 4 }, retailB)).toBe("FORBIDDEN");
      expect(await code(INVOICE, { id: odn }, consumer)).toBe("FORBIDDEN");
      expect(await code(INVOICE, { id: invoiceId(ids.account, 3) }, neighbour)).toBe("FORBIDDEN");
      expect(await code(ACCOUNT, { id: String(ids.account) }, neighbour)).toBe("FORBIDDEN");
      const LIST = `{ invoices { nodes { id volumeSource { kind } } } accounts { nodes { id meterReplacements { oldMeterId } } } }`;
      const other = await ask(LIST, {}, retailB);
      expect(other.invoices.nodes).toEqual([]);
      expect(other.accounts.nodes).toEqual([]);
      const flatOwner = await ask(LIST, {}, neighbour);
      expect(flatOwner.invoices.nodes).toEqual([{ id: odn, volumeSource: [{ kind: "COMMON_HOUSE" }] }]);
      expect(flatOwner.accounts.nodes).toEqual([{ id: String(ids.flat), meterReplacements: [] }]);
    });
  },
);
