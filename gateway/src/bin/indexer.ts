#!/usr/bin/env node
/**
 * The chain indexer as a command:
 *
 *   node gateway/dist/bin/indexer.js index   [--follow] [--until N] [options]
 *   node gateway/dist/bin/indexer.js reindex [--follow] [options]
 *   node gateway/dist/bin/indexer.js verify  [options]
 *
 * `reindex` (without --follow) ends with the chain check that `verify` runs alone: every log of the
 * deployment re-fetched from the node, counted and digested per event kind and for the readings, and
 * compared with the database up to its checkpoint; it prints one line per kind and `equal` or
 * `DIFFERENT` (exit code 1). `--no-verify` skips it.
 *
 * Options (each falls back to the setting named, see README "Settings"):
 *   --db URL            GRIDLEDGER_DATABASE_URL (default sqlite:<data dir>/gateway.sqlite)
 *   --rpc URL           GRIDLEDGER_RPC_URL (required)
 *   --deployment FILE   GRIDLEDGER_DEPLOYMENTS_FILE (default <data dir>/deployments/<chain id>.json)
 *   --on-reorg stop|rebuild   default stop
 *   --max-range N       largest eth_getLogs range, default 5000
 *   --quiet             no progress display
 *   --progress-every MS on a non-terminal, at most one progress line per MS (default 2000)
 *
 * Progress goes to stderr: one line rewritten in place on a terminal, a line every few seconds
 * otherwise. Exit codes: 0 done (or stopped by SIGINT/SIGTERM after the current transaction),
 * 1 a non-retryable error (printed with its code), 2 bad usage.
 */
import path from "node:path";
import { readDeploymentsFile } from "@gridledger/contracts";
import { createPublicClient, http } from "viem";
import { readSystemConfig } from "../config/systemConfig.js";
import { openDatabase } from "../db/openDatabase.js";
import { createIndexer, type IndexerProgress } from "../indexer/createIndexer.js";
import { GatewayError, RetryableError } from "../internal/errors.js";
import { formatVerifyReport, verifyAgainstChain } from "../ops/verifyAgainstChain.js";

type Options = Record<string, string | true>;

function parseArguments(argv: string[]): { command: string; options: Options } {
  const [command = "", ...rest] = argv;
  const options: Options = {};
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index]!;
    if (!argument.startsWith("--")) throw new UsageError(`Unexpected argument ${argument}`);
    const name = argument.slice(2);
    if (["follow", "quiet", "no-verify"].includes(name)) options[name] = true;
    else {
      const value = rest[++index];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options[name] = value;
    }
  }
  if (command !== "index" && command !== "reindex" && command !== "verify")
    throw new UsageError(`Unknown command "${command}"`);
  return { command, options };
}

class UsageError extends Error {}

function formatProgress(progress: IndexerProgress): string {
  const total = Math.max(1, progress.head - progress.deployedAtBlock + 1);
  const done = Math.max(0, progress.checkpoint - progress.deployedAtBlock + 1);
  const percent = Math.min(100, (100 * done) / total).toFixed(1);
  const seconds = Math.max(0.001, progress.elapsedMs / 1000);
  const rate = Math.round(progress.readings / seconds);
  return `block ${progress.checkpoint}/${progress.head} (${percent}%)  logs ${progress.logs}  readings ${progress.readings} (${rate}/s)  range ${progress.rangeSize}`;
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArguments>;
  try {
    parsed = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `${(error as Error).message}\nusage: indexer index|reindex|verify [--follow] [--no-verify] [--db URL] [--rpc URL] [--deployment FILE]\n`,
    );
    return 2;
  }
  const { command, options } = parsed;
  const config = readSystemConfig(process.env);
  const rpcUrl = (options.rpc as string | undefined) ?? config.rpcUrl;
  if (!rpcUrl) {
    process.stderr.write("No chain: pass --rpc URL or set GRIDLEDGER_RPC_URL\n");
    return 2;
  }
  let deploymentFile = (options.deployment as string | undefined) ?? config.deploymentsFile;
  if (!deploymentFile) {
    const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
    deploymentFile = path.join(config.dataDir, "deployments", `${chainId}.json`);
  }
  const deployment = await readDeploymentsFile(deploymentFile);
  if (!deployment) {
    process.stderr.write(`No valid deployment in ${deploymentFile}: pass --deployment FILE\n`);
    return 2;
  }
  const onReorg = options["on-reorg"] ?? "stop";
  if (onReorg !== "stop" && onReorg !== "rebuild") {
    process.stderr.write("--on-reorg is stop or rebuild\n");
    return 2;
  }

  const db = await openDatabase({ url: (options.db as string | undefined) ?? config.databaseUrl });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const tty = process.stderr.isTTY;
  const check = async (): Promise<number> => {
    if (!options.quiet)
      process.stderr.write("checking the database against the chain (re-fetching every log)\n");
    const result = await verifyAgainstChain({
      db,
      rpcUrl,
      deployment,
      maxBlockRange: options["max-range"] ? Number(options["max-range"]) : undefined,
      onProgress: (progress) => {
        if (options.quiet || progress.phase !== "chain" || !tty) return;
        process.stderr.write(`\rchain logs: ${progress.done}/${progress.total} blocks\x1b[K`);
      },
    });
    if (tty && !options.quiet) process.stderr.write("\r\x1b[K");
    process.stdout.write(`${formatVerifyReport(result).join("\n")}\n`);
    return result.equal ? 0 : 1;
  };
  if (command === "verify") {
    try {
      return await check();
    } finally {
      await db.close();
    }
  }
  const progressEvery = options["progress-every"] ? Number(options["progress-every"]) : 2000;
  let lastLine = 0;
  const show = (progress: IndexerProgress) => {
    if (options.quiet) return;
    const line = formatProgress(progress);
    if (tty) process.stderr.write(`\r${line}\x1b[K`);
    else if (Date.now() - lastLine >= progressEvery) {
      lastLine = Date.now();
      process.stderr.write(`${line}\n`);
    }
  };
  const indexer = createIndexer({
    db,
    rpcUrl,
    deployment,
    onReorg,
    maxBlockRange: options["max-range"] ? Number(options["max-range"]) : undefined,
    onProgress: show,
  });
  try {
    if (command === "reindex") {
      process.stderr.write("reindex: emptying the chain tables, rebuilding from the deployment block\n");
      await indexer.clear();
    }
    for (;;) {
      try {
        const progress = await indexer.run({
          follow: options.follow === true,
          signal: controller.signal,
          untilBlock: options.until ? Number(options.until) : undefined,
        });
        if (!options.quiet) process.stderr.write(`${tty ? "\r" : ""}${formatProgress(progress)}\x1b[K\n`);
        process.stdout.write(`indexed up to block ${progress.checkpoint}\n`);
        if (command === "reindex" && !options.follow && !options["no-verify"] && !controller.signal.aborted)
          return await check();
        return 0;
      } catch (error) {
        if (!(error instanceof RetryableError) || controller.signal.aborted) throw error;
        process.stderr.write(`\n${error.shortMessage} (${error.code}); retrying in 2 s\n`);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  } catch (error) {
    if (error instanceof GatewayError) {
      process.stderr.write(`\n${error.name} [${error.code}]: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
