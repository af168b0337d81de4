#!/usr/bin/env node
/**
 * Backs up the gateway's database online, consistently with the indexer checkpoint:
 *
 *   node gateway/dist/bin/backup.js --out FILE [--db URL]
 *
 * `--db` falls back to GRIDLEDGER_DATABASE_URL (default sqlite:<data dir>/gateway.sqlite). SQLite uses
 * the online backup API; MySQL/MariaDB `mariadb-dump --single-transaction` (the MariaDB client must be
 * installed). Writes FILE and FILE.manifest.json (checkpoint, size, SHA-256) and prints the manifest.
 * The gateway may keep running. Exit codes: 0 done, 1 failed (printed with its code), 2 bad usage.
 */
import { readSystemConfig } from "../config/systemConfig.js";
import { GatewayError } from "../internal/errors.js";
import { backupDatabase } from "../ops/backupDatabase.js";
import { manifestPath } from "../ops/backupManifest.js";
import { parseCliOptions } from "../ops/parseCliOptions.js";

async function main(): Promise<number> {
  const options = parseCliOptions(process.argv.slice(2), { values: ["out", "db"], flags: [] });
  if ("error" in options || typeof options.out !== "string") {
    process.stderr.write(
      `${"error" in options ? `${options.error}\n` : ""}usage: backup --out FILE [--db URL]\n`,
    );
    return 2;
  }
  try {
    const url = (options.db as string | undefined) ?? readSystemConfig(process.env).databaseUrl;
    const started = Date.now();
    const manifest = await backupDatabase({ url, file: options.out });
    const at = manifest.checkpoint
      ? `indexer checkpoint block ${manifest.checkpoint.blockNumber} (${manifest.checkpoint.blockHash})`
      : "no indexer checkpoint (the database was never indexed)";
    process.stdout.write(
      `backup written: ${options.out} (${manifest.dialect}, ${manifest.bytes} bytes, sha256 ${manifest.sha256}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
        `  ${at}\n  manifest ${manifestPath(options.out)}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof GatewayError) {
      process.stderr.write(`${error.name} [${error.code}]: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
