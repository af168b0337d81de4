import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { english, generateMnemonic } from "viem/accounts";
import { GENESIS_BLOCK_GAS_LIMIT } from "../besu/buildGenesis.js";
import { DevChainStartError } from "../errors.js";
import { EVM_VERSION } from "../evmVersion.js";
import { anvilBinaryPath } from "./anvilBinary.js";
import { DEV_ACCOUNT_COUNT, type DevAccounts, devAccounts, TEST_MNEMONIC } from "./devAccounts.js";
import { assertPortFree, findFreePort } from "./ports.js";

/** Chain id of the embedded development chain. Not 1337/31337, which wallets treat as "any local chain". */
export const DEV_CHAIN_ID = 17_001;

export type StartDevChainParameters = {
  /**
   * Folder that keeps the chain between runs (state dump and the generated mnemonic). Without it the
   * chain is ephemeral and uses the public test mnemonic. Default: none.
   */
  dataDir?: string | undefined;
  /** Default: `127.0.0.1`. */
  host?: string | undefined;
  /** Port to listen on; taken → {@link PortInUseError}. Default: a free port. */
  port?: number | undefined;
  /** Default: {@link DEV_CHAIN_ID}. */
  chainId?: number | undefined;
  /**
   * Seconds between blocks (interval mining, like a Besu block period). Automine is deliberately not
   * offered: it stalls under concurrent load and slows as the chain grows (performance-anchors.md).
   * Fractions are allowed; tests use 0.25. Default: `1`.
   */
  blockTimeSeconds?: number | undefined;
  /** How often anvil writes its state to `dataDir`, in seconds, so a crash loses at most this much. Default: `5`. */
  stateIntervalSeconds?: number | undefined;
  /** Milliseconds to wait for the first answer. Default: `30_000`. */
  startTimeoutMs?: number | undefined;
  /**
   * Unix seconds of the first block of a NEW chain (ignored when resuming a persisted one). Demo data
   * that bills a past month starts the chain a month back and moves its clock forward to now, so that
   * block times stay monotonic across restarts. Default: now.
   */
  startTimestamp?: number | undefined;
  /** Forward anvil's own output to this process's stderr. Default: `false`. */
  verbose?: boolean | undefined;
};

export type DevChain = {
  rpcUrl: string;
  chainId: number;
  host: string;
  port: number;
  mnemonic: string;
  /** The funded accounts, named by role (operator, gridCompany, …). */
  accounts: DevAccounts;
  /** Absent for an ephemeral chain. */
  dataDir: string | undefined;
  /** True when the chain was loaded from a state dump of an earlier run. */
  resumed: boolean;
  /** anvil's process id (benchmarks read its CPU time from /proc). */
  pid: number | undefined;
  /** Stops anvil, letting it write its state first. Safe to call twice. */
  stop(): Promise<void>;
};

/**
 * Starts anvil (from npm) as the embedded development chain, waits until it answers JSON-RPC, and
 * returns how to reach it. With `dataDir` the chain persists: a second start loads the state dump
 * and keeps every block, contract and balance.
 *
 * @example
 * const chain = await startDevChain({ dataDir: ".gridledger/chain" });
 * console.log(chain.rpcUrl); // http://127.0.0.1:41873
 * await chain.stop();
 */
export async function startDevChain(parameters: StartDevChainParameters = {}): Promise<DevChain> {
  const host = parameters.host ?? "127.0.0.1";
  const chainId = parameters.chainId ?? DEV_CHAIN_ID;
  const blockTime = parameters.blockTimeSeconds ?? 1;
  if (!(blockTime > 0)) {
    throw new DevChainStartError(`Invalid block time ${blockTime}`, {
      details: "a positive number of seconds",
    });
  }
  let port: number;
  if (parameters.port === undefined) port = await findFreePort(host);
  else {
    port = parameters.port;
    await assertPortFree(host, port);
  }

  const dataDir = parameters.dataDir ? path.resolve(parameters.dataDir) : undefined;
  const mnemonic = dataDir ? readOrCreateMnemonic(dataDir) : TEST_MNEMONIC;
  const statePath = dataDir ? path.join(dataDir, "anvil-state.json") : undefined;
  const resumed = statePath !== undefined && existsSync(statePath);

  const args = [
    "--host",
    host,
    "--port",
    String(port),
    "--chain-id",
    String(chainId),
    "--hardfork",
    EVM_VERSION,
    "--gas-limit",
    GENESIS_BLOCK_GAS_LIMIT.toString(),
    "--block-time",
    String(blockTime),
    "--mnemonic",
    mnemonic,
    "--accounts",
    String(DEV_ACCOUNT_COUNT),
    "--balance",
    "1000000",
    // Production runs with zero base fee and min gas price 0 (Besu zeroBaseFee); the dev chain matches.
    "--base-fee",
    "0",
    "--gas-price",
    "0",
    "--disable-min-priority-fee",
  ];
  if (statePath) {
    args.push("--state", statePath, "--state-interval", String(parameters.stateIntervalSeconds ?? 5));
    // Historical states let eth_call at past blocks and the indexer's re-reads work after a restart.
    args.push("--preserve-historical-states");
  }
  if (parameters.startTimestamp !== undefined && !resumed)
    args.push("--timestamp", String(parameters.startTimestamp));
  if (!parameters.verbose) args.push("--silent");

  const child = spawn(anvilBinaryPath(), args, {
    stdio: ["ignore", parameters.verbose ? "inherit" : "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    if (parameters.verbose) process.stderr.write(chunk);
  });
  const rpcUrl = `http://${host}:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  try {
    await waitForRpc(rpcUrl, chainId, parameters.startTimeoutMs ?? 30_000, exited, () => stderr);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopChild(child, exited);
    return stopping;
  };
  return {
    rpcUrl,
    chainId,
    host,
    port,
    mnemonic,
    accounts: devAccounts(mnemonic),
    dataDir,
    resumed,
    pid: child.pid,
    stop,
  };
}

function readOrCreateMnemonic(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, "mnemonic");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  // Keys are generated at setup, never committed: each persistent dev chain gets its own mnemonic.
  const mnemonic = generateMnemonic(english);
  writeFileSync(file, `${mnemonic}\n`, { mode: 0o600 });
  return mnemonic;
}

async function waitForRpc(
  rpcUrl: string,
  chainId: number,
  timeoutMs: number,
  exited: Promise<number | null>,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new DevChainStartError(`anvil exited with code ${exitCode} before answering`, {
        details: stderr().trim() || undefined,
      });
    }
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        signal: AbortSignal.timeout(1000),
      });
      const body = (await response.json()) as { result?: string };
      if (body.result !== undefined) {
        const answered = Number.parseInt(body.result, 16);
        if (answered !== chainId) {
          throw new DevChainStartError(
            `The chain at ${rpcUrl} answered chain id ${answered}, expected ${chainId}`,
          );
        }
        return;
      }
    } catch (error) {
      if (error instanceof DevChainStartError) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new DevChainStartError(`anvil did not answer at ${rpcUrl} within ${timeoutMs} ms`, {
    details: stderr().trim() || undefined,
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // SIGINT is anvil's Ctrl-C: it writes the state dump before exiting.
  child.kill("SIGINT");
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 10_000)),
  ]);
  if (timedOut) {
    child.kill("SIGKILL");
    await exited;
  }
}
