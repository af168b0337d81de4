import {
  alignDownToHalfHour,
  buildReadingBatch,
  DomainError,
  HALF_HOUR_SECONDS,
  ReadingStatus,
} from "@gridledger/domain";
import type { PrivateKeyAccount } from "viem/accounts";
import { type AgentConfig, type MeterConfig, registerMaskOf } from "./config/config.js";
import type { MeterDriver, MeterRegisters, MeterSnapshot } from "./drivers/driver.js";
import { createDriver, driverBusKind, registerMapFor, type SessionRef } from "./drivers/factory.js";
import { describeError, isRetryable, NonRetryableError } from "./errors.js";
import { createLogger, type Logger } from "./logger.js";
import type { MeterEvent, Outbox } from "./outbox/outbox.js";
import { type Clock, systemClock } from "./schedule/clock.js";
import { createNtpCheck, type NtpStatus } from "./schedule/ntp.js";
import { buildReading, checkSnapshot } from "./schedule/readingBuilder.js";
import { BusSession } from "./session/session.js";
import { domainKey, type ReadingsDomain, signBatch } from "./signing/deviceKey.js";
import { defaultEnergyProfile, type EnergyProfile } from "./simulator/energy.js";
import { type CreatedBus, createBusTransport } from "./transport/factory.js";
import { DeviceRefusedByGatewayError, type Uploader } from "./upload/uploader.js";

export type AgentParameters = {
  config: AgentConfig;
  outbox: Outbox;
  uploader: Uploader;
  account: PrivateKeyAccount;
  /** Default: the system clock. */
  clock?: Clock;
  logger?: Logger;
  /** Default: from `config.schedule.ntpCheck`. */
  ntpCheck?: () => Promise<NtpStatus>;
  /** Energy of simulated meters (buses with `transport.type = "simulator"`). */
  simulatedEnergy?: (meter: MeterConfig, index: number) => EnergyProfile;
  /** Replaces real transports (tests). */
  buses?: Map<string, CreatedBus>;
};

type MeterRuntime = { config: MeterConfig; driver: MeterDriver; registerMask: number; log: Logger };

/**
 * The agent service: reads every meter at each half-hour boundary, writes each reading to the
 * outbox first, and drains the outbox to the gateway in signed batches.
 */
export class Agent {
  private readonly config: AgentConfig;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly ntpCheck: () => Promise<NtpStatus>;
  private readonly sessions = new Map<string, SessionRef>();
  private readonly meters: MeterRuntime[] = [];
  private readonly stopController = new AbortController();
  private wake: (() => void) | undefined;
  private domain: ReadingsDomain | undefined;
  private loops: Promise<void>[] = [];
  private lastNtp: NtpStatus | undefined;

  constructor(private readonly parameters: AgentParameters) {
    this.config = parameters.config;
    this.outbox = parameters.outbox;
    this.clock = parameters.clock ?? systemClock;
    this.log = parameters.logger ?? createLogger();
    this.ntpCheck = parameters.ntpCheck ?? createNtpCheck(this.config.schedule.ntpCheck);
    this.domain = this.config.gateway.domain as ReadingsDomain | undefined;
    for (const bus of this.config.buses) {
      const kinds = new Set(
        this.config.meters
          .filter((meter) => meter.bus === bus.name)
          .map((meter) => driverBusKind(meter.driver)),
      );
      const created =
        parameters.buses?.get(bus.name) ??
        createBusTransport(bus, { simulatorKind: kinds.has("can") ? "can" : "bytes" });
      const options = { timeoutMs: bus.timeoutMs, retries: bus.retries, turnaroundMs: bus.turnaroundMs };
      const busLog = this.log.child({ bus: bus.name });
      this.sessions.set(
        bus.name,
        created.kind === "can"
          ? { kind: "can", session: new BusSession(created.channel, options, busLog) }
          : { kind: "bytes", session: new BusSession(created.channel, options, busLog) },
      );
      this.config.meters.forEach((meter, index) => {
        if (meter.bus !== bus.name || !created.simulator) return;
        const energy = parameters.simulatedEnergy?.(meter, index) ?? defaultEnergyProfile(index);
        if (created.kind === "can")
          created.simulator?.add({ node: meter.address, energy, now: () => this.clock.now() });
        else {
          const map = registerMapFor(meter.driver, this.config.registerMaps);
          if (map)
            created.simulator?.add({ address: meter.address, map, energy, now: () => this.clock.now() });
        }
      });
    }
    for (const meter of this.config.meters) {
      const session = this.sessions.get(meter.bus)!;
      this.meters.push({
        config: meter,
        driver: createDriver(
          meter,
          session,
          this.config,
          busBaudRate(this.config.buses.find((bus) => bus.name === meter.bus)),
        ),
        registerMask: registerMaskOf(meter),
        log: this.log.child({ meterId: meter.meterId, driver: meter.driver }),
      });
    }
  }

