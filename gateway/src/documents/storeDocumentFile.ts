import { createHash } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import { DocumentFile } from "../db/entities/index.js";

/** `0x` + SHA-256 of the bytes: the hash anchored on chain for a document file. */
export function sha256Hex(bytes: Uint8Array): string {
  return `0x${createHash("sha256").update(bytes).digest("hex")}`;
}

export type StoreDocumentFileParameters = {
  kind: "invoice" | "supplyContract";
  subject: string;
  accountId: number | null;
  content: Uint8Array;
  mediaType?: string | undefined;
};

/**
 * Keeps a document's file beside the index (the chain holds only its hash). Storing the same file
 * again is a no-op; a different file for the same document replaces it (the download checks it against
 * the chain anchor either way).
 */
export async function storeDocumentFile(
  em: EntityManager,
  parameters: StoreDocumentFileParameters,
): Promise<string> {
  const sha256 = sha256Hex(parameters.content);
  const row = {
    kind: parameters.kind,
    subject: parameters.subject,
    accountId: parameters.accountId,
    mediaType: parameters.mediaType ?? "application/pdf",
    sha256,
    content: Buffer.from(parameters.content),
    createdAt: Date.now(),
  };
  await em.upsert(DocumentFile, row);
  return sha256;
}
