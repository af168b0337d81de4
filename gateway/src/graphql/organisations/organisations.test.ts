import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../../db/_test/testDatabases.js";
import {
  BANK,
  GRID,
  GRID_2,
  type QueriesGateway,
  RETAIL_A,
  RETAIL_B,
  RETAIL_C,
  startQueriesGateway,
} from "../common/_test/queriesFixture.js";

describe.each(testDatabases("organisations"))("organisations on $name", (testDatabase) => {
  let gateway: QueriesGateway;
  beforeAll(async () => {
    gateway = await startQueriesGateway(testDatabase);
  });
  afterAll(async () => gateway?.close());

  const LIST = `query($filter: OrganisationFilter) { organisations(filter: $filter) { totalCount nodes { address kind } } }`;
  const addresses = async (who: string, filter?: Record<string, unknown>) => {
    const answer = await gateway.ask(who, LIST, { filter });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data?.organisations.nodes.map((node: { address: string }) => node.address);
  };

  test("a grid company lists the retail companies attached to it (F-GRID-03), and only those", async () => {
    expect(await addresses("grid", { kind: "RETAIL_COMPANY" })).toEqual([RETAIL_A, RETAIL_B]);
    expect(await addresses("grid2", { kind: "RETAIL_COMPANY" })).toEqual([RETAIL_A, RETAIL_C]);
    expect(await addresses("operator", { kind: "RETAIL_COMPANY" })).toEqual([RETAIL_A, RETAIL_B, RETAIL_C]);
    expect(await addresses("operator", { gridCompany: GRID_2 })).toEqual([RETAIL_A, RETAIL_C]);
    expect(await addresses("grid")).toEqual([GRID, RETAIL_A, RETAIL_B]);
    expect(await addresses("retailA")).toEqual([GRID, RETAIL_A, GRID_2]);
    expect(await addresses("consumer")).toEqual([GRID, RETAIL_A]);
    expect(await addresses("bank")).toEqual([BANK]);
    expect(await gateway.code("grid", LIST, { filter: { gridCompany: GRID_2 } })).toBe("FORBIDDEN");
    expect(await gateway.code("device", LIST)).toBe("FORBIDDEN");
  });

  test("a company card by address with its profile and counts; FORBIDDEN outside the scope", async () => {
    const CARD = `query($address: String!) { organisation(address: $address) {
      address kind active accountCount consumerCount meterCount profile { name directorName inn bank { bik settlementAccount } }
    } }`;
    const retailA = await gateway.ask("grid", CARD, { address: RETAIL_A.toUpperCase().replace("0X", "0x") });
    expect(retailA.errors, JSON.stringify(retailA.errors)).toBeUndefined();
    expect(retailA.data?.organisation).toEqual({
      address: RETAIL_A,
      kind: "RETAIL_COMPANY",
      active: true,
      accountCount: 3,
      consumerCount: 2,
      meterCount: 3,
      profile: null,
    });
    const grid = await gateway.ask("retailA", CARD, { address: GRID });
    expect(grid.data?.organisation).toMatchObject({
      kind: "GRID_COMPANY",
      accountCount: 3, // the accounts retail A sees in that network, not the grid company's 5
      profile: { name: "Сетевая компания", inn: "7707083893", bank: { bik: "044525225" } },
    });
    expect(await gateway.code("grid", CARD, { address: RETAIL_C })).toBe("FORBIDDEN");
    // retail A serves one account in GRID_2's network: GRID_2 counts that one, not GRID's three
    expect((await gateway.ask("grid2", CARD, { address: RETAIL_A })).data?.organisation.accountCount).toBe(1);
    expect(await gateway.code("retailA", CARD, { address: RETAIL_B })).toBe("FORBIDDEN");
    expect(await gateway.code("consumer", CARD, { address: RETAIL_B })).toBe("FORBIDDEN");
    expect(await gateway.code("bank", CARD, { address: GRID })).toBe("FORBIDDEN");
    expect(await gateway.code("operator", CARD, { address: `0x${"99".repeat(20)}` })).toBe("NOT_FOUND");
    expect(await gateway.code("operator", CARD, { address: "Robert'); drop table" })).toBe("BAD_USER_INPUT");
  });

  test("myOrganisation reads the caller's own card (F-GRID-09); consumers have none", async () => {
    const MINE = `{ myOrganisation { address profile { name directorName phone legalAddress } } }`;
    expect((await gateway.ask("grid", MINE)).data?.myOrganisation).toEqual({
      address: GRID,
      profile: {
        name: "Сетевая компания",
        directorName: "Иванов Иван Иванович",
        phone: "+7 495 000-00-00",
        legalAddress: "Москва, ул. Ленина, 1",
      },
    });
    expect((await gateway.ask("retailB", MINE)).data?.myOrganisation).toEqual({
      address: RETAIL_B,
      profile: null,
    });
    expect(await gateway.code("consumer", MINE)).toBe("FORBIDDEN");
    expect(await gateway.code("operator", MINE)).toBe("NOT_FOUND");
  });

  test("the card's consumers are the accounts list filtered by the company; accounts show their companies", async () => {
    const ACCOUNTS = `query($filter: AccountFilter) { accounts(filter: $filter, sort: { field: ACCOUNT_NUMBER, direction: DESC }) {
      nodes { id meter { serial account { id } } retailCompanyCard { address } gridCompanyCard { address profile { name } } }
    } }`;
    const answer = await gateway.ask("grid", ACCOUNTS, { filter: { retailCompany: RETAIL_B } });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(answer.data?.accounts.nodes).toEqual(
      [5, 4].map((id) => ({
        id: String(id),
        meter: { serial: `SDM-${id}`, account: { id: String(id) } },
        retailCompanyCard: { address: RETAIL_B },
        gridCompanyCard: { address: GRID, profile: { name: "Сетевая компания" } },
      })),
    );
  });
});