  get signal(): AbortSignal {
    return this.stopController.signal;
  }

  /** Starts the boundary scheduler and the upload loop. */
  start(): void {
    this.outbox.setKv("service", {
      pid: process.pid,
      startedAt: new Date(this.clock.now()).toISOString(),
      meters: this.meters.length,
    });
    this.loops.push(this.scheduleLoop(), this.uploadLoop());
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    this.wake?.();
    await Promise.allSettled(this.loops);
    for (const ref of this.sessions.values()) await ref.session.close().catch(() => undefined);
  }

  private async scheduleLoop(): Promise<void> {
    const { readDelaySeconds } = this.config.schedule;
    // Catch up on the boundary just passed (late reads are refused per meter; profiles fill gaps).
    let next = alignDownToHalfHour(Math.floor(this.clock.now() / 1000));
    while (!this.signal.aborted) {
      const due = (next + readDelaySeconds) * 1000;
      // Sleep in short steps and look at the wall clock again after each: timers run on the
      // monotonic clock, and the Pi's wall clock jumps when NTP first synchronises after boot.
      while (!this.signal.aborted && this.clock.now() < due) {
        await this.clock.sleep(Math.min(due - this.clock.now(), 30_000), this.signal);
      }
      if (this.signal.aborted) break;
      await this.readBoundary(next).catch((error) =>
        this.log.error("boundary read failed", { intervalEnd: next, reason: describeError(error) }),
      );
      const now = Math.floor(this.clock.now() / 1000);
      // After a suspension or a clock step, jump to the boundary just passed rather than replaying each one.
      next = Math.max(next + HALF_HOUR_SECONDS, alignDownToHalfHour(now));
      const pruned = this.outbox.pruneConfirmed(
        Date.now() - this.config.upload.keepConfirmedDays * 86_400_000,
      );
      if (pruned) this.log.debug("confirmed readings pruned", { pruned });
      this.outbox.setKv(
        "buses",
        Object.fromEntries(
          [...this.sessions].map(([name, ref]) => [
            name,
            { transport: ref.session.channel.description, ...ref.session.stats },
          ]),
        ),
      );
      this.outbox.setKv("heartbeat", {
        at: new Date().toISOString(),
        nextBoundary: new Date(next * 1000).toISOString(),
      });
    }
  }

  /** Reads every meter for the interval ending at `intervalEnd` (buses in parallel, one request per bus at a time). */
  async readBoundary(intervalEnd: number): Promise<void> {
    const ntp = await this.ntpCheck();
    if (ntp !== this.lastNtp) {
      if (ntp === "unsynchronized")
        this.event({
          at: this.clock.now(),
          meterId: null,
          kind: "agent-clock-unsynced",
          severity: "warning",
          message: "the agent's clock is not NTP-synchronised; readings are flagged ClockDrift until it is",
        });
      this.lastNtp = ntp;
    }
    await Promise.all(this.meters.map((meter) => this.readMeter(meter, intervalEnd, ntp)));
    this.wake?.();
  }

