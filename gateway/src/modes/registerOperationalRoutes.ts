import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { IndexStatus } from "../graphql/context.js";
import {
  DEPENDENCY_NAMES,
  type DependencyName,
  type ModeController,
  type ModeStatus,
} from "./createModeController.js";

export type RegisterOperationalRoutesParameters = {
  modes: ModeController;
  deployment: { chainId: number; deployedAtBlock: string; contracts: Record<string, string> };
  indexStatus: () => Promise<IndexStatus>;
  /** Probe results older than this are refreshed before answering. Default: 5000 ms. */
  maxStatusAgeMs?: number | undefined;
};

/**
 * `/health` (liveness: 200 while the process lives, with the mode and every dependency), `/ready`
 * (503 while a dependency is down) and `/metrics` (Prometheus), plus request counting and the
 * `x-request-id` response header that ties a client's report to the log lines of its request.
 */
export function registerOperationalRoutes(
  app: FastifyInstance,
  { modes, deployment, indexStatus, maxStatusAgeMs = 5000 }: RegisterOperationalRoutesParameters,
): void {
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: "gridledger_gateway_" });
  const chainHead = new Gauge({
    name: "gridledger_chain_head_block",
    help: "Latest block number seen on the chain",
    registers: [metrics],
  });
  const indexedBlock = new Gauge({
    name: "gridledger_indexed_block",
    help: "Last block the index holds (the indexer checkpoint)",
    registers: [metrics],
  });
  const indexerLag = new Gauge({
    name: "gridledger_indexer_lag_blocks",
    help: "Chain head minus the indexed block",
    registers: [metrics],
  });
  const modeGauge = new Gauge({
    name: "gridledger_mode",
    help: "1 for the current operating mode (normal, service, emergency), 0 for the others",
    labelNames: ["mode"],
    registers: [metrics],
  });
  const dependencyUp = new Gauge({
    name: "gridledger_dependency_up",
    help: "1 when the dependency (chain, database, cache) answered its last probe, 0 when not",
    labelNames: ["dependency"],
    registers: [metrics],
  });
  const requests = new Counter({
    name: "gridledger_http_requests_total",
    help: "HTTP requests answered, by method, route and status code",
    labelNames: ["method", "route", "status_code"],
    registers: [metrics],
  });
  const latency = new Histogram({
    name: "gridledger_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method and route",
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics],
  });

  const currentStatus = async (): Promise<ModeStatus> => {
    const state = modes.status();
    const oldest = Math.min(...state.dependencies.map((dependency) => dependency.checkedAt.getTime()));
    if (state.dependencies.length === 0 || Date.now() - oldest > maxStatusAgeMs) return modes.probe();
    return state;
  };
  const headOf = (state: ModeStatus): bigint | undefined => {
    const chain = state.dependencies.find((dependency) => dependency.name === "chain");
    return chain?.up ? (chain.facts?.head as bigint | undefined) : undefined;
  };
  const dependencyMap = (state: ModeStatus) =>
    Object.fromEntries(
      state.dependencies.map((dependency) => [
        dependency.name,
        {
          up: dependency.up,
          since: dependency.since.toISOString(),
          checkedAt: dependency.checkedAt.toISOString(),
          ...(dependency.error ? { error: dependency.error } : {}),
        },
      ]),
    ) as Partial<Record<DependencyName, unknown>>;

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    requests.inc({ method: request.method, route, status_code: reply.statusCode });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get("/health", async () => {
    const state = await currentStatus();
    const head = headOf(state);
    return {
      status: "ok",
      mode: state.mode,
      reason: state.reason,
      since: state.since.toISOString(),
      plannedEnd: state.plannedEnd?.toISOString() ?? null,
      dependencies: dependencyMap(state),
      chain: {
        chainId: deployment.chainId,
        blockNumber: head?.toString() ?? null,
        rpc: head === undefined ? "down" : "up",
      },
      deployment: {
        chainId: deployment.chainId,
        deployedAtBlock: deployment.deployedAtBlock,
        contracts: deployment.contracts,
      },
    };
  });

  app.get("/ready", async (_request, reply) => {
    const state = await modes.probe();
    const down = state.dependencies.filter((dependency) => !dependency.up);
    if (down.length > 0) {
      return reply.code(503).send({
        ready: false,
        mode: state.mode,
        reason: down.map((dependency) => `${dependency.name}: ${dependency.error}`).join("; "),
        dependencies: dependencyMap(state),
      });
    }
    return { ready: true, mode: state.mode, dependencies: dependencyMap(state) };
  });

  app.get("/metrics", async (_request, reply) => {
    const state = await currentStatus();
    for (const mode of ["normal", "service", "emergency"])
      modeGauge.set({ mode }, state.mode === mode ? 1 : 0);
    for (const name of DEPENDENCY_NAMES) {
      const dependency = state.dependencies.find((candidate) => candidate.name === name);
      if (dependency) dependencyUp.set({ dependency: name }, dependency.up ? 1 : 0);
    }
    const head = headOf(state);
    if (head !== undefined) chainHead.set(Number(head));
    const databaseUp = state.dependencies.find((dependency) => dependency.name === "database")?.up ?? true;
    if (databaseUp) {
      const indexed = await withTimeout(indexStatus(), 2000).catch(() => undefined);
      if (indexed?.indexedBlock !== undefined) {
        indexedBlock.set(Number(indexed.indexedBlock));
        if (head !== undefined) indexerLag.set(Math.max(0, Number(head - indexed.indexedBlock)));
      }
    }
    reply.header("content-type", metrics.contentType);
    return metrics.metrics();
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
