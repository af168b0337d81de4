import { mkdirSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { ALL_REGISTERS_MASK, alignDownToHalfHour, HALF_HOUR_SECONDS } from "@gridledger/domain";
import { type Address, createPublicClient, type Hex, hexToString, http, parseAbi, toHex } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { Agent } from "../agent.js";
import { parseConfig, registerMaskOf } from "../config/config.js";
import { BUILTIN_REGISTER_MAPS } from "../drivers/registerMaps.js";
import { ConfigError } from "../errors.js";
import { createLogger, type Logger } from "../logger.js";
import { Outbox } from "../outbox/outbox.js";
import { type Clock, systemClock } from "../schedule/clock.js";
import { EnergomeraSimulator } from "../simulator/energomera.js";
import { SIMULATION_EPOCH } from "../simulator/energy.js";
import { MercurySimulator } from "../simulator/mercury.js";
import { ModbusSlaveSimulator } from "../simulator/modbusSlave.js";
import { GraphqlUploader } from "../upload/graphqlUploader.js";

/** Where the demo agents find their meters (the deployment's contract addresses). */
export type DemoContracts = { Readings: Address; Registry: Address };

export type StartDemoAgentsParameters = {
  /** The gateway's base URL (`…/graphql` is appended unless given). */
  gatewayUrl: string;
  rpcUrl: string;
  contracts: DemoContracts;
  /** Device keys registered for meters on chain (the demo seed's data concentrators); one agent each. */
  deviceKeys: readonly Hex[];
  /** Each agent keeps its outbox under `dataDir/<device address>`. */
  dataDir: string;
  /** Meters each agent reads (the first ones registered for its key). Default: 4. */
  maxMetersPerAgent?: number;
  /** Host the simulated RS-485-to-Ethernet bridges listen on. Default: 127.0.0.1. */
  host?: string;
  /** Default: warnings and errors on stderr. */
  logger?: Logger;
};

export type DemoMeter = {
  meterId: string;
  /** The model registered on chain, e.g. `Mercury 230 ART-01`. */
  model: string;
  /** The agent driver speaking to the simulated meter. */
  driver: "mercury230" | "ce301" | "ce303" | "sdm120" | "sdm630" | "wb-map3e";
  tariffs: number;
  export: boolean;
  /** The TCP port of the simulated bridge in front of the meter. */
  port: number;
};

export type RunningDemoAgents = {
  agents: { address: Address; dataDir: string; meters: DemoMeter[] }[];
  /** Stops the agents (outboxes closed, nothing lost) and the simulated meters. Safe to call twice. */
  stop(): Promise<void>;
};

const readingsEvents = parseAbi([
  "event DeviceKeyRegistered(uint64 indexed meterId, address indexed key)",
  "event DeviceKeyRevoked(uint64 indexed meterId, address indexed key)",
  "function meterState(uint64 meterId) view returns (uint32 lastIntervalEnd, uint48[5] registers, uint32 nextSnapshotPeriod)",
]);
const registryAbi = parseAbi([
  "struct Meter { address gridCompany; uint64 accountId; uint8 meterType; uint8 tariffZones; uint8 meteringScheme; bool remoteReading; bool exportCapable; bool atBalanceBoundary; uint8 lossMethod; int32 lossPpm; bytes32 serial; bytes32 model; bytes32 lossParameters; }",
  "function getMeter(uint64 meterId) view returns (Meter)",
]);

/** The private key at m/44'/60'/0'/0/`addressIndex` of `mnemonic` (the demo seed's device keys are at 1000 + j). */
export function deriveDeviceKey(mnemonic: string, addressIndex: number): Hex {
  const key = mnemonicToAccount(mnemonic, { addressIndex }).getHdKey().privateKey;
  if (!key) throw new ConfigError(`no private key at address index ${addressIndex}`);
  return toHex(key);
}

/**
 * The demo of issue 7 §6: simulated meters behind simulated RS-485-to-Ethernet bridges (TCP on
 * localhost, so no socat is needed), read by the real agent — drivers, sessions, SQLite outbox,
 * EIP-712 signing, GraphQL upload — into the running gateway, every half hour.
 *
 * Each device key gets one agent. Its meters, their register layout (tariff zones, export) and the
 * register values the ledger already holds are read from the chain, so the simulated counters carry
 * on from the seeded readings and never run backwards. The agents keep the chain's clock (an
 * embedded dev chain may run ahead of the wall clock), and each reads the half-hour boundary just
 * passed at start, so the first live readings arrive within seconds, then one per meter each :00/:30.
 */
export async function startDemoAgents(parameters: StartDemoAgentsParameters): Promise<RunningDemoAgents> {
  const log = parameters.logger ?? createLogger({ level: "warn", fields: { component: "demo-agents" } });
  const client = createPublicClient({ transport: http(parameters.rpcUrl), cacheTime: 0 });
  const block = await client.getBlock();
  const offsetMs = Number(block.timestamp) * 1000 - Date.now();
  const clock: Clock = { now: () => Date.now() + offsetMs, sleep: systemClock.sleep };
  const servers: Bridge[] = [];
  const running: { agent: Agent; outbox: Outbox }[] = [];
  const result: RunningDemoAgents["agents"] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const { agent, outbox } of running.splice(0)) {
      await agent.stop();
      outbox.close();
    }
    for (const bridge of servers.splice(0)) await closeBridge(bridge);
  };

  try {
    for (const [agentIndex, deviceKey] of parameters.deviceKeys.entries()) {
      const account = privateKeyToAccount(deviceKey);
      const meterIds = await metersOfDevice(client, parameters.contracts.Readings, account.address);
      const meters: DemoMeter[] = [];
      const seeds: { meterId: string; lastIntervalEnd: number; raw: bigint[]; mask: number }[] = [];
      for (const meterId of meterIds.slice(0, parameters.maxMetersPerAgent ?? 4)) {
        const meter = await client.readContract({
          address: parameters.contracts.Registry,
          abi: registryAbi,
          functionName: "getMeter",
          args: [meterId],
        });
        if (!meter.remoteReading) continue;
        const [lastIntervalEnd, registers] = await client.readContract({
          address: parameters.contracts.Readings,
          abi: readingsEvents,
          functionName: "meterState",
          args: [meterId],
        });
        const model = hexToString(meter.model, { size: 32 }).replace(/\0+$/, "");
        const tariffs = Math.min(4, Math.max(1, meter.tariffZones));
        const exported = meter.exportCapable;
        const mask = registerMaskOf({ tariffs, export: exported }) & ALL_REGISTERS_MASK;
        const nowSeconds = Math.floor(clock.now() / 1000);
        const since =
          lastIntervalEnd > 0 ? lastIntervalEnd : alignDownToHalfHour(nowSeconds) - HALF_HOUR_SECONDS;
        const last = lastIntervalEnd > 0 ? registers.map(BigInt) : [0n, 0n, 0n, 0n, 0n];
        const index = meters.length + agentIndex * 7;
        const energy = demoEnergy({ tariffs, exported, since, last, index });
        const driver = demoDriverFor(model, tariffs, exported, last);
        const respond = simulatedMeter(driver, energy, clock);
        const port = await listen(parameters.host ?? "127.0.0.1", respond, servers, log);
        meters.push({ meterId: meterId.toString(), model, driver, tariffs, export: exported, port });
        if (lastIntervalEnd > 0)
          seeds.push({
            meterId: meterId.toString(),
            lastIntervalEnd,
            mask,
            raw: [...last.slice(0, tariffs), ...(exported ? [last[4]!] : [])],
          });
      }
      if (meters.length === 0) {
        log.warn("demo device key reads no remote meter; no agent started for it", {
          address: account.address,
        });
        continue;
      }
      const dataDir = join(parameters.dataDir, account.address.toLowerCase());
      mkdirSync(dataDir, { recursive: true });
      const config = parseConfig(
        {
          dataDir,
          deviceKeyFile: "(in memory)",
          gateway: { url: graphqlUrl(parameters.gatewayUrl) },
          buses: meters.map((meter) => ({
            name: `bridge-${meter.meterId}`,
            transport: { type: "tcp", host: parameters.host ?? "127.0.0.1", port: meter.port },
            timeoutMs: 1000,
            retries: 1,
            turnaroundMs: 0,
          })),
          meters: meters.map((meter) => ({
            meterId: meter.meterId,
            bus: `bridge-${meter.meterId}`,
            driver: meter.driver,
            address: 1,
            tariffs: meter.tariffs,
            export: meter.export,
          })),
          // The boundary just passed is read at start, whatever the minute.
          // The simulated meters keep no load profile: a gap before the agents started stays a gap
          // rather than a profile request every meter refuses.
          schedule: {
            ntpCheck: "none",
            readDelaySeconds: 2,
            maxLateSeconds: 1799,
            readRetrySeconds: 2,
            backfillDays: 0,
          },
          upload: { minBackoffMs: 1000, maxBackoffMs: 30_000, blockedRetryMs: 60_000 },
        },
        "demo agent",
      );
      const outbox = new Outbox(join(dataDir, "outbox.sqlite"));
      // The ledger's last values are the agent's previous reading: decreases and replays are judged against them.
      for (const seed of seeds) {
        const state = outbox.meterState(seed.meterId);
        if ((state?.lastIntervalEnd ?? 0) >= seed.lastIntervalEnd) continue;
        outbox.saveState({
          meterId: seed.meterId,
          lastIntervalEnd: seed.lastIntervalEnd,
          lastRaw: seed.raw.map(String),
          offsets: null,
          serial: state?.serial ?? null,
          firmware: state?.firmware ?? null,
          lastReadAt: null,
          lastError: null,
          lastValues: null,
          registerMask: seed.mask,
        });
      }
      const agent = new Agent({
        config,
        outbox,
        account,
        clock,
        logger: log.child({ device: account.address }),
        uploader: new GraphqlUploader({ url: config.gateway.url, timeoutMs: config.gateway.timeoutMs }),
      });
      agent.start();
      running.push({ agent, outbox });
      result.push({ address: account.address, dataDir, meters });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { agents: result, stop };
}

/** Meter ids with `device` as an active key, in registration order. */
async function metersOfDevice(
  client: ReturnType<typeof createPublicClient>,
  readings: Address,
  device: Address,
): Promise<bigint[]> {
  const [registered, revoked] = await Promise.all(
    (["DeviceKeyRegistered", "DeviceKeyRevoked"] as const).map((eventName) =>
      client.getContractEvents({
        address: readings,
        abi: readingsEvents,
        eventName,
        args: { key: device },
        fromBlock: 0n,
      }),
    ),
  );
  const gone = new Set(revoked!.map((log) => log.args.meterId));
  const ids: bigint[] = [];
  for (const log of registered!) {
    const id = log.args.meterId!;
    if (!gone.has(id) && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** A simulated meter's registers over time: each continues from the ledger's value at `since`. */
export type DemoEnergy = {
  since: number;
  /** Wh at `since`: T1..T4, export. */
  last: readonly bigint[];
  /** W per register: T1..T4, export (even, so that each half hour adds whole Wh). */
  powerW: readonly number[];
};

export function demoEnergy(parameters: {
  tariffs: number;
  exported: boolean;
  since: number;
  last: readonly bigint[];
  index: number;
}): DemoEnergy {
  const total = 600 + 200 * (parameters.index % 6);
  // Consumption is spread over the zones at fixed shares (a demo, not a zone clock).
  const shares = [[1], [0.65, 0.35], [0.5, 0.3, 0.2], [0.4, 0.3, 0.2, 0.1]][parameters.tariffs - 1]!;
  const powerW = [0, 1, 2, 3].map((k) => (k < shares.length ? 2 * Math.round((total * shares[k]!) / 2) : 0));
  powerW.push(parameters.exported ? 300 + 100 * (parameters.index % 3) : 0);
  return { since: parameters.since, last: parameters.last, powerW };
}

/** Register `k` of `energy` at `unixSeconds`, Wh. */
export function demoRegisterWh(energy: DemoEnergy, k: number, unixSeconds: number): bigint {
  const elapsed = Math.max(0, unixSeconds - energy.since);
  return energy.last[k]! + BigInt(Math.floor((elapsed * energy.powerW[k]!) / 3600));
}

/**
 * The driver for a registered model. The Modbus maps carry one import register, so zoned meters
 * get Mercury; Mercury counters are u32 Wh, so a meter already past 2^32 Wh gets an Energomera.
 */
export function demoDriverFor(
  model: string,
  tariffs: number,
  exported: boolean,
  lastWh: readonly bigint[] = [],
): DemoMeter["driver"] {
  if (/CE\s*301/i.test(model)) return "ce301";
  if (/CE\s*303/i.test(model) || lastWh.some((value) => value >= 2n ** 31n)) return "ce303";
  if (tariffs === 1 && /SDM\s*120/i.test(model)) return "sdm120";
  if (tariffs === 1 && /SDM/i.test(model)) return "sdm630";
  if (tariffs === 1 && !exported && /WB-?MAP/i.test(model)) return "wb-map3e";
  return "mercury230";
}

function simulatedMeter(
  driver: DemoMeter["driver"],
  energy: DemoEnergy,
  clock: Clock,
): (request: Uint8Array) => Uint8Array | undefined {
  const at = () => Math.floor(clock.now() / 1000);
  const wh = (k: number) => demoRegisterWh(energy, k, at());
  const exported = energy.powerW[4]! > 0;
  if (driver === "mercury230") {
    const meter = new MercurySimulator({
      address: 1,
      tariffsWh: () => [0, 1, 2, 3].map((k) => Number(wh(k))) as [number, number, number, number],
      exportWh: () => (exported ? Number(wh(4)) : null),
      // The meter's own clock keeps wall time, as the agent's drift check does.
      now: () => Date.now(),
    });
    return (request) => meter.respond(request);
  }
  if (driver === "ce301" || driver === "ce303") {
    const kWh = (value: bigint) => `${value / 1000n}.${String(value % 1000n).padStart(3, "0")}`;
    const meter = new EnergomeraSimulator({
      deviceAddress: "",
      et0pe: () => {
        const zones = [0, 1, 2, 3].map(wh);
        return [kWh(zones.reduce((a, b) => a + b, 0n)), ...zones.map(kWh)];
      },
      et0pi: () => (exported ? kWh(wh(4)) : null),
      now: () => Date.now(),
    });
    return (request) => meter.respond(request);
  }
  // The Modbus simulator's energy is linear from SIMULATION_EPOCH: shift its base to meet the ledger's value.
  const base = (k: number) =>
    Number(energy.last[k]!) - ((energy.since - SIMULATION_EPOCH) * energy.powerW[k]!) / 3600;
  const slave = new ModbusSlaveSimulator();
  slave.add({
    address: 1,
    map: BUILTIN_REGISTER_MAPS[driver]!,
    energy: {
      baseWh: base(0),
      powerW: energy.powerW[0]!,
      exportPowerW: energy.powerW[4]!,
      exportBaseWh: base(4),
    },
    now: () => Math.max(clock.now(), energy.since * 1000),
  });
  return (request) => slave.respond(request);
}

type Bridge = { server: Server; sockets: Set<Socket> };

/** A transparent RS-485-to-Ethernet bridge with one simulated meter behind it. */
async function listen(
  host: string,
  respond: (request: Uint8Array) => Uint8Array | undefined,
  servers: Bridge[],
  log: Logger,
): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", (error) => log.debug("demo bridge socket error", { reason: error.message }));
    socket.on("data", (chunk) => {
      const reply = respond(new Uint8Array(chunk));
      if (reply) socket.write(reply);
    });
  });
  servers.push({ server, sockets });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new ConfigError("demo bridge has no TCP port");
  return address.port;
}

function closeBridge({ server, sockets }: Bridge): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}

function graphqlUrl(base: string): string {
  return /\/graphql\/?$/.test(base) ? base : `${base.replace(/\/$/, "")}/graphql`;
}
