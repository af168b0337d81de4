import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { BUILTIN_REGISTER_MAPS } from "../drivers/registerMaps.js";
import { ConfigError } from "../errors.js";

/** Drivers implemented in code; Modbus meters may also be added as register maps in the config. */
export const CODE_DRIVERS = ["mercury230", "ce301", "ce303", "mtr-can"] as const;

const registerEntry = z.strictObject({
  name: z.string().min(1),
  address: z.number().int().min(0).max(0xffff),
  type: z.enum(["uint16", "int16", "uint32", "int32", "uint64", "int64", "float32"]),
  wordOrder: z.enum(["big", "little"]).optional(),
  scale: z
    .union([z.string().regex(/^\d+(\.\d+)?(e-?\d+)?$/i), z.number().positive()])
    .transform(String)
    .optional(),
  unit: z.string().optional(),
  role: z
    .enum([
      "import.total",
      "import.t1",
      "import.t2",
      "import.t3",
      "import.t4",
      "export.total",
      "clock",
      "status",
      "serial",
      "firmware",
    ])
    .optional(),
});

const registerMap = z.strictObject({
  function: z.union([z.literal(3), z.literal(4)]),
  maxRegistersPerRequest: z.number().int().min(1).max(125).optional(),
  counterModulusWh: z.string().regex(/^\d+$/).optional(),
  tamperBits: z.number().int().min(0).optional(),
  errorBits: z.number().int().min(0).optional(),
  registers: z.array(registerEntry).min(1),
});

const serialTransport = z.strictObject({
  type: z.literal("serial"),
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(["none", "even", "odd"]).default("none"),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
});
const tcpTransport = z.strictObject({
  type: z.literal("tcp"),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
});
const slcanTransport = z.strictObject({
  type: z.literal("slcan"),
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(115200),
  bitrate: z.number().int().positive().default(125000),
});
const socketcanTransport = z.strictObject({ type: z.literal("socketcan"), interface: z.string().min(1) });
/** In-process simulated meters: for demos, benchmarks and tests, never for billing. */
const simulatorTransport = z.strictObject({ type: z.literal("simulator") });

const bus = z.strictObject({
  name: z.string().min(1),
  transport: z.discriminatedUnion("type", [
    serialTransport,
    tcpTransport,
    slcanTransport,
    socketcanTransport,
    simulatorTransport,
  ]),
  timeoutMs: z.number().int().positive().default(1000),
  retries: z.number().int().min(0).max(10).default(2),
  turnaroundMs: z.number().int().min(0).default(5),
});

const meter = z.strictObject({
  /** The meter's id in the on-chain registry (decimal uint64). */
  meterId: z.string().regex(/^\d{1,20}$/, "a decimal meter id"),
  bus: z.string().min(1),
  driver: z.string().min(1),
  /** Modbus slave address, Mercury network address or CAN node id. */
  address: z.number().int().min(0).max(247).default(1),
  /** IEC 62056-21 device address (Energomera: last 9 digits of the serial number). */
  deviceAddress: z.string().max(32).default(""),
  password: z.string().optional(),
  /** Tariff zones the meter is billed on: 1 = the total import is T1. */
  tariffs: z.number().int().min(1).max(4).default(1),
  /** Also report export (prosumer). */
  export: z.boolean().default(false),
  clockUtcOffsetMinutes: z.number().int().min(-720).max(840).default(180),
  bcc: z.enum(["xor", "sum7"]).optional(),
  /** Plausibility limit (W): an import step larger than this power over the elapsed time is quarantined as a misread. */
  maxPowerW: z.number().positive().optional(),
  /** IEC 62056-21: the session baud rate to switch to after signing on at the bus's rate. */
  iecBaudRate: z
    .union([
      z.literal(300),
      z.literal(600),
      z.literal(1200),
      z.literal(2400),
      z.literal(4800),
      z.literal(9600),
      z.literal(19200),
    ])
    .optional(),
  exportParameter: z.string().optional(),
  /**
   * Mercury 230 power profile: whether a record's time stamp marks the `start` (default) or the
   * `end` of its half hour. Not settled by the sources (docs/agent.md §7); check on the meter.
   */
  profileTimestamp: z.enum(["start", "end"]).optional(),
});

