import type { EntityManager } from "@mikro-orm/core";
import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { ChainEvent, Document, Invoice, type InvoiceRow } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { AccountNode } from "../accounts/account.type.js";
import { toAccountNode } from "../accounts/toAccountNode.js";
import { accountsMatching, intersectIn } from "../common/accountsMatching.js";
import { chainRef } from "../common/chainRef.type.js";
import { toConnection } from "../common/connection.js";
import { isoToSeconds, parseDecimalId } from "../common/ids.js";
import { loadersOf } from "../common/loaders.js";
import { PageArgs, resolvePage } from "../common/pagination.js";
import { retailScopedCondition } from "../common/scopeOrganisations.js";
import { orderByOf, SortDirection } from "../common/sort.js";
import type { GatewayContext } from "../context.js";
import { PaymentNode } from "../payments/payment.type.js";
import { toPaymentNode } from "../payments/toPaymentNode.js";
import { accountScope, requireDatabase, requirePrincipal } from "../scope.js";
import {
  InvoiceConnection,
  InvoiceEventNode,
  InvoiceLineNode,
  InvoiceNode,
  InvoiceStatus,
} from "./invoice.type.js";
import { InvoiceFilter, InvoiceSort, InvoiceSortField } from "./invoices.input.js";
import { InvoiceVolumeEventNode } from "./invoiceVolumeEvent.type.js";
import { toInvoiceLineNode, toInvoiceNode } from "./toInvoiceNode.js";
import { toInvoiceVolumeEventNode } from "./toInvoiceVolumeEventNode.js";

const SORT_COLUMNS: Record<InvoiceSortField, string> = {
  [InvoiceSortField.PERIOD]: "periodId",
  [InvoiceSortField.COMPUTED_AT]: "computedAt",
  [InvoiceSortField.TOTAL]: "total",
  [InvoiceSortField.STATUS]: "status",
  [InvoiceSortField.ACCOUNT]: "accountId",
  [InvoiceSortField.DUE_DATE]: "dueDate",
};

/** One invoice the caller may see: NOT_FOUND when there is none, FORBIDDEN when it is someone else's. */
export async function loadScopedInvoice(
  em: EntityManager,
  context: GatewayContext,
  id: string,
): Promise<InvoiceRow> {
  if (!/^\d{1,80}$/.test(id))
    throw new NonRetryableError(`Invalid invoice id "${id.slice(0, 30)}"`, { code: "BAD_USER_INPUT" });
  const scope = await accountScope(requirePrincipal(context), em);
  const row = await em.findOne(Invoice, { id });
  if (!row) throw new NonRetryableError(`No invoice ${id}`, { code: "NOT_FOUND" });
  const visible = await em.count(Invoice, {
    $and: [{ id }, await retailScopedCondition(em, scope, undefined, "invoices")],
  });
  if (visible === 0) throw new NonRetryableError(`Invoice ${id} is not yours to see`, { code: "FORBIDDEN" });
  return row;
}

