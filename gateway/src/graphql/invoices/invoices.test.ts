import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../../db/_test/testDatabases.js";
import {
  DOC,
  invoiceId,
  OTHER_CONSUMER,
  type QueriesGateway,
  REASON,
  RETAIL_A,
  RETAIL_B,
  RETAIL_C,
  startQueriesGateway,
  TX,
} from "../common/_test/queriesFixture.js";

describe.each(testDatabases("invoices"))("invoices on $name", (testDatabase) => {
  let gateway: QueriesGateway;
  beforeAll(async () => {
    gateway = await startQueriesGateway(testDatabase);
  });
  afterAll(async () => gateway?.close());

  const LIST = `query($filter: InvoiceFilter, $sort: InvoiceSort, $size: Int) {
    invoices(filter: $filter, sort: $sort, size: $size) { totalCount nodes { id accountId status total debt retailCompany } }
  }`;
  const ids = async (who: string, variables?: Record<string, unknown>) => {
    const answer = await gateway.ask(who, LIST, variables);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data?.invoices.nodes.map((node: { accountId: string }) => node.accountId);
  };

  test("each role lists the invoices in its scope and no others", async () => {
    expect(await ids("operator", { sort: { field: "ACCOUNT" } })).toEqual(["1", "2", "4", "6"]);
    expect(await ids("grid", { sort: { field: "ACCOUNT" } })).toEqual(["1", "2", "4"]);
    expect(await ids("grid2")).toEqual(["6"]);
    expect(await ids("retailA", { sort: { field: "ACCOUNT" } })).toEqual(["1", "2"]);
    expect(await ids("retailB")).toEqual(["4"]);
    expect(await ids("consumer")).toEqual(["1"]);
    expect(await ids("otherConsumer", { sort: { field: "ACCOUNT" } })).toEqual(["2", "4", "6"]);
    expect(await gateway.code("bank", LIST)).toBe("FORBIDDEN");
    expect(await gateway.code("device", LIST)).toBe("FORBIDDEN");
    expect(await gateway.code(undefined, LIST)).toBe("UNAUTHENTICATED");
  });

  test("asking for another's invoices is FORBIDDEN, never an empty answer", async () => {
    const ONE = `query($id: String!) { invoice(id: $id) { id } }`;
    expect(await gateway.code("consumer", ONE, { id: invoiceId(2, 1) })).toBe("FORBIDDEN");
    expect(await gateway.code("retailA", ONE, { id: invoiceId(4, 1) })).toBe("FORBIDDEN");
    expect(await gateway.code("grid", ONE, { id: invoiceId(6, 1) })).toBe("FORBIDDEN");
    expect(await gateway.code("grid2", ONE, { id: invoiceId(1, 1) })).toBe("FORBIDDEN");
    expect(await gateway.code("retailA", LIST, { filter: { retailCompany: RETAIL_B } })).toBe("FORBIDDEN");
    expect(await gateway.code("grid", LIST, { filter: { retailCompany: RETAIL_C } })).toBe("FORBIDDEN");
    expect(await gateway.code("operator", ONE, { id: invoiceId(3, 1) })).toBe("NOT_FOUND");
    expect(await gateway.code("operator", ONE, { id: "1 or 1=1" })).toBe("BAD_USER_INPUT");
  });

  test("filters: account, account number, period, status, retail company, dates; sorts", async () => {
    expect(await ids("operator", { filter: { accountId: "4" } })).toEqual(["4"]);
    expect(await ids("operator", { filter: { accountNumber: "10000006" } })).toEqual(["6"]);
    expect(await ids("operator", { filter: { periodId: 2 } })).toEqual([]);
    expect(
      await ids("operator", { filter: { status: ["DISPUTED", "CONFIRMED"] }, sort: { field: "ACCOUNT" } }),
    ).toEqual(["2", "4"]);
    expect(await ids("grid", { filter: { retailCompany: RETAIL_B } })).toEqual(["4"]);
    const from = new Date(1_002 * 1000).toISOString();
    const to = new Date(1_005 * 1000).toISOString();
    expect(await ids("operator", { filter: { from, to }, sort: { field: "COMPUTED_AT" } })).toEqual([
      "2",
      "4",
    ]);
    expect(await gateway.code("operator", LIST, { filter: { from: to, to: from } })).toBe("BAD_USER_INPUT");
    expect(await ids("operator", { sort: { field: "TOTAL", direction: "DESC" } })).toEqual([
      "6",
      "4",
      "1",
      "2",
    ]);
    expect(await ids("consumer", { filter: { accountId: "2" } })).toEqual([]);
    const unknownField = await gateway.ask(
      "operator",
      `{ invoices(sort: { field: TOTAL_AMOUNT }) { totalCount } }`,
    );
    expect(unknownField.errors?.[0]?.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  test("an invoice's detail: lines, totals, debt, payments, history and chain references", async () => {
    const answer = await gateway.ask(
      "consumer",
      `query($id: String!) { invoice(id: $id) {
        id accountId periodId periodEnd status total paidTotal debt documentHash dueDate retailCompany
        components { energy transmission } paid { energy }
        chain { blockNumber txHash logIndex } lastChange { blockNumber }
        lines { lineNo kindName range componentName quantity rate amount }
        payments { paymentNumber amount chain { blockNumber } }
        events { status at by documentHash chain { blockNumber } }
        account { accountNumber }
      } }`,
      { id: invoiceId(1, 1) },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const invoice = answer.data?.invoice;
    expect(invoice).toMatchObject({
      id: invoiceId(1, 1),
      accountId: "1",
      periodId: 1,
      status: "ISSUED",
      total: "3520",
      paidTotal: "1000",
      debt: "2520",
      documentHash: DOC,
      dueDate: 1_900_000_000,
      retailCompany: RETAIL_A,
      components: { energy: "3420", transmission: "100" },
      paid: { energy: "1000" },
      chain: { blockNumber: "30", txHash: TX, logIndex: 0 },
      lastChange: { blockNumber: "33" },
      account: { accountNumber: "10000001" },
    });
    expect(typeof invoice.periodEnd).toBe("number");
    expect(invoice.lines).toEqual([
      {
        lineNo: 0,
        kindName: "ENERGY",
        range: 0,
        componentName: "ENERGY",
        quantity: "2000",
        rate: "400000",
        amount: "800",
      },
      {
        lineNo: 1,
        kindName: "ENERGY",
        range: 0,
        componentName: "TRANSMISSION",
        quantity: "2000",
        rate: "100000",
        amount: "200",
      },
      {
        lineNo: 2,
        kindName: "ENERGY",
        range: 1,
        componentName: "ENERGY",
        quantity: "2800",
        rate: "800000",
        amount: "2240",
      },
      {
        lineNo: 3,
        kindName: "ENERGY",
        range: 1,
        componentName: "TRANSMISSION",
        quantity: "2800",
        rate: "100000",
        amount: "280",
      },
    ]);
    expect(
      invoice.lines.reduce((sum: number, line: { amount: string }) => sum + Number(line.amount), 0),
    ).toBe(3520);
    expect(invoice.payments).toEqual([{ paymentNumber: "1", amount: "1000", chain: { blockNumber: "71" } }]);
    expect(invoice.events).toEqual([
      { status: "COMPUTED", at: 1_001, by: null, documentHash: null, chain: { blockNumber: "30" } },
      { status: "ISSUED", at: 1_101, by: null, documentHash: DOC, chain: { blockNumber: "31" } },
    ]);
  });

  test("the history shows who disputed or confirmed", async () => {
    const EVENTS = `query($id: String!) { invoice(id: $id) { status events { status by documentHash } } }`;
    const disputed = await gateway.ask("retailB", EVENTS, { id: invoiceId(4, 1) });
    expect(disputed.data?.invoice.events).toEqual([
      { status: "COMPUTED", by: null, documentHash: null },
      { status: "ISSUED", by: null, documentHash: DOC },
      { status: "DISPUTED", by: OTHER_CONSUMER, documentHash: REASON },
    ]);
    const confirmed = await gateway.ask("otherConsumer", EVENTS, { id: invoiceId(2, 1) });
    expect(confirmed.data?.invoice.events.map((event: { status: string }) => event.status)).toEqual([
      "COMPUTED",
      "CONFIRMED",
    ]);
    expect(confirmed.data?.invoice.events[1].by).toBe(OTHER_CONSUMER);
  });
});
