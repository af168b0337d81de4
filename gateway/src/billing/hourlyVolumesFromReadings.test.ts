import { hourlyFromHalfHours } from "@gridledger/domain";
import { describe, expect, it } from "vitest";
import {
  type HalfHourReading,
  HourlyVolumesError,
  hourlyVolumesFromReadings,
} from "./hourlyVolumesFromReadings.js";

const START = Date.UTC(2026, 2, 28, 20) / 1000; // spans the night Europe switches to summer time: UTC has no gap
const t1 = (intervalEnd: number, value: number): HalfHourReading => ({
  intervalEnd,
  importT1: value,
  importT2: null,
  importT3: null,
  importT4: null,
});

/** Cumulative T1 readings at every half hour of `hours` hours from `START`, from the given half-hour volumes. */
function profile(halfHours: number[], first = 1_000_000): HalfHourReading[] {
  let register = first;
  return [
    t1(START, first),
    ...halfHours.map((volume, k) => {
      register += volume;
      return t1(START + 1800 * (k + 1), register);
    }),
  ];
}

function errorOf(run: () => unknown): HourlyVolumesError {
  try {
    run();
  } catch (error) {
    if (error instanceof HourlyVolumesError) return error;
    throw error;
  }
  throw new Error("expected a HourlyVolumesError");
}

describe("hourlyVolumesFromReadings", () => {
  const halfHours = Array.from({ length: 24 }, (_, k) => 100 + ((k * 37) % 50));
  const readings = profile(halfHours);

  it("an hour is the sum of its two half hours, as the domain's hourlyFromHalfHours", () => {
    const hours = hourlyVolumesFromReadings({ periodStart: START, periodEnd: START + 12 * 3600, readings });
    expect(hours).toEqual(hourlyFromHalfHours({ halfHoursWh: halfHours.map(BigInt) }));
    expect(hours).toHaveLength(12);
  });

  it("the hours add up to the register difference between the period's bounds (the snapshots)", () => {
    const end = START + 12 * 3600;
    const hours = hourlyVolumesFromReadings({ periodStart: START, periodEnd: end, readings });
    const at = (time: number) => BigInt(readings.find((r) => r.intervalEnd === time)!.importT1!);
    expect(hours.reduce((a, b) => a + b, 0n)).toBe(at(end) - at(START));
  });

  it("ignores readings outside the period and takes them in any order", () => {
    const shuffled = [t1(START - 1800, 999_000), ...readings.slice().reverse(), t1(START + 13 * 3600, 9e9)];
    expect(
      hourlyVolumesFromReadings({ periodStart: START, periodEnd: START + 12 * 3600, readings: shuffled }),
    ).toEqual(hourlyFromHalfHours({ halfHoursWh: halfHours.map(BigInt) }));
  });

  it("sums the import registers a multi-zone meter carries", () => {
    const two = [0, 1, 2].map((k) => ({
      intervalEnd: START + 1800 * k,
      importT1: 1000 + 10 * k,
      importT2: 500 + 3 * k,
      importT3: null,
      importT4: null,
    }));
    expect(hourlyVolumesFromReadings({ periodStart: START, periodEnd: START + 3600, readings: two })).toEqual(
      [26n],
    );
  });

  it("a missing half hour is refused, naming the hour", () => {
    const gap = readings.filter((r) => r.intervalEnd !== START + 5 * 1800); // second half of hour 2
    const error = errorOf(() =>
      hourlyVolumesFromReadings({ periodStart: START, periodEnd: START + 12 * 3600, readings: gap }),
    );
    expect(error.code).toBe("MISSING_HALF_HOUR");
    expect(error.hour).toBe(2);
    expect(error.message).toContain("hour 2 (2026-03-28T22:00:00Z – 2026-03-28T23:00:00Z UTC)");
    const noStart = errorOf(() =>
      hourlyVolumesFromReadings({ periodStart: START, periodEnd: START + 3600, readings: readings.slice(1) }),
    );
    expect([noStart.code, noStart.hour]).toEqual(["MISSING_HALF_HOUR", 0]);
    expect(noStart.message).toContain("period's start");
    const noEnd = errorOf(() =>
      hourlyVolumesFromReadings({ periodStart: START, periodEnd: START + 13 * 3600, readings }),
    );
    expect([noEnd.code, noEnd.hour]).toEqual(["MISSING_HALF_HOUR", 12]);
  });

  it("hours are UTC: a period over the summer-time night still has 24 hours of 3600 s", () => {
    const day = profile(Array.from({ length: 48 }, () => 10));
    expect(
      hourlyVolumesFromReadings({ periodStart: START, periodEnd: START + 86_400, readings: day }),
    ).toEqual(Array.from({ length: 24 }, () => 20n));
  });

  it("refuses a register that went down, a change of registers and a period off the hour grid", () => {
    const down = profile([5, 5, 5, 5]);
    down[3] = t1(down[3]!.intervalEnd, 1_000_000);
    expect(
      errorOf(() =>
        hourlyVolumesFromReadings({ periodStart: START, periodEnd: START + 7200, readings: down }),
      ),
    ).toMatchObject({ code: "REGISTER_DECREASED", hour: 1 });
    const changed = profile([5, 5]);
    changed[2] = { ...changed[2]!, importT2: 7 };
    expect(
      errorOf(() =>
        hourlyVolumesFromReadings({ periodStart: START, periodEnd: START + 3600, readings: changed }),
      ),
    ).toMatchObject({ code: "REGISTERS_CHANGED", hour: 0 });
    expect(
      errorOf(() => hourlyVolumesFromReadings({ periodStart: START, periodEnd: START + 5400, readings }))
        .code,
    ).toBe("PERIOD_NOT_WHOLE_HOURS");
    expect(
      errorOf(() => hourlyVolumesFromReadings({ periodStart: START + 60, periodEnd: START + 3660, readings }))
        .code,
    ).toBe("PERIOD_NOT_WHOLE_HOURS");
  });
});
