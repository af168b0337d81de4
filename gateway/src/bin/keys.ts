#!/usr/bin/env node
// The gateway's keystore at setup (docs/security.md, "Key custody"): generates the key of an
// organisation or a consumer in GRIDLEDGER_KEYSTORE_DIR (or --keystore) and prints the address to
// register on chain. Keys never leave the machine and are never printed.
//
//   node gateway/dist/bin/keys.js generate --organisation "Retail company A"
//   node gateway/dist/bin/keys.js generate --consumer LS-0001
//   node gateway/dist/bin/keys.js list
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { readSystemConfig } from "../config/systemConfig.js";
import { GatewayError } from "../internal/errors.js";
import { generateKey, listKeys } from "../keys/keystore.js";

const keystoreOf = (option: string | undefined) =>
  option ? path.resolve(option) : readSystemConfig(process.env).keystoreDir;

const program = new Command("keys").description("organisation and consumer keys of the gateway's keystore");

program
  .command("generate")
  .description("generate a key (mode 0600) and print its address to register on chain")
  .option("--organisation <label>", "an organisation's key (the operator registers its address)")
  .option("--consumer <label>", "a consumer's key (the retail company opens the account with its address)")
  .option("--keystore <dir>", "keystore folder (default: GRIDLEDGER_KEYSTORE_DIR, else <data dir>/keystore)")
  .option("--json", "print JSON")
  .action((options: { organisation?: string; consumer?: string; keystore?: string; json?: boolean }) => {
    if (Boolean(options.organisation) === Boolean(options.consumer)) {
      throw new InvalidArgumentError("give exactly one of --organisation <label> or --consumer <label>");
    }
    const kind = options.organisation ? "organisation" : "consumer";
    const label = options.organisation ?? options.consumer!;
    const { address, file } = generateKey({ directory: keystoreOf(options.keystore), kind });
    if (options.json) process.stdout.write(`${JSON.stringify({ kind, label, address, file })}\n`);
    else {
      process.stdout.write(
        `${kind} key for "${label}": ${address}\n  kept in ${file} (mode 0600)\n` +
          (kind === "organisation"
            ? "  next: the operator registers this address (Registry.registerOrganisation) and grants its role (docs/deployment.md)\n"
            : "  next: the retail company opens or updates the account with this address as its consumer\n"),
      );
    }
  });

program
  .command("list")
  .description("the addresses the keystore holds keys for")
  .option("--keystore <dir>", "keystore folder")
  .action((options: { keystore?: string }) => {
    for (const key of listKeys(keystoreOf(options.keystore))) {
      process.stdout.write(`${key.kind.padEnd(12)} ${key.address}\n`);
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof GatewayError) {
    process.stderr.write(`keys: ${error.shortMessage}${error.details ? ` (${error.details})` : ""}\n`);
    process.exit(2);
  }
  if (error instanceof InvalidArgumentError) {
    process.stderr.write(`keys: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
});
