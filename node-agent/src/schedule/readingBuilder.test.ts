import { ReadingStatus } from "@gridledger/domain";
import { describe, expect, it } from "vitest";
import { emptyRegisters, type MeterSnapshot } from "../drivers/driver.js";
import type { MeterStateRow } from "../outbox/outbox.js";
import { buildReading, checkSnapshot, selectRegisters } from "./readingBuilder.js";

const T = 1_764_216_000;
const regs = (importWh: bigint, exportWh: bigint | null = null) => ({
  ...emptyRegisters(),
  importTotalWh: importWh,
  exportWh,
});
const state = (raw: string[], offsets: string[] = raw.map(() => "0")): MeterStateRow => ({
  meterId: "7",
  lastIntervalEnd: T - 1800,
  lastRaw: raw,
  offsets,
  serial: "1",
  firmware: "1.0",
  lastReadAt: 0,
  lastError: null,
  lastValues: null,
  registerMask: 0b10001,
});
const base = {
  meterId: "7",
  registerMask: 0b10001,
  intervalEnd: T,
  status: 0,
  nowMs: T * 1000,
  counterModulusWh: 2n ** 32n,
};

describe("selectRegisters", () => {
  it("maps a single-tariff meter's total to T1 and reports missing registers", () => {
    expect(selectRegisters(regs(100n, 5n), 0b10001)).toEqual({ values: [100n, 5n], missing: [] });
    expect(selectRegisters(regs(100n), 0b10011).missing).toEqual(["import T1", "import T2", "export"]);
    expect(
      selectRegisters({ importTotalWh: 9n, importTariffWh: [5n, 4n, null, null], exportWh: 1n }, 0b10011)
        .values,
    ).toEqual([5n, 4n, 1n]);
  });
});

describe("buildReading", () => {
  it("builds a reading and the new meter state", () => {
    const result = buildReading({ ...base, registers: regs(1000n, 10n), previous: state(["900", "10"]) });
    expect(result.kind).toBe("reading");
    if (result.kind !== "reading") return;
    expect(result.reading).toEqual({
      meterId: 7n,
      intervalEnd: T,
      registerMask: 0b10001,
      status: 0,
      registers: [1000n, 10n],
    });
    expect(result.state.lastRaw).toEqual(["1000", "10"]);
    expect(result.quarantineReason).toBeUndefined();
  });

  it("unwraps a counter rollover near the modulus, flags it and keeps unwrapping", () => {
    const first = buildReading({
      ...base,
      registers: regs(500n, 10n),
      previous: state([String(2n ** 32n - 1000n), "10"]),
    });
    if (first.kind !== "reading") throw new Error("expected a reading");
    expect(first.reading.registers[0]).toBe(2n ** 32n + 500n);
    expect(first.reading.status & ReadingStatus.Rollover).toBeTruthy();
    expect(first.events.map((e) => e.kind)).toEqual(["rollover"]);
    const next = buildReading({
      ...base,
      intervalEnd: T + 1800,
      registers: regs(900n, 10n),
      previous: first.state,
    });
    if (next.kind !== "reading") throw new Error("expected a reading");
    expect(next.reading.registers[0]).toBe(2n ** 32n + 900n);
  });

  it("quarantines a register that goes backwards and keeps the last good state", () => {
    const previous = state(["5000", "10"]);
    const result = buildReading({ ...base, registers: regs(4000n, 10n), previous });
    if (result.kind !== "reading") throw new Error("expected a reading");
    expect(result.quarantineReason).toMatch(/DECREASING_REGISTER.*5000 to 4000/);
    expect(result.state).toBe(previous);
    expect(result.events[0]).toMatchObject({ kind: "register-decreased", severity: "error" });
  });

  it("treats a decrease as a reset, not a rollover, when the counter cannot wrap", () => {
    const result = buildReading({
      ...base,
      counterModulusWh: undefined,
      registers: regs(5n, 10n),
      previous: state([String(2n ** 32n - 1n), "10"]),
    });
    expect(result.kind === "reading" && result.quarantineReason).toBeTruthy();
  });

  it("starts a new series when the register mask changes", () => {
    const result = buildReading({
      ...base,
      registerMask: 0b00011,
      registers: { importTotalWh: 9n, importTariffWh: [5n, 4n, null, null], exportWh: null },
      previous: state(["900", "10"]),
    });
    if (result.kind !== "reading") throw new Error("expected a reading");
    expect(result.quarantineReason).toBeUndefined(); // 4 < 10 would otherwise look like a decrease
    expect(result.events.map((e) => e.kind)).toEqual(["register-mask-changed"]);
    expect(result.state.registerMask).toBe(0b00011);
  });

  it("quarantines an implausible jump when a maximum power is configured", () => {
    const previous = state(["1000", "10"]);
    // 30 min at most 10 kW (+ 5 min slack) allows 5,834 Wh.
    const ok = buildReading({
      ...base,
      maxPowerW: 10_000,
      slackSeconds: 300,
      registers: regs(6_800n, 10n),
      previous,
    });
    expect(ok.kind === "reading" && ok.quarantineReason).toBeFalsy();
    const jump = buildReading({
      ...base,
      maxPowerW: 10_000,
      slackSeconds: 300,
      registers: regs(1_000_000n, 10n),
      previous,
    });
    expect(jump.kind === "reading" && jump.quarantineReason).toMatch(
      /IMPLAUSIBLE_DELTA.*rose by 999000 Wh in 35 min/,
    );
    expect(jump.events.map((e) => e.kind)).toEqual(["implausible-delta"]);
    // Without a limit the same reading is accepted.
    expect(buildReading({ ...base, registers: regs(1_000_000n, 10n), previous }).kind === "reading").toBe(
      true,
    );
  });

  it("skips an interval already stored and a meter missing a configured register", () => {
    expect(
      buildReading({ ...base, intervalEnd: T - 1800, registers: regs(1n, 1n), previous: state(["0", "0"]) })
        .kind,
    ).toBe("skip");
    const missing = buildReading({ ...base, registers: regs(1n, null), previous: undefined });
    expect(missing.kind).toBe("skip");
    expect(missing.events[0]?.kind).toBe("register-missing");
  });
});

