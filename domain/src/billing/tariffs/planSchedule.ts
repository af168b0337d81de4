import { InvalidValueError } from "../../errors.js";
import type { Wh } from "../../units/quantities.js";
import { VatMode } from "../invoice/vatMode.js";
import type { PriceComponents, Ratio } from "../types.js";
import type { TariffPlan, ZoneHours } from "./tariffPlan.js";

export type PlanScheduleParameters = { plan: TariffPlan };
/** The plan in the one shape the invoice arithmetic (and the Solidity `InvoiceInput`) takes. */
export type PlanScheduleReturnType = {
  zoneHours: ZoneHours | undefined;
  zoneCount: number;
  rangeUpperBounds: Wh[];
  thresholdMultiplier: Ratio;
  /** Range-major: `prices[range * zoneCount + zone]`. */
  prices: PriceComponents[];
  hourly: boolean;
  capacityRate: bigint;
  maintenanceRate: bigint;
  lossRate: bigint;
  vatMode: VatMode;
};

const ONE: Ratio = { numerator: 1n, denominator: 1n };

/**
 * Reduces any {@link TariffPlan} to zone count, range bounds and a range × zone price table (pure
 * reshaping, no arithmetic): single-rate is one zone and one range; a social norm is two ranges
 * with the norm as the bound; ПЦК 3/4 are one zone priced by their per-MWh adders plus hourly
 * energy and capacity.
 */
export function planSchedule({ plan }: PlanScheduleParameters): PlanScheduleReturnType {
  const base = {
    zoneHours: undefined as ZoneHours | undefined,
    rangeUpperBounds: [] as Wh[],
    thresholdMultiplier: ONE,
    hourly: false,
    capacityRate: 0n,
    maintenanceRate: 0n,
    lossRate: 0n,
  };
  const zoned = (zoneHours: ZoneHours | undefined, perZone: readonly PriceComponents[]) => {
    const zoneCount = zoneHours?.zoneCount ?? 1;
    if (perZone.length !== zoneCount) {
      throw new InvalidValueError("Need one price per zone", `${zoneCount} zones, ${perZone.length} prices`);
    }
    return zoneCount;
  };
  switch (plan.kind) {
    case "singleRate":
      return { ...base, zoneCount: 1, prices: [plan.price], vatMode: VatMode.Included };
    case "priceCategory1":
      return { ...base, zoneCount: 1, prices: [plan.price], vatMode: VatMode.Added };
    case "multiZone":
    case "priceCategory2": {
      const zoneCount = zoned(plan.zoneHours, plan.zonePrices);
      return {
        ...base,
        zoneHours: plan.zoneHours,
        zoneCount,
        prices: [...plan.zonePrices],
        vatMode: plan.kind === "multiZone" ? VatMode.Included : VatMode.Added,
      };
    }
    case "volumeRange": {
      if (plan.prices.length !== plan.rangeUpperBounds.length + 1) {
        throw new InvalidValueError(
          "Need one price row per range",
          `${plan.rangeUpperBounds.length + 1} ranges`,
        );
      }
      const zoneCount = plan.prices.map((row) => zoned(plan.zoneHours, row))[0]!;
      return {
        ...base,
        zoneHours: plan.zoneHours,
        zoneCount,
        rangeUpperBounds: [...plan.rangeUpperBounds],
        thresholdMultiplier: plan.thresholdMultiplier ?? ONE,
        prices: plan.prices.flat(),
        vatMode: VatMode.Included,
      };
    }
    case "socialNorm": {
      const zoneCount = zoned(plan.zoneHours, plan.inNormPrices);
      zoned(plan.zoneHours, plan.aboveNormPrices);
      return {
        ...base,
        zoneHours: plan.zoneHours,
        zoneCount,
        rangeUpperBounds: [plan.normWh],
        prices: [...plan.inNormPrices, ...plan.aboveNormPrices],
        vatMode: VatMode.Included,
      };
    }
    case "priceCategory3":
      return {
        ...base,
        zoneCount: 1,
        prices: [plan.adders],
        hourly: true,
        capacityRate: plan.capacityRate,
        vatMode: VatMode.Added,
      };
    case "priceCategory4":
      return {
        ...base,
        zoneCount: 1,
        prices: [plan.adders],
        hourly: true,
        capacityRate: plan.capacityRate,
        maintenanceRate: plan.maintenanceRate,
        lossRate: plan.lossRate,
        vatMode: VatMode.Added,
      };
    default:
      throw new InvalidValueError(`Unknown tariff plan kind: ${String((plan as { kind: unknown }).kind)}`);
  }
}
