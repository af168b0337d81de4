import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Wh } from "../../units/quantities.js";

export type SplitRangesAcrossZonesParameters = {
  /** Volume per zone (day/night …), index = zone. */
  zoneVolumes: readonly Wh[];
  /** Volume per range (in-norm/above-norm, or the volume ranges), from {@link rangeVolumes}. */
  rangeVolumes: readonly Wh[];
};
/** Matrix `parts[range * zoneCount + zone]` in Wh; rows sum to the ranges, columns to the zones. */
export type SplitRangesAcrossZonesReturnType = Wh[];

/**
 * Splits range volumes across zones in proportion to the zones' consumption (billing-rules §1.3(a),
 * ПП 614 прил. 6: `V_in,z = N × V_z / V`), integer Wh, so that every zone's parts add up to its
 * volume and every range's parts add up to the range.
 *
 * Ranges are taken in order. For each range, each zone gets `floor(range × left_z / Σ left)` where
 * `left_z` is the zone's volume not yet given to an earlier range; the few Wh left by the floors go
 * to the LAST zone, and if it has no room left, to the zone before it, and so on. With two zones the
 * last zone always has room, so this is exactly §8 rule 3 ("floor every part except the last; the
 * last gets the remainder") and reproduces TV-05; the fallback keeps every part non-negative with
 * three zones, where the plain rule can go negative by a few Wh. The last range takes what is left
 * of every zone. Mirrors `TariffMath.splitRangesAcrossZones`.
 *
 * @example splitRangesAcrossZones({ zoneVolumes: [130_000n, 60_000n], rangeVolumes: [150_000n, 40_000n] })
 * // [102_631n, 47_369n, 27_369n, 12_631n]
 */
export function splitRangesAcrossZones({
  zoneVolumes,
  rangeVolumes,
}: SplitRangesAcrossZonesParameters): SplitRangesAcrossZonesReturnType {
  const zoneCount = zoneVolumes.length;
  if (zoneCount === 0 || rangeVolumes.length === 0)
    throw new InvalidValueError("Need at least one zone and one range");
  let total = 0n;
  for (const volume of zoneVolumes) {
    assertNonNegative(volume, "Zone volume");
    total += volume;
  }
  let rangesTotal = 0n;
  for (const volume of rangeVolumes) {
    assertNonNegative(volume, "Range volume");
    rangesTotal += volume;
  }
  if (rangesTotal !== total) {
    throw new InvalidValueError(
      "Ranges and zones must hold the same volume",
      `${rangesTotal} Wh vs ${total} Wh`,
    );
  }
  const left = [...zoneVolumes];
  const parts: Wh[] = [];
  let leftTotal = total;
  for (const range of rangeVolumes) {
    const row: Wh[] = left.map((zoneLeft) => (leftTotal === 0n ? 0n : (range * zoneLeft) / leftTotal));
    let residual = range - row.reduce((sum, part) => sum + part, 0n);
    for (let zone = zoneCount - 1; zone >= 0 && residual > 0n; zone--) {
      const room = left[zone]! - row[zone]!;
      // biome-ignore lint/complexity/useMathMinMax: bigint operands, Math.min does not take them
      const take = room < residual ? room : residual;
      row[zone] = row[zone]! + take;
      residual -= take;
    }
    for (let zone = 0; zone < zoneCount; zone++) left[zone] = left[zone]! - row[zone]!;
    leftTotal -= range;
    parts.push(...row);
  }
  return parts;
}
