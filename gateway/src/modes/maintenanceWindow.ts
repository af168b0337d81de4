import { utcOffsetMinutes } from "@gridledger/domain";
import { ConfigurationError } from "../internal/errors.js";

/** A daily window of Moscow wall-clock time (F-OPS-01: 00:00–02:00 Moscow when needed). */
export type MaintenanceWindow = {
  /** Minutes after Moscow midnight when the window opens. */
  startMinute: number;
  /** Minutes after Moscow midnight when it closes; below `startMinute` means it ends the next day. */
  endMinute: number;
  /** As written in the setting, e.g. `00:00-02:00`. */
  text: string;
};

export type MaintenanceWindowState = { inside: false } | { inside: true; startedAt: Date; endsAt: Date };

/**
 * Parses `GRIDLEDGER_MAINTENANCE_WINDOW`: `off` (or empty) → none, `HH:MM-HH:MM` → a daily window in
 * Moscow time.
 *
 * @throws ConfigurationError when the value is neither.
 */
export function parseMaintenanceWindow(value: string | undefined): MaintenanceWindow | undefined {
  if (value === undefined || value === "" || value === "off") return undefined;
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$/.exec(value);
  const startMinute = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  const endMinute = match ? Number(match[3]) * 60 + Number(match[4]) : Number.NaN;
  if (!match || endMinute > 24 * 60 || startMinute === endMinute) {
    throw new ConfigurationError(
      `Invalid GRIDLEDGER_MAINTENANCE_WINDOW="${value}"`,
      "off, or HH:MM-HH:MM in Moscow time such as 00:00-02:00",
    );
  }
  return { startMinute, endMinute, text: value };
}

/** Whether `at` falls inside the daily window, and when this occurrence began and ends. */
export function maintenanceWindowAt(window: MaintenanceWindow, at: Date): MaintenanceWindowState {
  const seconds = Math.floor(at.getTime() / 1000);
  // Moscow has kept UTC+3 without daylight saving since 2014; the domain table says so in one place.
  const offsetMs = utcOffsetMinutes("Europe/Moscow", seconds) * 60_000;
  const local = at.getTime() + offsetMs;
  const dayStart = local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
  const length = (window.endMinute - window.startMinute + 24 * 60) % (24 * 60) || 24 * 60;
  // the occurrence that may contain `at` opened today or, for a window across midnight, yesterday
  for (const day of [0, -1]) {
    const opens = dayStart + day * 86_400_000 + window.startMinute * 60_000;
    const closes = opens + length * 60_000;
    if (local >= opens && local < closes) {
      return { inside: true, startedAt: new Date(opens - offsetMs), endsAt: new Date(closes - offsetMs) };
    }
  }
  return { inside: false };
}
