import { InvalidValueError } from "../../errors.js";
import {
  assertNonNegative,
  energyCost,
  type Kopecks,
  type KopecksPerMWh,
  type Wh,
} from "../../units/quantities.js";
import { mulDiv, Rounding } from "../../units/rounding.js";
import { splitByLargestRemainder } from "../payments/splitByLargestRemainder.js";
import { energyLines } from "../tariffs/energyLines.js";
import { scaleRangeThresholds } from "../tariffs/scaleRangeThresholds.js";
import {
  COMPONENT_COUNT,
  Component,
  type InvoiceLine,
  LineKind,
  type PriceComponents,
  type Ratio,
} from "../types.js";
import { averagePowerCharge } from "./averagePowerCharge.js";
import { hourlyEnergyCharge } from "./hourlyEnergyCharge.js";
import { VatMode } from "./vatMode.js";

/** Basis points in one (VAT and loss percentages are in basis points: 22 % = 2 200). */
export const BASIS_POINTS = 10_000n;

export type ComputeInvoiceParameters = {
  /** Volume per zone of the plan (one entry for single-rate and ПЦК 1/3/4: the period's total). */
  zoneVolumes: readonly Wh[];
  /** Range bounds before the seasonal multiplier; empty for no ranges. */
  rangeUpperBounds: readonly Wh[];
  /** Seasonal multiplier of the range bounds; 1/1 when none. */
  thresholdMultiplier: Ratio;
  /** Prices per (range, zone), range-major. */
  prices: readonly PriceComponents[];
  /** ПЦК 3/4 hourly volumes and prices; empty arrays otherwise. */
  hourly: { volumesWh: readonly Wh[]; prices: readonly KopecksPerMWh[] };
  /** ПЦК 3/4 consumed capacity: the АТС-hour volume of each working day, and the rate; rate 0 for none. */
  capacity: { dailyVolumesWh: readonly Wh[]; rate: bigint };
  /** ПЦК 4 two-rate transmission: daily maxima in the peak window, maintenance rate, loss rate (× total volume). */
  network: { dailyMaximaWh: readonly Wh[]; maintenanceRate: bigint; lossRate: KopecksPerMWh };
  /** Prosumer export (A− register) and its buy-back price; zero for none. */
  exported: { volumeWh: Wh; price: KopecksPerMWh };
  /** VAT mode and the rate in force for the supply period, basis points. */
  vat: { mode: VatMode; rateBp: bigint };
};

export type ComputeInvoiceReturnType = {
  lines: InvoiceLine[];
  /** Sum of the non-export lines per component, kopecks. */
  componentNet: Kopecks[];
  /** Sum of the non-export lines (the net total for legal entities; the gross charge for households). */
  netTotal: Kopecks;
  /** VAT added on the invoice (VatMode.Added), `roundHalfUp(net × r / 10⁴)`; 0 otherwise. */
  vat: Kopecks;
  /** `vat` allocated to the components by largest remainder of their net amounts. */
  vatByComponent: Kopecks[];
  grossByComponent: Kopecks[];
  grossTotal: Kopecks;
  /** VAT contained in a VAT-inclusive total, for information: `roundHalfUp(total × r / (10⁴ + r))`. */
  vatIncluded: Kopecks;
  /** The export line's amount (money the supplier owes the prosumer). */
  exportCredit: Kopecks;
  /** Gross per component after the export credit is offset (taken from components in index order). */
  payableByComponent: Kopecks[];
  /** `grossTotal − exportCredit`; negative when the prosumer is owed money (credit carried forward). */
  payableTotal: Kopecks;
};

/**
 * Computes an invoice from a plan schedule ({@link planSchedule}) and the period's volumes: energy
 * lines per range × zone × component, ПЦК 3/4 hourly energy, capacity and two-rate transmission
 * lines, the prosumer export line, VAT, and the amounts per provider component. Every line is
 * rounded half-up to kopecks on its own and totals are sums of lines (§8 rules 1–2); VAT is computed
 * once on the net total and allocated to components by largest remainder (§8 rule 4).
 * Mirrors `InvoiceMath.computeInvoice`.
 */
