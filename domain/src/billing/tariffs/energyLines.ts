import { InvalidValueError } from "../../errors.js";
import { energyCost, type Wh } from "../../units/quantities.js";
import { Rounding } from "../../units/rounding.js";
import {
  type Component,
  componentArray,
  type InvoiceLine,
  LineKind,
  type PriceComponents,
} from "../types.js";
import { rangeVolumes } from "./rangeVolumes.js";
import { splitRangesAcrossZones } from "./splitRangesAcrossZones.js";

export type EnergyLinesParameters = {
  /** Volume per zone (one entry for single-rate). */
  zoneVolumes: readonly Wh[];
  /** Upper bounds of the consumption ranges (already scaled); empty for no ranges. */
  rangeUpperBounds: readonly Wh[];
  /** Price per (range, zone), range-major: `prices[range * zoneCount + zone]`. */
  prices: readonly PriceComponents[];
};
export type EnergyLinesReturnType = InvoiceLine[];

/**
 * The energy lines of an invoice: the period's volume split into ranges (marginal), each range split
 * across zones ({@link splitRangesAcrossZones}), each part priced per component and rounded half-up
 * to kopecks on its own line (§8 rule 1). Lines whose volume or component price is zero are left
 * out. Order: range, then zone, then component. Covers single-rate, two-/three-zone, social norm,
 * volume ranges, ПЦК 1 and ПЦК 2. Mirrors `TariffMath.energyLines`.
 */
export function energyLines({
  zoneVolumes,
  rangeUpperBounds,
  prices,
}: EnergyLinesParameters): EnergyLinesReturnType {
  const zoneCount = zoneVolumes.length;
  const rangeCount = rangeUpperBounds.length + 1;
  if (zoneCount > 255 || rangeCount > 255) {
    throw new InvalidValueError(
      "At most 255 zones and 255 ranges",
      `${zoneCount} zones, ${rangeCount} ranges`,
    );
  }
  if (prices.length !== zoneCount * rangeCount) {
    throw new InvalidValueError(
      "Need one price per range and zone",
      `${rangeCount} ranges × ${zoneCount} zones, got ${prices.length} prices`,
    );
  }
  const total = zoneVolumes.reduce((sum, volume) => sum + volume, 0n);
  const ranges = rangeVolumes({ totalWh: total, upperBounds: rangeUpperBounds });
  const parts = splitRangesAcrossZones({ zoneVolumes, rangeVolumes: ranges });
  const lines: InvoiceLine[] = [];
  for (let range = 0; range < rangeCount; range++) {
    for (let zone = 0; zone < zoneCount; zone++) {
      const index = range * zoneCount + zone;
      const volume = parts[index]!;
      if (volume === 0n) continue;
      componentArray(prices[index]!).forEach((rate, component) => {
        if (rate < 0n) throw new InvalidValueError("A price component must not be negative", `got ${rate}`);
        if (rate === 0n) return;
        lines.push({
          kind: LineKind.Energy,
          zone,
          range,
          component: component as Component,
          quantity: volume,
          rate,
          amount: energyCost(volume, rate, Rounding.HalfUp),
        });
      });
    }
  }
  return lines;
}
