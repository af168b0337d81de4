import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, InvalidArgumentError } from "commander";
import { checkGenesis } from "../besu/checkGenesis.js";
import { NetworkError } from "../errors.js";
import { callNode } from "./callNode.js";
import { createNodeKeyFolder } from "./createNodeKeyFolder.js";
import { DEFAULT_CHAIN_ID, DEFAULT_SUBNET_PREFIX, initConsortium } from "./initConsortium.js";
import { networkStatus } from "./networkStatus.js";
import { proposeValidatorVote } from "./proposeValidatorVote.js";
import { updateAllowlist } from "./updateAllowlist.js";

/** `network/output/`, the gitignored default, whether this runs from src/ (tests) or dist/. */
export const DEFAULT_OUTPUT_DIR = fileURLToPath(new URL("../../output/", import.meta.url));

/**
 * Registers the production-network commands (`init`, `keygen`, `check-genesis`, `add-node`,
 * `remove-node`, `add-account`, `remove-account`, `propose-validator`, `status`, `validators`) on the
 * `network` CLI. Each prints what it did and what to do next; a refused input prints the reason
 * and sets a non-zero exit code.
 *
 * @param program - The commander program of `network/bin/network.mjs`.
 */
export function registerBesuCommands(program: Command): void {
  program
    .command("init")
    .description(
      "create a Besu QBFT consortium: node keys, genesis, static nodes, permissioning, compose secrets",
    )
    .option("--validators <n>", "number of validators (4 tolerate one faulty node)", integer, 4)
    .option("--members <names>", "comma-separated member organisations (default: one per validator)", list)
    .option("--out <dir>", "output folder; must not exist or be empty", DEFAULT_OUTPUT_DIR)
    .option("--chain-id <id>", "chain id unique to the consortium", integer, DEFAULT_CHAIN_ID)
    .option("--block-period <s>", "seconds between blocks", integer, 2)
    .option(
      "--request-timeout <s>",
      "QBFT round-0 timeout in seconds (default: twice the block period)",
      integer,
    )
    .option("--epoch <blocks>", "blocks after which pending validator votes are discarded", integer, 30_000)
    .option(
      "--empty-block-period <s>",
      "seconds between empty blocks; 0 = one block every period",
      integer,
      30,
    )
    .option("--gas-limit <gas>", "block gas limit", bigInteger, 100_000_000n)
    .option(
      "--contract-size-limit <bytes>",
      "maximum contract size (default: Besu's 24576, as anvil)",
      integer,
    )
    .option("--subnet-prefix <a.b.c>", "Docker subnet of docker-compose.besu.yml", DEFAULT_SUBNET_PREFIX)
    .option(
      "--node-ip <name=ip>",
      "IP of a node on its own host, e.g. validator3=203.0.113.7 (repeatable)",
      keyValue,
      {},
    )
    .option("--p2p-port <port>", "RLPx port of every node", integer, 30303)
    .option("--tls-host <name>", "host name of the TLS certificate for nginx", "localhost")
    .action(
      run(async (options) => {
        const result = initConsortium({
          outDir: options.out,
          validators: options.validators,
          members: options.members,
          chainId: options.chainId,
          blockPeriodSeconds: options.blockPeriod,
          requestTimeoutSeconds: options.requestTimeout,
          epochLength: options.epoch,
          emptyBlockPeriodSeconds: options.emptyBlockPeriod,
          gasLimit: options.gasLimit,
          contractSizeLimit: options.contractSizeLimit,
          subnetPrefix: options.subnetPrefix,
          nodeIps: options.nodeIp,
          p2pPort: options.p2pPort,
          tlsHost: options.tlsHost,
        });
        for (const warning of result.warnings) console.warn(`warning: ${warning}`);
        const { definition } = result;
        const out = path.resolve(options.out);
        console.log(`Consortium written to ${out} (keep it out of git; keys are owner-only).`);
        console.log(
          `chain id ${definition.chainId}, Besu ${definition.besuVersion}, EVM ${definition.evmVersion}`,
        );
        console.log(`genesis.json sha256 ${definition.genesisSha256}  (every member must have the same)`);
        const { validators, quorum, faultyTolerated } = definition.faultTolerance;
        console.log(
          `${validators} validators, quorum ${quorum}, tolerates ${faultyTolerated} faulty validator(s)`,
        );
        for (const node of definition.nodes)
          console.log(`  ${node.name.padEnd(11)} ${node.address}  ${node.enode}`);
        for (const member of definition.members)
          console.log(`  ${member.id.padEnd(11)} ${member.account}  ${member.name}`);
        console.log(
          `Start: docker-compose --env-file ${path.join(out, "compose.env")} -f docker-compose.besu.yml up -d --build`,
        );
      }),
    );

  program
    .command("keygen")
    .description("create the node key of a joining member or a rotated node; prints the enode to share")
    .requiredOption("--out <dir>", "folder for the key; must not exist or be empty")
    .requiredOption("--ip <ip>", "IP address the other nodes reach this node at")
    .option("--port <port>", "RLPx port", integer, 30303)
    .action(
      run(async (options) => {
        const { address, enode, keyFile } = createNodeKeyFolder({
          outDir: options.out,
          ip: options.ip,
          port: options.port,
        });
        console.log(`key:     ${keyFile} (secret, owner-only)`);
        console.log(`address: ${address}`);
        console.log(`enode:   ${enode}`);
      }),
    );

  program
    .command("check-genesis <file>")
    .description("check a genesis.json against the fields Besu reads and the GridLedger rules")
    .action(
      run(async (file: string) => {
        const { chainId, validators } = checkGenesis(JSON.parse(readFileSync(file, "utf8")));
        console.log(`OK: chain id ${chainId}, ${validators.length} validators: ${validators.join(", ")}`);
      }),
    );

  for (const [name, list, action, what] of [
    ["add-node", "nodes", "add", "enode URL"],
    ["remove-node", "nodes", "remove", "enode URL"],
    ["add-account", "accounts", "add", "account address"],
    ["remove-account", "accounts", "remove", "account address"],
  ] as const) {
    program
      .command(`${name} <${list === "nodes" ? "enode" : "address"}...>`)
      .description(`${action} ${what}s ${action === "add" ? "to" : "from"} the ${list} allowlist`)
      .option("--dir <dir>", "consortium folder: edit every node's permissions file (and static-nodes.json)")
      .option("--rpc <url>", "running node to change through perm_* (repeatable)", collect, [])
      .action(
        run(async (entries: string[], options) => {
          const result = await updateAllowlist({
            list,
            action,
            entries,
            dir: options.dir,
            rpcUrls: options.rpc,
          });
          for (const file of result.files) console.log(`updated ${file}`);
          for (const url of result.nodes) console.log(`${url}: ${action === "add" ? "added" : "removed"}`);
          if (result.files.length > 0) {
            console.log(
              "Nodes read their file at start: restart them or call perm_reloadPermissionsFromFile.",
            );
          }
        }),
      );
  }

  program
    .command("propose-validator <address>")
    .description("vote to add (or with --remove, drop) a validator via qbft_proposeValidatorVote")
    .requiredOption(
      "--rpc <url>",
      "RPC URL of a current validator (repeatable; more than half must vote)",
      collect,
      [],
    )
    .option("--remove", "vote to remove the validator instead", false)
    .action(
      run(async (address: string, options) => {
        const result = await proposeValidatorVote({ address, add: !options.remove, rpcUrls: options.rpc });
        for (const url of result.votes)
          console.log(`${url}: voted to ${options.remove ? "remove" : "add"} ${result.address}`);
        console.log(
          "Check with: network validators --rpc <url> (takes effect when more than half have voted)",
        );
      }),
    );

  program
    .command("status")
    .description("head, peers and validator set of each node, compared with each other and consortium.json")
    .requiredOption("--rpc <url>", "RPC URL of a node with the QBFT API (repeatable)", collect, [])
    .option("--dir <dir>", "consortium folder whose consortium.json lists the expected validators")
    .action(
      run(async (options) => {
        const { nodes, problems } = await networkStatus({ rpcUrls: options.rpc, dir: options.dir });
        for (const node of nodes) {
          console.log(
            `${node.url}: block ${node.blockNumber}, ${node.peerCount} peers, ${node.validators.length} validators`,
          );
        }
        for (const problem of problems) console.error(`problem: ${problem}`);
        if (problems.length > 0) process.exitCode = 1;
        else console.log("OK");
      }),
    );

  program
    .command("validators")
    .description("print the validator set of the latest block (qbft_getValidatorsByBlockNumber)")
    .requiredOption("--rpc <url>", "RPC URL of a node with the QBFT API")
    .action(
      run(async (options) => {
        const validators = await callNode({
          url: options.rpc,
          method: "qbft_getValidatorsByBlockNumber",
          params: ["latest"],
        });
        for (const validator of validators as string[]) console.log(validator);
      }),
    );
}

/** Wraps an action so that our errors print their short message and details, not a stack. */
// biome-ignore lint/suspicious/noExplicitAny: commander passes untyped positional arguments and options
function run<A extends any[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      console.error(`error: ${error.shortMessage}`);
      if (error.details) console.error(`  ${error.details.split("\n").join("\n  ")}`);
      process.exitCode = 1;
    }
  };
}

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}

function bigInteger(value: string): bigint {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return BigInt(value);
}

function list(value: string): string[] {
  return value.split(",").map((item) => item.trim());
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function keyValue(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([^=]+)=(.+)$/.exec(value);
  if (!match) throw new InvalidArgumentError("expected name=ip, e.g. validator3=203.0.113.7");
  return { ...previous, [match[1]!.trim()]: match[2]!.trim() };
}