describe("checkSnapshot", () => {
  const snapshot = (over: Partial<MeterSnapshot>): MeterSnapshot => ({
    registers: regs(1n),
    identity: {},
    tamper: false,
    errors: [],
    values: {},
    ...over,
  });
  const params = {
    meterId: "7",
    previous: state(["0"]),
    driftWarnSeconds: 5,
    driftAlarmSeconds: 60,
    agentClockSynchronized: true,
    nowMs: 0,
  };
  it("flags a meter clock hours off and warns on small drift", () => {
    const hoursOff = checkSnapshot({
      ...params,
      snapshot: snapshot({ clock: { meterSeconds: T + 3 * 3600, agentMidpointMs: T * 1000 } }),
    });
    expect(hoursOff.status & ReadingStatus.ClockDrift).toBeTruthy();
    expect(hoursOff.driftSeconds).toBe(10800);
    expect(hoursOff.events[0]).toMatchObject({ kind: "clock-drift", severity: "error" });
    const small = checkSnapshot({
      ...params,
      snapshot: snapshot({ clock: { meterSeconds: T + 10, agentMidpointMs: T * 1000 } }),
    });
    expect(small.status).toBe(0);
    expect(small.events[0]?.severity).toBe("warning");
  });
  it("flags an unsynchronised agent clock, tamper, errors and identity changes", () => {
    const result = checkSnapshot({
      ...params,
      agentClockSynchronized: false,
      snapshot: snapshot({
        tamper: true,
        errors: ["internal error"],
        identity: { serial: "2", firmware: "1.1" },
      }),
    });
    expect(result.status).toBe(ReadingStatus.ClockDrift | ReadingStatus.Tamper);
    expect(result.events.map((e) => e.kind)).toEqual([
      "tamper",
      "meter-error",
      "identity-changed",
      "firmware-changed",
    ]);
  });
});
