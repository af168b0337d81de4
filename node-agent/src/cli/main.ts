import { join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { Agent } from "../agent.js";
import { type AgentConfig, loadConfig } from "../config/config.js";
import { createDriver, driverBusKind, registerMapFor } from "../drivers/factory.js";
import type { RegisterMap } from "../drivers/registerMaps.js";
import { AgentError, ConfigError, describeError } from "../errors.js";
import { createLogger } from "../logger.js";
import { Outbox } from "../outbox/outbox.js";
import { BusSession } from "../session/session.js";
import { keygen, loadDeviceKey } from "../signing/deviceKey.js";
import { SerialTransport } from "../transport/serial.js";
import { SlcanTransport } from "../transport/slcan.js";
import { TcpTransport } from "../transport/tcp.js";
import { GraphqlUploader } from "../upload/graphqlUploader.js";
import { formatStatus, readStatus } from "./status.js";

const int = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new InvalidArgumentError(`${name} must be an integer`);
  return parsed;
};

export function outboxFile(config: Pick<AgentConfig, "dataDir">): string {
  return join(config.dataDir, "outbox.sqlite");
}

export function buildProgram(): Command {
  const program = new Command("agent")
    .description(
      "GridLedger node agent: reads meters, keeps readings until the ledger has them, signs and uploads them",
    )
    .showHelpAfterError();

  program
    .command("keygen")
    .description("create the device key (mode 0600) and print the address to register")
    .option("--key <file>", "key file (default: deviceKeyFile from --config)")
    .option("--config <file>", "agent config file")
    .action((options: { key?: string; config?: string }) => {
      const file = options.key ?? (options.config ? loadConfig(options.config).deviceKeyFile : undefined);
      if (!file) throw new ConfigError("keygen needs --key FILE or --config FILE");
      const result = keygen(resolve(file));
      process.stdout.write(
        `device key written to ${result.file} (mode 600)\naddress: ${result.address}\nregister this address for the agent's meters\n`,
      );
    });

  program
    .command("read")
    .description("read one meter once and print its registers (for installers)")
    .requiredOption(
      "--driver <name>",
      "driver: sdm120, sdm630, wb-map3e, mercury230, ce301, ce303, mtr-can, or a map from --register-maps",
    )
    .option("--port <path>", "serial port (for mtr-can: the slcan adapter)")
    .option("--tcp <host:port>", "RS-485-to-Ethernet bridge instead of --port")
    .option("--address <n>", "Modbus slave / Mercury address / CAN node", int("--address"), 1)
    .option(
      "--device-address <text>",
      "IEC 62056-21 device address (Energomera: last 9 digits of the serial)",
      "",
    )
    .option("--password <text>", "meter password (Mercury level 1, Energomera)")
    .option("--baud <rate>", "baud rate", int("--baud"))
    .option(
      "--iec-baud <rate>",
      "IEC 62056-21: sign on at --baud, then switch to this rate",
      int("--iec-baud"),
    )
    .option("--bitrate <rate>", "CAN bitrate (slcan)", int("--bitrate"), 125000)
    .option("--timeout <ms>", "response timeout", int("--timeout"), 1000)
    .option("--register-maps <file>", "JSON file of register maps {name: map}")
    .option("--json", "print JSON")
    .action(async (options: ReadOptions) => {
      const result = await readOnce(options);
      if (options.json)
        process.stdout.write(
          `${JSON.stringify(result, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
        );
      else
        for (const [name, value] of Object.entries(result.values))
          process.stdout.write(`${name.padEnd(24)} ${value}\n`);
    });

  program
    .command("run")
    .description("run the service")
    .requiredOption("--config <file>", "agent config file")
    .action(async (options: { config: string }) => {
      const config = loadConfig(options.config);
      const logger = createLogger();
      const account = loadDeviceKey(config.deviceKeyFile);
      const outbox = new Outbox(outboxFile(config));
      const agent = new Agent({
        config,
        outbox,
        account,
        logger,
        uploader: new GraphqlUploader({ url: config.gateway.url, timeoutMs: config.gateway.timeoutMs }),
      });
      logger.info("agent started", {
        address: account.address,
        meters: config.meters.length,
        outbox: outboxFile(config),
        ...outbox.counts(),
      });
      agent.start();
      await new Promise<void>((resolveStop) => {
        const stop = (signal: string) => {
          logger.info("stopping", { signal });
          resolveStop();
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
      });
      await agent.stop();
      outbox.close();
    });

  program
    .command("status")
    .description("show meters, last readings, outbox depth and last upload")
    .requiredOption("--config <file>", "agent config file")
    .option("--json", "print JSON")
    .action((options: { config: string; json?: boolean }) => {
      const config = loadConfig(options.config);
      const status = readStatus(config, outboxFile(config));
      process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
    });

  program
    .command("requeue")
    .description("move quarantined readings back to the outbox (after fixing the cause)")
    .requiredOption("--config <file>", "agent config file")
    .action((options: { config: string }) => {
      const config = loadConfig(options.config);
      const outbox = new Outbox(outboxFile(config));
      process.stdout.write(`${outbox.requeueQuarantined()} reading(s) requeued\n`);
      outbox.close();
    });

  program
    .command("check-config")
    .description("validate a config file")
    .requiredOption("--config <file>", "agent config file")
    .action((options: { config: string }) => {
      const config = loadConfig(options.config);
      process.stdout.write(`ok: ${config.meters.length} meter(s) on ${config.buses.length} bus(es)\n`);
    });

  return program;
}

type ReadOptions = {
  driver: string;
  port?: string;
  tcp?: string;
  address: number;
  deviceAddress: string;
  password?: string;
  baud?: number;
  iecBaud?: number;
  bitrate: number;
  timeout: number;
  registerMaps?: string;
  json?: boolean;
};

async function readOnce(options: ReadOptions) {
  const { readFileSync } = await import("node:fs");
  const registerMaps: Record<string, RegisterMap> = options.registerMaps
    ? JSON.parse(readFileSync(options.registerMaps, "utf8"))
    : {};
  const known = ["mercury230", "ce301", "ce303", "mtr-can"];
  if (!known.includes(options.driver) && !registerMapFor(options.driver, registerMaps)) {
    throw new ConfigError(`--driver: unknown driver "${options.driver}"`);
  }
  if (!options.port && !options.tcp) throw new ConfigError("--port PATH or --tcp HOST:PORT is required");
  const isIec = options.driver === "ce301" || options.driver === "ce303";
  const meter = {
    driver: options.driver,
    address: options.address,
    deviceAddress: options.deviceAddress,
    password: options.password,
    clockUtcOffsetMinutes: 180,
    bcc: undefined,
    exportParameter: undefined,
    iecBaudRate: options.iecBaud,
  };
  const sessionOptions = { timeoutMs: options.timeout, retries: 1 };
  let close: () => Promise<void>;
  let driver: ReturnType<typeof createDriver>;
  if (driverBusKind(options.driver) === "can") {
    if (!options.port) throw new ConfigError("--port (the slcan adapter) is required for mtr-can");
    const channel = new SlcanTransport({
      serial: new SerialTransport({ path: options.port, baudRate: options.baud ?? 115200 }),
      bitrate: options.bitrate,
    });
    const session = new BusSession(channel, sessionOptions);
    driver = createDriver(meter, { kind: "can", session });
    close = () => session.close();
  } else {
    let channel: SerialTransport | TcpTransport;
    if (options.tcp) {
      const [host, port] = options.tcp.split(":");
      channel = new TcpTransport({ host: host!, port: Number(port) });
    } else {
      channel = new SerialTransport({
        path: options.port!,
        baudRate: options.baud ?? 9600,
        dataBits: isIec ? 7 : 8,
        parity: isIec ? "even" : "none",
      });
    }
    const session = new BusSession<Uint8Array>(channel, sessionOptions);
    driver = createDriver(
      meter,
      { kind: "bytes", session },
      { registerMaps },
      options.tcp ? undefined : (options.baud ?? 9600),
    );
    close = () => session.close();
  }
  try {
    const snapshot = await driver.read();
    return {
      driver: driver.model,
      address: options.address,
      readAt: new Date().toISOString(),
      registers: snapshot.registers,
      identity: snapshot.identity,
      clock: snapshot.clock
        ? {
            meter: new Date(snapshot.clock.meterSeconds * 1000).toISOString(),
            driftSeconds: Math.round(snapshot.clock.meterSeconds - snapshot.clock.agentMidpointMs / 1000),
          }
        : null,
      tamper: snapshot.tamper,
      errors: snapshot.errors,
      values: snapshot.values,
    };
  } finally {
    await close();
  }
}

/** Entry point: one clear line on error, exit code 2 for configuration errors, 1 otherwise. */
export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    const line =
      error instanceof AgentError
        ? describeError(error)
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`agent: ${line}\n`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  }
}
