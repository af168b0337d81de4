#!/usr/bin/env node
// The standalone gateway of a production deployment (docker-compose.besu.yml): an external chain
// (GRIDLEDGER_RPC_URL), contracts already deployed (GRIDLEDGER_DEPLOYMENTS_FILE), the relayer key
// from its file. The embedded all-in-one system is `npm start` (scripts/start.mjs) instead.
import { readDeploymentsFile } from "@gridledger/contracts";
import { readSystemConfig } from "../config/systemConfig.js";
import { ConfigurationError, GatewayError } from "../internal/errors.js";
import { createKeystoreSigners } from "../keys/keystore.js";
import { loadOrCreateKey } from "../system/loadOrCreateKey.js";
import { startGateway } from "../system/startGateway.js";

async function main(): Promise<void> {
  const config = readSystemConfig(process.env);
  if (!config.rpcUrl) {
    throw new ConfigurationError(
      "The standalone gateway needs GRIDLEDGER_RPC_URL",
      "npm start runs the embedded system instead",
    );
  }
  const deploymentsFile = config.deploymentsFile ?? `${config.dataDir}/deployments/external.json`;
  const deployment = await readDeploymentsFile(deploymentsFile);
  if (!deployment)
    throw new ConfigurationError(
      `No valid deployments file at ${deploymentsFile}`,
      "set GRIDLEDGER_DEPLOYMENTS_FILE",
    );
  const gateway = await startGateway({
    config,
    rpcUrl: config.rpcUrl,
    deployment,
    relayer: loadOrCreateKey(config.relayerKeyFile),
    signers: createKeystoreSigners({ directory: config.keystoreDir }),
  });
  process.stdout.write(
    `${JSON.stringify({ level: "info", msg: "gateway listening", url: gateway.url, chainId: deployment.chainId })}\n`,
  );
  const stop = async () => {
    await gateway.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  if (error instanceof GatewayError) {
    process.stderr.write(`gateway: ${error.shortMessage}${error.details ? ` (${error.details})` : ""}\n`);
    process.exit(error instanceof ConfigurationError ? 2 : 1);
  }
  throw error;
});
