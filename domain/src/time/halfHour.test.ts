import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  alignDownToHalfHour,
  alignUpToHalfHour,
  assertIntervalEnd,
  HALF_HOUR_SECONDS,
  halfHoursBetween,
  intervalEndContaining,
  intervalEndsBetween,
  isHalfHourAligned,
} from "./halfHour.js";

const instant = fc.integer({ min: -2_000_000_000, max: 4_000_000_000 });

describe("half-hour intervals", () => {
  test("boundaries fall on :00 and :30 UTC", () => {
    const at = Date.UTC(2026, 10, 27, 10, 17, 5) / 1000;
    expect(new Date(alignDownToHalfHour(at) * 1000).toISOString()).toBe("2026-11-27T10:00:00.000Z");
    expect(new Date(alignUpToHalfHour(at) * 1000).toISOString()).toBe("2026-11-27T10:30:00.000Z");
    expect(isHalfHourAligned(Date.UTC(2026, 10, 27, 10, 30) / 1000)).toBe(true);
    expect(isHalfHourAligned(Date.UTC(2026, 10, 27, 10, 31) / 1000)).toBe(false);
  });

  test("an instant on a boundary ends the previous interval", () => {
    const boundary = Date.UTC(2026, 0, 1) / 1000;
    expect(intervalEndContaining(boundary)).toBe(boundary);
    expect(intervalEndContaining(boundary + 1)).toBe(boundary + HALF_HOUR_SECONDS);
  });

  test("an unaligned interval end is refused with the rule", () => {
    expect(() => assertIntervalEnd(1_800_001)).toThrow(/not aligned to a half hour/);
    expect(() => alignDownToHalfHour(1.5)).toThrow(/whole number/);
  });

  test("a day has 48 intervals", () => {
    const midnight = Date.UTC(2026, 2, 1) / 1000;
    const ends = intervalEndsBetween(midnight, midnight + 86_400);
    expect(ends).toHaveLength(48);
    expect(ends[0]).toBe(midnight + 1800);
    expect(ends.at(-1)).toBe(midnight + 86_400);
    expect(halfHoursBetween(midnight, midnight + 86_400)).toBe(48);
  });

  test("property: alignment is idempotent, aligned, and brackets the instant within one interval", () => {
    fc.assert(
      fc.property(instant, (at) => {
        const down = alignDownToHalfHour(at);
        const up = alignUpToHalfHour(at);
        expect(isHalfHourAligned(down) && isHalfHourAligned(up)).toBe(true);
        expect(alignDownToHalfHour(down)).toBe(down);
        expect(alignUpToHalfHour(up)).toBe(up);
        expect(down <= at && at <= up).toBe(true);
        expect(up - down).toBe(isHalfHourAligned(at) ? 0 : HALF_HOUR_SECONDS);
      }),
    );
  });

  test("property: interval ends between two instants are consecutive and inside the range", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        (from, span) => {
          const ends = intervalEndsBetween(from, from + span);
          for (const [index, end] of ends.entries()) {
            expect(end > from && end <= from + span).toBe(true);
            if (index > 0) expect(end - ends[index - 1]!).toBe(HALF_HOUR_SECONDS);
          }
          expect(ends.length).toBe(Math.floor((from + span) / 1800) - Math.floor(from / 1800));
        },
      ),
    );
  });
});
