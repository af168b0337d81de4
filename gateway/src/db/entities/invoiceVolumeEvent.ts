import { EntitySchema } from "@mikro-orm/core";
import { bigint, type ChainOrigin, integer, json, originColumns, text } from "./columns.js";

/**
 * How an invoice's volumes were obtained when not simply from its meter's two snapshots (BillingVolumes
 * events, emitted in the transaction of the invoice's `InvoiceComputed`): `substituted`
 * (`VolumesSubstituted`: readings missing, F-CHAIN-07), `recalculated` (`VolumesRecalculated`: readings
 * back, the substitutes billed meanwhile deducted), `acrossReplacement` (`VolumesAcrossReplacement`:
 * a meter replaced in the period, both meters billed) and `commonHouse` (CommonHouseBilling
 * `CommonHouseShare`: the premises' share of the building's common-house needs, its own invoice). A period closed again after a cancellation adds
 * new rows: the latest block's rows describe the current invoice.
 */
export interface InvoiceVolumeEventRow extends ChainOrigin {
  /** `accountId << 32 | periodId`, decimal (as `invoices.id`). */
  invoiceId: string;
  accountId: number;
  periodId: number;
  kind: string;
  /**
   * `substituted` only: `householdAverage`, `householdNorm`, `householdIncreasedNorm`,
   * `householdTampering`, `legalEntityAnalogousPeriod`, `legalEntityNearestPeriod`, `legalEntityMaxPower`.
   */
  method: string | null;
  /** `substituted`: the substitute volume (all registers); `commonHouse`: the share (may be ≤ 0), Wh. */
  volumeWh: number | null;
  /** `substituted`: periods substituted in a row including this one. */
  consecutivePeriods: number | null;
  /**
   * The event's other fields: `substituted` {inputs, registersWh}; `recalculated` {meteredWh,
   * deductedWh}; `acrossReplacement` {oldMeterId, newMeterId, oldMeterWh, newMeterWh}; `commonHouse`
   * {buildingId, areaDm2, billed}.
   */
  details: Record<string, unknown>;
  blockTime: number;
}

export const InvoiceVolumeEvent = new EntitySchema<InvoiceVolumeEventRow>({
  name: "InvoiceVolumeEvent",
  tableName: "invoice_volume_events",
  properties: {
    ...originColumns(true),
    invoiceId: text(80),
    accountId: bigint(),
    periodId: integer(),
    kind: text(24),
    method: text(40, { nullable: true }),
    volumeWh: bigint({ nullable: true }),
    consecutivePeriods: integer({ nullable: true }),
    details: json(),
    blockTime: bigint(),
  },
  indexes: [{ properties: ["invoiceId"] }, { properties: ["accountId", "periodId"] }],
});
