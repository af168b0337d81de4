import { EntitySchema } from "@mikro-orm/core";
import { bigint, bytes32, integer, text } from "./columns.js";

/**
 * The off-chain body of a document the chain anchors by hash (`documents.hash`): a company profile
 * (F-GRID-09, anchored as the organisation's `profileHash`) or a consumer's dispute reason (anchored
 * as `InvoiceDisputed.reasonHash`). Content-addressed: `hash` is keccak256 of the UTF-8 `body`, so a
 * body is checked against the chain by hashing it again. Not chain-derived: the gateway's own data,
 * kept by `reindex`.
 */
export interface DocumentBodyRow {
  hash: string;
  /** `companyProfile` or `disputeReason`. */
  kind: string;
  /** The organisation's address or the invoice id. */
  subject: string;
  /** The exact UTF-8 text that was hashed (canonical JSON for a profile, plain text for a reason). */
  body: string;
  /** The user who wrote it. */
  createdBy: number | null;
  /** Unix seconds. */
  createdAt: number;
}

export const DocumentBody = new EntitySchema<DocumentBodyRow>({
  name: "DocumentBody",
  tableName: "document_bodies",
  properties: {
    hash: bytes32({ primary: true }),
    kind: text(24),
    subject: text(80),
    body: { type: "text" },
    createdBy: integer({ nullable: true }),
    createdAt: bigint(),
  },
  indexes: [{ properties: ["kind", "subject"] }],
});
