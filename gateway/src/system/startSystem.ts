import { existsSync } from "node:fs";
import path from "node:path";
import {
  type GridLedgerDeployment,
  loadOrDeployGridLedger,
  readDeploymentsFile,
} from "@gridledger/contracts";
import { assertPortFree, DEV_ROLES, type DevChain, PortInUseError, startDevChain } from "@gridledger/network";
import { deriveDeviceKey, startDemoAgents } from "@gridledger/node-agent";
import { createNonceManager } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { jsonRpc } from "viem/nonce";
import type { SystemConfig } from "../config/systemConfig.js";
import { DEVICE_KEY_BASE_INDEX, type DemoSize } from "../demo/demoPlan.js";
import { type DemoSummary, seedDemoData } from "../demo/seedDemoData.js";
import { storeDocumentFile } from "../documents/storeDocumentFile.js";
import { ConfigurationError } from "../internal/errors.js";
import { createMnemonicSigners } from "../keys/createMnemonicSigners.js";
import { createKeystoreSigners } from "../keys/keystore.js";
import { loadOrCreateKey } from "./loadOrCreateKey.js";
import { type DemoUser, demoUserSpecs, seedDemoUsers } from "./seedDemoUsers.js";
import { type PortalServer, servePortal } from "./servePortal.js";
import { startGateway } from "./startGateway.js";

export type StartSystemParameters = {
  config: SystemConfig;
  /** The repository root (for portal/build). */
  repoRoot: string;
  /** Called as each step starts and ends, for a progress display. */
  onProgress?: (event: ProgressEvent) => void;
  /** Size of the embedded demo (tests use a small one). Default: 200 accounts × 30 days. */
  demoSize?: DemoSize | undefined;
  /**
   * Run the demo's data concentrators: the real agent reading simulated meters (TCP, no serial port
   * needed) and submitting every half hour through the gateway. Only with seeded demo data.
   * Default: `true`; tests that start agents of their own turn it off.
   */
  demoAgents?: boolean | undefined;
};

export type ProgressEvent =
  | { type: "step"; index: number; total: number; title: string }
  | { type: "done"; index: number; detail: string };

export type RunningSystem = {
  chain: DevChain | undefined;
  rpcUrl: string;
  deployment: GridLedgerDeployment;
  deployed: boolean;
  gatewayUrl: string;
  portalUrl: string;
  /** Logins of the embedded demo (empty with an external chain or GRIDLEDGER_DEMO_DATA=off). */
  demoUsers: DemoUser[];
  /** Meters the demo's live agents read every half hour (empty without them). */
  liveMeterIds: string[];
  /** Stops portal, gateway and the embedded chain, in that order. Safe to call twice. */
  stop(): Promise<void>;
};

const STEPS = ["check ports", "chain", "contracts", "demo data", "gateway", "live meters", "portal"] as const;

/** How many of the demo's data concentrators run live; each reads up to four simulated meters. */
const LIVE_DEMO_AGENTS = 3;

/**
 * Runs the whole system on the settings in `config`: the embedded chain (or an external RPC),
 * contracts deployed once (reused on restart), the gateway and the portal. Everything started is
 * stopped again if a later step fails.
 */
