import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../../db/_test/testDatabases.js";
import { PERIOD_START, type QueriesGateway, startQueriesGateway } from "../common/_test/queriesFixture.js";

describe.each(testDatabases("readings_account"))(
  "readings by account and keyset pages on $name",
  (testDatabase) => {
    let gateway: QueriesGateway;
    beforeAll(async () => {
      gateway = await startQueriesGateway(testDatabase);
    });
    afterAll(async () => gateway?.close());

    const READINGS = `query($filter: ReadingFilter, $first: Int, $after: String, $page: Int, $size: Int) {
    readings(filter: $filter, first: $first, after: $after, page: $page, size: $size) {
      totalCount pageInfo { hasNextPage endCursor } nodes { meterId accountId intervalEnd }
    }
  }`;

    test("the account filter: own account's readings; another's is FORBIDDEN", async () => {
      const own = await gateway.ask("consumer", READINGS, { filter: { accountId: "1" }, first: 5 });
      expect(own.errors, JSON.stringify(own.errors)).toBeUndefined();
      expect(own.data?.readings.totalCount).toBe(49);
      expect(own.data?.readings.nodes[0]).toEqual({
        meterId: "1",
        accountId: "1",
        intervalEnd: PERIOD_START + 48 * 1800,
      });
      const next = await gateway.ask("consumer", READINGS, {
        filter: { accountId: "1" },
        first: 5,
        after: own.data?.readings.pageInfo.endCursor,
      });
      expect(next.data?.readings.nodes[0].intervalEnd).toBe(PERIOD_START + 43 * 1800);
      expect(await gateway.code("consumer", READINGS, { filter: { accountId: "2" } })).toBe("FORBIDDEN");
      expect(await gateway.code("retailB", READINGS, { filter: { accountId: "1" } })).toBe("FORBIDDEN");
      expect(
        (await gateway.ask("retailA", READINGS, { filter: { accountId: "2" } })).data?.readings.totalCount,
      ).toBe(49);
    });

    test("keyset pages walk every reading once, newest first; numbered pages agree", async () => {
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 20; page++) {
        const answer = await gateway.ask("retailA", READINGS, { first: 7, after });
        expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
        for (const node of answer.data?.readings.nodes ?? [])
          seen.push(`${node.intervalEnd}:${node.meterId}`);
        if (!answer.data?.readings.pageInfo.hasNextPage) break;
        after = answer.data.readings.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(98);
      expect(new Set(seen).size).toBe(98);
      const numbered = await gateway.ask("retailA", READINGS, { page: 3, size: 7 });
      expect(
        numbered.data?.readings.nodes.map(
          (node: { intervalEnd: number; meterId: string }) => `${node.intervalEnd}:${node.meterId}`,
        ),
      ).toEqual(seen.slice(14, 21));
      expect(await gateway.code("retailA", READINGS, { first: 2, after: "bm90IGEgY3Vyc29y" })).toBe(
        "BAD_USER_INPUT",
      );
    });
  },
);
