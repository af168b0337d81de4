import { describe, expect, test } from "vitest";
import { maintenanceWindowAt, parseMaintenanceWindow } from "./maintenanceWindow.js";

describe("the Moscow maintenance window", () => {
  const window = parseMaintenanceWindow("00:00-02:00")!;

  test("00:00–02:00 Moscow is 21:00–23:00 UTC of the day before", () => {
    expect(maintenanceWindowAt(window, new Date("2026-11-27T20:59:59Z"))).toEqual({ inside: false });
    expect(maintenanceWindowAt(window, new Date("2026-11-27T21:00:00Z"))).toEqual({
      inside: true,
      startedAt: new Date("2026-11-27T21:00:00Z"),
      endsAt: new Date("2026-11-27T23:00:00Z"),
    });
    expect(maintenanceWindowAt(window, new Date("2026-11-27T22:59:59Z")).inside).toBe(true);
    expect(maintenanceWindowAt(window, new Date("2026-11-27T23:00:00Z"))).toEqual({ inside: false });
    expect(maintenanceWindowAt(window, new Date("2026-11-28T07:55:00Z"))).toEqual({ inside: false });
  });

  test("a window across Moscow midnight (23:30-01:00) is found from either side", () => {
    const late = parseMaintenanceWindow("23:30-01:00")!;
    const before = maintenanceWindowAt(late, new Date("2026-11-27T20:45:00Z")); // 23:45 MSK
    const after = maintenanceWindowAt(late, new Date("2026-11-27T21:45:00Z")); // 00:45 MSK next day
    expect(before).toEqual({
      inside: true,
      startedAt: new Date("2026-11-27T20:30:00Z"),
      endsAt: new Date("2026-11-27T22:00:00Z"),
    });
    expect(after).toEqual(before);
    expect(maintenanceWindowAt(late, new Date("2026-11-27T22:00:00Z")).inside).toBe(false);
  });

  test("off means none; anything else malformed is refused naming the setting", () => {
    expect(parseMaintenanceWindow("off")).toBeUndefined();
    expect(parseMaintenanceWindow(undefined)).toBeUndefined();
    for (const bad of ["0:00-2:00", "00:00-00:00", "25:00-02:00", "00:00–02:00", "night"]) {
      expect(() => parseMaintenanceWindow(bad), bad).toThrow(/GRIDLEDGER_MAINTENANCE_WINDOW/);
    }
  });
});
