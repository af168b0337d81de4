import { EntitySchema } from "@mikro-orm/core";
import { bigint, type ChainOrigin, integer, originColumns, smallint, text } from "./columns.js";

/**
 * Settlement `InvoiceLinesComputed`: every priced line of an invoice (one per zone × range ×
 * component, billing-rules §8), unpacked from one word each, in emission order (`lineNo`).
 */
export interface InvoiceLineRow extends ChainOrigin {
  lineNo: number;
  invoiceId: string;
  /** BillingTypes LineKind: 0 energy, 1 hourly energy, 2 capacity, 3 network maintenance, 4 losses, 5 export. */
  kind: number;
  zone: number;
  range: number;
  /** BillingTypes Component: 0 energy, 1 transmission, 2 retail markup, 3 infrastructure. */
  component: number;
  /** Wh or W. */
  quantity: number;
  /** kop/MWh. */
  rate: number;
  /** Kopecks. */
  amount: number;
}

export const InvoiceLine = new EntitySchema<InvoiceLineRow>({
  name: "InvoiceLine",
  tableName: "invoice_lines",
  properties: {
    ...originColumns(true),
    lineNo: integer({ primary: true, autoincrement: false }),
    invoiceId: text(80, { index: true }),
    kind: smallint(),
    zone: smallint(),
    range: smallint(),
    component: smallint(),
    quantity: bigint(),
    rate: bigint(),
    amount: bigint(),
  },
});
