import { computeInvoice, type PriceComponents, VatMode } from "@gridledger/domain";
import type { TariffPlanRow } from "../../db/entities/index.js";

/** Cumulative registers of one half-hour reading, Wh; null where the reading does not carry one. */
export type RegisterReading = {
  intervalEnd: number;
  registers: readonly (number | null)[];
  export: number | null;
};

export type AccruedCostPoint = {
  intervalEnd: number;
  importWh: bigint;
  exportWh: bigint;
  /** What this half hour added to the payable total, kopecks (may be negative for a prosumer). */
  cost: bigint;
  /** The payable total for the period up to and including this half hour, kopecks. */
  cumulativeCost: bigint;
};

export type AccruedCostParameters = {
  plan: TariffPlanRow;
  /** The reading at (or just before) the period's start: the baseline the volumes count from. */
  baseline: RegisterReading;
  /** The period's readings after the baseline, oldest first. */
  readings: readonly RegisterReading[];
};

export type AccruedCostReturnType = {
  series: AccruedCostPoint[];
  zoneVolumesWh: bigint[];
  exportWh: bigint;
  /** Gross amount per component (energy, transmission, retail markup, infrastructure), kopecks. */
  grossByComponent: bigint[];
  vat: bigint;
  exportCredit: bigint;
  payableTotal: bigint;
};

/**
 * The cost of a period so far at half-hour resolution (F-CHAIN-06), priced exactly as the chain will
 * price the period's invoice (`InvoiceBook._priceInvoice` → domain `computeInvoice`): register z
 * counts in zone z (registers beyond the plan's zones in its last zone), volume ranges and social
 * norms are marginal over the period's cumulative volume, VAT once on the total. Each point's cost is
 * therefore the change in the period's payable total that half hour, not a flat rate × volume: with
 * tiers the price of a kWh depends on what came before it.
 */
export function accruedCost({ plan, baseline, readings }: AccruedCostParameters): AccruedCostReturnType {
  const zones = plan.kind === 5 ? Math.max(1, Math.floor(plan.rates.length / 2)) : Math.max(1, plan.zones);
  const rangeUpperBounds: bigint[] = [];
  if (plan.kind === 4) {
    if (plan.rates.length > 1) rangeUpperBounds.push(BigInt(plan.threshold1));
    if (plan.rates.length > 2) rangeUpperBounds.push(BigInt(plan.threshold2));
  } else if (plan.kind === 5) {
    rangeUpperBounds.push(BigInt(plan.threshold1));
  }
  const prices: PriceComponents[] = plan.rates.map((row) => ({
    energy: BigInt(row[0] ?? 0),
    transmission: BigInt(row[1] ?? 0),
    retailMarkup: BigInt(row[2] ?? 0),
    infrastructure: BigInt(row[3] ?? 0),
  }));
  const vatMode = plan.vatIncluded ? VatMode.Included : plan.vatBp === 0 ? VatMode.None : VatMode.Added;
  const price = (zoneVolumes: bigint[], exportWh: bigint) =>
    computeInvoice({
      zoneVolumes,
      rangeUpperBounds,
      thresholdMultiplier: { numerator: 1n, denominator: 1n },
      prices,
      hourly: { volumesWh: [], prices: [] },
      capacity: { dailyVolumesWh: [], rate: 0n },
      network: { dailyMaximaWh: [], maintenanceRate: 0n, lossRate: 0n },
      exported: { volumeWh: exportWh, price: BigInt(plan.exportPrice) },
      vat: { mode: vatMode, rateBp: BigInt(plan.vatBp) },
    });

  const zoneVolumes: bigint[] = new Array(zones).fill(0n);
  let exportTotal = 0n;
  let last = { registers: [...baseline.registers], export: baseline.export };
  let previousTotal = 0n;
  const series: AccruedCostPoint[] = [];
  let invoice = price(zoneVolumes, 0n);
  for (const reading of readings) {
    let importWh = 0n;
    reading.registers.forEach((value, register) => {
      const before = last.registers[register];
      if (value === null || value === undefined) return;
      if (before !== null && before !== undefined && value > before) {
        const delta = BigInt(value - before);
        const zone = Math.min(register, zones - 1);
        zoneVolumes[zone] = zoneVolumes[zone]! + delta;
        importWh += delta;
      }
      last.registers[register] = value;
    });
    let exportWh = 0n;
    if (reading.export !== null) {
      if (last.export !== null && reading.export > last.export)
        exportWh = BigInt(reading.export - last.export);
      last = { ...last, export: reading.export };
    }
    exportTotal += exportWh;
    invoice = price(zoneVolumes, exportTotal);
    series.push({
      intervalEnd: reading.intervalEnd,
      importWh,
      exportWh,
      cost: invoice.payableTotal - previousTotal,
      cumulativeCost: invoice.payableTotal,
    });
    previousTotal = invoice.payableTotal;
  }
  return {
    series,
    zoneVolumesWh: [...zoneVolumes],
    exportWh: exportTotal,
    grossByComponent: invoice.grossByComponent,
    vat: invoice.vat,
    exportCredit: invoice.exportCredit,
    payableTotal: invoice.payableTotal,
  };
}
