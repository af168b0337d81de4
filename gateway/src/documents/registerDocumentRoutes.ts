import type { EntityManager } from "@mikro-orm/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  Account,
  type AccountRow,
  ChainEvent,
  Document,
  DocumentFile,
  Invoice,
  Meter,
  Organisation,
  OrganisationProfile,
} from "../db/entities/index.js";
import type { GatewayServices, Principal } from "../graphql/context.js";
import { accountCondition, accountScope } from "../graphql/scope.js";
import { GatewayError } from "../internal/errors.js";
import { renderSupplyContractPdf } from "./renderSupplyContractPdf.js";
import { sha256Hex } from "./storeDocumentFile.js";

const PROBLEM_BASE = "https://gridledger.dev/problems/";

/** Answers an RFC 9457 problem, the REST API's error shape (rest/problem.ts). */
function refuse(request: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string) {
  return reply
    .code(status)
    .type("application/problem+json")
    .send({
      type: `${PROBLEM_BASE}${code.toLowerCase().replaceAll("_", "-")}`,
      title:
        {
          401: "Unauthorized",
          403: "Forbidden",
          404: "Not Found",
          409: "Conflict",
          503: "Service Unavailable",
        }[status] ?? "Error",
      status,
      detail,
      instance: request.url,
      code,
      retryable: status === 503,
      requestId: String(request.id),
    });
}

/**
 * Document downloads (issue 8 §4, F-CONSUMER-04) for the people allowed to see the account, with the
 * portal's session bearer token:
 *
 * - `GET /documents/invoices/:invoiceId` — the invoice PDF. Its SHA-256 must equal the invoice's
 *   `documentHash` as anchored on chain by `InvoiceIssued`; a file that does not match is refused
 *   with 409 DOCUMENT_HASH_MISMATCH and never sent.
 * - `GET /documents/contracts/:accountId` — the supply contract: the stored file (or, without one,
 *   the contract rendered from the indexed account, deterministic bytes), sent only when its SHA-256
 *   equals the latest `Registry.AccountDocumentAnchored` hash of kind 1; none anchored → 404
 *   DOCUMENT_NOT_ANCHORED, a different hash → 409 DOCUMENT_HASH_MISMATCH.
 *
 * Scoping is the API's (graphql/scope.ts): operator all, grid company its accounts, retail company
 * its own, consumer their own; other roles are refused.
 */
