import { type IntervalReading, MAX_REGISTER_WH, ReadingStatus } from "@gridledger/domain";
import type { MeterRegisters, MeterSnapshot } from "../drivers/driver.js";
import type { MeterEvent, MeterStateRow } from "../outbox/outbox.js";

export type BuildReadingParameters = {
  meterId: string;
  registerMask: number;
  intervalEnd: number;
  registers: MeterRegisters;
  previous: MeterStateRow | undefined;
  counterModulusWh: bigint | undefined;
  /** Extra status flags decided by the caller (FromLoadProfile, ClockDrift, Tamper). */
  status: number;
  nowMs: number;
  /**
   * Plausibility limit: import above `maxPowerW` × elapsed time (plus `slackSeconds`) since the
   * previous reading is held in quarantine as a misread. Undefined disables the check.
   */
  maxPowerW?: number | undefined;
  slackSeconds?: number;
};

export type BuildReadingResult =
  | {
      kind: "reading";
      reading: IntervalReading;
      state: MeterStateRow;
      events: MeterEvent[];
      quarantineReason?: string;
    }
  | { kind: "skip"; events: MeterEvent[] };

/** The register values a mask asks for, lowest bit first: T1..Tn import (T1 = total for single-tariff meters), then export. */
export function selectRegisters(
  registers: MeterRegisters,
  registerMask: number,
): { values: bigint[]; missing: string[] } {
  const values: bigint[] = [];
  const missing: string[] = [];
  const tariffCount = [0, 1, 2, 3].filter((bit) => registerMask & (1 << bit)).length;
  for (let bit = 0; bit < 4; bit++) {
    if (!(registerMask & (1 << bit))) continue;
    const value =
      tariffCount === 1 && bit === 0
        ? (registers.importTotalWh ?? registers.importTariffWh[0])
        : registers.importTariffWh[bit];
    if (value === null || value === undefined) missing.push(`import T${bit + 1}`);
    else values.push(value);
  }
  if (registerMask & (1 << 4)) {
    if (registers.exportWh === null) missing.push("export");
    else values.push(registers.exportWh);
  }
  return { values, missing };
}

/**
 * Turns raw registers into the reading for one interval: checks the registers against the previous
 * reading, unwraps counter rollover, and flags what must be flagged. Pure.
 *
 * - A value lower than the previous one, near the modulus before and near zero after, is a
 *   rollover: the agent adds the modulus (and keeps adding it) and sets {@link ReadingStatus.Rollover}.
 * - Any other decrease is a reset, a replaced meter or a misread: the reading is kept but
 *   quarantined (never uploaded silently), an event is raised and the previous state is kept.
 */
