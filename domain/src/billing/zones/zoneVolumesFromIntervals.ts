import { InvalidValueError } from "../../errors.js";
import type { UnixSeconds } from "../../time/halfHour.js";
import { assertNonNegative, type Wh } from "../../units/quantities.js";
import { intervalZone } from "./intervalZone.js";

export type ZoneVolumesFromIntervalsParameters = {
  /** Half-hour interval data: energy in Wh per interval, named by its end (Unix seconds UTC). */
  intervals: readonly { intervalEnd: UnixSeconds; energyWh: Wh }[];
  timeZone: string;
  slots: readonly number[];
  zoneCount: number;
};
/** Volume per zone, index = zone. */
export type ZoneVolumesFromIntervalsReturnType = Wh[];

/**
 * Sums interval (load-profile) data into zone volumes by the zone of each interval's local start.
 * Mirrors `TariffMath.zoneVolumesFromIntervals`.
 */
export function zoneVolumesFromIntervals({
  intervals,
  timeZone,
  slots,
  zoneCount,
}: ZoneVolumesFromIntervalsParameters): ZoneVolumesFromIntervalsReturnType {
  const volumes: Wh[] = new Array(zoneCount).fill(0n);
  for (const { intervalEnd, energyWh } of intervals) {
    assertNonNegative(energyWh, "Interval energy");
    const zone = intervalZone({ intervalEnd, timeZone, slots });
    if (zone >= zoneCount) throw new InvalidValueError(`Slot zone ${zone} is out of range`);
    volumes[zone] = volumes[zone]! + energyWh;
  }
  return volumes;
}
