import { InvalidValueError } from "../../errors.js";
import { assertIntervalEnd, type UnixSeconds } from "../../time/halfHour.js";
import { intervalLocalStart } from "../../time/russianTimeZones.js";

export type IntervalZoneParameters = {
  /** End of the half-hour interval, Unix seconds UTC, aligned to :00/:30. */
  intervalEnd: UnixSeconds;
  /** IANA name of the Russian time zone the zone hours are stated in (households: local; ПЦК 2: Europe/Moscow). */
  timeZone: string;
  /** Slot table from {@link zoneHoursToSlots}. */
  slots: readonly number[];
};
export type IntervalZoneReturnType = number;

/**
 * The tariff zone of one half-hour interval: the zone of its local START time (an interval
 * 06:30–07:00 is night, 07:00–07:30 is day). Mirrors `TariffMath.intervalZone`, which takes the UTC
 * offset in minutes instead of the zone name.
 */
export function intervalZone({
  intervalEnd,
  timeZone,
  slots,
}: IntervalZoneParameters): IntervalZoneReturnType {
  assertIntervalEnd(intervalEnd);
  if (slots.length !== 48)
    throw new InvalidValueError("A slot table has 48 half hours", `got ${slots.length}`);
  const local = intervalLocalStart(intervalEnd, timeZone);
  return slots[Math.floor(local.minuteOfDay / 30)]!;
}