export function buildReading(parameters: BuildReadingParameters): BuildReadingResult {
  const { meterId, registerMask, intervalEnd, previous, counterModulusWh: modulus, nowMs } = parameters;
  const events: MeterEvent[] = [];
  const event = (kind: string, severity: MeterEvent["severity"], message: string) =>
    events.push({ at: nowMs, meterId, kind, severity, message });
  const { values: raw, missing } = selectRegisters(parameters.registers, registerMask);
  if (missing.length) {
    event(
      "register-missing",
      "error",
      `meter ${meterId} did not report ${missing.join(", ")} for the configured register mask ${registerMask}`,
    );
    return { kind: "skip", events };
  }
  if (previous?.lastIntervalEnd != null && intervalEnd <= previous.lastIntervalEnd) {
    return { kind: "skip", events };
  }
  let status = parameters.status;
  // A changed register mask (tariffs or export switched in the config) starts a new series:
  // yesterday's T2 must not be compared with today's export.
  const sameSeries = previous?.registerMask == null || previous.registerMask === registerMask;
  if (!sameSeries) {
    event(
      "register-mask-changed",
      "warning",
      `meter ${meterId} register mask changed from ${previous!.registerMask} to ${registerMask}; counters start a new series`,
    );
  }
  const prior = sameSeries ? previous : undefined;
  const offsets = raw.map((_, index) => BigInt(prior?.offsets?.[index] ?? "0"));
  let decreased: string | undefined;
  raw.forEach((value, index) => {
    const before = prior?.lastRaw?.[index] !== undefined ? BigInt(prior.lastRaw[index]!) : undefined;
    if (before === undefined || value >= before) return;
    if (modulus !== undefined && before > (modulus * 9n) / 10n && value < modulus / 10n) {
      offsets[index] = offsets[index]! + modulus;
      event(
        "rollover",
        "warning",
        `register ${index} of meter ${meterId} rolled over (${before} → ${value} Wh); unwrapped by ${modulus} Wh`,
      );
    } else {
      decreased = `register ${index} went backwards from ${before} to ${value} Wh`;
    }
  });
  const values = raw.map((value, index) => value + offsets[index]!);
  if (offsets.some((offset) => offset > 0n)) status |= ReadingStatus.Rollover;
  const reading: IntervalReading = {
    meterId: BigInt(meterId),
    intervalEnd,
    registerMask,
    status,
    registers: values,
  };
  if (values.some((value) => value > MAX_REGISTER_WH)) {
    event("register-out-of-range", "error", `meter ${meterId} reported a register beyond 2^48 Wh`);
    return { kind: "skip", events };
  }
  if (!decreased && parameters.maxPowerW !== undefined && prior?.lastIntervalEnd != null && prior.lastRaw) {
    const hours = (intervalEnd - prior.lastIntervalEnd + (parameters.slackSeconds ?? 0)) / 3600;
    const allowed = BigInt(Math.ceil(parameters.maxPowerW * hours));
    raw.forEach((value, index) => {
      const isImport = index < [0, 1, 2, 3].filter((bit) => registerMask & (1 << bit)).length;
      const before = BigInt(prior.lastRaw![index] ?? "0") + BigInt(prior.offsets?.[index] ?? "0");
      const delta = value + offsets[index]! - before;
      if (isImport && delta > allowed)
        decreased ??= `register ${index} rose by ${delta} Wh in ${Math.round(hours * 60)} min, more than ${parameters.maxPowerW} W allows`;
    });
    if (decreased) {
      event(
        "implausible-delta",
        "error",
        `meter ${meterId} at ${new Date(intervalEnd * 1000).toISOString()}: ${decreased}; reading held in quarantine (misread?)`,
      );
      return {
        kind: "reading",
        reading,
        state: previous!,
        events,
        quarantineReason: `IMPLAUSIBLE_DELTA (agent): ${decreased}`,
      };
    }
  }
  if (decreased) {
    event(
      "register-decreased",
      "error",
      `meter ${meterId} at ${new Date(intervalEnd * 1000).toISOString()}: ${decreased}; reading held in quarantine (reset or replaced meter?)`,
    );
    // Keep the previous state: the next normal reading is compared with the last good one.
    return {
      kind: "reading",
      reading,
      state: previous!,
      events,
      quarantineReason: `DECREASING_REGISTER (agent): ${decreased}`,
    };
  }
  const state: MeterStateRow = {
    meterId,
    lastIntervalEnd: intervalEnd,
    lastRaw: raw.map(String),
    offsets: offsets.map(String),
    serial: previous?.serial ?? null,
    firmware: previous?.firmware ?? null,
    lastReadAt: nowMs,
    lastError: null,
    lastValues: JSON.stringify(values.map(String)),
    registerMask,
  };
  return { kind: "reading", reading, state, events };
}

/** Meter-state checks of a live snapshot: clock drift, tamper/error flags, identity changes. */
export function checkSnapshot(parameters: {
  meterId: string;
  snapshot: MeterSnapshot;
  previous: MeterStateRow | undefined;
  driftWarnSeconds: number;
  driftAlarmSeconds: number;
  agentClockSynchronized: boolean | undefined;
  nowMs: number;
}): { status: number; events: MeterEvent[]; driftSeconds: number | undefined } {
  const { meterId, snapshot, previous, nowMs } = parameters;
  const events: MeterEvent[] = [];
  const event = (kind: string, severity: MeterEvent["severity"], message: string) =>
    events.push({ at: nowMs, meterId, kind, severity, message });
  let status = 0;
  let driftSeconds: number | undefined;
  if (snapshot.clock) {
    driftSeconds = Math.round(snapshot.clock.meterSeconds - snapshot.clock.agentMidpointMs / 1000);
    const size = Math.abs(driftSeconds);
    if (size > parameters.driftAlarmSeconds) {
      status |= ReadingStatus.ClockDrift;
      event(
        "clock-drift",
        "error",
        `meter ${meterId} clock is ${driftSeconds} s off the agent's clock (alarm above ${parameters.driftAlarmSeconds} s)`,
      );
    } else if (size > parameters.driftWarnSeconds) {
      event("clock-drift", "warning", `meter ${meterId} clock is ${driftSeconds} s off the agent's clock`);
    }
  }
  if (parameters.agentClockSynchronized === false) status |= ReadingStatus.ClockDrift;
  if (snapshot.tamper) {
    status |= ReadingStatus.Tamper;
    event("tamper", "error", `meter ${meterId} reports a tamper flag`);
  }
  for (const error of snapshot.errors)
    event("meter-error", "error", `meter ${meterId} reports an error: ${error}`);
  const { serial, firmware } = snapshot.identity;
  if (previous?.serial && serial && previous.serial !== serial) {
    event(
      "identity-changed",
      "error",
      `meter ${meterId} serial changed from ${previous.serial} to ${serial} (meter replaced?)`,
    );
  }
  if (previous?.firmware && firmware && previous.firmware !== firmware) {
    event(
      "firmware-changed",
      "warning",
      `meter ${meterId} firmware changed from ${previous.firmware} to ${firmware}`,
    );
  }
  return { status, events, driftSeconds };
}
