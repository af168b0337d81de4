import type { Logger } from "pino";
import { type MaintenanceWindow, maintenanceWindowAt } from "./maintenanceWindow.js";
import { describeDependency, EmergencyModeError, ServiceModeError } from "./modeErrors.js";

export type Mode = "normal" | "service" | "emergency";
export type DependencyName = "chain" | "database" | "cache";
export const DEPENDENCY_NAMES: readonly DependencyName[] = ["chain", "database", "cache"];

/** Checks one dependency; resolves (optionally with facts such as the chain head) when it is up. */
export type DependencyProbe = () => Promise<Record<string, unknown> | undefined>;

export type DependencyState = {
  name: DependencyName;
  up: boolean;
  /** When it last changed between up and down (or was first probed). */
  since: Date;
  checkedAt: Date;
  /** Why the last probe failed. */
  error: string | undefined;
  /** What the last successful probe reported. */
  facts: Record<string, unknown> | undefined;
};

export type ModeStatus = {
  mode: Mode;
  /** One line for people: why the system is in this mode. Null in normal mode. */
  reason: string | null;
  since: Date;
  /** Service mode: when the operator or the window plans to end it. */
  plannedEnd: Date | null;
  /** Dependencies that are down (emergency). */
  down: DependencyName[];
  dependencies: DependencyState[];
};

export type ServiceModeRequest = { message: string; plannedEnd: Date; by: string };

export type CreateModeControllerParameters = {
  /** The dependencies to watch; only these can cause emergency mode. */
  probes: Partial<Record<DependencyName, DependencyProbe>>;
  maintenanceWindow?: MaintenanceWindow | undefined;
  /** A probe that takes longer counts as unanswered. Default: 2000 ms. */
  probeTimeoutMs?: number | undefined;
  /**
   * Unanswered probes in a row before a dependency counts as down. A refused connection or an error
   * answer is down at once; a slow answer is ambiguous — on a loaded machine a healthy database can
   * miss one deadline, and refusing every write for that would be an outage of our own making.
   * Default: 3.
   */
  timeoutsBeforeDown?: number | undefined;
  logger?: Pick<Logger, "info" | "warn" | "error"> | undefined;
  /** The clock (tests). Default: `() => new Date()`. */
  now?: (() => Date) | undefined;
};

export type ModeController = {
  status(): ModeStatus;
  /** Runs every probe once and returns the resulting status. */
  probe(): Promise<ModeStatus>;
  /** Probes every `intervalMs` until {@link ModeController.stop}. */
  start(intervalMs: number): void;
  stop(): void;
  /** Logs mode and dependency changes here from now on (the server's pino logger). */
  setLogger(logger: Pick<Logger, "info" | "warn" | "error">): void;
  enterServiceMode(request: ServiceModeRequest): ModeStatus;
  leaveServiceMode(by: string): ModeStatus;
  /** Throws {@link EmergencyModeError} or {@link ServiceModeError} unless writes are allowed now. */
  assertWritable(): void;
};

/**
 * The system's operating mode (F-OPS-02), worked out from three inputs: dependency probes (any down →
 * emergency, which clears itself when the probe succeeds again), service mode entered by an operator
 * or the scheduled maintenance window (→ service), and otherwise normal. Emergency outranks service:
 * a failed dependency is what an operator must hear about first.
 */
