#!/usr/bin/env node
// `npm start`: the whole system on embedded defaults (or the GRIDLEDGER_* settings), with a
// progress display, the URLs when ready, and a clean stop on Ctrl-C. Runs the built code; the npm
// script builds first.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigurationError, GatewayError, readSystemConfig, startSystem } from "@gridledger/gateway";
import { NetworkError } from "@gridledger/network";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

let config;
try {
  config = readSystemConfig(process.env);
} catch (error) {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`gridledger: ${error.shortMessage}${error.details ? ` (${error.details})` : ""}\n`);
    process.exit(2);
  }
  throw error;
}

process.stdout.write(`GridLedger — starting (data in ${config.dataDir})\n`);
let system;
try {
  system = await startSystem({
    config,
    repoRoot,
    onProgress: (event) => {
      if (event.type === "step") process.stdout.write(`  [${event.index}/${event.total}] ${event.title} … `);
      else process.stdout.write(`${event.detail} (${seconds()})\n`);
    },
  });
} catch (error) {
  process.stdout.write("failed\n");
  if (error instanceof GatewayError || error instanceof NetworkError) {
    process.stderr.write(`gridledger: ${error.shortMessage}${error.details ? ` (${error.details})` : ""}\n`);
    process.exit(1);
  }
  throw error;
}

const contracts = Object.entries(system.deployment.contracts).filter(
  ([name]) => !name.endsWith("Implementation"),
);
// every role's login, and the first few of the demo consumers' (all of them are in the file)
const SHOWN_CONSUMERS = 5;
const consumers = system.demoUsers.filter((user) => /^consumer\d+$/.test(user.login));
const shownUsers = [
  ...system.demoUsers.filter((user) => !/^consumer\d+$/.test(user.login)),
  ...consumers.slice(0, SHOWN_CONSUMERS),
];
const loginLines = shownUsers.map(
  (user) => `${user.login.padEnd(10)} ${user.password.padEnd(14)} ${user.role}`,
);
if (consumers.length > SHOWN_CONSUMERS)
  loginLines.push(`… and consumer${SHOWN_CONSUMERS + 1}–consumer${consumers.length}`);
process.stdout.write(
  [
    "",
    `GridLedger is ready in ${seconds()}`,
    `  Portal          ${system.portalUrl}`,
    `  GraphQL         ${system.portalUrl}/graphql`,
    `  REST API docs   ${system.portalUrl}/api/docs (OpenAPI: /api/openapi.json)`,
    `  Gateway health  ${system.gatewayUrl}/health`,
    `  Chain RPC       ${system.rpcUrl} (chain id ${system.deployment.chainId}${system.chain ? ", embedded anvil" : ""})`,
    `  Contracts       ${contracts.map(([name, address]) => `${name} ${address}`).join("\n                  ")}`,
    system.demoUsers.length > 0
      ? `  Demo logins     ${loginLines.join("\n                  ")}`
      : "  Demo logins     none (external chain)",
    `                  (all kept in ${config.dataDir}/demo-logins.json)`,
    "",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n"),
);

let stopping = false;
const shutdown = async (signal) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping portal, gateway and chain …\n`);
  await system.stop();
  process.stdout.write("stopped; the chain state is kept for the next start\n");
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