export function computeInvoice(parameters: ComputeInvoiceParameters): ComputeInvoiceReturnType {
  const { zoneVolumes, hourly, capacity, network, exported, vat } = parameters;
  const bounds = scaleRangeThresholds({
    upperBounds: parameters.rangeUpperBounds,
    multiplier: parameters.thresholdMultiplier,
  });
  const lines = energyLines({ zoneVolumes, rangeUpperBounds: bounds, prices: parameters.prices });
  const line = (kind: LineKind, component: Component, quantity: bigint, rate: bigint, amount: Kopecks) =>
    lines.push({ kind, zone: 0, range: 0, component, quantity, rate, amount });

  if (hourly.volumesWh.length > 0) {
    const charge = hourlyEnergyCharge({ volumesWh: hourly.volumesWh, prices: hourly.prices });
    line(LineKind.HourlyEnergy, Component.Energy, charge.volumeWh, 0n, charge.amount);
  }
  if (capacity.rate > 0n) {
    const charge = averagePowerCharge({ dailyVolumesWh: capacity.dailyVolumesWh, rate: capacity.rate });
    line(LineKind.Capacity, Component.Energy, charge.powerW, capacity.rate, charge.amount);
  }
  if (network.maintenanceRate > 0n) {
    const charge = averagePowerCharge({
      dailyVolumesWh: network.dailyMaximaWh,
      rate: network.maintenanceRate,
    });
    line(
      LineKind.NetworkMaintenance,
      Component.Transmission,
      charge.powerW,
      network.maintenanceRate,
      charge.amount,
    );
  }
  if (network.lossRate > 0n) {
    const total = zoneVolumes.reduce((sum, volume) => sum + volume, 0n);
    line(
      LineKind.NetworkLosses,
      Component.Transmission,
      total,
      network.lossRate,
      energyCost(total, network.lossRate, Rounding.HalfUp),
    );
  }
  assertNonNegative(exported.volumeWh, "Exported volume");
  assertNonNegative(exported.price, "Buy-back price");
  let exportCredit = 0n;
  if (exported.volumeWh > 0n && exported.price > 0n) {
    exportCredit = energyCost(exported.volumeWh, exported.price, Rounding.HalfUp);
    line(LineKind.Export, Component.Energy, exported.volumeWh, exported.price, exportCredit);
  }

  const componentNet: Kopecks[] = new Array(COMPONENT_COUNT).fill(0n);
  for (const { kind, component, amount } of lines) {
    if (kind !== LineKind.Export) componentNet[component] = componentNet[component]! + amount;
  }
  const netTotal = componentNet.reduce((sum, amount) => sum + amount, 0n);

  assertNonNegative(vat.rateBp, "VAT rate");
  let vatAdded = 0n;
  let vatIncluded = 0n;
  if (vat.mode === VatMode.Added) {
    vatAdded = mulDiv(netTotal, vat.rateBp, BASIS_POINTS, Rounding.HalfUp);
  } else if (vat.mode === VatMode.Included) {
    vatIncluded = mulDiv(netTotal, vat.rateBp, BASIS_POINTS + vat.rateBp, Rounding.HalfUp);
  } else if (vat.mode !== VatMode.None) {
    throw new InvalidValueError(`Unknown VAT mode ${String(vat.mode)}`);
  }
  const vatByComponent = splitByLargestRemainder({ amount: vatAdded, weights: componentNet });
  const grossByComponent = componentNet.map((amount, index) => amount + vatByComponent[index]!);
  const grossTotal = netTotal + vatAdded;

  let toOffset = exportCredit;
  const payableByComponent = grossByComponent.map((amount) => {
    // biome-ignore lint/complexity/useMathMinMax: bigint operands, Math.min does not take them
    const taken = toOffset < amount ? toOffset : amount;
    toOffset -= taken;
    return amount - taken;
  });

  return {
    lines,
    componentNet,
    netTotal,
    vat: vatAdded,
    vatByComponent,
    grossByComponent,
    grossTotal,
    vatIncluded,
    exportCredit,
    payableByComponent,
    payableTotal: grossTotal - exportCredit,
  };
}
