#!/usr/bin/env node
// Deploys the GridLedger contracts to any RPC (a Besu RPC node in production) and writes the
// deployments file the gateway reads (GRIDLEDGER_DEPLOYMENTS_FILE). Idempotent: an existing file
// whose contracts still have code on that chain is reused.
//
//   node gateway/dist/bin/deploy.js --rpc http://rpc1:8545 --key-file network/output/accounts/member4/key \
//     --operator 0x… --grid-company 0x… --retail 0x…,0x… --payment-sources 0x… --out deployments.json
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadOrDeployGridLedger } from "@gridledger/contracts";
import { Command, InvalidArgumentError } from "commander";
import { type Address, getAddress, isAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";

function address(value: string): Address {
  if (!isAddress(value, { strict: false })) throw new InvalidArgumentError(`not an address: ${value}`);
  return getAddress(value);
}
function addresses(value: string): Address[] {
  return value.split(",").map((item) => address(item.trim()));
}

const program = new Command("deploy")
  .description("deploy the GridLedger contracts and write the deployments file")
  .requiredOption("--rpc <url>", "JSON-RPC URL of a node that accepts transactions from the deployer")
  .requiredOption("--key-file <file>", "deployer's private key (hex), e.g. the operator member's account key")
  .requiredOption("--operator <address>", "consortium operator (admin and upgrader roles)", address)
  .requiredOption("--grid-company <address>", "the grid company's account", address)
  .requiredOption("--retail <addresses>", "retail companies' accounts, comma-separated", addresses)
  .option("--payment-sources <addresses>", "banks and other payment sources, comma-separated", addresses, [])
  .option("--out <file>", "deployments file to write", "deployments.json")
  .action(async (options) => {
    const keyText = readFileSync(options.keyFile, "utf8").trim();
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(keyText)) {
      throw new InvalidArgumentError(`${options.keyFile} does not hold a 32-byte hex private key`);
    }
    const deployer = privateKeyToAccount(
      (keyText.startsWith("0x") ? keyText : `0x${keyText}`) as `0x${string}`,
    );
    const deploymentsFile = path.resolve(options.out);
    const { deployment, deployed } = await loadOrDeployGridLedger({
      rpcUrl: options.rpc,
      deployer,
      roles: {
        operator: options.operator,
        gridCompany: options.gridCompany,
        retailCompanies: options.retail,
        paymentSources: options.paymentSources,
      },
      deploymentsFile,
    });
    process.stdout.write(
      `${deployed ? "deployed" : "reused"} GridLedger on chain ${deployment.chainId} from block ${deployment.deployedAtBlock}\n` +
        Object.entries(deployment.contracts)
          .map(([name, contract]) => `  ${name.padEnd(28)} ${contract}\n`)
          .join("") +
        `written to ${deploymentsFile}\n`,
    );
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`deploy: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`);
  process.exit(1);
});
