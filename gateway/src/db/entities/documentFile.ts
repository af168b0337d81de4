import { EntitySchema } from "@mikro-orm/core";
import { bigint } from "./columns.js";

/**
 * The file of a document whose hash is anchored on chain (issue 8 §4), e.g. an invoice's PDF whose
 * SHA-256 is `InvoiceIssued.documentHash`. Keyed by what it documents (`kind`, `subject`), not by its
 * hash, so that a file changed in storage is found and refused at download rather than silently
 * missing. The gateway's own data: `reindex` keeps it.
 */
export interface DocumentFileRow {
  /** `invoice`, … (the kinds of db/entities/document.ts). */
  kind: string;
  /** The invoice id (decimal), account id, … */
  subject: string;
  accountId: number | null;
  mediaType: string;
  /** SHA-256 of `content` when stored, 0x-hex. */
  sha256: string;
  content: Buffer;
  /** Unix milliseconds. */
  createdAt: number;
}

export const DocumentFile = new EntitySchema<DocumentFileRow>({
  name: "DocumentFile",
  tableName: "document_files",
  properties: {
    kind: { type: "string", length: 24, primary: true },
    subject: { type: "string", length: 80, primary: true },
    accountId: bigint({ nullable: true, index: true }),
    mediaType: { type: "string", length: 64 },
    sha256: { type: "string", length: 66, index: true },
    content: { type: "blob", columnType: "mediumblob" },
    createdAt: bigint(),
  },
});
