import type { Address, LocalAccount, PublicClient, WalletClient } from "viem";
import type { LoginThrottle } from "../auth/loginThrottle.js";
import type { SessionStore } from "../auth/sessions.js";
import type { Database } from "../db/openDatabase.js";
import type { SignerService } from "../keys/signerService.js";

/** Roles of the people and programs that use the gateway (issue 5 §4). */
export const Role = {
  Operator: "OPERATOR",
  GridCompany: "GRID_COMPANY",
  RetailCompany: "RETAIL_COMPANY",
  PaymentSource: "PAYMENT_SOURCE",
  Consumer: "CONSUMER",
  Device: "DEVICE",
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Who is asking: resolved once per request from the session, never from the query. */
export type Principal = {
  userId: number;
  login: string;
  role: Role;
  /** The organisation a staff user belongs to (its chain address). */
  organisation: Address | undefined;
  /** A consumer's own chain address (their accounts' `consumer`). */
  consumerAddress?: Address | undefined;
};

/** What resolvers use to reach the chain; one instance per gateway. */
export type ChainServices = {
  publicClient: PublicClient;
  walletClient: WalletClient;
  /** Relays device-signed batches; holds no role in the contracts. */
  relayer: LocalAccount;
  chainId: number;
  deployedAtBlock: bigint;
  contracts: Readonly<Record<string, Address>>;
  zeroGasPrice: boolean;
};

/** Freshness of the index, from the indexer's checkpoint. */
export type IndexStatus = { indexedBlock: bigint | undefined };

export type GatewayServices = {
  chain: ChainServices;
  /** The operating mode (F-OPS-02); absent → the server makes one that probes the chain only. */
  modes?: import("../modes/createModeController.js").ModeController | undefined;
  /** The index of the chain; absent while the gateway runs without a database. */
  database?: Database | undefined;
  /** Sessions behind bearer tokens; absent → every request is anonymous. */
  sessions?: SessionStore | undefined;
  /** Counts failed logins per login and per client address. */
  loginThrottle?: LoginThrottle | undefined;
  /** The organisations' and consumers' keys (issue 5 §5); absent → actions are refused (SIGNING_UNAVAILABLE). */
  signers?: SignerService | undefined;
  /**
   * `allowPrivateTargets` (GRIDLEDGER_WEBHOOK_ALLOW_PRIVATE_TARGETS): webhook URLs may name private
   * and loopback addresses. Absent → refused (`BLOCKED_ADDRESS`).
   */
  webhooks?: { allowPrivateTargets: boolean } | undefined;
  indexStatus(): Promise<IndexStatus>;
};

/** The per-request context every resolver receives. */
export type GatewayContext = {
  requestId: string;
  /** The client's address as the gateway sees it (behind nginx: X-Forwarded-For, trusted from the proxy). */
  clientAddress: string;
  /** The bearer token of this request, when it carried one (for logout). */
  sessionToken: string | undefined;
  principal: Principal | undefined;
  services: GatewayServices;
  /** The request's logger: every line carries the request id (`reqId`). */
  log?: import("fastify").FastifyBaseLogger | undefined;
};
