import { EntitySchema } from "@mikro-orm/core";
import { bigint, bytes32, type ChainOrigin, originColumns, text } from "./columns.js";

/**
 * A document anchored on chain by its hash (the file itself lives off chain): an issued invoice
 * (`InvoiceIssued.documentHash`), a dispute or cancellation reason, an organisation profile, tamper
 * evidence or an inspection report. `subject` is the invoice id, account id, meter id or address.
 */
export interface DocumentRow extends ChainOrigin {
  hash: string;
  /** `invoice`, `supplyContract` (`AccountDocumentAnchored`, subject the account id), `disputeReason`, `cancellationReason`, `organisationProfile`, `tamperEvidence`, `inspection`. */
  kind: string;
  subject: string;
  accountId: number | null;
  blockTime: number;
}

export const Document = new EntitySchema<DocumentRow>({
  name: "Document",
  tableName: "documents",
  properties: {
    ...originColumns(true),
    hash: bytes32({ index: true }),
    kind: text(24),
    subject: text(80),
    accountId: bigint({ nullable: true }),
    blockTime: bigint(),
  },
  indexes: [{ properties: ["accountId", "blockNumber"] }, { properties: ["kind", "subject"] }],
});