const schema = z.strictObject({
  dataDir: z.string().min(1),
  deviceKeyFile: z.string().min(1),
  gateway: z.strictObject({
    url: z.url(),
    timeoutMs: z.number().int().positive().default(15000),
    /** Overrides the EIP-712 domain (otherwise read from the gateway's `readingsDomain`). */
    domain: z
      .strictObject({
        chainId: z.number().int().positive(),
        verifyingContract: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
      })
      .optional(),
  }),
  buses: z.array(bus).min(1),
  meters: z.array(meter).min(1),
  registerMaps: z.record(z.string(), registerMap).default({}),
  schedule: z
    .strictObject({
      /** Seconds after the boundary before reading (lets meters close the interval). Default: 2. */
      readDelaySeconds: z.number().min(0).max(600).default(2),
      /** A reading taken later than this after its boundary is not used for that interval. */
      maxLateSeconds: z.number().min(1).max(1799).default(300),
      driftWarnSeconds: z.number().positive().default(5),
      driftAlarmSeconds: z.number().positive().default(60),
      /** How the agent learns whether its own clock is synchronised. */
      ntpCheck: z.enum(["timedatectl", "none"]).default("timedatectl"),
      /** Attempts to read a meter for one boundary when it fails with a retryable error. Default: 3. */
      readAttempts: z.number().int().min(1).max(10).default(3),
      /** Pause between those attempts. Default: 20 s. */
      readRetrySeconds: z.number().min(0).max(600).default(20),
      /** Load-profile back-fill limit after an outage. Default: 7 days. */
      backfillDays: z.number().min(0).max(90).default(7),
    })
    .prefault({}),
  upload: z
    .strictObject({
      maxRecordsPerBatch: z.number().int().min(1).max(2000).default(2000),
      /** First retry delay; doubles up to `maxBackoffMs`. */
      minBackoffMs: z.number().int().positive().default(1000),
      maxBackoffMs: z.number().int().positive().default(300_000),
      /** Pause between probes when the gateway refuses the device (BAD_SIGNATURE, REVOKED_DEVICE). */
      blockedRetryMs: z.number().int().positive().default(600_000),
      /** Confirmed readings are kept this long for `agent status` and audits. */
      keepConfirmedDays: z.number().min(0).default(35),
    })
    .prefault({}),
});

export type AgentConfig = z.output<typeof schema>;
export type MeterConfig = AgentConfig["meters"][number];
export type BusConfig = AgentConfig["buses"][number];

/** Validates a parsed config object; throws {@link ConfigError} naming the first bad setting. */
export function parseConfig(input: unknown, source = "config"): AgentConfig {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = formatPath(issue.path);
    const message =
      issue.code === "invalid_type" && /received undefined/.test(issue.message)
        ? "missing required setting"
        : issue.message;
    throw new ConfigError(`${source}: ${path || "(root)"}: ${message}`);
  }
  const config = result.data;
  const busNames = new Set<string>();
  config.buses.forEach((entry, index) => {
    if (busNames.has(entry.name))
      throw new ConfigError(`${source}: buses[${index}].name: duplicate bus name "${entry.name}"`);
    busNames.add(entry.name);
  });
  const known = [...CODE_DRIVERS, ...Object.keys(BUILTIN_REGISTER_MAPS), ...Object.keys(config.registerMaps)];
  const ids = new Set<string>();
  config.meters.forEach((entry, index) => {
    if (!known.includes(entry.driver)) {
      throw new ConfigError(
        `${source}: meters[${index}].driver: unknown driver "${entry.driver}" (known: ${known.join(", ")})`,
      );
    }
    if (!busNames.has(entry.bus))
      throw new ConfigError(`${source}: meters[${index}].bus: no bus named "${entry.bus}"`);
    if (ids.has(entry.meterId))
      throw new ConfigError(`${source}: meters[${index}].meterId: duplicate meter id ${entry.meterId}`);
    ids.add(entry.meterId);
    if (BigInt(entry.meterId) >= 2n ** 64n)
      throw new ConfigError(`${source}: meters[${index}].meterId: does not fit uint64`);
  });
  return config;
}

/** Reads and validates a JSON config file; relative paths inside it are resolved against the file. */
export function loadConfig(file: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const config = parseConfig(json, file);
  const base = dirname(resolve(file));
  return {
    ...config,
    dataDir: resolve(base, config.dataDir),
    deviceKeyFile: resolve(base, config.deviceKeyFile),
  };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    "",
  );
}

/** Register mask of a meter: bits 0..tariffs-1 for import T1..Tn, bit 4 for export. */
export function registerMaskOf(meter: Pick<MeterConfig, "tariffs" | "export">): number {
  return ((1 << meter.tariffs) - 1) | (meter.export ? 1 << 4 : 0);
}
