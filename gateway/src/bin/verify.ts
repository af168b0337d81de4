#!/usr/bin/env node
/**
 * Checks a GridLedger exchange file (JSON or CSV, docs/exchange-format.md) against any RPC node of the
 * network — nothing of the gateway is needed:
 *
 *   node gateway/dist/bin/verify.js FILE --rpc URL [--quiet]
 *
 * Prints one line per failed record with its reasons (every record with --verbose), then
 * `N verified, M failed`. Exit codes: 0 every record verified, 1 some failed, 2 bad usage or an
 * unreadable file, 3 the RPC node did not answer.
 */
import { readFile } from "node:fs/promises";
import { readExchangeFile } from "../exchange/readExchangeFile.js";
import { verifyExchangeRecords } from "../exchange/verifyExchangeRecords.js";
import { GatewayError } from "../internal/errors.js";

const USAGE = "usage: verify FILE --rpc URL [--verbose]\n";

async function main(argv: string[]): Promise<number> {
  let file: string | undefined;
  let rpcUrl: string | undefined;
  let verbose = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === "--rpc") rpcUrl = argv[++index];
    else if (argument === "--verbose") verbose = true;
    else if (argument.startsWith("--") || file) {
      process.stderr.write(`Unexpected argument ${argument}\n${USAGE}`);
      return 2;
    } else file = argument;
  }
  if (!file || !rpcUrl) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (!/^https?:\/\//.test(rpcUrl)) {
    process.stderr.write(`--rpc must be an http(s) URL, got ${rpcUrl}\n`);
    return 2;
  }
  let entries: ReturnType<typeof readExchangeFile>;
  try {
    entries = readExchangeFile(await readFile(file, "utf8"));
  } catch (error) {
    const message = error instanceof GatewayError ? `${error.message}` : (error as Error).message;
    process.stderr.write(`Cannot read ${file}: ${message}\n`);
    return 2;
  }
  let result: Awaited<ReturnType<typeof verifyExchangeRecords>>;
  try {
    result = await verifyExchangeRecords({ rpcUrl, entries });
  } catch (error) {
    process.stderr.write(
      `The RPC node at ${rpcUrl} did not answer: ${(error as Error).message.split("\n")[0]}\n`,
    );
    return 3;
  }
  for (const verdict of result.verdicts) {
    if (!verdict.ok) process.stdout.write(`FAILED ${verdict.label}: ${verdict.reasons.join("; ")}\n`);
    else if (verbose) process.stdout.write(`ok     ${verdict.label}\n`);
  }
  process.stdout.write(`${result.verified} verified, ${result.failed} failed\n`);
  return result.failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
