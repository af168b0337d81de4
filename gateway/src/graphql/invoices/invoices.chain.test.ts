import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../../db/_test/testDatabases.js";
import { TariffPlan } from "../../db/entities/index.js";
import {
  type ActionsChain,
  type ActionsGateway,
  consumerPrincipal,
  staff,
  startActionsChain,
  startActionsGateway,
} from "../actions/_test/actionsFixture.js";
import { accruedCost } from "../costAccrued/accruedCost.js";

/**
 * The invoice queries over a real chain: the demo seeded through the contracts, indexed by the real
 * indexer. Checks that what the queries assemble agrees with what the chain computed, and that the
 * scopes hold for the organisations' real addresses.
 */
let actions: ActionsChain;
beforeAll(async () => {
  actions = await startActionsChain();
}, 300_000);
afterAll(async () => {
  await actions?.stop();
});

type Invoice = {
  id: string;
  accountId: string;
  planId: string;
  status: string;
  total: string;
  vat: string;
  exportCredit: string;
  volumesWh: string[];
  retailCompany: string;
  components: { energy: string; transmission: string; retailMarkup: string; infrastructure: string };
  lines: { kindName: string; amount: string }[];
  events: { status: string; chain: { txHash: string } }[];
};

const LIST = `{ invoices(size: 100) { totalCount nodes {
  id accountId planId status total vat exportCredit volumesWh retailCompany
  components { energy transmission retailMarkup infrastructure }
  lines { kindName amount } events { status chain { txHash } }
} } }`;

describe.each(testDatabases("invoices_chain"))("invoices from the demo chain on $name", (testDatabase) => {
  let gateway: ActionsGateway;
  let invoices: Invoice[];
  beforeAll(async () => {
    gateway = await startActionsGateway(actions, testDatabase);
    const operator = await gateway.login(staff("OPERATOR", actions.accounts.operator.address));
    const answer = await gateway.graphql(LIST, {}, operator);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    invoices = (answer.data?.invoices as { nodes: Invoice[] } | undefined)?.nodes ?? [];
  }, 300_000);
  afterAll(async () => gateway?.stop());

  test("every invoice's lines and VAT, less the export bought back, add up to the total the chain stored", () => {
    expect(invoices.length).toBeGreaterThan(0);
    for (const invoice of invoices) {
      const sum = (kind: (name: string) => boolean) =>
        invoice.lines
          .filter((line) => kind(line.kindName))
          .reduce((total, line) => total + BigInt(line.amount), 0n);
      // the export line is bought back from the charge; only what exceeds the charge is `exportCredit`
      const payable =
        sum((name) => name !== "EXPORT") + BigInt(invoice.vat) - sum((name) => name === "EXPORT");
      expect(payable > 0n ? payable : 0n, invoice.id).toBe(BigInt(invoice.total));
      expect(payable < 0n ? -payable : 0n, invoice.id).toBe(BigInt(invoice.exportCredit));
      const components = Object.values(invoice.components).reduce((sum, value) => sum + BigInt(value), 0n);
      expect(components, invoice.id).toBe(BigInt(invoice.total));
      expect(invoice.events[0]?.status).toBe("COMPUTED");
      if (invoice.status !== "COMPUTED")
        expect(invoice.events.map((event) => event.status)).toContain("ISSUED");
    }
  });

  test("costAccrued's pricing of a plan and volumes gives the chain's invoice total", async () => {
    const em = gateway.database.em();
    let compared = 0;
    for (const invoice of invoices) {
      const plan = await em.findOne(TariffPlan, { id: Number(invoice.planId) });
      if (!plan || plan.kind < 1 || plan.kind > 5) continue; // legal-entity price categories price hourly
      const volumes = invoice.volumesWh.map(Number);
      const result = accruedCost({
        plan,
        baseline: { intervalEnd: 0, registers: [0, 0, 0, 0], export: 0 },
        readings: [{ intervalEnd: 1800, registers: volumes.slice(0, 4), export: volumes[4] ?? 0 }],
      });
      const payable = result.payableTotal > 0n ? result.payableTotal : 0n;
      expect(payable, `invoice ${invoice.id} (plan ${plan.id}, kind ${plan.kind})`).toBe(
        BigInt(invoice.total),
      );
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });

  test("a retail company sees only its invoices, a consumer only theirs, and another's is FORBIDDEN", async () => {
    const retailA = actions.accounts.retailCompanyA.address.toLowerCase();
    const retailToken = await gateway.login(staff("RETAIL_COMPANY", actions.accounts.retailCompanyA.address));
    const own = (await gateway.graphql(LIST, {}, retailToken)).data?.invoices as { nodes: Invoice[] };
    expect(own.nodes.length).toBeGreaterThan(0);
    expect(own.nodes.every((invoice) => invoice.retailCompany === retailA)).toBe(true);
    expect(own.nodes.length).toBe(invoices.filter((invoice) => invoice.retailCompany === retailA).length);

    const consumer = actions.consumers[0]!;
    const consumerToken = await gateway.login(consumerPrincipal(consumer.chainAddress));
    const mine = (await gateway.graphql(LIST, {}, consumerToken)).data?.invoices as { nodes: Invoice[] };
    expect(mine.nodes.every((invoice) => invoice.accountId === String(consumer.accountId))).toBe(true);
    const foreign = invoices.find((invoice) => invoice.accountId !== String(consumer.accountId))!;
    const refused = await gateway.graphql(
      `query($id: String!) { invoice(id: $id) { id } }`,
      { id: foreign.id },
      consumerToken,
    );
    expect(refused.errors?.[0]?.extensions.code).toBe("FORBIDDEN");
  });
});
