import type { Wh } from "../../units/quantities.js";
import type { PriceComponents, Ratio } from "../types.js";
import type { ZoneWindow } from "../zones/zoneHoursToSlots.js";

/** Zone hours of a multi-zone plan: data from the regulator's order, never constants. */
export type ZoneHours = { zoneCount: number; windows: readonly ZoneWindow[] };

/**
 * A tariff plan: which arithmetic applies and its prices, each split into the four components so
 * that a payment can be split among providers. Prices are kop/MWh (0.01 RUB/MWh); capacity and
 * maintenance rates are kop/MW per month. Household plans are priced with VAT included (§6.3);
 * legal-entity price categories without VAT (VAT is added on the invoice).
 *
 * Every plan reduces to one arithmetic ({@link planSchedule}): zone volumes × ranges × price
 * components, plus, for ПЦК 3/4, hourly energy and capacity charges.
 */
export type TariffPlan =
  /** Household single-rate: one price. */
  | { kind: "singleRate"; price: PriceComponents }
  /** Household two-zone (day/night) or three-zone (peak/half-peak/night): one price per zone. */
  | { kind: "multiZone"; zoneHours: ZoneHours; zonePrices: readonly PriceComponents[] }
  /**
   * Household volume-range (tiered) tariff, optionally with zones: `prices[range][zone]`.
   * `thresholdMultiplier` models a seasonal coefficient (Irkutsk heating season 1.8).
   */
  | {
      kind: "volumeRange";
      zoneHours?: ZoneHours;
      rangeUpperBounds: readonly Wh[];
      thresholdMultiplier?: Ratio;
      prices: readonly (readonly PriceComponents[])[];
    }
  /** Household social norm (ПП 614): in-norm and above-norm prices per zone. */
  | {
      kind: "socialNorm";
      zoneHours?: ZoneHours;
      normWh: Wh;
      inNormPrices: readonly PriceComponents[];
      aboveNormPrices: readonly PriceComponents[];
    }
  /** Legal entity ПЦК 1: one price W × (Ц_ОР + Т1 + СН + И). */
  | { kind: "priceCategory1"; price: PriceComponents }
  /** Legal entity ПЦК 2: one price per zone; zone hours in Moscow time, by ОЭС and month. */
  | { kind: "priceCategory2"; zoneHours: ZoneHours; zonePrices: readonly PriceComponents[] }
  /**
   * Legal entity ПЦК 3: hourly energy prices (per period, supplied with the consumption), capacity
   * rate, and per-MWh adders that are not inside the hourly price (zero when they are).
   */
  | { kind: "priceCategory3"; adders: PriceComponents; capacityRate: bigint }
  /** Legal entity ПЦК 4: as ПЦК 3 without Т1, plus two-rate transmission (maintenance + losses). */
  | {
      kind: "priceCategory4";
      adders: PriceComponents;
      capacityRate: bigint;
      maintenanceRate: bigint;
      lossRate: bigint;
    };
