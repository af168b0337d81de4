import { EntitySchema } from "@mikro-orm/core";
import { bigint, boolean, type ChainUpdate, integer, json, smallint, updateColumns } from "./columns.js";

/**
 * Tariffs `TariffPlanAdded` (+ `TariffPlanValidityChanged`, `TariffPlanDeleted`): a dated plan of a
 * group. Prices are 0.01 RUB/MWh; `rates` is one row per zone/tier of
 * `[energy, transmission, retailMarkup, infrastructure]`.
 */
export interface TariffPlanRow extends ChainUpdate {
  id: number;
  groupId: number;
  kind: number;
  zones: number;
  vatBp: number;
  vatIncluded: boolean;
  validFrom: number;
  /** Exclusive end, Unix seconds; 0 = open-ended. */
  validTo: number;
  /** Two bits per local hour: the zone of that hour. */
  zoneHours: number;
  threshold1: number;
  threshold2: number;
  exportPrice: number;
  rates: number[][];
  deleted: boolean;
}

export const TariffPlan = new EntitySchema<TariffPlanRow>({
  name: "TariffPlan",
  tableName: "tariff_plans",
  properties: {
    id: bigint({ primary: true, autoincrement: false }),
    groupId: bigint(),
    kind: smallint(),
    zones: smallint(),
    vatBp: integer(),
    vatIncluded: boolean(),
    validFrom: bigint(),
    validTo: bigint(),
    zoneHours: bigint(),
    threshold1: bigint(),
    threshold2: bigint(),
    exportPrice: bigint(),
    rates: json(),
    deleted: boolean(),
    ...updateColumns(),
  },
  indexes: [{ properties: ["groupId", "kind", "validFrom"] }],
});
