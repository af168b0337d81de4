import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { startDevChain } from "../devChain/startDevChain.js";
import { NetworkError } from "../errors.js";
import { registerBesuCommands } from "./besuCommands.js";

/**
 * Builds the `network` command line: `dev` runs the embedded development chain; the Besu
 * consortium commands (`init`, `add-node`, …) come from {@link registerBesuCommands}.
 */
export function createNetworkProgram(): Command {
  const program = new Command("network")
    .description("GridLedger networks: the embedded dev chain and the Besu QBFT consortium")
    .showHelpAfterError();

  program
    .command("dev")
    .description("run the embedded development chain (anvil from npm) until Ctrl-C")
    .option("--data-dir <dir>", "folder that keeps the chain between runs", ".gridledger/chain")
    .option("--port <port>", "JSON-RPC port", port, 8545)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--block-time <seconds>", "seconds between blocks", positiveNumber, 1)
    .option("--ephemeral", "do not persist the chain (ignores --data-dir)")
    .action(
      async (options: {
        dataDir: string;
        port: number;
        host: string;
        blockTime: number;
        ephemeral?: boolean;
      }) => {
        const chain = await startDevChain({
          dataDir: options.ephemeral ? undefined : path.resolve(options.dataDir),
          port: options.port,
          host: options.host,
          blockTimeSeconds: options.blockTime,
        });
        process.stdout.write(
          `dev chain ${chain.resumed ? "resumed" : "started"}: ${chain.rpcUrl} (chain id ${chain.chainId})\n` +
            `operator account: ${chain.accounts.operator.address}\n` +
            (chain.dataDir
              ? `state and mnemonic kept in ${chain.dataDir}\n`
              : "ephemeral: nothing is kept\n"),
        );
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await chain.stop();
        process.stdout.write("dev chain stopped, state written\n");
      },
    );

  registerBesuCommands(program);
  return program;
}

/** Runs the CLI; a {@link NetworkError} prints its message as one clear line and exits non-zero. */
export async function runNetworkCli(argv: string[]): Promise<void> {
  try {
    await createNetworkProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof NetworkError) {
      process.stderr.write(`network: ${error.shortMessage}${error.details ? ` (${error.details})` : ""}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65_535) {
    throw new InvalidArgumentError("a port is a whole number from 1 to 65535");
  }
  return parsed;
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0)) throw new InvalidArgumentError("expected a positive number");
  return parsed;
}