  private async readMeter(meter: MeterRuntime, intervalEnd: number, ntp: NtpStatus): Promise<void> {
    const id = meter.config.meterId;
    const { maxLateSeconds, backfillDays, driftAlarmSeconds, driftWarnSeconds } = this.config.schedule;
    try {
      let previous = this.outbox.meterState(id);
      if (previous?.lastIntervalEnd != null && previous.lastIntervalEnd >= intervalEnd) return;
      const late = () => this.clock.now() / 1000 - intervalEnd > maxLateSeconds;
      if (meter.driver.readLoadProfile && previous?.lastIntervalEnd != null) {
        const fillTo = late() ? intervalEnd : intervalEnd - HALF_HOUR_SECONDS;
        const since = Math.max(previous.lastIntervalEnd, fillTo - backfillDays * 86400);
        // nothing to fill, or back-fill switched off (backfillDays 0): no profile request at all
        if (since < fillTo) {
          // A single import register (one tariff) is the import total a profile driver can check against.
          const known =
            since === previous.lastIntervalEnd &&
            (meter.registerMask & 0x0f) === 1 &&
            (previous.registerMask == null || previous.registerMask === meter.registerMask) &&
            previous.lastRaw?.[0]
              ? { intervalEnd: since, importTotalWh: BigInt(previous.lastRaw[0]) }
              : undefined;
          // A profile that cannot be read (a variant without one, a bus hiccup, a failed check)
          // leaves the gap a gap; it must not cost the boundary reading that follows.
          const rows = await meter.driver.readLoadProfile(since, fillTo, known).catch((error: unknown) => {
            meter.log.warn("load profile not read; the gap stays", {
              since,
              fillTo,
              reason: describeError(error),
            });
            return [];
          });
          for (const row of rows)
            this.store(meter, row.intervalEnd, row.registers, ReadingStatus.FromLoadProfile, "profile");
          if (rows.length)
            meter.log.info("gap filled from the load profile", {
              from: rows[0]!.intervalEnd,
              to: rows.at(-1)!.intervalEnd,
              rows: rows.length,
            });
          previous = this.outbox.meterState(id);
        }
      }
      if (late()) {
        meter.log.warn("boundary missed: too late to read this interval", { intervalEnd, maxLateSeconds });
        return;
      }
      // A bus hiccup (converter re-enumerating, a burst of noise) should not cost the interval:
      // retryable failures are tried again a few times while the reading is still on time.
      const { readAttempts, readRetrySeconds } = this.config.schedule;
      let snapshot: MeterSnapshot | undefined;
      for (let attempt = 1; !snapshot; attempt++) {
        try {
          snapshot = await meter.driver.read();
        } catch (error) {
          if (!isRetryable(error) || attempt >= readAttempts || this.signal.aborted) throw error;
          meter.log.info("meter read failed, trying again", {
            intervalEnd,
            attempt,
            reason: describeError(error),
          });
          await this.clock.sleep(readRetrySeconds * 1000, this.signal);
          if (late()) throw error;
        }
      }
      if (late()) {
        meter.log.warn("reading finished too late for its interval; dropped before storing", { intervalEnd });
        return;
      }
      const checks = checkSnapshot({
        meterId: id,
        snapshot,
        previous,
        driftWarnSeconds,
        driftAlarmSeconds,
        agentClockSynchronized: ntp === "synchronized" ? true : ntp === "unsynchronized" ? false : undefined,
        nowMs: this.clock.now(),
      });
      for (const event of checks.events) this.event(event);
      this.store(meter, intervalEnd, snapshot.registers, checks.status, "boundary", {
        serial: snapshot.identity.serial ?? previous?.serial ?? null,
        firmware: snapshot.identity.firmware ?? previous?.firmware ?? null,
      });
    } catch (error) {
      const reason = describeError(error);
      meter.log.warn("meter read failed", {
        intervalEnd,
        reason,
        retryable: !(error instanceof NonRetryableError),
      });
      this.outbox.setMeterError(id, `${new Date(this.clock.now()).toISOString()} ${reason}`);
      this.event(
        {
          at: this.clock.now(),
          meterId: id,
          kind: "meter-read-failed",
          severity: "warning",
          message: reason,
        },
        false,
      );
    }
  }

  private store(
    meter: MeterRuntime,
    intervalEnd: number,
    registers: MeterRegisters,
    status: number,
    source: "boundary" | "profile",
    identity?: { serial: string | null; firmware: string | null },
  ): void {
    const previous = this.outbox.meterState(meter.config.meterId);
    const result = buildReading({
      meterId: meter.config.meterId,
      registerMask: meter.registerMask,
      intervalEnd,
      registers,
      previous,
      counterModulusWh: meter.driver.counterModulusWh,
      status,
      maxPowerW: meter.config.maxPowerW,
      slackSeconds: this.config.schedule.maxLateSeconds + this.config.schedule.readDelaySeconds,
      nowMs: this.clock.now(),
    });
    for (const event of result.events) this.event(event);
    if (result.kind === "skip") return;
    const state = identity && !result.quarantineReason ? { ...result.state, ...identity } : result.state;
    const stored = this.outbox.record(
      { ...result.reading, source, readAtMs: this.clock.now() },
      state,
      result.quarantineReason,
    );
    if (stored)
      meter.log.debug("reading stored", {
        intervalEnd,
        status: result.reading.status,
        registers: result.reading.registers,
        source,
      });
  }

