import type { Hex } from "viem";
import { DocumentBody } from "../../../db/entities/index.js";
import type { GatewayContext } from "../../context.js";
import { hashText } from "./parseInputs.js";

/**
 * Keeps the text whose hash an action anchors on chain (content-addressed: the same text is stored
 * once). Written before the transaction is sent, so an anchor on chain always has its body here; a
 * body whose transaction failed is harmless (nothing points at it).
 */
export async function storeDocumentBody(
  context: GatewayContext,
  kind: "companyProfile" | "disputeReason",
  subject: string,
  body: string,
): Promise<Hex> {
  const hash = hashText(body);
  const database = context.services.database;
  if (database) {
    const em = database.em();
    const existing = await em.findOne(DocumentBody, { hash });
    if (!existing) {
      await em.insert(DocumentBody, {
        hash,
        kind,
        subject,
        body,
        createdBy: context.principal?.userId ?? null,
        createdAt: Math.floor(Date.now() / 1000),
      });
    }
  }
  return hash;
}