export async function startSystem({
  config,
  repoRoot,
  onProgress,
  demoSize,
  demoAgents = true,
}: StartSystemParameters): Promise<RunningSystem> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  let index = 0;
  const step = (title: (typeof STEPS)[number]) => {
    index += 1;
    onProgress?.({ type: "step", index, total: STEPS.length, title });
    return index;
  };
  const done = (at: number, detail: string) => onProgress?.({ type: "done", index: at, detail });

  try {
    let at = step("check ports");
    const ports: [number, string][] = [
      [config.gatewayPort, "GRIDLEDGER_GATEWAY_PORT"],
      [config.portalPort, "GRIDLEDGER_PORTAL_PORT"],
    ];
    if (!config.rpcUrl) ports.push([config.chainPort, "GRIDLEDGER_CHAIN_PORT"]);
    for (const [port, setting] of ports) {
      if (port === 0) continue;
      await assertPortFree(config.host, port).catch((error: unknown) => {
        if (error instanceof PortInUseError) {
          throw new ConfigurationError(
            `Port ${port} (${setting}) on ${config.host} is already in use`,
            "stop what holds it or set another port",
          );
        }
        throw error;
      });
    }
    done(at, "free");

    at = step("chain");
    let chain: DevChain | undefined;
    let rpcUrl: string;
    if (config.rpcUrl) {
      rpcUrl = config.rpcUrl;
      done(at, `external RPC ${rpcUrl}`);
    } else {
      chain = await startDevChain({
        dataDir: path.join(config.dataDir, "chain"),
        host: config.host,
        // 0 means "any free port", which the launcher picks itself when given none
        port: config.chainPort === 0 ? undefined : config.chainPort,
        blockTimeSeconds: config.blockTimeSeconds,
        // the demo bills a closed month: a new chain starts 32 days back and the seed moves it to now
        startTimestamp: config.demoData ? Math.floor(Date.now() / 1000) - 32 * 86_400 : undefined,
      });
      stops.push(() => chain!.stop());
      rpcUrl = chain.rpcUrl;
      done(at, `${chain.resumed ? "resumed" : "new"} dev chain ${rpcUrl} (chain id ${chain.chainId})`);
    }

    at = step("contracts");
    let deployment: GridLedgerDeployment;
    let deployed = false;
    if (chain) {
      const accounts = chain.accounts;
      const result = await loadOrDeployGridLedger({
        rpcUrl,
        deployer: accounts.operator,
        roles: {
          operator: accounts.operator.address,
          gridCompany: accounts.gridCompany.address,
          retailCompanies: [accounts.retailCompanyA.address, accounts.retailCompanyB.address],
          paymentSources: [accounts.bank.address],
        },
        deploymentsFile: path.join(config.dataDir, "deployments", `${chain.chainId}.json`),
      });
      deployment = result.deployment;
      deployed = result.deployed;
    } else {
      const file = config.deploymentsFile ?? path.join(config.dataDir, "deployments", "external.json");
      const existing = await readDeploymentsFile(file);
      if (!existing) {
        throw new ConfigurationError(
          `No deployments file at ${file} for GRIDLEDGER_RPC_URL (set GRIDLEDGER_DEPLOYMENTS_FILE)`,
          "deploy the contracts to that network first (docs/deployment.md)",
        );
      }
      deployment = existing;
    }
    done(
      at,
      `${deployed ? "deployed" : "reused"} ${Object.keys(deployment.contracts).filter((name) => !name.endsWith("Implementation")).length} contracts from block ${deployment.deployedAtBlock}`,
    );

    at = step("demo data");
    let demo: DemoSummary | undefined;
    if (chain && config.demoData) {
      // before the gateway: the seed relays with the relayer key and numbers its nonces itself
      demo = await seedDemoData({
        rpcUrl,
        deployment,
        accounts: chain.accounts,
        mnemonic: chain.mnemonic,
        size: demoSize,
      });
      done(
        at,
        `${demo.seeded ? "seeded" : "already there:"} ${demo.counts.accounts} accounts, ${demo.counts.readings} readings, ${demo.counts.invoices} invoices, ${demo.counts.payments} payments`,
      );
    } else {
      done(at, chain ? "off (GRIDLEDGER_DEMO_DATA=off)" : "none on an external chain");
    }

    at = step("gateway");
    const gateway = await startGateway({
      config: { ...config, logLevel: config.logLevel === "info" ? "warn" : config.logLevel },
      rpcUrl,
      deployment,
      // concurrent relays from one key need consecutive nonces: the nonce manager hands them out
      relayer: chain
        ? mnemonicToAccount(chain.mnemonic, {
            addressIndex: DEV_ROLES.indexOf("relayer"),
            // one counter per start: viem's shared manager would carry a count over from a chain
            // that was reset or resumed from an older state dump, leaving a nonce gap
            nonceManager: createNonceManager({ source: jsonRpc() }),
          })
        : loadOrCreateKey(config.relayerKeyFile),
      onReorg: chain ? "rebuild" : "stop",
      webhookAllowPrivateTargets: chain !== undefined,
      // each organisation's and consumer's own key signs their actions, never the relayer's
      signers: chain
        ? createMnemonicSigners({ mnemonic: chain.mnemonic })
        : createKeystoreSigners({ directory: config.keystoreDir }),
    });
    stops.push(() => gateway.stop());
    const gatewayUrl = gateway.url;
    // logins for every role of the embedded system, with or without demo data
    const demoUsers: DemoUser[] = chain
      ? await seedDemoUsers(
          gateway.database.em(),
          demoUserSpecs(chain.accounts, demo?.people.consumers ?? []),
          path.join(config.dataDir, "demo-logins.json"),
        )
      : [];
    // the files of the invoices and supply contracts the seed just anchored (the chain holds their SHA-256 only)
    for (const document of demo?.documents ?? []) {
      await storeDocumentFile(gateway.database.em(), {
        kind: document.kind,
        subject: document.kind === "invoice" ? document.invoiceId : String(document.accountId),
        accountId: document.accountId,
        content: document.content,
      });
    }
    done(at, gatewayUrl);

    at = step("live meters");
    const liveMeterIds: string[] = [];
    if (chain && demo && demoAgents) {
      const agents = await startDemoAgents({
        gatewayUrl,
        rpcUrl,
        contracts: { Readings: deployment.contracts.Readings!, Registry: deployment.contracts.Registry! },
        // the seed's data concentrators (demoPlan), so their meters' device keys are registered
        deviceKeys: Array.from({ length: LIVE_DEMO_AGENTS }, (_, index) =>
          deriveDeviceKey(chain!.mnemonic, DEVICE_KEY_BASE_INDEX + index),
        ),
        dataDir: path.join(config.dataDir, "demo-agents"),
      });
      // stops run in reverse: the agents close their outboxes before the gateway goes
      stops.push(() => agents.stop());
      liveMeterIds.push(...agents.agents.flatMap((agent) => agent.meters.map((meter) => meter.meterId)));
      done(
        at,
        `${liveMeterIds.length} simulated meters read by ${agents.agents.length} agents every half hour`,
      );
    } else {
      done(at, demo ? "off" : "none without demo data");
    }

    at = step("portal");
    const buildDir = path.join(repoRoot, "portal", "build");
    if (!existsSync(buildDir))
      throw new ConfigurationError(`The portal is not built (${buildDir} is missing)`, "run npm run build");
    const portal: PortalServer = await servePortal({
      buildDir,
      gatewayUrl,
      host: config.host,
      port: config.portalPort,
    });
    stops.push(() => portal.close());
    done(at, portal.url);

    return {
      chain,
      rpcUrl,
      deployment,
      deployed,
      gatewayUrl,
      portalUrl: portal.url,
      demoUsers,
      liveMeterIds,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
