import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevChain, startDevChain } from "@gridledger/network";
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../db/_test/testDatabases.js";
import { Reading } from "../db/entities/index.js";
import { dropMysqlDatabase, openDatabase } from "../db/openDatabase.js";
import { snapshotTables } from "../indexer/_test/compareWithChain.js";
import { runScenario, type Scenario } from "../indexer/_test/scenario.js";
import { createIndexer } from "../indexer/createIndexer.js";
import { reindex } from "../indexer/reindex.js";
import { CHAIN_TABLES } from "../indexer/store/chainTables.js";
import { backupDatabase } from "./backupDatabase.js";
import { manifestPath } from "./backupManifest.js";
import { BackupError } from "./opsErrors.js";
import { restoreDatabase } from "./restoreDatabase.js";
import { formatVerifyReport, verifyAgainstChain } from "./verifyAgainstChain.js";

let chain: DevChain;
let scenario: Scenario;
const folder = mkdtempSync(join(tmpdir(), "gl-backup-"));

beforeAll(async () => {
  // the scenario moves the chain's clock, so it gets a chain of its own
  chain = await startDevChain({ blockTimeSeconds: 0.1 });
  scenario = await runScenario(chain.rpcUrl);
});
afterAll(async () => {
  await chain?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** Two more readings an hour later than anything on the chain so far. */
async function moreReadings(): Promise<number> {
  const client = createPublicClient({ transport: http(chain.rpcUrl) });
  await client.request({ method: "evm_increaseTime" as never, params: [3600] as never });
  await client.request({ method: "evm_mine" as never, params: [] as never });
  const ends = [Math.floor((await scenario.now()) / 1800) * 1800];
  const receipt = await scenario.submitReadings([scenario.meterIds[0]!, scenario.meterIds[1]!], ends);
  return Number(receipt.blockNumber);
}

describe.each(testDatabases("ops"))(
  "backup, restore, reindex and the chain check on $name",
  (testDatabase) => {
    const rebuiltUrl =
      testDatabase.name === "sqlite"
        ? `sqlite:${join(folder, "rebuilt.sqlite")}`
        : `${testDatabase.url}_rebuilt`;
    afterAll(async () => {
      await testDatabase.drop();
      if (testDatabase.name === "mysql") await dropMysqlDatabase(rebuiltUrl);
    });

    test("a backup holds its checkpoint; damage is found; a restore resumes indexing; reindex rebuilds the same rows", async () => {
      const { deployment } = scenario;
      const rpcUrl = chain.rpcUrl;
      const file = join(folder, `${testDatabase.name}.backup`);
      let db = await openDatabase({ url: testDatabase.url });
      const indexer = () => createIndexer({ db, rpcUrl, deployment });
      await indexer().run();

      // the freshly indexed database equals the chain, kind by kind
      const fresh = await verifyAgainstChain({ db, rpcUrl, deployment, maxBlockRange: 50 });
      expect(formatVerifyReport(fresh).at(-1)).toMatch(
        /^equal: the database matches the chain up to block \d+/,
      );
      expect(fresh.equal).toBe(true);
      const readingsGroup = fresh.groups.find((group) => group.name === "readings")!;
      expect(readingsGroup.chain.count).toBeGreaterThan(10);
      expect(fresh.groups.map((group) => group.name)).toEqual(
        expect.arrayContaining(["Readings.MeterReadingsRecorded", "Registry.MeterRegistered", "readings"]),
      );

      // backup while the database is open (online), the checkpoint in the manifest is the one in the file
      const manifest = await backupDatabase({ url: testDatabase.url, file });
      const checkpointAtBackup = (await indexer().checkpoint())!;
      expect(manifest).toMatchObject({
        format: "gridledger-backup/1",
        dialect: testDatabase.name,
        checkpoint: { blockNumber: checkpointAtBackup.blockNumber, blockHash: checkpointAtBackup.blockHash },
      });
      expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/);

      // the chain moves on and the index follows it past the backup
      const laterBlock = await moreReadings();
      await indexer().run();
      expect((await indexer().checkpoint())!.blockNumber).toBeGreaterThanOrEqual(laterBlock);

      // damage: one reading altered, one deleted → the check says DIFFERENT for readings, and only there
      const em = db.em();
      const [first, second] = await em.find(
        Reading,
        {},
        { orderBy: { meterId: "asc", intervalEnd: "asc" }, limit: 2 },
      );
      await em.nativeUpdate(
        Reading,
        { meterId: first!.meterId, intervalEnd: first!.intervalEnd },
        { importT1: 1 },
      );
      await em.nativeDelete(Reading, { meterId: second!.meterId, intervalEnd: second!.intervalEnd });
      const damaged = await verifyAgainstChain({ db, rpcUrl, deployment });
      expect(damaged.equal).toBe(false);
      expect(damaged.groups.filter((group) => !group.equal).map((group) => group.name)).toEqual(["readings"]);
      const damagedReadings = damaged.groups.find((group) => group.name === "readings")!;
      expect(damagedReadings.database.count).toBe(damagedReadings.chain.count - 1);
      expect(formatVerifyReport(damaged).join("\n")).toMatch(/readings .*DIFFERENT[\s\S]*^DIFFERENT: /m);
      await db.close();

      // restore: the database is the backup again (the checkpoint before the later readings) and equals the chain there
      const restored = await restoreDatabase({ url: testDatabase.url, file });
      expect(restored.checkpoint?.blockNumber).toBe(checkpointAtBackup.blockNumber);
      db = await openDatabase({ url: testDatabase.url });
      expect((await indexer().checkpoint())!.blockNumber).toBe(checkpointAtBackup.blockNumber);
      expect((await verifyAgainstChain({ db, rpcUrl, deployment })).equal).toBe(true);
      // and the indexer resumes after it: the later readings arrive, nothing twice
      await indexer().run();
      const caughtUp = await verifyAgainstChain({ db, rpcUrl, deployment });
      expect(caughtUp.equal).toBe(true);
      expect(caughtUp.checkpoint).toBeGreaterThanOrEqual(laterBlock);
      expect(caughtUp.groups.find((group) => group.name === "readings")!.database.count).toBe(
        readingsGroup.chain.count + 2,
      );

      // the alternative: rebuild from the chain into an empty database; same rows as the restored one
      const rebuilt = await openDatabase({ url: rebuiltUrl });
      const progress: number[] = [];
      await reindex(
        {
          db: rebuilt,
          rpcUrl,
          deployment,
          maxBlockRange: 20,
          onProgress: (p) => progress.push(p.checkpoint),
        },
        { untilBlock: caughtUp.checkpoint },
      );
      expect(progress.length).toBeGreaterThan(2);
      expect((await verifyAgainstChain({ db: rebuilt, rpcUrl, deployment })).equal).toBe(true);
      expect(await snapshotTables(rebuilt, CHAIN_TABLES)).toBe(await snapshotTables(db, CHAIN_TABLES));
      await rebuilt.close();
      await db.close();
    });

    test("a damaged backup file, a missing manifest or the other kind of database is refused before anything is touched", async () => {
      const file = join(folder, `${testDatabase.name}.backup`);
      const other =
        testDatabase.name === "sqlite"
          ? "mysql://root@127.0.0.1:1/gl_none"
          : `sqlite:${join(folder, "x.sqlite")}`;
      await expect(restoreDatabase({ url: other, file })).rejects.toThrow(
        /backup is a .* database; the target is/,
      );
      const copy = join(folder, `${testDatabase.name}.damaged`);
      writeFileSync(copy, "not a backup");
      await expect(restoreDatabase({ url: testDatabase.url, file: copy })).rejects.toThrow(
        /No manifest beside the backup/,
      );
      writeFileSync(
        manifestPath(copy),
        JSON.stringify({ format: "gridledger-backup/1", sha256: "0".repeat(64) }),
      );
      const error = await restoreDatabase({ url: testDatabase.url, file: copy }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(BackupError);
      expect((error as BackupError).shortMessage).toMatch(/is damaged: its SHA-256 differs/);
      // the database is still the one restored and caught up above
      const db = await openDatabase({ url: testDatabase.url });
      expect(
        (await verifyAgainstChain({ db, rpcUrl: chain.rpcUrl, deployment: scenario.deployment })).equal,
      ).toBe(true);
      await db.close();
    });
  },
);
