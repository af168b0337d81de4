import { describe, expect, test } from "vitest";
import { ZoneHoursIncompleteError, ZoneHoursOverlapError } from "../../errors.js";
import { intervalZone } from "./intervalZone.js";
import { zoneHoursToSlots } from "./zoneHoursToSlots.js";
import { zoneVolumesFromIntervals } from "./zoneVolumesFromIntervals.js";
import { zoneVolumesFromRegisters } from "./zoneVolumesFromRegisters.js";

const TWO_ZONE = {
  zoneCount: 2,
  windows: [
    { zone: 0, startMinute: 420, endMinute: 1380 },
    { zone: 1, startMinute: 1380, endMinute: 420 },
  ],
};

describe("zoneHoursToSlots()", () => {
  test("day 07–23 and night 23–07 (wrapping midnight)", () => {
    const slots = zoneHoursToSlots(TWO_ZONE);
    expect(slots.slice(12, 16)).toEqual([1, 1, 0, 0]); // 06:00, 06:30 night; 07:00, 07:30 day
    expect(slots.filter((zone) => zone === 1)).toHaveLength(16);
  });

  test("single-rate: one window start = end covers the whole day", () => {
    expect(zoneHoursToSlots({ zoneCount: 1, windows: [{ zone: 0, startMinute: 0, endMinute: 0 }] })).toEqual(
      new Array(48).fill(0),
    );
  });

  test("a gap throws ZoneHoursIncompleteError with the covered minutes", () => {
    const error = (() => {
      try {
        zoneHoursToSlots({ zoneCount: 2, windows: [TWO_ZONE.windows[0]!] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ZoneHoursIncompleteError);
    expect(error).toMatchObject({ coveredMinutes: 960, code: "BILLING_ZONE_HOURS_INCOMPLETE" });
  });

  test("an overlap throws ZoneHoursOverlapError at the first shared half hour", () => {
    expect(() =>
      zoneHoursToSlots({
        zoneCount: 2,
        windows: [...TWO_ZONE.windows, { zone: 0, startMinute: 60, endMinute: 120 }],
      }),
    ).toThrow(ZoneHoursOverlapError);
    try {
      zoneHoursToSlots({
        zoneCount: 2,
        windows: [...TWO_ZONE.windows, { zone: 0, startMinute: 60, endMinute: 120 }],
      });
    } catch (error) {
      expect((error as ZoneHoursOverlapError).minute).toBe(60);
    }
  });

  test("bounds off the half hour and zone indexes out of range are refused", () => {
    expect(() =>
      zoneHoursToSlots({ zoneCount: 1, windows: [{ zone: 0, startMinute: 15, endMinute: 15 }] }),
    ).toThrow(/not a half hour/);
    expect(() =>
      zoneHoursToSlots({ zoneCount: 1, windows: [{ zone: 1, startMinute: 0, endMinute: 0 }] }),
    ).toThrow(/out of range/);
  });
});

describe("intervalZone() and zone volumes", () => {
  // 2026-01-15 in Irkutsk (UTC+8): the interval 06:30–07:00 local ends at 23:00 UTC the day before.
  const end0700 = Date.UTC(2026, 0, 14, 23, 0) / 1000;
  test("an interval belongs to the zone of its local start", () => {
    const slots = zoneHoursToSlots(TWO_ZONE);
    expect(intervalZone({ intervalEnd: end0700, timeZone: "Asia/Irkutsk", slots })).toBe(1);
    expect(intervalZone({ intervalEnd: end0700 + 1800, timeZone: "Asia/Irkutsk", slots })).toBe(0);
  });

  test("zoneVolumesFromIntervals() sums by zone", () => {
    const slots = zoneHoursToSlots(TWO_ZONE);
    const intervals = [
      { intervalEnd: end0700, energyWh: 400n },
      { intervalEnd: end0700 + 1800, energyWh: 600n },
      { intervalEnd: end0700 + 3600, energyWh: 50n },
    ];
    expect(zoneVolumesFromIntervals({ intervals, timeZone: "Asia/Irkutsk", slots, zoneCount: 2 })).toEqual([
      650n,
      400n,
    ]);
  });

  test("zoneVolumesFromRegisters() refuses a register that went down", () => {
    expect(zoneVolumesFromRegisters({ previous: [10n, 20n], current: [15n, 26n] })).toEqual([5n, 6n]);
    expect(() => zoneVolumesFromRegisters({ previous: [10n], current: [9n] })).toThrow(/went down/);
  });
});
