import path from "node:path";
import { z } from "zod";
import { ConfigurationError } from "../internal/errors.js";

/**
 * Every setting of the running system, read from `GRIDLEDGER_*` environment variables. With none
 * set, everything runs embedded: a persisted anvil dev chain, SQLite, an in-memory cache. The table
 * in README.md ("Settings") is this schema in words; keep them together.
 */
const port = z.coerce.number().int().min(0).max(65_535);
const urlWith = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
      message: `must be a ${protocols.join(" or ")} URL`,
    });

export const SETTINGS = {
  GRIDLEDGER_DATA_DIR: z.string().min(1).default(".gridledger"),
  GRIDLEDGER_RPC_URL: urlWith(["http:", "https:"]).optional(),
  GRIDLEDGER_CHAIN_PORT: port.default(8545),
  GRIDLEDGER_BLOCK_TIME: z.coerce.number().positive().max(60).default(1),
  GRIDLEDGER_DATABASE_URL: urlWith(["sqlite:", "mysql:", "mariadb:"]).optional(),
  GRIDLEDGER_REDIS_URL: urlWith(["redis:", "rediss:"]).optional(),
  GRIDLEDGER_HOST: z.string().min(1).default("127.0.0.1"),
  GRIDLEDGER_GATEWAY_PORT: port.default(4000),
  GRIDLEDGER_PORTAL_PORT: port.default(5173),
  GRIDLEDGER_LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
  GRIDLEDGER_DEMO_DATA: z.enum(["on", "off"]).default("on"),
  GRIDLEDGER_RELAYER_KEY_FILE: z.string().min(1).optional(),
  GRIDLEDGER_DEPLOYMENTS_FILE: z.string().min(1).optional(),
  GRIDLEDGER_KEYSTORE_DIR: z.string().min(1).optional(),
  GRIDLEDGER_MAINTENANCE_WINDOW: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]|24):[0-5]\d)$/, "off or HH:MM-HH:MM (Moscow time)")
    .default("off"),
  // unset: off on an external chain, on with the embedded dev chain (startSystem decides)
  GRIDLEDGER_WEBHOOK_ALLOW_PRIVATE_TARGETS: z.enum(["on", "off"]).optional(),
  GRIDLEDGER_WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
} as const;

const schema = z.object(SETTINGS).strict();
type RawSettings = z.output<typeof schema>;

export type SystemConfig = {
  dataDir: string;
  /** External chain (Besu RPC node); absent → the embedded anvil dev chain. */
  rpcUrl: string | undefined;
  chainPort: number;
  blockTimeSeconds: number;
  /** `sqlite:<file>` by default, or `mysql://` / `mariadb://`. */
  databaseUrl: string;
  /** Absent → in-memory cache. */
  redisUrl: string | undefined;
  host: string;
  gatewayPort: number;
  portalPort: number;
  logLevel: RawSettings["GRIDLEDGER_LOG_LEVEL"];
  demoData: boolean;
  /** Key that relays device-signed batches on an external chain; generated at first start when absent. */
  relayerKeyFile: string;
  /** Contract addresses for an external chain (written by the deployment); embedded: per chain id. */
  deploymentsFile: string | undefined;
  /**
   * Keystore of the organisations' and consumers' keys on an external chain (`keys` CLI; mode 0700,
   * files 0600), outside the repository. The embedded chain derives them from its mnemonic instead.
   */
  keystoreDir: string;
  /** Daily service window in Moscow time (`00:00-02:00`), or `off`. */
  maintenanceWindow: string;
  /**
   * Webhooks may be delivered to private, loopback and other non-public addresses (docs/security.md,
   * "Webhook targets"). Undefined when not set: the embedded `npm start` allows them, otherwise not.
   */
  webhookAllowPrivateTargets: boolean | undefined;
  /** Delivered webhook deliveries are deleted this many days after delivery. */
  webhookRetentionDays: number;
};

/**
 * Validates the `GRIDLEDGER_*` variables of `environment`. An unknown `GRIDLEDGER_` name or a
 * malformed value throws a {@link ConfigurationError} whose message is one line naming the setting
 * and what is allowed.
 *
 * @example readSystemConfig(process.env)
 */
export function readSystemConfig(environment: NodeJS.ProcessEnv, cwd = process.cwd()): SystemConfig {
  const relevant = Object.fromEntries(
    // GRIDLEDGER_TEST_* belong to the test suites (CI exports them), not to the running system
    Object.entries(environment).filter(
      ([name, value]) =>
        name.startsWith("GRIDLEDGER_") && !name.startsWith("GRIDLEDGER_TEST_") && value !== "",
    ),
  );
  const unknown = Object.keys(relevant).filter((name) => !(name in SETTINGS));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `Unknown setting ${unknown.join(", ")}`,
      `known settings: ${Object.keys(SETTINGS).join(", ")}`,
    );
  }
  const parsed = schema.safeParse(relevant);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "setting");
    throw new ConfigurationError(`Invalid ${name}="${relevant[name] ?? ""}": ${describeIssue(issue)}`);
  }
  const settings = parsed.data;
  const dataDir = path.resolve(cwd, settings.GRIDLEDGER_DATA_DIR);
  return {
    dataDir,
    rpcUrl: settings.GRIDLEDGER_RPC_URL,
    chainPort: settings.GRIDLEDGER_CHAIN_PORT,
    blockTimeSeconds: settings.GRIDLEDGER_BLOCK_TIME,
    databaseUrl: settings.GRIDLEDGER_DATABASE_URL ?? `sqlite:${path.join(dataDir, "gateway.sqlite")}`,
    redisUrl: settings.GRIDLEDGER_REDIS_URL,
    host: settings.GRIDLEDGER_HOST,
    gatewayPort: settings.GRIDLEDGER_GATEWAY_PORT,
    portalPort: settings.GRIDLEDGER_PORTAL_PORT,
    logLevel: settings.GRIDLEDGER_LOG_LEVEL,
    demoData: settings.GRIDLEDGER_DEMO_DATA === "on",
    relayerKeyFile: path.resolve(
      cwd,
      settings.GRIDLEDGER_RELAYER_KEY_FILE ?? path.join(dataDir, "keystore", "relayer.key"),
    ),
    deploymentsFile: settings.GRIDLEDGER_DEPLOYMENTS_FILE
      ? path.resolve(cwd, settings.GRIDLEDGER_DEPLOYMENTS_FILE)
      : undefined,
    keystoreDir: path.resolve(cwd, settings.GRIDLEDGER_KEYSTORE_DIR ?? path.join(dataDir, "keystore")),
    maintenanceWindow: settings.GRIDLEDGER_MAINTENANCE_WINDOW,
    webhookAllowPrivateTargets:
      settings.GRIDLEDGER_WEBHOOK_ALLOW_PRIVATE_TARGETS === undefined
        ? undefined
        : settings.GRIDLEDGER_WEBHOOK_ALLOW_PRIVATE_TARGETS === "on",
    webhookRetentionDays: settings.GRIDLEDGER_WEBHOOK_RETENTION_DAYS,
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return `allowed: ${issue.values.map(String).join(", ")}`;
    case "too_small":
    case "too_big":
      return `must be ${issue.code === "too_small" ? "at least" : "at most"} ${String(
        issue.code === "too_small" ? issue.minimum : issue.maximum,
      )}`;
    case "invalid_type":
      return `expected ${issue.expected}`;
    default:
      return issue.message;
  }
}
