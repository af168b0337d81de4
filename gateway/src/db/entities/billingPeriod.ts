import { EntitySchema } from "@mikro-orm/core";
import { type ChainOrigin, integer, originColumns } from "./columns.js";

/** Readings `PeriodScheduled`: a billing period and its end (Unix seconds). */
export interface BillingPeriodRow extends ChainOrigin {
  id: number;
  periodEnd: number;
}

export const BillingPeriod = new EntitySchema<BillingPeriodRow>({
  name: "BillingPeriod",
  tableName: "billing_periods",
  properties: {
    id: integer({ primary: true, autoincrement: false }),
    periodEnd: integer({ index: true }),
    ...originColumns(),
  },
});
