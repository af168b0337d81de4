import { EntitySchema } from "@mikro-orm/core";
import { bigint, type ChainOrigin, originColumns, smallint, text } from "./columns.js";

/** Settlement `InvoiceLineComputed`: a priced line of an invoice, in emission order. */
export interface InvoiceLineRow extends ChainOrigin {
  invoiceId: string;
  /** IInvoices.LineKind: 0 energy, 1 VAT, 2 export credit. */
  kind: number;
  zone: number;
  tier: number;
  volumeWh: number;
  price: number;
  amount: number;
}

export const InvoiceLine = new EntitySchema<InvoiceLineRow>({
  name: "InvoiceLine",
  tableName: "invoice_lines",
  properties: {
    ...originColumns(true),
    invoiceId: text(80, { index: true }),
    kind: smallint(),
    zone: smallint(),
    tier: smallint(),
    volumeWh: bigint(),
    price: bigint(),
    amount: bigint(),
  },
});
