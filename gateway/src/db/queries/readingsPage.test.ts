import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../_test/testDatabases.js";
import { Reading, type ReadingRow } from "../entities/index.js";
import { type Database, openDatabase } from "../openDatabase.js";
import { type ReadingsFilter, readingsPage } from "./readingsPage.js";

const T0 = 1_767_225_600;
const rows: ReadingRow[] = [];
for (let meterId = 1; meterId <= 6; meterId++) {
  for (let step = 0; step < 30; step++) {
    rows.push({
      meterId,
      intervalEnd: T0 + step * 1800,
      status: 0,
      registerMask: 1,
      source: 0,
      importT1: meterId * 1000 + step,
      importT2: null,
      importT3: null,
      importT4: null,
      export: null,
      accountId: meterId,
      retailCompanyId: meterId <= 2 ? null : 2 + (meterId % 2),
      blockNumber: 10 + step,
      txHash: `0x${String(step).padStart(64, "0")}`,
      logIndex: meterId,
    });
  }
}

function expected(filter: ReadingsFilter): ReadingRow[] {
  return rows
    .filter(
      (row) =>
        (!filter.meterIds || filter.meterIds.includes(row.meterId)) &&
        (filter.retailCompanyId === undefined || row.retailCompanyId === filter.retailCompanyId) &&
        (filter.from === undefined || row.intervalEnd >= filter.from) &&
        (filter.to === undefined || row.intervalEnd <= filter.to),
    )
    .sort((a, b) => b.intervalEnd - a.intervalEnd || b.meterId - a.meterId);
}

for (const target of testDatabases("pages")) {
  describe(`readingsPage() on ${target.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await openDatabase({ url: target.url });
      await db.em().insertMany(Reading, rows);
    });
    afterAll(async () => {
      await db?.close();
      await target.drop();
    });

    const filters: [string, ReadingsFilter][] = [
      ["no filter", {}],
      ["date range", { from: T0 + 5 * 1800, to: T0 + 20 * 1800 }],
      ["retail company and date range", { retailCompanyId: 3, from: T0 + 3 * 1800, to: T0 + 25 * 1800 }],
      ["meters", { meterIds: [2, 5] }],
      ["meters and date range", { meterIds: [1, 4, 6], from: T0 + 28 * 1800 }],
    ];
    for (const [name, filter] of filters) {
      it(`pages through ${name}: every matching reading once, newest first`, async () => {
        const seen: ReadingRow[] = [];
        let after: { intervalEnd: number; meterId: number } | undefined;
        for (let page = 0; page < 100; page++) {
          const result = await readingsPage(db.em(), db.dialect, { filter, limit: 7, after });
          seen.push(...result.rows);
          if (!result.next) break;
          after = result.next;
        }
        expect(seen).toEqual(expected(filter));
      });
    }

    it("returns nothing for an empty meter list, and refuses non-integer input", async () => {
      expect((await readingsPage(db.em(), db.dialect, { filter: { meterIds: [] } })).rows).toEqual([]);
      await expect(readingsPage(db.em(), db.dialect, { filter: { from: 1.5 } })).rejects.toBeInstanceOf(
        RangeError,
      );
    });
  });
}
