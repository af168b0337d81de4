import type { GridLedgerDeployment } from "@gridledger/contracts";
import { createPublicClient, createWalletClient, http, type LocalAccount } from "viem";
import { createKeyValueStore } from "../auth/createKeyValueStore.js";
import { createLoginThrottle } from "../auth/loginThrottle.js";
import { createSessionStore } from "../auth/sessions.js";
import type { SystemConfig } from "../config/systemConfig.js";
import { type Database, openDatabase } from "../db/openDatabase.js";
import type { GatewayServices } from "../graphql/context.js";
import { createIndexer } from "../indexer/createIndexer.js";
import { createGatewayServer, type GatewayServer } from "../server/createGatewayServer.js";

export type StartGatewayParameters = {
  config: SystemConfig;
  rpcUrl: string;
  deployment: GridLedgerDeployment;
  /** Relays device-signed batches; on Besu it needs an allowlist entry, not funds. */
  relayer: LocalAccount;
  /**
   * What the indexer does when the chain no longer has an indexed block. The embedded dev chain may
   * be reset by deleting its folder, so it rebuilds; production stops loudly. Default: `stop`.
   */
  onReorg?: "stop" | "rebuild";
};

export type RunningGateway = {
  url: string;
  server: GatewayServer;
  database: Database;
  /** Resolves when the index has caught up with the chain head once. */
  caughtUp: Promise<void>;
  stop(): Promise<void>;
};

/**
 * Opens the index database (migrating it), starts the indexer following the chain, and serves the
 * gateway with sessions and login throttling in keyv (Redis when configured, memory otherwise).
 */
export async function startGateway(parameters: StartGatewayParameters): Promise<RunningGateway> {
  const { config, rpcUrl, deployment, relayer } = parameters;
  const transport = http(rpcUrl, { timeout: 30_000, retryCount: 2 });
  const publicClient = createPublicClient({ transport, cacheTime: 0 });
  const database = await openDatabase({ url: config.databaseUrl });
  const indexer = createIndexer({ db: database, rpcUrl, deployment, onReorg: parameters.onReorg ?? "stop" });
  const stopIndexer = new AbortController();
  let reportCaughtUp: () => void = () => undefined;
  const caughtUp = new Promise<void>((resolve) => {
    reportCaughtUp = resolve;
  });
  const head = await publicClient.getBlockNumber();
  const following = (async () => {
    // first to the head, then follow; a failure is logged and the gateway keeps answering from what it has
    await indexer.run({ untilBlock: Number(head) });
    reportCaughtUp();
    await indexer.run({ follow: true, signal: stopIndexer.signal });
  })().catch((error: unknown) => {
    reportCaughtUp();
    if (!stopIndexer.signal.aborted) {
      process.stderr.write(
        `${JSON.stringify({ level: "error", msg: "indexer stopped", error: String(error) })}\n`,
      );
    }
  });

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
    database,
    sessions: createSessionStore(createKeyValueStore(config.redisUrl, "gridledger:sessions")),
    loginThrottle: createLoginThrottle(createKeyValueStore(config.redisUrl, "gridledger:logins")),
    indexStatus: async () => {
      const checkpoint = await indexer.checkpoint();
      return { indexedBlock: checkpoint ? BigInt(checkpoint.blockNumber) : undefined };
    },
  };
  const server = await createGatewayServer({ rpcUrl, deployment, services, logLevel: config.logLevel });
  await server.app.listen({ host: config.host, port: config.gatewayPort });
  const address = server.app.server.address();
  const port = typeof address === "object" && address ? address.port : config.gatewayPort;
  return {
    url: `http://${config.host}:${port}`,
    server,
    database,
    caughtUp,
    stop: async () => {
      stopIndexer.abort();
      await server.app.close();
      await following;
      await database.close();
    },
  };
}
