import type { ConsumptionPoint } from "$lib/api/queries";

export type ZoneKey = "importT1" | "importT2" | "importT3" | "importT4";
export const ZONES: readonly ZoneKey[] = ["importT1", "importT2", "importT3", "importT4"];

export type StackedSeries = {
  /** Bucket starts, Unix seconds. */
  x: number[];
  /** Zones that have any energy, in order T1..T4. */
  zones: ZoneKey[];
  /** Per zone, kWh per bucket. */
  values: Record<ZoneKey, number[]>;
  /** Running sums for stacking: `stacked[i]` = zones[0..i] added up, kWh. */
  stacked: number[][];
  /** Export to the grid, kWh (undefined when there is none). */
  exported: number[] | undefined;
  /** Import over all zones and buckets, Wh. */
  totalWh: bigint;
};

const toKwh = (wh: string) => Number(BigInt(wh)) / 1000;

/** Turns the gateway's points (Wh strings) into the arrays a stacked uPlot chart needs. */
export function stackSeries(points: readonly ConsumptionPoint[]): StackedSeries {
  const x = points.map((point) => point.bucketStart);
  const values = Object.fromEntries(
    ZONES.map((zone) => [zone, points.map((point) => toKwh(point[zone]))]),
  ) as Record<ZoneKey, number[]>;
  const zones = ZONES.filter((zone, index) => index === 0 || values[zone].some((value) => value !== 0));
  const stacked: number[][] = [];
  for (const [index, zone] of zones.entries()) {
    const below = stacked[index - 1];
    stacked.push(values[zone].map((value, at) => value + (below ? below[at]! : 0)));
  }
  const exportValues = points.map((point) => toKwh(point.export));
  let totalWh = 0n;
  for (const point of points) for (const zone of ZONES) totalWh += BigInt(point[zone]);
  return {
    x,
    zones,
    values,
    stacked,
    exported: exportValues.some((value) => value !== 0) ? exportValues : undefined,
    totalWh,
  };
}
