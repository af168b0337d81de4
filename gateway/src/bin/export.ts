#!/usr/bin/env node
/**
 * Exports readings and invoices from the gateway's index in the exchange format
 * (docs/exchange-format.md), ready for `verify`:
 *
 *   node gateway/dist/bin/export.js [--meter ID]... [--account ID]... [--from ISO] [--to ISO]
 *        [--type reading|invoice] [--format json|csv] [--out FILE] [--db URL] [--rpc URL] [--deployment FILE]
 *
 * `--db`, `--rpc` and `--deployment` fall back to GRIDLEDGER_DATABASE_URL, GRIDLEDGER_RPC_URL and
 * GRIDLEDGER_DEPLOYMENTS_FILE (README "Settings"). The RPC node gives the block hashes (the index
 * keeps block numbers). Exit codes: 0 written, 1 refused (printed with its code), 2 bad usage.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { readDeploymentsFile } from "@gridledger/contracts";
import { createPublicClient, http } from "viem";
import { readSystemConfig } from "../config/systemConfig.js";
import { openDatabase } from "../db/openDatabase.js";
import { blockHashesFromRpc } from "../exchange/blockHashesFromRpc.js";
import { toExchangeCsv } from "../exchange/exchangeCsv.js";
import type { ExchangeFilter } from "../exchange/exchangeFormat.js";
import { exportLedgerRecords } from "../exchange/exportLedgerRecords.js";
import { GatewayError } from "../internal/errors.js";

class UsageError extends Error {}

type Options = { single: Record<string, string>; meters: string[]; accounts: string[] };

function parseArguments(argv: string[]): Options {
  const options: Options = { single: {}, meters: [], accounts: [] };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const value = argv[index + 1];
    if (!argument.startsWith("--") || value === undefined)
      throw new UsageError(`Unexpected argument ${argument}`);
    index++;
    const name = argument.slice(2);
    if (name === "meter") options.meters.push(decimal(value, name));
    else if (name === "account") options.accounts.push(decimal(value, name));
    else if (["from", "to", "type", "format", "out", "db", "rpc", "deployment"].includes(name))
      options.single[name] = value;
    else throw new UsageError(`Unknown option ${argument}`);
  }
  return options;
}

function decimal(value: string, name: string): string {
  if (!/^(0|[1-9][0-9]*)$/.test(value)) throw new UsageError(`--${name} needs a decimal id, got ${value}`);
  return value;
}

function seconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new UsageError(`--${name} needs an ISO date or time, got ${value}`);
  return Math.floor(time / 1000);
}

async function main(): Promise<number> {
  let options: Options;
  let filter: ExchangeFilter;
  let format: string;
  try {
    options = parseArguments(process.argv.slice(2));
    format = options.single.format ?? "json";
    if (format !== "json" && format !== "csv") throw new UsageError("--format is json or csv");
    const type = options.single.type;
    if (type !== undefined && type !== "reading" && type !== "invoice")
      throw new UsageError("--type is reading or invoice");
    filter = {
      ...(options.meters.length > 0 ? { meterIds: options.meters } : {}),
      ...(options.accounts.length > 0 ? { accountIds: options.accounts } : {}),
      ...(options.single.from ? { from: seconds(options.single.from, "from") } : {}),
      ...(options.single.to ? { to: seconds(options.single.to, "to") } : {}),
      ...(type ? { types: [type] } : {}),
    };
  } catch (error) {
    process.stderr.write(
      `${(error as Error).message}\nusage: export [--meter ID]... [--account ID]... [--from ISO] [--to ISO] [--type reading|invoice] [--format json|csv] [--out FILE] [--db URL] [--rpc URL] [--deployment FILE]\n`,
    );
    return 2;
  }
  const config = readSystemConfig(process.env);
  const rpcUrl = options.single.rpc ?? config.rpcUrl;
  if (!rpcUrl) {
    process.stderr.write("No chain: pass --rpc URL or set GRIDLEDGER_RPC_URL\n");
    return 2;
  }
  const client = createPublicClient({ transport: http(rpcUrl, { timeout: 30_000, retryCount: 3 }) });
  const deploymentFile =
    options.single.deployment ??
    config.deploymentsFile ??
    path.join(config.dataDir, "deployments", `${await client.getChainId()}.json`);
  const deployment = await readDeploymentsFile(deploymentFile);
  if (!deployment) {
    process.stderr.write(`No valid deployment in ${deploymentFile}: pass --deployment FILE\n`);
    return 2;
  }
  const db = await openDatabase({ url: options.single.db ?? config.databaseUrl, migrate: false });
  try {
    const document = await exportLedgerRecords({
      em: db.em(),
      chainId: deployment.chainId,
      contracts: deployment.contracts,
      filter,
      blockHashes: blockHashesFromRpc(client),
    });
    const text =
      format === "csv" ? toExchangeCsv(document.records) : `${JSON.stringify(document, null, 1)}\n`;
    if (options.single.out) {
      await writeFile(options.single.out, text);
      process.stderr.write(`${document.records.length} records written to ${options.single.out}\n`);
    } else process.stdout.write(text);
    return 0;
  } catch (error) {
    if (error instanceof GatewayError) {
      process.stderr.write(`${error.name} [${error.code}]: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