  private event(event: MeterEvent, log = true): void {
    this.outbox.addEvent(event);
    if (log)
      this.log[event.severity === "error" ? "error" : event.severity === "warning" ? "warn" : "info"](
        `meter-state event: ${event.kind}`,
        { meterId: event.meterId, message: event.message },
      );
  }

  private async readingsDomain(): Promise<ReadingsDomain> {
    this.domain ??= await this.parameters.uploader.readingsDomain();
    return this.domain;
  }

  /** Sends one batch if there is one. Returns what happened (the upload loop and tests use it). */
  async uploadOnce(): Promise<"idle" | "confirmed" | "retry" | "blocked" | "split" | "quarantined"> {
    const batch = this.outbox.nextBatch(this.config.upload.maxRecordsPerBatch);
    if (!batch) return "idle";
    try {
      const domain = await this.readingsDomain();
      // A stored signature is reused only for the same domain and the same device key (key rotation re-signs).
      const key = `${domainKey(domain)}:${this.parameters.account.address}`;
      const readingBatch = buildReadingBatch(batch.readings);
      let signature = batch.signature;
      if (!signature || batch.domainKey !== key) {
        signature = await signBatch(this.parameters.account, domain, readingBatch);
        this.outbox.storeSignature(batch.id, signature, key);
      }
      const result = await this.parameters.uploader.submit(readingBatch, signature);
      this.outbox.confirm(batch.id, result.transactionHash);
      if (result.accepted + result.duplicates !== batch.readings.length) {
        this.log.warn("gateway counts do not add up to the batch size", {
          batch: batch.id,
          readings: batch.readings.length,
          ...result,
        });
      }
      this.log.info("batch confirmed", {
        batch: batch.id,
        readings: batch.readings.length,
        accepted: result.accepted,
        duplicates: result.duplicates,
        tx: result.transactionHash,
      });
      this.outbox.setKv("uploadState", { state: "ok", at: new Date().toISOString() });
      return "confirmed";
    } catch (error) {
      const reason = describeError(error);
      this.outbox.recordAttempt(batch.id, reason);
      this.outbox.setKv("uploadState", { state: "error", at: new Date().toISOString(), reason });
      if (error instanceof DeviceRefusedByGatewayError) {
        this.domain = this.config.gateway.domain as ReadingsDomain | undefined;
        this.event({
          at: this.clock.now(),
          meterId: null,
          kind: "device-refused",
          severity: "error",
          message: `${reason}; uploads paused, readings kept`,
        });
        return "blocked";
      }
      if (error instanceof NonRetryableError || error instanceof DomainError) {
        const outcome = this.outbox.splitOrQuarantine(batch.id, reason);
        if (outcome === "quarantined") {
          const reading = batch.readings[0]!;
          this.event({
            at: this.clock.now(),
            meterId: reading.meterId.toString(),
            kind: "reading-quarantined",
            severity: "error",
            message: `interval ending ${new Date(reading.intervalEnd * 1000).toISOString()}: ${reason}`,
          });
        } else
          this.log.warn("batch refused; split in two to isolate the reading", {
            batch: batch.id,
            readings: batch.readings.length,
            reason,
          });
        return outcome;
      }
      this.log.warn("upload failed, will retry", { batch: batch.id, reason });
      return "retry";
    }
  }

  private async uploadLoop(): Promise<void> {
    const { minBackoffMs, maxBackoffMs, blockedRetryMs } = this.config.upload;
    let backoff = minBackoffMs;
    const realSleep = (ms: number) => systemClock.sleep(ms, this.signal);
    while (!this.signal.aborted) {
      let outcome: Awaited<ReturnType<Agent["uploadOnce"]>>;
      try {
        outcome = await this.uploadOnce();
      } catch (error) {
        this.log.error("outbox error", { reason: describeError(error) });
        outcome = "retry";
      }
      if (outcome === "confirmed" || outcome === "split" || outcome === "quarantined") {
        backoff = minBackoffMs;
        continue; // drain a backlog at full speed
      }
      if (outcome === "idle") {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 5000).unref();
        });
        this.wake = undefined;
      } else if (outcome === "blocked") await realSleep(blockedRetryMs);
      else {
        // Full jitter keeps a fleet of agents from retrying in step after a gateway outage.
        await realSleep(backoff / 2 + Math.random() * (backoff / 2));
        backoff = Math.min(backoff * 2, maxBackoffMs);
      }
    }
  }
}

function busBaudRate(bus: AgentConfig["buses"][number] | undefined): number | undefined {
  return bus?.transport.type === "serial" ? bus.transport.baudRate : undefined;
}
