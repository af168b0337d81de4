import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../../db/_test/testDatabases.js";
import {
  ChainEvent,
  Consumer,
  type Database,
  Meter,
  openDatabase,
  TariffGroup,
  type TariffGroupRow,
} from "../../db/index.js";
import { WriteBatch } from "./writeBatch.js";

const origin = { blockNumber: 7, txHash: `0x${"cd".repeat(32)}`, logIndex: 1 };
const updated = { updatedBlock: 7, updatedTxHash: origin.txHash, updatedLogIndex: 1 };

for (const target of testDatabases("batch")) {
  describe(`WriteBatch on ${target.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await openDatabase({ url: target.url });
    });
    afterAll(async () => {
      await db?.close();
      await target.drop();
    });

    it("flush() stores free text, quotes, backslashes and JSON exactly (literal SQL is escaped)", async () => {
      const name = "ул. Ленина, д. 5 'A' \\ \"x\"; drop table meters; --";
      const group: TariffGroupRow = {
        id: 1,
        retailCompany: `0x${"11".repeat(20)}`,
        retailCompanyId: 2,
        consumerType: 1,
        priceCategory: 0,
        name,
        nameHex: `0x${"00".repeat(32)}`,
        deleted: false,
        ...origin,
        ...updated,
      };
      await db.em().transactional(async (em) => {
        const batch = new WriteBatch(em);
        batch.create(TariffGroup, group);
        batch.insert(ChainEvent, {
          ...origin,
          contract: "Tariffs",
          event: "TariffGroupCreated",
          args: { name, nested: { list: [1, "2"] } },
          blockTime: 1,
        });
        await batch.flush();
      });
      expect({ ...(await db.em().findOneOrFail(TariffGroup, { id: 1 })) }).toEqual(group);
      expect((await db.em().findOneOrFail(ChainEvent, { blockNumber: 7, logIndex: 1 })).args).toEqual({
        name,
        nested: { list: [1, "2"] },
      });
      expect(await db.em().count(Meter, {})).toBe(0);
    });

    it("update() of a row from an earlier batch writes only that row; a failing flush writes nothing", async () => {
      await db.em().transactional(async (em) => {
        const batch = new WriteBatch(em);
        const found = await batch.update(TariffGroup, { id: 1 }, (row) => {
          row.deleted = true;
        });
        expect(found?.deleted).toBe(true);
        expect(await batch.update(TariffGroup, { id: 99 }, () => {})).toBeUndefined();
        await batch.flush();
      });
      expect((await db.em().findOneOrFail(TariffGroup, { id: 1 })).deleted).toBe(true);

      await expect(
        db.em().transactional(async (em) => {
          const batch = new WriteBatch(em);
          batch.create(Consumer, { address: `0x${"22".repeat(20)}`, ...origin });
          // The same journal key again: the insert fails and the whole transaction rolls back.
          batch.insert(ChainEvent, { ...origin, contract: "X", event: "Y", args: {}, blockTime: 1 });
          await batch.flush();
        }),
      ).rejects.toThrow();
      expect(await db.em().count(Consumer, {})).toBe(0);
    });
  });
}