export function createModeController(parameters: CreateModeControllerParameters): ModeController {
  const now = parameters.now ?? (() => new Date());
  const timeoutMs = parameters.probeTimeoutMs ?? 2000;
  const timeoutsBeforeDown = parameters.timeoutsBeforeDown ?? 3;
  const timeoutsInARow = new Map<DependencyName, number>();
  let logger = parameters.logger;
  const states = new Map<DependencyName, DependencyState>();
  let service: (ServiceModeRequest & { since: Date }) | undefined;
  let current: { key: string; since: Date } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let probing: Promise<ModeStatus> | undefined;
  /** The window occurrence an operator ended early (by its start), so it does not re-open at once. */
  let windowEndedEarly: number | undefined;

  const compute = (): Omit<ModeStatus, "since"> & { key: string; startedAt?: Date } => {
    const at = now();
    const dependencies = DEPENDENCY_NAMES.flatMap((name) => states.get(name) ?? []);
    const down = dependencies.filter((state) => !state.up).map((state) => state.name);
    if (down.length > 0) {
      return {
        mode: "emergency",
        reason: `${down.map(describeDependency).join(", ")} ${down.length > 1 ? "are" : "is"} down`,
        plannedEnd: null,
        down,
        dependencies,
        key: `emergency:${down.join(",")}`,
      };
    }
    if (service && service.plannedEnd.getTime() <= at.getTime()) {
      logger?.info(
        { mode: "service", plannedEnd: service.plannedEnd },
        "service mode reached its planned end",
      );
      service = undefined;
    }
    if (service) {
      return {
        mode: "service",
        reason: service.message,
        plannedEnd: service.plannedEnd,
        down,
        dependencies,
        key: `service:${service.since.getTime()}`,
        startedAt: service.since,
      };
    }
    const window = parameters.maintenanceWindow && maintenanceWindowAt(parameters.maintenanceWindow, at);
    if (window?.inside && window.startedAt.getTime() !== windowEndedEarly) {
      return {
        mode: "service",
        reason: `scheduled maintenance window ${parameters.maintenanceWindow!.text} Moscow time`,
        plannedEnd: window.endsAt,
        down,
        dependencies,
        key: `window:${window.startedAt.getTime()}`,
        startedAt: window.startedAt,
      };
    }
    return { mode: "normal", reason: null, plannedEnd: null, down, dependencies, key: "normal" };
  };

  const status = (): ModeStatus => {
    const { key, startedAt, ...rest } = compute();
    if (current?.key !== key) {
      const previous = current?.key;
      current = { key, since: startedAt ?? now() };
      if (previous !== undefined) {
        const log = { mode: rest.mode, reason: rest.reason, previous, down: rest.down };
        if (rest.mode === "emergency") logger?.error(log, `mode changed to emergency: ${rest.reason}`);
        else logger?.warn(log, `mode changed to ${rest.mode}`);
      }
    }
    return { ...rest, since: current.since };
  };

  const probeOne = async (name: DependencyName, probe: DependencyProbe) => {
    let facts: Record<string, unknown> | undefined;
    let error: string | undefined;
    let timedOut = false;
    let timeout: ReturnType<typeof setTimeout> | undefined;
    try {
      facts =
        (await Promise.race([
          probe(),
          new Promise<never>((_, reject) => {
            timeout = setTimeout(() => {
              timedOut = true;
              reject(new Error(`no answer within ${timeoutMs} ms`));
            }, timeoutMs);
          }),
        ])) ?? undefined;
    } catch (caught) {
      error = (caught as Error)?.message?.split("\n")[0] ?? String(caught);
    } finally {
      clearTimeout(timeout);
    }
    const at = now();
    const previous = states.get(name);
    const timeouts = timedOut ? (timeoutsInARow.get(name) ?? 0) + 1 : 0;
    timeoutsInARow.set(name, timeouts);
    // a dependency that was up stays up through fewer than `timeoutsBeforeDown` slow answers
    const up = error === undefined || (timedOut && previous?.up !== false && timeouts < timeoutsBeforeDown);
    if (up && error !== undefined) {
      logger?.warn({ dependency: name, error, timeouts }, `${describeDependency(name)} is slow: ${error}`);
    }
    if (previous && previous.up !== up) {
      if (up) logger?.warn({ dependency: name }, `${describeDependency(name)} is back`);
      else logger?.error({ dependency: name, error }, `${describeDependency(name)} is down: ${error}`);
    }
    states.set(name, {
      name,
      up,
      since: previous && previous.up === up ? previous.since : at,
      checkedAt: at,
      error,
      facts: up ? facts : previous?.facts,
    });
  };

  const probe = () => {
    probing ??= (async () => {
      try {
        await Promise.all(
          Object.entries(parameters.probes).map(([name, check]) => probeOne(name as DependencyName, check!)),
        );
        return status();
      } finally {
        probing = undefined;
      }
    })();
    return probing;
  };

  return {
    status,
    probe,
    start(intervalMs) {
      if (timer) return;
      const tick = async () => {
        await probe();
        if (timer) timer = setTimeout(tick, intervalMs).unref();
      };
      timer = setTimeout(tick, 0).unref();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
    setLogger(next) {
      logger = next;
    },
    enterServiceMode(request) {
      service = { ...request, since: now() };
      logger?.warn(
        { mode: "service", by: request.by, plannedEnd: request.plannedEnd, message: request.message },
        "service mode entered by an operator",
      );
      return status();
    },
    leaveServiceMode(by) {
      const window = parameters.maintenanceWindow && maintenanceWindowAt(parameters.maintenanceWindow, now());
      if (service || window?.inside) logger?.warn({ by }, "service mode left by an operator");
      if (window?.inside) windowEndedEarly = window.startedAt.getTime();
      service = undefined;
      return status();
    },
    assertWritable() {
      const state = status();
      if (state.mode === "emergency") throw new EmergencyModeError(state.down, state.since);
      if (state.mode === "service")
        throw new ServiceModeError(state.reason ?? "", state.plannedEnd ?? undefined);
    },
  };
}
