import { EntitySchema } from "@mikro-orm/core";
import { bigint, bytes32, type ChainOrigin, integer, json, originColumns, smallint } from "./columns.js";

/**
 * HourlyBilling `HourlyPricesPublished`: a ПЦК 3/4 plan's price data for one billing period, as
 * published by its retail company (final; billing supplies it again and the contract checks
 * `pricesHash`). Prices are 0.01 RUB/MWh (the energy component of each hour, in order from the
 * period's start); capacity and maintenance rates 0.01 RUB/MW per month.
 */
export interface HourlyPricesRow extends ChainOrigin {
  planId: number;
  periodId: number;
  /** keccak256 of the ABI-encoded price data (`HourlyBilling.hashHourlyPrices`). */
  pricesHash: string;
  /** ITariffs.TariffKind: 6 ПЦК 3, 7 ПЦК 4. */
  kind: number;
  /** Hours of the period (the length of `prices`). */
  hours: number;
  prices: number[];
  capacityRate: number;
  maintenanceRate: number;
  lossRate: number;
  /** The АТС peak hour of each working day (index into `prices`). */
  capacityHours: number[];
  /** ПЦК 4: each working day's planned peak window, `firstHour << 8 | hourCount`. */
  networkWindows: number[];
}

export const HourlyPrices = new EntitySchema<HourlyPricesRow>({
  name: "HourlyPrices",
  tableName: "hourly_prices",
  properties: {
    planId: bigint({ primary: true, autoincrement: false }),
    periodId: integer({ primary: true, autoincrement: false }),
    pricesHash: bytes32(),
    kind: smallint(),
    hours: integer(),
    prices: json(),
    capacityRate: bigint(),
    maintenanceRate: bigint(),
    lossRate: bigint(),
    capacityHours: json(),
    networkWindows: json(),
    ...originColumns(),
  },
  indexes: [{ properties: ["periodId"] }],
});
