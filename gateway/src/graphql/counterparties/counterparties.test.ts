import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../../db/_test/testDatabases.js";
import { Counterparty } from "../../db/entities/index.js";
import { type QueriesGateway, RETAIL_A, startQueriesGateway } from "../common/_test/queriesFixture.js";
import { accountControlDigit, checkCorrespondentAccount, checkSettlementAccount } from "./bankDetails.js";

const BIK = "044525225";
/** A settlement account whose control key matches {@link BIK}. */
const SETTLEMENT = (() => {
  const draft = "40702810038000000001";
  return `${draft.slice(0, 8)}${accountControlDigit(BIK.slice(-3), draft)}${draft.slice(9)}`;
})();

const VALID = {
  name: "  ООО  «Ромашка» ",
  inn: "7707083893",
  kpp: "773601001",
  bankName: "ПАО Сбербанк",
  bik: BIK,
  settlementAccount: SETTLEMENT,
  correspondentAccount: "30101810400000000225",
  address: "Москва, ул. Вавилова, 19",
  phone: "+7 (495) 500-55-50",
};

test("the Bank of Russia control key: a real correspondent account passes, one changed digit fails", () => {
  expect(checkCorrespondentAccount("30101810400000000225", BIK)).toBe("30101810400000000225");
  expect(() => checkCorrespondentAccount("30101810400000000226", BIK)).toThrow(/correspondent/);
  expect(checkSettlementAccount(SETTLEMENT, BIK)).toBe(SETTLEMENT);
  const wrong = `${SETTLEMENT.slice(0, 19)}${(Number(SETTLEMENT[19]) + 1) % 10}`;
  expect(() => checkSettlementAccount(wrong, BIK)).toThrow(/settlement/);
});

describe.each(testDatabases("counterparties"))("counterparties on $name", (testDatabase) => {
  let gateway: QueriesGateway;
  beforeAll(async () => {
    gateway = await startQueriesGateway(testDatabase);
  });
  afterAll(async () => gateway?.close());

  const ADD = `mutation($input: CounterpartyInput!) { addCounterparty(input: $input) {
    id owner name inn kpp address phone bank { bankName bik settlementAccount correspondentAccount }
  } }`;
  const LIST = `query($owner: String, $filter: CounterpartyFilter) { counterparties(owner: $owner, filter: $filter) {
    totalCount nodes { id name inn bank { bik } }
  } }`;

  test("a retail company adds a counterparty with validated requisites and sees it in its list", async () => {
    const added = await gateway.ask("retailA", ADD, { input: VALID });
    expect(added.errors, JSON.stringify(added.errors)).toBeUndefined();
    expect(added.data?.addCounterparty).toMatchObject({
      owner: RETAIL_A,
      name: "ООО «Ромашка»",
      inn: "7707083893",
      kpp: "773601001",
      phone: "+7 (495) 500-55-50",
      bank: { bankName: "ПАО Сбербанк", bik: BIK, settlementAccount: SETTLEMENT },
    });
    const list = await gateway.ask("retailA", LIST);
    expect(list.data?.counterparties).toMatchObject({
      totalCount: 1,
      nodes: [{ name: "ООО «Ромашка»", bank: { bik: BIK } }],
    });
    expect(
      (await gateway.ask("retailA", LIST, { filter: { inn: "770708" } })).data?.counterparties.totalCount,
    ).toBe(1);
    expect(
      (await gateway.ask("retailA", LIST, { filter: { name: "ЗАО" } })).data?.counterparties.totalCount,
    ).toBe(0);
  });

  test("each bad requisite has its own code, and nothing is stored", async () => {
    const before = await gateway.database.em().count(Counterparty, {});
    const attempt = async (change: Record<string, string>) =>
      gateway.code("retailA", ADD, { input: { ...VALID, inn: "500100732259", kpp: "", ...change } });
    expect(await attempt({ inn: "7707083894" })).toBe("INVALID_INN");
    expect(await attempt({ inn: "77070838" })).toBe("INVALID_INN");
    expect(await attempt({ kpp: "77360100" })).toBe("INVALID_KPP");
    expect(await attempt({ bik: "144525225" })).toBe("INVALID_BIK");
    expect(
      await attempt({ settlementAccount: `${SETTLEMENT.slice(0, 19)}${(Number(SETTLEMENT[19]) + 1) % 10}` }),
    ).toBe("INVALID_SETTLEMENT_ACCOUNT");
    expect(await attempt({ correspondentAccount: "40101810400000000225" })).toBe(
      "INVALID_CORRESPONDENT_ACCOUNT",
    );
    expect(await attempt({ phone: "call me" })).toBe("INVALID_PHONE");
    expect(await attempt({ name: "   " })).toBe("MISSING_FIELD");
    expect(await attempt({ address: "x".repeat(301) })).toBe("FIELD_TOO_LONG");
    expect(await gateway.code("retailA", ADD, { input: VALID })).toBe("COUNTERPARTY_EXISTS");
    expect(await gateway.database.em().count(Counterparty, {})).toBe(before);
  });

  test("lists belong to their organisation: others get FORBIDDEN, the operator may read any", async () => {
    expect((await gateway.ask("grid", LIST)).data?.counterparties.totalCount).toBe(0);
    expect(await gateway.code("grid", LIST, { owner: RETAIL_A })).toBe("FORBIDDEN");
    expect(await gateway.code("retailB", LIST, { owner: RETAIL_A })).toBe("FORBIDDEN");
    expect((await gateway.ask("operator", LIST, { owner: RETAIL_A })).data?.counterparties.totalCount).toBe(
      1,
    );
    const id = (await gateway.ask("retailA", LIST)).data?.counterparties.nodes[0].id;
    const ONE = `query($id: Int!) { counterparty(id: $id) { name } }`;
    expect((await gateway.ask("retailA", ONE, { id })).data?.counterparty.name).toBe("ООО «Ромашка»");
    expect(await gateway.code("retailB", ONE, { id })).toBe("FORBIDDEN");
    expect(await gateway.code("retailB", ONE, { id: 999 })).toBe("NOT_FOUND");
    expect(await gateway.code("consumer", LIST)).toBe("FORBIDDEN");
    expect(await gateway.code("consumer", ADD, { input: VALID })).toBe("FORBIDDEN");
    expect(await gateway.code("operator", ADD, { input: VALID })).toBe("FORBIDDEN"); // no organisation of its own
    expect(await gateway.code(undefined, ADD, { input: VALID })).toBe("UNAUTHENTICATED");
    // the same requisites in another organisation's list are that organisation's own row
    expect((await gateway.ask("grid", ADD, { input: VALID })).data?.addCounterparty.owner).not.toBe(RETAIL_A);
  });
});
