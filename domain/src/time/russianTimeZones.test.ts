import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { intervalLocalStart, RUSSIAN_TIME_ZONES, toLocalTime, utcOffsetMinutes } from "./russianTimeZones.js";

/** The platform's IANA database (Node ships full ICU) as an independent reference. */
function intlLocal(at: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(at * 1000));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? "";
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    minuteOfDay: Number(get("hour")) * 60 + Number(get("minute")),
  };
}

describe("Russian time zones", () => {
  test("Moscow is UTC+3 all year", () => {
    const january = Date.UTC(2026, 0, 15, 12) / 1000;
    const july = Date.UTC(2026, 6, 15, 12) / 1000;
    expect(utcOffsetMinutes("Europe/Moscow", january)).toBe(180);
    expect(utcOffsetMinutes("Europe/Moscow", july)).toBe(180);
    expect(toLocalTime(Date.UTC(2026, 10, 27, 21, 30) / 1000, "Europe/Moscow")).toEqual({
      date: "2026-11-28",
      minuteOfDay: 30,
      hour: 0,
      isoWeekday: 6,
    });
  });

  test("an interval is billed at its local start", () => {
    // interval 22:30–23:00 Moscow ends at 20:00 UTC
    expect(intervalLocalStart(Date.UTC(2026, 10, 27, 20) / 1000, "Europe/Moscow").minuteOfDay).toBe(
      22 * 60 + 30,
    );
  });

  test("unknown zones and instants before the 2014 reform are refused clearly", () => {
    expect(() => utcOffsetMinutes("Europe/Berlin", 1_800_000_000)).toThrow(/Unknown Russian time zone/);
    expect(() => utcOffsetMinutes("Europe/Moscow", 1_300_000_000)).toThrow(/before 2014-10-27/);
  });

  test("property: every zone agrees with the IANA database from 2015 to 2035", () => {
    const zones = Object.keys(RUSSIAN_TIME_ZONES);
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2015, 0, 1) / 1000, max: Date.UTC(2035, 0, 1) / 1000 }),
        (zone, at) => {
          const local = toLocalTime(at, zone);
          expect({ date: local.date, minuteOfDay: local.minuteOfDay }).toEqual(intlLocal(at, zone));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("every recorded change of offset happens at the instant the IANA database says", () => {
    for (const [zone, periods] of Object.entries(RUSSIAN_TIME_ZONES)) {
      for (const period of periods.slice(1)) {
        for (const delta of [-3600, -1, 0, 1, 3600]) {
          const at = period.fromUnixSeconds + delta;
          expect({ zone, ...toLocalTime(at, zone) }).toMatchObject({ zone, ...intlLocal(at, zone) });
        }
      }
    }
  });
});