export function registerDocumentRoutes(app: FastifyInstance, services: GatewayServices): void {
  const authorise = async (request: FastifyRequest, reply: FastifyReply, accountId: number) => {
    const token = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(request.headers.authorization ?? "")?.[1];
    const principal: Principal | undefined =
      token && services.sessions ? (await services.sessions.resume(token))?.principal : undefined;
    if (!principal) {
      await refuse(
        request,
        reply,
        401,
        "UNAUTHENTICATED",
        "Log in first: Authorization: Bearer <session token>",
      );
      return undefined;
    }
    const database = services.database;
    if (!database) {
      await refuse(request, reply, 503, "INDEX_UNAVAILABLE", "The index is not available on this gateway");
      return undefined;
    }
    const em = database.em();
    try {
      const scope = await accountScope(principal, em);
      const account = await em.findOne(Account, { id: accountId, ...accountCondition(scope) } as never);
      if (!account) {
        await refuse(request, reply, 403, "FORBIDDEN", "This account is not yours to see");
        return undefined;
      }
      return { em, account: account as AccountRow };
    } catch (error) {
      if (error instanceof GatewayError && error.code === "FORBIDDEN") {
        await refuse(request, reply, 403, "FORBIDDEN", error.shortMessage);
        return undefined;
      }
      throw error;
    }
  };

  app.get<{ Params: { invoiceId: string } }>("/documents/invoices/:invoiceId", async (request, reply) => {
    const invoiceId = request.params.invoiceId.replace(/\.pdf$/, "");
    if (!/^[1-9][0-9]{0,77}$/.test(invoiceId))
      return refuse(request, reply, 400, "BAD_USER_INPUT", "The invoice id is a decimal number");
    const accountId = BigInt(invoiceId) >> 32n;
    if (accountId > BigInt(Number.MAX_SAFE_INTEGER))
      return refuse(request, reply, 404, "NOT_FOUND", `No invoice ${invoiceId}`);
    const allowed = await authorise(request, reply, Number(accountId));
    if (!allowed) return reply;
    const { em } = allowed;
    const invoice = await em.findOne(Invoice, { id: invoiceId });
    if (!invoice) return refuse(request, reply, 404, "NOT_FOUND", `No invoice ${invoiceId}`);
    if (!invoice.documentHash)
      return refuse(request, reply, 404, "DOCUMENT_NOT_ISSUED", `Invoice ${invoiceId} has not been issued`);
    const file = await em.findOne(DocumentFile, { kind: "invoice", subject: invoiceId });
    if (!file)
      return refuse(
        request,
        reply,
        404,
        "DOCUMENT_FILE_MISSING",
        `The gateway holds no file for invoice ${invoiceId}`,
      );
    const actual = sha256Hex(file.content);
    if (actual !== invoice.documentHash) {
      request.log.error(
        { invoiceId, anchored: invoice.documentHash, actual },
        "document file does not match its anchor",
      );
      return refuse(
        request,
        reply,
        409,
        "DOCUMENT_HASH_MISMATCH",
        `The stored file's SHA-256 ${actual} differs from the hash anchored on chain ${invoice.documentHash}; it is not sent`,
      );
    }
    const anchor = await em.findOne(Document, {
      kind: "invoice",
      subject: invoiceId,
      hash: invoice.documentHash,
    });
    return reply
      .header("content-type", file.mediaType)
      .header("content-disposition", `attachment; filename="invoice-${invoiceId}.pdf"`)
      .header("x-document-sha256", actual)
      .header("x-document-anchor", anchor ? `${anchor.txHash}:${anchor.logIndex}` : "index")
      .send(file.content);
  });

  app.get<{ Params: { accountId: string } }>("/documents/contracts/:accountId", async (request, reply) => {
    const id = request.params.accountId.replace(/\.pdf$/, "");
    if (!/^[1-9][0-9]{0,15}$/.test(id) || Number(id) > Number.MAX_SAFE_INTEGER)
      return refuse(request, reply, 400, "BAD_USER_INPUT", "The account id is a decimal number");
    const allowed = await authorise(request, reply, Number(id));
    if (!allowed) return reply;
    const { em, account } = allowed;
    const subject = String(account.id);
    // the latest anchor of the account's supply contract supersedes earlier ones (a re-signed contract)
    const [anchor] = await em.find(
      Document,
      { kind: "supplyContract", subject },
      { orderBy: { blockNumber: "desc", logIndex: "desc" }, limit: 1 },
    );
    if (!anchor)
      return refuse(
        request,
        reply,
        404,
        "DOCUMENT_NOT_ANCHORED",
        `No supply contract of account ${subject} is anchored on chain`,
      );
    // the file the retail company anchored; without one, the contract as rendered from the index
    const file = await em.findOne(DocumentFile, { kind: "supplyContract", subject });
    const content = file ? file.content : await renderSupplyContractFromIndex(em, account);
    const actual = sha256Hex(content);
    if (actual !== anchor.hash) {
      request.log.error(
        { accountId: subject, anchored: anchor.hash, actual, stored: Boolean(file) },
        "supply contract does not match its anchor",
      );
      return refuse(
        request,
        reply,
        409,
        "DOCUMENT_HASH_MISMATCH",
        `The supply contract's SHA-256 ${actual} differs from the hash anchored on chain ${anchor.hash}; it is not sent`,
      );
    }
    return reply
      .header("content-type", file?.mediaType ?? "application/pdf")
      .header("content-disposition", `attachment; filename="contract-${account.accountNumber}.pdf"`)
      .header("x-document-sha256", actual)
      .header("x-document-anchor", `${anchor.txHash}:${anchor.logIndex}`)
      .send(content);
  });
}

/** The supply contract rendered from the account as indexed (deterministic bytes). */
async function renderSupplyContractFromIndex(em: EntityManager, account: AccountRow): Promise<Buffer> {
  const [opened, retail, profile, meter] = await Promise.all([
    em.findOne(ChainEvent, { blockNumber: account.blockNumber, logIndex: account.logIndex }),
    em.findOne(Organisation, { address: account.retailCompany }),
    em.findOne(OrganisationProfile, { address: account.retailCompany }),
    em.findOne(Meter, { id: account.meterId }),
  ]);
  return renderSupplyContractPdf({
    number: `ДЭС-${account.accountNumber}`,
    concludedAt: new Date((opened?.blockTime ?? 0) * 1000).toISOString(),
    supplier: profile?.name ?? account.retailCompany,
    supplierInn: profile?.inn ?? retail?.profileIdText ?? null,
    consumerAddress: account.consumer,
    account: account.accountNumber,
    installationAddress: account.addressRef,
    site: account.siteId,
    meterSerial: meter ? `${meter.model} № ${meter.serial}` : String(account.meterId),
    chainRef: `блок ${account.blockNumber}, транзакция ${account.txHash}, событие ${account.logIndex}`,
  });
}
