import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../../db/_test/testDatabases.js";
import {
  PAID_AT,
  type QueriesGateway,
  RETAIL_A,
  RETAIL_B,
  RETAIL_C,
  startQueriesGateway,
} from "../common/_test/queriesFixture.js";

describe.each(testDatabases("payreport"))("payment report and payment scopes on $name", (testDatabase) => {
  let gateway: QueriesGateway;
  beforeAll(async () => {
    gateway = await startQueriesGateway(testDatabase);
  });
  afterAll(async () => gateway?.close());

  const REPORT = `query($retailCompany: String, $year: Int!, $month: Int!, $sort: PaymentReportSort, $size: Int, $page: Int) {
    paymentReport(retailCompany: $retailCompany, year: $year, month: $month, sort: $sort, size: $size, page: $page) {
      year month from to totalAmount paymentCount totalCount page
      nodes { accountId amount applied credited payments lastPaidAt split { energy } items { paymentNumber amount chain { blockNumber } } }
    }
  }`;

  test("F-GRID-07: a grid company's month for one retail company: accounts with amounts and their payments", async () => {
    const answer = await gateway.ask("grid", REPORT, { retailCompany: RETAIL_A, year: 2026, month: 10 });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const report = answer.data?.paymentReport;
    expect(report).toMatchObject({
      year: 2026,
      month: 10,
      from: Date.UTC(2026, 9, 1) / 1000 - 3 * 3600,
      to: Date.UTC(2026, 10, 1) / 1000 - 3 * 3600,
      totalAmount: "2200",
      paymentCount: 3,
      totalCount: 2,
    });
    expect(report.nodes).toEqual([
      {
        accountId: "1",
        amount: "1500",
        applied: "1000",
        credited: "500",
        payments: 2,
        lastPaidAt: PAID_AT + 120,
        split: { energy: "1000" },
        items: [
          { paymentNumber: "1", amount: "1000", chain: { blockNumber: "71" } },
          { paymentNumber: "2", amount: "500", chain: { blockNumber: "72" } },
        ],
      },
      {
        accountId: "2",
        amount: "700",
        applied: "0",
        credited: "700",
        payments: 1,
        lastPaidAt: PAID_AT + 180,
        split: { energy: "0" },
        items: [{ paymentNumber: "3", amount: "700", chain: { blockNumber: "73" } }],
      },
    ]);
    const byAccountDesc = await gateway.ask("grid", REPORT, {
      year: 2026,
      month: 10,
      sort: { field: "ACCOUNT", direction: "DESC" },
      size: 2,
      page: 1,
    });
    expect(byAccountDesc.data?.paymentReport).toMatchObject({ totalAmount: "3100", totalCount: 3, page: 1 });
    expect(
      byAccountDesc.data?.paymentReport.nodes.map((node: { accountId: string }) => node.accountId),
    ).toEqual(["4", "2"]);
    const grid2 = await gateway.ask("grid2", REPORT, { retailCompany: RETAIL_A, year: 2026, month: 10 });
    expect(grid2.data?.paymentReport).toMatchObject({
      totalAmount: "300",
      totalCount: 1,
      nodes: [{ accountId: "7" }],
    });
    const other = await gateway.ask("grid", REPORT, { year: 2026, month: 9 });
    expect(other.data?.paymentReport).toMatchObject({ totalCount: 0, totalAmount: "0", nodes: [] });
  });

  test("F-RETAIL-02: a retail company reads its own month only; other roles are refused", async () => {
    const own = await gateway.ask("retailB", REPORT, { year: 2026, month: 10 });
    expect(own.data?.paymentReport.nodes.map((node: { accountId: string }) => node.accountId)).toEqual(["4"]);
    expect(await gateway.code("retailA", REPORT, { retailCompany: RETAIL_B, year: 2026, month: 10 })).toBe(
      "FORBIDDEN",
    );
    expect(await gateway.code("grid", REPORT, { retailCompany: RETAIL_C, year: 2026, month: 10 })).toBe(
      "FORBIDDEN",
    );
    expect(await gateway.code("consumer", REPORT, { year: 2026, month: 10 })).toBe("FORBIDDEN");
    expect(await gateway.code("bank", REPORT, { year: 2026, month: 10 })).toBe("FORBIDDEN");
    expect(await gateway.code(undefined, REPORT, { year: 2026, month: 10 })).toBe("UNAUTHENTICATED");
    expect(await gateway.code("operator", REPORT, { year: 2026, month: 13 })).toBe("BAD_USER_INPUT");
    expect(await gateway.code("operator", REPORT, { year: 1999, month: 1 })).toBe("BAD_USER_INPUT");
    expect(await gateway.code("operator", REPORT, { year: 2026, month: 1, retailCompany: "nobody" })).toBe(
      "BAD_USER_INPUT",
    );
  });

  test("payments: a grid company sees its retail companies' payments only; account filter and sorts", async () => {
    const PAYMENTS = `query($filter: PaymentFilter, $sort: PaymentSort) { payments(filter: $filter, sort: $sort) { totalCount nodes { accountId amount account { accountNumber } } } }`;
    const accounts = async (who: string, variables?: Record<string, unknown>) =>
      (await gateway.ask(who, PAYMENTS, variables)).data?.payments.nodes.map(
        (node: { accountId: string }) => node.accountId,
      );
    expect(await accounts("grid")).toEqual(["4", "2", "1", "1"]);
    // retail A is in both networks: GRID_2 sees its payment for account 7 only, GRID not that one
    expect(await accounts("grid2")).toEqual(["7", "6"]);
    expect(await accounts("grid2", { filter: { retailCompany: RETAIL_A } })).toEqual(["7"]);
    expect(await accounts("bank")).toHaveLength(6);
    expect(await accounts("operator", { sort: { field: "AMOUNT", direction: "DESC" } })).toEqual([
      "6",
      "1",
      "4",
      "2",
      "1",
      "7",
    ]);
    expect(await accounts("grid", { filter: { accountId: "1" }, sort: { field: "PAID_AT" } })).toEqual([
      "1",
      "1",
    ]);
    expect(await accounts("grid", { filter: { accountId: "6" } })).toEqual([]);
    expect(await gateway.code("grid", PAYMENTS, { filter: { retailCompany: RETAIL_C } })).toBe("FORBIDDEN");
    expect((await gateway.ask("consumer", PAYMENTS)).data?.payments.nodes[0].account).toEqual({
      accountNumber: "10000001",
    });
    expect(
      await accounts("grid", { filter: { retailCompany: RETAIL_A, accountNumber: "10000002" } }),
    ).toEqual(["2"]);
  });
});
