import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../../db/_test/testDatabases.js";
import { type QueriesGateway, startQueriesGateway } from "./_test/queriesFixture.js";
import { createLoaders } from "./loaders.js";
import { MAX_QUERY_COST } from "./queryCost.js";

const [sqlite] = testDatabases("cost_limit");

describe("query cost limit, depth limit, page size and batched loading", () => {
  let gateway: QueriesGateway;
  beforeAll(async () => {
    gateway = await startQueriesGateway(sqlite!);
  });
  afterAll(async () => gateway?.close());

  const HEAVY = `query($size: Int) { invoices(size: $size) { nodes {
    lines { lineNo } payments { split { energy } } account { meter { serial } }
  } } }`;

  test("an over-cost query is refused before it runs with QUERY_TOO_COSTLY; the same shape with a small page runs", async () => {
    const refused = await gateway.ask("operator", HEAVY, { size: 200 });
    expect(refused.errors?.[0]?.extensions.code).toBe("QUERY_TOO_COSTLY");
    expect(refused.errors?.[0]?.message).toMatch(new RegExp(`at most ${MAX_QUERY_COST}`));
    expect(refused.data ?? undefined).toBeUndefined();
    const accepted = await gateway.ask("operator", HEAVY, { size: 10 });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.invoices.nodes).toHaveLength(4);
  });

  test("the portal's widest list (200 accounts with meters and company cards) stays under the limit", async () => {
    const answer = await gateway.ask(
      "operator",
      `{ accounts(size: 200) { totalCount nodes { id meter { serial model } retailCompanyCard { address profile { name bank { bik } } } gridCompanyCard { address } }
         edges { cursor node { id } } } }`,
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(answer.data?.accounts.totalCount).toBe(7);
  });

  test("the depth limit and the page size limit still hold", async () => {
    const deep = await gateway.ask(
      "operator",
      "{ accounts { nodes { meter { account { meter { account { meter { account { meter { id } } } } } } } } } }",
    );
    expect(deep.errors?.[0]?.extensions.code).toBe("QUERY_TOO_DEEP");
    expect(await gateway.code("operator", "{ invoices(size: 201) { totalCount } }")).toBe("BAD_USER_INPUT");
  });

  test("a request's loaders read each table once for all rows asking", async () => {
    const em = gateway.database.em();
    let finds = 0;
    const counting = new Proxy(em, {
      get(target, property, receiver) {
        if (property === "find") {
          return (...args: unknown[]) => {
            finds += 1;
            return (target.find as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const loaders = createLoaders(counting);
    const meters = await Promise.all([1, 2, 3, 4, 5, 6, 99].map((id) => loaders.meter.load(id)));
    expect(meters.map((meter) => meter?.serial)).toEqual([
      "SDM-1",
      "SDM-2",
      "SDM-3",
      "SDM-4",
      "SDM-5",
      "SDM-6",
      undefined,
    ]);
    expect(finds).toBe(1);
    await loaders.meter.load(3); // cached for the rest of the request
    expect(finds).toBe(1);
  });
});
