import { EntitySchema } from "@mikro-orm/core";
import { bigint, type ChainOrigin, integer, originColumns } from "./columns.js";

/** Readings `MeterSnapshotTaken`: registers captured at the end of a billing period. */
export interface MeterSnapshotRow extends ChainOrigin {
  meterId: number;
  periodId: number;
  lastIntervalEnd: number;
}

export const MeterSnapshot = new EntitySchema<MeterSnapshotRow>({
  name: "MeterSnapshot",
  tableName: "meter_snapshots",
  properties: {
    meterId: bigint({ primary: true, autoincrement: false }),
    periodId: integer({ primary: true, autoincrement: false }),
    lastIntervalEnd: integer(),
    ...originColumns(),
  },
});
