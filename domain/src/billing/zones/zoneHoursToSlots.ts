import { InvalidValueError, ZoneHoursIncompleteError, ZoneHoursOverlapError } from "../../errors.js";

/** Number of half hours in a day; zone hours are stated with half-hour precision. */
export const SLOTS_PER_DAY = 48;

/** One window of local time `[startMinute, endMinute)`; `endMinute <= startMinute` wraps past midnight. */
export type ZoneWindow = { zone: number; startMinute: number; endMinute: number };

export type ZoneHoursToSlotsParameters = {
  /** Windows of local time, each assigned to a zone index `0 … zoneCount−1`. */
  windows: readonly ZoneWindow[];
  /** Number of zones of the tariff (1 for single-rate, 2 for day/night, 3 for peak/half-peak/night). */
  zoneCount: number;
};
/** Zone index of each local half hour: element `i` is the zone of minutes `[30i, 30i+30)`. */
export type ZoneHoursToSlotsReturnType = number[];

/**
 * Validates zone hours (data, never constants: they are set by the regulator per region and year) and
 * turns them into a table of 48 half-hour slots. The windows must cover the 24 hours exactly once.
 *
 * Mirrors `TariffMath.zoneSlots` in Solidity.
 *
 * @throws {ZoneHoursOverlapError} when two windows share a half hour.
 * @throws {ZoneHoursIncompleteError} when the windows leave part of the day without a zone.
 * @throws {InvalidValueError} when a bound is not on :00/:30, outside 0–1440, or a zone index is out of range.
 * @example
 * // household two-zone: night 23:00–07:00 (zone 1), day 07:00–23:00 (zone 0)
 * zoneHoursToSlots({ zoneCount: 2, windows: [
 *   { zone: 0, startMinute: 420, endMinute: 1380 }, { zone: 1, startMinute: 1380, endMinute: 420 } ] })
 */
export function zoneHoursToSlots({
  windows,
  zoneCount,
}: ZoneHoursToSlotsParameters): ZoneHoursToSlotsReturnType {
  if (!Number.isInteger(zoneCount) || zoneCount < 1 || zoneCount > 255) {
    throw new InvalidValueError(`Zone count must be 1–255`, `got ${zoneCount}`);
  }
  const slots: (number | undefined)[] = new Array(SLOTS_PER_DAY).fill(undefined);
  for (const { zone, startMinute, endMinute } of windows) {
    if (!Number.isInteger(zone) || zone < 0 || zone >= zoneCount) {
      throw new InvalidValueError(`Zone index ${zone} is out of range`, `the tariff has ${zoneCount} zones`);
    }
    for (const minute of [startMinute, endMinute]) {
      if (!Number.isInteger(minute) || minute < 0 || minute > 1440 || minute % 30 !== 0) {
        throw new InvalidValueError(
          `Zone window bound ${minute} is not a half hour of the day`,
          "bounds are local minutes 0–1440 on :00 or :30",
        );
      }
    }
    const start = startMinute / 30;
    const end = endMinute / 30;
    const length = end > start ? end - start : end + SLOTS_PER_DAY - start;
    for (let step = 0; step < length; step++) {
      const slot = (start + step) % SLOTS_PER_DAY;
      if (slots[slot] !== undefined) throw new ZoneHoursOverlapError(slot * 30);
      slots[slot] = zone;
    }
  }
  const covered = slots.filter((zone) => zone !== undefined).length;
  if (covered !== SLOTS_PER_DAY) throw new ZoneHoursIncompleteError(covered * 30);
  return slots as number[];
}
