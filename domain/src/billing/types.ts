import type { Kopecks, KopecksPerMWh, Wh } from "../units/quantities.js";

/**
 * The four price components of an electricity price (billing-rules §6.1), in the order that is also
 * their index everywhere (invoice lines, payment split, Solidity `Component` enum). The index order
 * breaks ties in every largest-remainder split: the lower index wins.
 */
export const Component = {
  /** Wholesale energy + capacity (Ц_ОР); paid to generators through the guaranteeing supplier. */
  Energy: 0,
  /** Transmission (услуги по передаче); paid to the grid company. */
  Transmission: 1,
  /** Retail markup (сбытовая надбавка); paid to the guaranteeing supplier. */
  RetailMarkup: 2,
  /** Infrastructure ("иные услуги": СО, АТС, ЦФР). */
  Infrastructure: 3,
} as const;
export type Component = (typeof Component)[keyof typeof Component];
export const COMPONENT_COUNT = 4;

/** A price split into its components, each in kopecks per MWh; the price is their sum. */
export type PriceComponents = {
  energy: KopecksPerMWh;
  transmission: KopecksPerMWh;
  retailMarkup: KopecksPerMWh;
  infrastructure: KopecksPerMWh;
};

/** What an invoice line charges for. The numeric values match the Solidity `LineKind` enum. */
export const LineKind = {
  /** Volume of one zone and one range × one price component. */
  Energy: 0,
  /** ПЦК 3/4: Σ hourly volume × hourly price (component energy). */
  HourlyEnergy: 1,
  /** ПЦК 3/4: consumed capacity P_cons × capacity rate (component energy). */
  Capacity: 2,
  /** ПЦК 4: network capacity P_net × maintenance rate (component transmission). */
  NetworkMaintenance: 3,
  /** ПЦК 4: total volume × loss rate (component transmission). */
  NetworkLosses: 4,
  /** Prosumer export bought back by the supplier; subtracted from the amount payable. */
  Export: 5,
} as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

/**
 * One invoice line, rounded half-up to kopecks on its own (billing-rules §8 rule 1).
 * `quantity` is Wh for energy lines and W for capacity lines; `rate` is kop/MWh or kop/MW per month.
 */
export type InvoiceLine = {
  kind: LineKind;
  zone: number;
  range: number;
  component: Component;
  quantity: Wh;
  rate: bigint;
  amount: Kopecks;
};

/** A rational multiplier (×1.5 = 3/2, seasonal coefficient 1.8 = 9/5). */
export type Ratio = { numerator: bigint; denominator: bigint };

/** Price components as an array in component index order. */
export function componentArray(price: PriceComponents): bigint[] {
  return [price.energy, price.transmission, price.retailMarkup, price.infrastructure];
}
