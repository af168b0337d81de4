#!/usr/bin/env node
/**
 * Replaces the gateway's database with a backup, then (with --rpc) checks it against the chain:
 *
 *   node gateway/dist/bin/restore.js --from FILE --yes [--db URL] [--rpc URL --deployment FILE]
 *
 * Stop the gateway (and any indexer) on that database first. `--yes` confirms that the database's
 * current content is replaced. `--db`, `--rpc` and `--deployment` fall back to GRIDLEDGER_DATABASE_URL,
 * GRIDLEDGER_RPC_URL and GRIDLEDGER_DEPLOYMENTS_FILE. After a restore the gateway's indexer resumes
 * after the backup's checkpoint and catches up with the chain by itself.
 * Exit codes: 0 restored (and equal to the chain when checked), 1 failed or different, 2 bad usage.
 */
import { readDeploymentsFile } from "@gridledger/contracts";
import { readSystemConfig } from "../config/systemConfig.js";
import { openDatabase } from "../db/openDatabase.js";
import { GatewayError } from "../internal/errors.js";
import { parseCliOptions } from "../ops/parseCliOptions.js";
import { restoreDatabase } from "../ops/restoreDatabase.js";
import { formatVerifyReport, verifyAgainstChain } from "../ops/verifyAgainstChain.js";

async function main(): Promise<number> {
  const options = parseCliOptions(process.argv.slice(2), {
    values: ["from", "db", "rpc", "deployment"],
    flags: ["yes"],
  });
  if ("error" in options || typeof options.from !== "string" || options.yes !== true) {
    process.stderr.write(
      `${"error" in options ? `${options.error}\n` : options.yes !== true && typeof options.from === "string" ? "restore replaces the database: add --yes\n" : ""}usage: restore --from FILE --yes [--db URL] [--rpc URL --deployment FILE]\n`,
    );
    return 2;
  }
  try {
    const config = readSystemConfig(process.env);
    const url = (options.db as string | undefined) ?? config.databaseUrl;
    const manifest = await restoreDatabase({ url, file: options.from });
    process.stdout.write(
      `restored ${options.from} (${manifest.dialect}, made ${manifest.createdAt})${
        manifest.checkpoint ? `; indexer checkpoint block ${manifest.checkpoint.blockNumber}` : ""
      }\n`,
    );
    const rpcUrl = (options.rpc as string | undefined) ?? config.rpcUrl;
    const deploymentFile = (options.deployment as string | undefined) ?? config.deploymentsFile;
    if (!rpcUrl || !deploymentFile) {
      process.stdout.write(
        "not checked against the chain (pass --rpc and --deployment, or run `indexer verify`)\n",
      );
      return 0;
    }
    const deployment = await readDeploymentsFile(deploymentFile);
    if (!deployment) {
      process.stderr.write(`No valid deployment in ${deploymentFile}\n`);
      return 2;
    }
    const db = await openDatabase({ url });
    try {
      const result = await verifyAgainstChain({ db, rpcUrl, deployment });
      process.stdout.write(`${formatVerifyReport(result).join("\n")}\n`);
      return result.equal ? 0 : 1;
    } finally {
      await db.close();
    }
  } catch (error) {
    if (error instanceof GatewayError) {
      process.stderr.write(`${error.name} [${error.code}]: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
