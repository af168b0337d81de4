import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { Agent } from "../agent.js";
import { type AgentConfig, parseConfig } from "../config/config.js";
import { createMemoryLogger } from "../logger.js";
import { Outbox } from "../outbox/outbox.js";
import { acceleratedClock } from "../schedule/clock.js";
import { SIMULATION_EPOCH } from "../simulator/energy.js";
import { GraphqlUploader } from "../upload/graphqlUploader.js";
import type { Uploader } from "../upload/uploader.js";

/** A config with simulated meters: `modbus` WB-MAP3E meters and `can` MTR-CAN meters (with a load profile). */
export function simulatedConfig(parameters: {
  modbus: number;
  can: number;
  gatewayUrl: string;
  dataDir?: string;
  overrides?: Record<string, unknown>;
}): AgentConfig {
  const meters = [
    ...Array.from({ length: parameters.modbus }, (_, i) => ({
      meterId: String(1001 + i),
      bus: "rs485",
      driver: "wb-map3e",
      address: 1 + i,
    })),
    ...Array.from({ length: parameters.can }, (_, i) => ({
      meterId: String(2001 + i),
      bus: "can",
      driver: "mtr-can",
      address: 1 + i,
      export: true,
    })),
  ];
  const buses = [
    ...(parameters.modbus
      ? [{ name: "rs485", transport: { type: "simulator" }, timeoutMs: 200, retries: 1, turnaroundMs: 0 }]
      : []),
    ...(parameters.can
      ? [{ name: "can", transport: { type: "simulator" }, timeoutMs: 200, retries: 1, turnaroundMs: 0 }]
      : []),
  ];
  return parseConfig({
    dataDir: parameters.dataDir ?? mkdtempSync(join(tmpdir(), "agent-data-")),
    deviceKeyFile: "unused.key",
    gateway: { url: parameters.gatewayUrl },
    buses,
    meters,
    schedule: { ntpCheck: "none", readDelaySeconds: 0, maxLateSeconds: 1700, readRetrySeconds: 0.01 },
    upload: { minBackoffMs: 20, maxBackoffMs: 200, blockedRetryMs: 200 },
    ...parameters.overrides,
  });
}

export function testAccount() {
  return privateKeyToAccount(generatePrivateKey());
}

/** Simulated time from a fixed half-hour boundary, `speed` times real time. */
export function testClock(
  speed: number,
  realStartMs = Date.now(),
  simulatedStartMs = (SIMULATION_EPOCH + 10 * 86400) * 1000,
) {
  return acceleratedClock({ simulatedStartMs, realStartMs, speed });
}

export function createTestAgent(parameters: {
  config: AgentConfig;
  account: ReturnType<typeof testAccount>;
  uploader?: Uploader;
  speed?: number;
  clock?: ReturnType<typeof testClock>;
}) {
  const outbox = new Outbox(join(parameters.config.dataDir, "outbox.sqlite"));
  const logger = createMemoryLogger();
  const agent = new Agent({
    config: parameters.config,
    outbox,
    account: parameters.account,
    logger,
    uploader:
      parameters.uploader ?? new GraphqlUploader({ url: parameters.config.gateway.url, timeoutMs: 2000 }),
    clock: parameters.clock ?? testClock(parameters.speed ?? 1),
  });
  return { agent, outbox, logger };
}
