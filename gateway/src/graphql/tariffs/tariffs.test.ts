import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../../db/_test/testDatabases.js";
import {
  type QueriesGateway,
  RETAIL_A,
  RETAIL_B,
  RETAIL_C,
  startQueriesGateway,
} from "../common/_test/queriesFixture.js";
import { unpackZoneHours } from "./toTariffNodes.js";

describe.each(testDatabases("tariffs"))("tariff queries on $name", (testDatabase) => {
  let gateway: QueriesGateway;
  beforeAll(async () => {
    gateway = await startQueriesGateway(testDatabase);
  });
  afterAll(async () => gateway?.close());

  const GROUPS = `query($retailCompany: String, $includeDeleted: Boolean) {
    tariffGroups(retailCompany: $retailCompany) { id name retailCompany plans(includeDeleted: $includeDeleted) { id kindName rates { index energy transmission } } }
  }`;
  const groupIds = async (who: string, variables?: Record<string, unknown>) => {
    const answer = await gateway.ask(who, GROUPS, variables);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data?.tariffGroups.map((group: { id: string }) => group.id);
  };

  test("each role sees the tariff groups of the retail companies in its scope", async () => {
    expect(await groupIds("operator")).toEqual(["1", "2", "3", "4"]);
    expect(await groupIds("grid")).toEqual(["1", "2", "3"]);
    expect(await groupIds("grid2")).toEqual(["1", "2", "4"]);
    expect(await groupIds("retailA")).toEqual(["1", "2"]);
    expect(await groupIds("consumer")).toEqual(["1", "2"]);
    expect(await groupIds("grid", { retailCompany: RETAIL_B })).toEqual(["3"]);
    expect(await gateway.code("retailA", GROUPS, { retailCompany: RETAIL_B })).toBe("FORBIDDEN");
    expect(await gateway.code("grid", GROUPS, { retailCompany: RETAIL_C })).toBe("FORBIDDEN");
    expect(await gateway.code("consumer", GROUPS, { retailCompany: RETAIL_B })).toBe("FORBIDDEN");
    expect(await gateway.code("bank", GROUPS)).toBe("FORBIDDEN");
    expect(await gateway.code("consumer", `{ tariffGroup(id: "3") { id } }`)).toBe("FORBIDDEN");
    expect(await gateway.code("retailB", `{ tariffPlan(id: "1") { id } }`)).toBe("FORBIDDEN");
    expect(await gateway.code("retailB", `{ tariffPlan(id: "99") { id } }`)).toBe("NOT_FOUND");
  });

  test("a group's plans with their rates; deleted plans only on request", async () => {
    const answer = await gateway.ask("retailA", GROUPS, { retailCompany: RETAIL_A });
    expect(answer.data?.tariffGroups[0]).toEqual({
      id: "1",
      name: "A tiers",
      retailCompany: RETAIL_A,
      plans: [
        {
          id: "1",
          kindName: "VOLUME_RANGE",
          rates: [
            { index: 0, energy: "400000", transmission: "100000" },
            { index: 1, energy: "800000", transmission: "100000" },
          ],
        },
      ],
    });
    const withDeleted = await gateway.ask("retailA", GROUPS, {
      retailCompany: RETAIL_A,
      includeDeleted: true,
    });
    expect(withDeleted.data?.tariffGroups[0].plans.map((plan: { id: string }) => plan.id)).toEqual([
      "1",
      "5",
    ]);
    const plan = await gateway.ask(
      "consumer",
      `{ tariffPlan(id: "1") { kind validFrom validTo vatBp vatIncluded threshold1 zoneHours chain { blockNumber } } }`,
    );
    expect(plan.data?.tariffPlan).toMatchObject({
      kind: 4,
      validFrom: 0,
      validTo: null,
      vatBp: 2000,
      vatIncluded: true,
      threshold1: "2000",
      chain: { blockNumber: "7" },
    });
    expect(plan.data?.tariffPlan.zoneHours).toHaveLength(24);
  });

  test("an account's tariff: current, pending for the next period, and the plans open to it", async () => {
    const ACCOUNT_TARIFF = `query($id: String!) { accountTariff(accountId: $id) {
      accountId currentPeriod
      current { groupId kind fromPeriod group { name } plan { id } chain { blockNumber } }
      pending { groupId kind fromPeriod group { name } plan { id } }
      available { id groupId }
    } }`;
    const answer = await gateway.ask("consumer", ACCOUNT_TARIFF, { id: "1" });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(answer.data?.accountTariff).toEqual({
      accountId: "1",
      currentPeriod: 2,
      current: {
        groupId: "1",
        kind: 4,
        fromPeriod: 0,
        group: { name: "A tiers" },
        plan: { id: "1" },
        chain: { blockNumber: "8" },
      },
      pending: { groupId: "2", kind: 1, fromPeriod: 3, group: { name: "A single" }, plan: { id: "2" } },
      available: [
        { id: "1", groupId: "1" },
        { id: "2", groupId: "2" },
      ],
    });
    const none = await gateway.ask("retailA", ACCOUNT_TARIFF, { id: "2" });
    expect(none.data?.accountTariff).toMatchObject({ current: null, pending: null });
    expect(await gateway.code("consumer", ACCOUNT_TARIFF, { id: "2" })).toBe("FORBIDDEN");
    expect(await gateway.code("retailB", ACCOUNT_TARIFF, { id: "1" })).toBe("FORBIDDEN");
    expect(await gateway.code("grid2", ACCOUNT_TARIFF, { id: "1" })).toBe("FORBIDDEN");
    expect(await gateway.code("operator", ACCOUNT_TARIFF, { id: "77" })).toBe("NOT_FOUND");
    expect(await gateway.code("operator", ACCOUNT_TARIFF, { id: "x" })).toBe("BAD_USER_INPUT");
  });
});

test("zone hours unpack two bits per local hour", () => {
  // night (zone 1) 23:00-07:00, day (zone 0) otherwise
  let packed = 0n;
  for (const hour of [23, 0, 1, 2, 3, 4, 5, 6]) packed |= 1n << BigInt(2 * hour);
  expect(unpackZoneHours(Number(packed))).toEqual(
    Array.from({ length: 24 }, (_, hour) => (hour >= 23 || hour < 7 ? 1 : 0)),
  );
});
