import { existsSync } from "node:fs";
import type { AgentConfig } from "../config/config.js";
import { Outbox } from "../outbox/outbox.js";

export type AgentStatus = {
  outbox: { file: string; pending: number; batched: number; quarantined: number; confirmed: number };
  lastUpload: { at: number; transactionHash: string; readings: number } | null;
  uploadState: { state: string; at: string; reason?: string } | null;
  heartbeat: { at: string; nextBoundary: string } | null;
  /** Per-bus counters since the service started. */
  buses: Record<
    string,
    {
      transport: string;
      requests: number;
      timeouts: number;
      checksumErrors: number;
      refusals: number;
      transportErrors: number;
    }
  > | null;
  meters: Array<{
    meterId: string;
    driver: string;
    bus: string;
    lastIntervalEnd: string | null;
    lastValuesWh: string[] | null;
    lastReadAt: string | null;
    lastError: string | null;
    firmware: string | null;
    serial: string | null;
  }>;
  quarantined: Array<{ meterId: string; intervalEnd: number; reason: string }>;
  recentEvents: Array<{
    at: string;
    meterId: string | null;
    kind: string;
    severity: string;
    message: string;
  }>;
};

/** Reads the status from the outbox database (works while the service runs: SQLite WAL readers do not block). */
export function readStatus(config: AgentConfig, file: string): AgentStatus {
  if (!existsSync(file)) {
    return {
      outbox: { file, pending: 0, batched: 0, quarantined: 0, confirmed: 0 },
      lastUpload: null,
      uploadState: null,
      heartbeat: null,
      buses: null,
      meters: config.meters.map((m) => ({
        meterId: m.meterId,
        driver: m.driver,
        bus: m.bus,
        lastIntervalEnd: null,
        lastValuesWh: null,
        lastReadAt: null,
        lastError: "no outbox yet (has the service run?)",
        firmware: null,
        serial: null,
      })),
      quarantined: [],
      recentEvents: [],
    };
  }
  const outbox = new Outbox(file, { readonly: true });
  try {
    const states = new Map(outbox.meterStates().map((state) => [state.meterId, state]));
    const iso = (value: number | null | undefined, factor = 1) =>
      value == null ? null : new Date(value * factor).toISOString();
    return {
      outbox: { file, ...outbox.counts() },
      lastUpload: outbox.getKv("lastUpload") ?? null,
      uploadState: outbox.getKv("uploadState") ?? null,
      heartbeat: outbox.getKv("heartbeat") ?? null,
      buses: outbox.getKv("buses") ?? null,
      meters: config.meters.map((meter) => {
        const state = states.get(meter.meterId);
        return {
          meterId: meter.meterId,
          driver: meter.driver,
          bus: meter.bus,
          lastIntervalEnd: iso(state?.lastIntervalEnd, 1000),
          lastValuesWh: state?.lastValues ? (JSON.parse(state.lastValues) as string[]) : null,
          lastReadAt: iso(state?.lastReadAt),
          lastError: state?.lastError ?? null,
          firmware: state?.firmware ?? null,
          serial: state?.serial ?? null,
        };
      }),
      quarantined: outbox.quarantined(10),
      recentEvents: outbox
        .recentEvents(10)
        .map((event) => ({ ...event, at: new Date(event.at).toISOString() })),
    };
  } finally {
    outbox.close();
  }
}

export function formatStatus(status: AgentStatus): string {
  const lines: string[] = [];
  const o = status.outbox;
  lines.push(
    `outbox: ${o.pending + o.batched} waiting (${o.pending} pending, ${o.batched} in an unconfirmed batch), ${o.quarantined} quarantined, ${o.confirmed} confirmed kept`,
  );
  lines.push(
    status.lastUpload
      ? `last upload: ${new Date(status.lastUpload.at).toISOString()} tx ${status.lastUpload.transactionHash} (${status.lastUpload.readings} readings)`
      : "last upload: never",
  );
  if (status.uploadState?.state === "error")
    lines.push(`upload error: ${status.uploadState.reason} (at ${status.uploadState.at})`);
  if (status.heartbeat)
    lines.push(`service heartbeat: ${status.heartbeat.at}, next boundary ${status.heartbeat.nextBoundary}`);
  for (const [name, bus] of Object.entries(status.buses ?? {})) {
    lines.push(
      `bus ${name} (${bus.transport}): ${bus.requests} requests, ${bus.timeouts} timeouts, ${bus.checksumErrors} checksum errors, ${bus.refusals} refusals, ${bus.transportErrors} transport errors`,
    );
  }
  lines.push("meters:");
  for (const meter of status.meters) {
    lines.push(
      `  ${meter.meterId} ${meter.driver} on ${meter.bus}: last interval ${meter.lastIntervalEnd ?? "none"} ${meter.lastValuesWh ? `[${meter.lastValuesWh.join(", ")}] Wh` : ""}${meter.lastError ? ` — last error: ${meter.lastError}` : ""}`,
    );
  }
  if (status.quarantined.length) {
    lines.push("quarantined (fix the cause, then `agent requeue`):");
    for (const q of status.quarantined)
      lines.push(`  ${q.meterId} ${new Date(q.intervalEnd * 1000).toISOString()}: ${q.reason}`);
  }
  if (status.recentEvents.length) {
    lines.push("recent events:");
    for (const e of status.recentEvents)
      lines.push(`  ${e.at} ${e.severity} ${e.kind} ${e.meterId ?? ""} ${e.message}`);
  }
  return `${lines.join("\n")}\n`;
}
