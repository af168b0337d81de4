import type { GridLedgerDeployment } from "@gridledger/contracts";
import { type Account, createPublicClient, createWalletClient, http } from "viem";
import type { SystemConfig } from "../config/systemConfig.js";
import type { GatewayServices } from "../graphql/context.js";
import { createGatewayServer, type GatewayServer } from "../server/createGatewayServer.js";

export type StartGatewayParameters = {
  config: SystemConfig;
  rpcUrl: string;
  deployment: GridLedgerDeployment;
  /** Relays device-signed batches; on Besu it needs an allowlist entry, not funds. */
  relayer: Account;
};

export type RunningGateway = { url: string; server: GatewayServer; stop(): Promise<void> };

/** Builds the gateway's services for one chain and deployment and listens on the configured port. */
export async function startGateway({
  config,
  rpcUrl,
  deployment,
  relayer,
}: StartGatewayParameters): Promise<RunningGateway> {
  const transport = http(rpcUrl, { timeout: 30_000, retryCount: 2 });
  const publicClient = createPublicClient({ transport, cacheTime: 0 });
  const services: GatewayServices = {
    chain: {
      publicClient,
      walletClient: createWalletClient({ transport }),
      relayer,
      chainId: deployment.chainId,
      deployedAtBlock: BigInt(deployment.deployedAtBlock),
      contracts: deployment.contracts,
      // Besu runs with zero base fee and min gas price 0; so does the embedded chain
      zeroGasPrice: (await publicClient.getBlock()).baseFeePerGas === 0n,
    },
    indexStatus: async () => ({ indexedBlock: undefined }),
  };
  const server = await createGatewayServer({
    rpcUrl,
    deployment,
    services,
    logLevel: config.logLevel,
  });
  await server.app.listen({ host: config.host, port: config.gatewayPort });
  const address = server.app.server.address();
  const port = typeof address === "object" && address ? address.port : config.gatewayPort;
  return { url: `http://${config.host}:${port}`, server, stop: () => server.app.close() };
}
