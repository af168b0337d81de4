import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../../db/_test/testDatabases.js";
import type { TariffPlanRow } from "../../db/entities/index.js";
import {
  PERIOD_END,
  PERIOD_START,
  type QueriesGateway,
  startQueriesGateway,
} from "../common/_test/queriesFixture.js";
import { accruedCost } from "./accruedCost.js";

const plan = (overrides: Partial<TariffPlanRow>): TariffPlanRow => ({
  id: 1,
  groupId: 1,
  kind: 1,
  zones: 1,
  vatBp: 2000,
  vatIncluded: true,
  validFrom: 0,
  validTo: 0,
  zoneHours: 0,
  threshold1: 0,
  threshold2: 0,
  exportPrice: 0,
  rates: [[500_000, 0, 0, 0]],
  deleted: false,
  blockNumber: 1,
  txHash: "0x",
  logIndex: 0,
  updatedBlock: 1,
  updatedTxHash: "0x",
  updatedLogIndex: 0,
  ...overrides,
});

describe("accruedCost", () => {
  test("two registers on a two-zone plan: register z prices in zone z", () => {
    const result = accruedCost({
      plan: plan({
        kind: 2,
        zones: 2,
        rates: [
          [600_000, 0, 0, 0],
          [300_000, 0, 0, 0],
        ],
      }),
      baseline: { intervalEnd: 0, registers: [1000, 5000, null, null], export: null },
      readings: [
        { intervalEnd: 1800, registers: [1500, 5000, null, null], export: null },
        { intervalEnd: 3600, registers: [1500, 6000, null, null], export: null },
      ],
    });
    // 500 Wh × 6 RUB/kWh = 300 kop; 1000 Wh × 3 RUB/kWh = 300 kop
    expect(result.zoneVolumesWh).toEqual([500n, 1000n]);
    expect(result.series.map((point) => [point.importWh, point.cost, point.cumulativeCost])).toEqual([
      [500n, 300n, 300n],
      [1000n, 300n, 600n],
    ]);
    expect(result.payableTotal).toBe(600n);
  });

  test("VAT added once on the total for a legal-entity plan; export bought back for a prosumer", () => {
    const result = accruedCost({
      plan: plan({ vatIncluded: false, vatBp: 2000, exportPrice: 200_000 }),
      baseline: { intervalEnd: 0, registers: [0, null, null, null], export: 0 },
      readings: [{ intervalEnd: 1800, registers: [10_000, null, null, null], export: 1000 }],
    });
    // 10 kWh × 5 RUB = 5000 kop + 20 % VAT = 6000; export 1 kWh × 2 RUB = 200 kop
    expect(result.vat).toBe(1000n);
    expect(result.exportCredit).toBe(200n);
    expect(result.payableTotal).toBe(5800n);
    expect(result.series[0]).toMatchObject({ exportWh: 1000n, cost: 5800n });
  });
});

describe.each(testDatabases("cost"))("costAccrued on $name", (testDatabase) => {
  let gateway: QueriesGateway;
  beforeAll(async () => {
    gateway = await startQueriesGateway(testDatabase);
  });
  afterAll(async () => gateway?.close());

  const COST = `query($id: String!) { costAccrued(accountId: $id) {
    accountId periodId periodStart periodEnd asOf plan { id kindName } zoneVolumesWh total
    components { energy transmission } series { intervalEnd importWh cost cumulativeCost }
  } }`;

  test("the open period's cost per half hour follows the volume tiers, as the invoice will", async () => {
    const answer = await gateway.ask("consumer", COST, { id: "1" });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const cost = answer.data?.costAccrued;
    // 48 half hours of 100 Wh = 4.8 kWh: 2 kWh at 5 RUB (energy 4 + transmission 1), 2.8 kWh at 9 RUB
    expect(cost).toMatchObject({
      accountId: "1",
      periodId: 2,
      periodStart: PERIOD_START,
      periodEnd: PERIOD_END,
      asOf: PERIOD_START + 48 * 1800,
      plan: { id: "1", kindName: "VOLUME_RANGE" },
      zoneVolumesWh: ["4800"],
      total: "3520",
      components: { energy: "3040", transmission: "480" },
    });
    expect(cost.series).toHaveLength(48);
    expect(cost.series[0]).toEqual({
      intervalEnd: PERIOD_START + 1800,
      importWh: "100",
      cost: "50",
      cumulativeCost: "50",
    });
    expect(cost.series[20]).toMatchObject({ cost: "90", cumulativeCost: "1090" }); // the 2.1th kWh is above the tier
    expect(cost.series.at(-1).cumulativeCost).toBe("3520");
    const sum = cost.series.reduce((total: number, point: { cost: string }) => total + Number(point.cost), 0);
    expect(sum).toBe(3520);
  });

  test("scoped like the account; an account without a tariff says so", async () => {
    expect((await gateway.ask("retailA", COST, { id: "1" })).data?.costAccrued.total).toBe("3520");
    expect(await gateway.code("consumer", COST, { id: "2" })).toBe("FORBIDDEN");
    expect(await gateway.code("retailB", COST, { id: "1" })).toBe("FORBIDDEN");
    expect(await gateway.code("grid2", COST, { id: "1" })).toBe("FORBIDDEN");
    expect(await gateway.code("bank", COST, { id: "1" })).toBe("FORBIDDEN");
    expect(await gateway.code("retailA", COST, { id: "2" })).toBe("NO_TARIFF_CHOSEN");
    expect(await gateway.code("operator", COST, { id: "404" })).toBe("NOT_FOUND");
  });
});
