import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GridLedgerDeployment } from "@gridledger/contracts";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bundleGatewayCli } from "../_test/bundleGatewayCli.js";
import { deployForActors, freshActors, registerMetersWithDevice, testRpcUrl } from "../_test/chainFixture.js";

type Run = { code: number | null; stdout: string; stderr: string };

function run(cli: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // the commands read GRIDLEDGER_* settings; the test passes everything as options instead
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("GRIDLEDGER_")),
    );
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the backup, restore and indexer commands (SQLite)", () => {
  const folder = mkdtempSync(join(tmpdir(), "gl-ops-cli-"));
  const rpcUrl = testRpcUrl();
  let deploymentFile: string;
  let cli: { backup: string; restore: string; indexer: string };
  const live = `sqlite:${join(folder, "live.sqlite")}`;
  const restored = `sqlite:${join(folder, "restored.sqlite")}`;
  const rebuilt = `sqlite:${join(folder, "rebuilt.sqlite")}`;
  const backupFile = join(folder, "backups", "gateway.backup");

  beforeAll(async () => {
    const actors = await freshActors(rpcUrl);
    const deployment: GridLedgerDeployment = await deployForActors(rpcUrl, actors);
    await registerMetersWithDevice(rpcUrl, actors, deployment, ["CLI-1", "CLI-2", "CLI-3"]);
    deploymentFile = join(folder, "deployment.json");
    writeFileSync(deploymentFile, JSON.stringify(deployment));
    cli = {
      backup: await bundleGatewayCli("backup"),
      restore: await bundleGatewayCli("restore"),
      indexer: await bundleGatewayCli("indexer"),
    };
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const chainOptions = () => ["--rpc", rpcUrl, "--deployment", deploymentFile];

  test("index, back up, restore with the chain check, rebuild with progress and the end check; damage is reported", async () => {
    const indexed = await run(cli.indexer, ["index", "--db", live, ...chainOptions(), "--quiet"]);
    expect(indexed.code, indexed.stderr).toBe(0);
    const block = Number(/indexed up to block (\d+)/.exec(indexed.stdout)?.[1]);

    const backup = await run(cli.backup, ["--out", backupFile, "--db", live]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`indexer checkpoint block ${block}`);
    expect(existsSync(`${backupFile}.manifest.json`)).toBe(true);

    const refused = await run(cli.restore, ["--from", backupFile, "--db", restored]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("restore replaces the database: add --yes");

    const restore = await run(cli.restore, [
      "--from",
      backupFile,
      "--db",
      restored,
      "--yes",
      ...chainOptions(),
    ]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain(`indexer checkpoint block ${block}`);
    expect(restore.stdout).toMatch(/Registry\.MeterRegistered +chain +3 +database +3 +equal/);
    expect(restore.stdout).toMatch(
      new RegExp(`^equal: the database matches the chain up to block ${block}`, "m"),
    );

    const rebuild = await run(cli.indexer, [
      "reindex",
      "--db",
      rebuilt,
      ...chainOptions(),
      "--max-range",
      "3",
      "--progress-every",
      "0",
    ]);
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect(rebuild.stderr).toContain("reindex: emptying the chain tables");
    expect(rebuild.stderr).toMatch(/block \d+\/\d+ \(\d+\.\d%\)/);
    expect(rebuild.stdout).toMatch(/^equal: the database matches the chain up to block \d+/m);

    // a journal row lost from the restored database: verify says which kind differs and exits 1
    const raw = new BetterSqlite3(join(folder, "restored.sqlite"));
    raw
      .prepare(
        "delete from chain_events where event = 'MeterRegistered' and rowid = (select max(rowid) from chain_events where event = 'MeterRegistered')",
      )
      .run();
    raw.close();
    const verify = await run(cli.indexer, ["verify", "--db", restored, ...chainOptions(), "--quiet"]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/Registry\.MeterRegistered +chain +3 +database +2 +DIFFERENT/);
    expect(verify.stdout).toMatch(/^DIFFERENT: /m);
  });

  test("a backup of a database that does not exist fails with its code; bad usage exits 2", async () => {
    const missing = await run(cli.backup, [
      "--out",
      join(folder, "x.backup"),
      "--db",
      `sqlite:${join(folder, "none.sqlite")}`,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/BackupError \[BACKUP\]: No SQLite database at/);
    expect((await run(cli.backup, ["--db"])).code).toBe(2);
    expect((await run(cli.indexer, ["verify-all"])).code).toBe(2);
  });
});
