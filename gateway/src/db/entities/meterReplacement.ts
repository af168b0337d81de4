import { EntitySchema } from "@mikro-orm/core";
import { bigint, type ChainOrigin, json, originColumns } from "./columns.js";

/**
 * Registry `MeterReplaced`: an account's meter exchanged by the grid company, with the old meter's final
 * and the new meter's initial register values (T1-T4, export; Wh) at `replacedAt`. The period that
 * contains it is billed from both meters (see `invoice_volume_events`, kind `acrossReplacement`).
 */
export interface MeterReplacementRow extends ChainOrigin {
  accountId: number;
  oldMeterId: number;
  newMeterId: number;
  /** Unix seconds. */
  replacedAt: number;
  oldFinalWh: number[];
  newInitialWh: number[];
  blockTime: number;
}

export const MeterReplacement = new EntitySchema<MeterReplacementRow>({
  name: "MeterReplacement",
  tableName: "meter_replacements",
  properties: {
    ...originColumns(true),
    accountId: bigint(),
    oldMeterId: bigint(),
    newMeterId: bigint(),
    replacedAt: bigint(),
    oldFinalWh: json(),
    newInitialWh: json(),
    blockTime: bigint(),
  },
  indexes: [{ properties: ["accountId", "replacedAt"] }],
});