@Resolver(() => InvoiceNode)
export class InvoicesResolver {
  @Authorized()
  @Query(() => InvoiceConnection, {
    description:
      "Invoices the caller may see (F-CONSUMER-07; staff: their accounts'); default newest period first",
  })
  async invoices(
    @Arg("filter", () => InvoiceFilter, { nullable: true }) filter: InvoiceFilter | undefined,
    @Arg("sort", () => InvoiceSort, { nullable: true }) sort: InvoiceSort | undefined,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<InvoiceConnection> {
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const scope = await accountScope(principal, em);
    const scoped = await retailScopedCondition(em, scope, filter?.retailCompany, "invoices");
    const where: Record<string, unknown> = {};
    if (filter?.accountId) intersectIn(where, "accountId", [parseDecimalId(filter.accountId, "account")]);
    const accountIds = await accountsMatching(em, filter, "id");
    if (accountIds) intersectIn(where, "accountId", accountIds);
    if (filter?.periodId !== undefined) where.periodId = filter.periodId;
    if (filter?.status?.length) where.status = { $in: filter.status };
    const range: Record<string, number> = {};
    if (filter?.from) range.$gte = isoToSeconds(filter.from, "from");
    if (filter?.to) range.$lt = isoToSeconds(filter.to, "to");
    if (range.$gte !== undefined && range.$lt !== undefined && range.$gte >= range.$lt)
      throw new NonRetryableError("The date range is empty: from must be before to", {
        code: "BAD_USER_INPUT",
      });
    if (Object.keys(range).length > 0) where.computedAt = range;
    const window = resolvePage(pageArgs);
    // the scope may be an `$or` or hold a sub-query: the filters narrow it, never merge into it
    const [rows, total] = await em.findAndCount(
      Invoice,
      { $and: [scoped, where] },
      {
        orderBy: orderByOf(
          sort,
          SORT_COLUMNS,
          { field: InvoiceSortField.PERIOD, direction: SortDirection.DESC },
          { periodId: "desc", accountId: "asc" },
        ),
        limit: window.limit,
        offset: window.offset,
      },
    );
    return toConnection(rows.map(toInvoiceNode), total, window) as InvoiceConnection;
  }

  @Authorized()
  @Query(() => InvoiceNode, {
    description: "One invoice with its lines; FORBIDDEN outside the caller's scope",
  })
  async invoice(@Arg("id", () => String) id: string, @Ctx() context: GatewayContext): Promise<InvoiceNode> {
    return toInvoiceNode(await loadScopedInvoice(requireDatabase(context).em(), context, id));
  }

  @FieldResolver(() => [InvoiceLineNode], { description: "Priced lines in emission order (batched)" })
  async lines(@Root() invoice: InvoiceNode, @Ctx() context: GatewayContext): Promise<InvoiceLineNode[]> {
    return (await loadersOf(context).invoiceLines.load(invoice.id)).map(toInvoiceLineNode);
  }

  @FieldResolver(() => [PaymentNode], { description: "Payments applied to it, oldest first (batched)" })
  async payments(@Root() invoice: InvoiceNode, @Ctx() context: GatewayContext): Promise<PaymentNode[]> {
    return (await loadersOf(context).invoicePayments.load(invoice.id)).map(toPaymentNode);
  }

  @FieldResolver(() => AccountNode, { nullable: true, description: "The account billed (batched)" })
  async account(@Root() invoice: InvoiceNode, @Ctx() context: GatewayContext): Promise<AccountNode | null> {
    const row = await loadersOf(context).account.load(Number(invoice.accountId));
    return row ? toAccountNode(row) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The retail company's chain address" })
  async retailCompany(@Root() invoice: InvoiceNode, @Ctx() context: GatewayContext): Promise<string | null> {
    if (invoice.retailCompanyId === null) return null;
    return (await loadersOf(context).organisationById.load(invoice.retailCompanyId))?.address ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "End of the billing period (`billingPeriodId`), Unix seconds",
  })
  async periodEnd(@Root() invoice: InvoiceNode, @Ctx() context: GatewayContext): Promise<number | null> {
    return (await loadersOf(context).billingPeriod.load(invoice.billingPeriodId))?.periodEnd ?? null;
  }

  @FieldResolver(() => [InvoiceVolumeEventNode], {
    description:
      "How the invoice's volumes were obtained when not simply from its meter's two snapshots: substituted (with the method), recalculated, across a meter replacement, or the common-house (ОДН) share; empty for an invoice billed from readings (batched)",
  })
  async volumeSource(
    @Root() invoice: InvoiceNode,
    @Ctx() context: GatewayContext,
  ): Promise<InvoiceVolumeEventNode[]> {
    const rows = await loadersOf(context).invoiceVolumeEvents.load(invoice.id);
    // a period closed again after a cancellation adds rows: the events of the transaction that
    // computed this invoice describe it, older ones the cancelled invoice
    const current = rows.filter((row) => row.txHash.toLowerCase() === invoice.chain.txHash.toLowerCase());
    return current.map(toInvoiceVolumeEventNode);
  }

  @FieldResolver(() => [InvoiceEventNode], {
    description: "The invoice's history: computed, issued, confirmed, disputed, cancelled, oldest first",
  })
  async events(@Root() invoice: InvoiceNode, @Ctx() context: GatewayContext): Promise<InvoiceEventNode[]> {
    const em = requireDatabase(context).em();
    const events: InvoiceEventNode[] = [
      {
        status: InvoiceStatus.COMPUTED,
        at: invoice.computedAt,
        by: null,
        documentHash: null,
        chain: invoice.chain,
      },
    ];
    // issued, disputed and cancelled each anchor a document whose subject is the invoice
    const documents = await em.find(
      Document,
      { kind: { $in: ["invoice", "disputeReason", "cancellationReason"] }, subject: invoice.id },
      { orderBy: { blockNumber: "asc", logIndex: "asc" } },
    );
    const statusOfDocument: Record<string, InvoiceStatus> = {
      invoice: InvoiceStatus.ISSUED,
      disputeReason: InvoiceStatus.DISPUTED,
      cancellationReason: InvoiceStatus.CANCELLED,
    };
    const journal = await em.find(
      ChainEvent,
      {
        event: { $in: ["InvoiceConfirmed", "InvoiceDisputed"] },
        blockNumber: {
          $gte: Number(invoice.chain.blockNumber),
          $lte: Number(invoice.lastChange.blockNumber),
        },
      },
      { orderBy: { blockNumber: "asc", logIndex: "asc" }, limit: 10_000 },
    );
    const mine = journal.filter((event) => String(event.args.invoiceId) === invoice.id);
    for (const document of documents) {
      const status = statusOfDocument[document.kind]!;
      const journalRow = mine.find(
        (event) => event.blockNumber === document.blockNumber && event.txHash === document.txHash,
      );
      events.push({
        status,
        at: document.blockTime,
        by: status === InvoiceStatus.DISPUTED ? String(journalRow?.args.consumer ?? "") || null : null,
        documentHash: document.hash,
        chain: chainRef(document),
      });
    }
    for (const event of mine.filter((row) => row.event === "InvoiceConfirmed")) {
      events.push({
        status: InvoiceStatus.CONFIRMED,
        at: event.blockTime,
        by: String(event.args.consumer ?? "") || null,
        documentHash: null,
        chain: chainRef(event),
      });
    }
    return events.sort(
      (a, b) =>
        Number(a.chain.blockNumber) - Number(b.chain.blockNumber) || a.chain.logIndex - b.chain.logIndex,
    );
  }
}
