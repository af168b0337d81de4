import type { GridLedgerDeployment } from "@gridledger/contracts";
import { createPublicClient, createWalletClient, http, type LocalAccount } from "viem";
import { createKeyValueStore } from "../auth/createKeyValueStore.js";
import { createLoginThrottle } from "../auth/loginThrottle.js";
import { createSessionStore } from "../auth/sessions.js";
import type { SystemConfig } from "../config/systemConfig.js";
import { type Database, openDatabase } from "../db/openDatabase.js";
import type { GatewayServices } from "../graphql/context.js";
import { createIndexer } from "../indexer/createIndexer.js";
import { RetryableError } from "../internal/errors.js";
import type { SignerService } from "../keys/signerService.js";
import { createModeController, type ModeController } from "../modes/createModeController.js";
import { parseMaintenanceWindow } from "../modes/maintenanceWindow.js";
import { chainProbe, databaseProbe, keyValueProbe } from "../modes/probes.js";
import { createGatewayServer, type GatewayServer } from "../server/createGatewayServer.js";
import { createWebhookDispatcher } from "../webhooks/createWebhookDispatcher.js";

export type StartGatewayParameters = {
  config: SystemConfig;
  rpcUrl: string;
  deployment: GridLedgerDeployment;
  /** Relays device-signed batches; on Besu it needs an allowlist entry, not funds. */
  relayer: LocalAccount;
  /**
   * The organisations' and consumers' own keys, which sign their actions (docs/security.md, "Key
   * custody"). Absent: the action mutations are refused with SIGNING_UNAVAILABLE.
   */
  signers?: SignerService | undefined;
  /**
   * What the indexer does when the chain no longer has an indexed block. The embedded dev chain may
   * be reset by deleting its folder, so it rebuilds; production stops loudly. Default: `stop`.
   */
  onReorg?: "stop" | "rebuild";
  /** Milliseconds between dependency probes (emergency mode starts and clears within about this). Default: 2000. */
  probeIntervalMs?: number | undefined;
  /**
   * Whether webhooks may reach private and loopback addresses when `config.webhookAllowPrivateTargets`
   * is unset (startSystem: true with the embedded chain). Default: false.
   */
  webhookAllowPrivateTargets?: boolean | undefined;
};

export type RunningGateway = {
  url: string;
  server: GatewayServer;
  database: Database;
  /** Resolves when the index has caught up with the chain head once. */
  caughtUp: Promise<void>;
  /** The operating mode and the dependency probes behind it. */
  modes: ModeController;
  stop(): Promise<void>;
};

/**
 * Opens the index database (migrating it), starts the indexer following the chain, and serves the
 * gateway with sessions and login throttling in keyv (Redis when configured, memory otherwise).
 */
export async function startGateway(parameters: StartGatewayParameters): Promise<RunningGateway> {
  const { config, rpcUrl, deployment, relayer } = parameters;
  const allowPrivateTargets =
    config.webhookAllowPrivateTargets ?? parameters.webhookAllowPrivateTargets ?? false;
  const transport = http(rpcUrl, { timeout: 30_000, retryCount: 2 });
  const publicClient = createPublicClient({ transport, cacheTime: 0 });
  const database = await openDatabase({ url: config.databaseUrl });
  const indexer = createIndexer({
    db: database,
    rpcUrl,
    deployment,
    onReorg: parameters.onReorg ?? "stop",
    // a quarter of the dev chain's block time: an action waits for its block in the index, and a
    // relayed batch is queryable, at most this long after the block (one eth_blockNumber per poll)
    pollIntervalMs: 250,
  });
  const stopIndexer = new AbortController();
  let reportCaughtUp: () => void = () => undefined;
  const caughtUp = new Promise<void>((resolve) => {
    reportCaughtUp = resolve;
  });
  const cacheProbeStore = config.redisUrl
    ? createKeyValueStore<number>(config.redisUrl, "gridledger:health")
    : undefined;
  const modes = createModeController({
    probes: {
      chain: chainProbe(publicClient, deployment.chainId),
      database: databaseProbe(database),
      ...(cacheProbeStore ? { cache: keyValueProbe(cacheProbeStore) } : {}),
    },
    maintenanceWindow: parseMaintenanceWindow(config.maintenanceWindow),
  });

  const head = await publicClient.getBlockNumber();
  const following = (async () => {
    // first to the head, then follow. A dependency that fails (chain RPC, database) stops a run with a
    // RetryableError, or with a driver error while its probe says it is down: wait and run again from
    // the checkpoint, so the index catches up by itself once the dependency is back (emergency mode
    // clears). Anything else is logged and the gateway keeps answering from what it has.
    let caughtUpOnce = false;
    while (!stopIndexer.signal.aborted) {
      try {
        if (!caughtUpOnce) {
          await indexer.run({ untilBlock: Number(head), signal: stopIndexer.signal });
          caughtUpOnce = true;
          reportCaughtUp();
        }
        await indexer.run({ follow: true, signal: stopIndexer.signal });
      } catch (error) {
        if (stopIndexer.signal.aborted) break;
        const { down } = await modes.probe();
        if (!(error instanceof RetryableError) && down.length === 0) throw error;
        process.stderr.write(
          `${JSON.stringify({ level: "warn", msg: "indexer paused: a dependency failed; retrying", down, error: (error as Error).message?.split("\n")[0] })}\n`,
        );
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })().catch((error: unknown) => {
    reportCaughtUp();
    if (!stopIndexer.signal.aborted) {
      process.stderr.write(
        `${JSON.stringify({ level: "error", msg: "indexer stopped", error: String(error) })}\n`,
      );
    }
  });

  const services: GatewayServices = {
    modes,
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
    signers: parameters.signers,
    webhooks: { allowPrivateTargets },
    indexStatus: async () => {
      const checkpoint = await indexer.checkpoint();
      return { indexedBlock: checkpoint ? BigInt(checkpoint.blockNumber) : undefined };
    },
  };
  const server = await createGatewayServer({ rpcUrl, deployment, services, logLevel: config.logLevel });
  // mode changes are logged by the server's logger (JSON lines with the mode and the dependency)
  modes.setLogger(server.app.log);
  await modes.probe();
  modes.start(parameters.probeIntervalMs ?? 2000);
  await server.app.listen({ host: config.host, port: config.gatewayPort });
  // sends the webhook outbox the indexer fills (docs/api.md "Webhooks")
  const webhooks = createWebhookDispatcher({
    db: database,
    logger: server.app.log as never,
    allowPrivateTargets,
    retentionMs: config.webhookRetentionDays * 86_400_000,
  });
  webhooks.start();
  const address = server.app.server.address();
  const port = typeof address === "object" && address ? address.port : config.gatewayPort;
  return {
    url: `http://${config.host}:${port}`,
    server,
    database,
    caughtUp,
    modes,
    stop: async () => {
      modes.stop();
      stopIndexer.abort();
      await server.app.close();
      await following;
      await webhooks.stop();
      await database.close();
      await cacheProbeStore?.disconnect().catch(() => undefined);
    },
  };
}
