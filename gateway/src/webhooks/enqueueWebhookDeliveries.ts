import { decodeMeterRecords, type Hex } from "@gridledger/domain";
import type { EntityManager } from "@mikro-orm/core";
import {
  Account,
  Invoice,
  Meter,
  Organisation,
  Payment,
  WebhookSubscription,
  type WebhookSubscriptionRow,
} from "../db/entities/index.js";
import type { DecodedLog } from "../indexer/indexing/decodeLogs.js";
import { CHAIN_EVENT_TO_WEBHOOK, OrganisationKind, type WebhookEventType } from "./webhookEvents.js";

/** Who an event concerns, for matching it to the subscribing organisations. */
type EventScope = {
  gridCompanyId: number | null;
  retailCompanyId: number | null;
  paymentSourceId: number | null;
};

type PendingEvent = {
  log: DecodedLog;
  type: WebhookEventType;
  scope: EventScope;
  data: Record<string, unknown>;
};

/** knex's transaction, as MikroORM keeps it for the running `transactional` call. */
type Knex = (table: string) => {
  insert(rows: Record<string, unknown>[]): { onConflict(column: string): { ignore(): Promise<unknown> } };
};

const dec = (value: unknown) => (value === null || value === undefined ? null : String(value));
const lower = (value: unknown) => String(value).toLowerCase();

/**
 * Writes the webhook outbox rows for a range of logs, inside the indexer's transaction for that
 * range (after its rows are flushed, so the scope columns read here are the ones just written). One
 * delivery per matching subscription and event; its id `<subscription>-<block>-<log index>` makes a
 * second write of the same range (a reindex, a retried transaction) a no-op.
 *
 * @dev Matching follows the read scopes of the API: the operator gets everything, a grid company the
 * events of its meters and their accounts, a retail company those of its accounts, a payment source
 * the payments it recorded.
 */
export async function enqueueWebhookDeliveries(
  em: EntityManager,
  logs: readonly DecodedLog[],
  chainId: number,
  now: number = Date.now(),
): Promise<number> {
  const relevant = logs.filter((log) => CHAIN_EVENT_TO_WEBHOOK[log.eventName] !== undefined);
  if (relevant.length === 0) return 0;
  const subscriptions = (
    await em.find(WebhookSubscription, { active: true }, { disableIdentityMap: true })
  ).filter((subscription) =>
    relevant.some((log) => subscription.events.includes(CHAIN_EVENT_TO_WEBHOOK[log.eventName]!)),
  );
  if (subscriptions.length === 0) return 0;
  const organisations = new Map(
    (
      await em.find(
        Organisation,
        { address: { $in: [...new Set(subscriptions.map((subscription) => subscription.organisation))] } },
        { disableIdentityMap: true },
      )
    ).map((row) => [row.address, row]),
  );

  const events = await describeEvents(em, relevant);
  const rows: Record<string, unknown>[] = [];
  for (const event of events) {
    for (const subscription of subscriptions) {
      if (!subscription.events.includes(event.type) || event.log.blockNumber < subscription.fromBlock)
        continue;
      const organisation = organisations.get(subscription.organisation);
      if (!organisation || !concerns(organisation.kind, organisation.id, event.scope)) continue;
      rows.push(deliveryRow(subscription, event, chainId, now));
    }
  }
  if (rows.length === 0) return 0;
  const knex = em.getTransactionContext() as Knex | undefined;
  if (!knex) throw new Error("enqueueWebhookDeliveries() must run inside the indexer's transaction");
  for (let start = 0; start < rows.length; start += 500) {
    await knex("webhook_deliveries")
      .insert(rows.slice(start, start + 500))
      .onConflict("id")
      .ignore();
  }
  return rows.length;
}

function concerns(kind: number, organisationId: number, scope: EventScope): boolean {
  switch (kind) {
    case OrganisationKind.Operator:
      return true;
    case OrganisationKind.GridCompany:
      return scope.gridCompanyId === organisationId;
    case OrganisationKind.RetailCompany:
      return scope.retailCompanyId === organisationId;
    case OrganisationKind.PaymentSource:
      return scope.paymentSourceId === organisationId;
    default:
      return false;
  }
}

/** The outbox row: the body is fixed now, so every attempt signs and sends the same bytes. */
function deliveryRow(
  subscription: WebhookSubscriptionRow,
  event: PendingEvent,
  chainId: number,
  now: number,
): Record<string, unknown> {
  const id = `${subscription.id}-${event.log.blockNumber}-${event.log.logIndex}`;
  const body = JSON.stringify({
    id,
    event: event.type,
    eventId: `${event.log.blockNumber}-${event.log.logIndex}`,
    createdAt: new Date(now).toISOString(),
    chain: {
      chainId,
      blockNumber: event.log.blockNumber,
      blockHash: event.log.blockHash,
      blockTime: event.log.blockTime ?? null,
      txHash: event.log.txHash,
      logIndex: event.log.logIndex,
    },
    data: event.data,
  });
  return {
    id,
    subscription_id: subscription.id,
    organisation: subscription.organisation,
    event: event.type,
    body,
    block_number: event.log.blockNumber,
    log_index: event.log.logIndex,
    status: "pending",
    attempts: 0,
    next_attempt_at: now,
    last_attempt_at: null,
    last_status_code: null,
    last_error: null,
    created_at: now,
    delivered_at: null,
  };
}

/** Payload and scope of each event, from the rows the range just wrote (a few queries per range). */
async function describeEvents(em: EntityManager, logs: DecodedLog[]): Promise<PendingEvent[]> {
  const meterIds = new Set<number>();
  const invoiceIds = new Set<string>();
  const payments: { source: string; paymentNumber: number }[] = [];
  for (const log of logs) {
    if (log.eventName === "MeterReadingsRecorded" || log.eventName.startsWith("MeterTamper"))
      meterIds.add(Number(log.args.meterId));
    else if (log.eventName.startsWith("Invoice")) invoiceIds.add(String(log.args.invoiceId));
    else payments.push({ source: lower(log.args.source), paymentNumber: Number(log.args.paymentNumber) });
  }
  const meters = new Map(
    meterIds.size > 0
      ? (await em.find(Meter, { id: { $in: [...meterIds] } }, { disableIdentityMap: true })).map((row) => [
          row.id,
          row,
        ])
      : [],
  );
  const invoices = new Map(
    invoiceIds.size > 0
      ? (await em.find(Invoice, { id: { $in: [...invoiceIds] } }, { disableIdentityMap: true })).map(
          (row) => [row.id, row],
        )
      : [],
  );
  const paymentRows = new Map(
    payments.length > 0
      ? (await em.find(Payment, { $or: payments }, { disableIdentityMap: true })).map((row) => [
          `${row.source}:${row.paymentNumber}`,
          row,
        ])
      : [],
  );
  const accountIds = new Set<number>();
  for (const invoice of invoices.values()) accountIds.add(invoice.accountId);
  for (const payment of paymentRows.values()) accountIds.add(payment.accountId);
  const accounts = new Map(
    accountIds.size > 0
      ? (await em.find(Account, { id: { $in: [...accountIds] } }, { disableIdentityMap: true })).map(
          (row) => [row.id, row],
        )
      : [],
  );

  const events: PendingEvent[] = [];
  for (const log of logs) {
    const type = CHAIN_EVENT_TO_WEBHOOK[log.eventName]!;
    const args = log.args;
    if (log.eventName === "MeterReadingsRecorded" || log.eventName.startsWith("MeterTamper")) {
      const meter = meters.get(Number(args.meterId));
      const scope = {
        gridCompanyId: meter?.gridCompanyId ?? null,
        retailCompanyId: meter?.retailCompanyId ?? null,
        paymentSourceId: null,
      };
      if (log.eventName === "MeterReadingsRecorded") {
        // either record layout (fixed or compact) decodes to the accepted records
        const records = decodeMeterRecords(Number(args.registerMask), args.records as Hex);
        events.push({
          log,
          type,
          scope,
          data: {
            meterId: dec(args.meterId),
            accountId: dec(meter?.accountId),
            registerMask: Number(args.registerMask),
            source: Number(args.source),
            readings: records.length,
            firstIntervalEnd: records[0]?.intervalEnd ?? null,
            lastIntervalEnd: records.at(-1)?.intervalEnd ?? null,
          },
        });
      } else {
        const flagged = log.eventName === "MeterTamperFlagged";
        events.push({
          log,
          type,
          scope,
          data: {
            meterId: dec(args.meterId),
            accountId: dec(meter?.accountId),
            state: flagged ? "flagged" : "cleared",
            code: flagged ? Number(args.code) : null,
            documentHash: lower(flagged ? args.evidenceHash : args.inspectionHash),
          },
        });
      }
    } else if (log.eventName.startsWith("Invoice")) {
      const invoice = invoices.get(String(args.invoiceId));
      const account = invoice ? accounts.get(invoice.accountId) : undefined;
      const common = {
        invoiceId: String(args.invoiceId),
        accountId: dec(invoice?.accountId),
        accountNumber: account?.accountNumber ?? null,
        periodId: invoice?.periodId ?? null,
        total: dec(invoice?.total),
      };
      events.push({
        log,
        type,
        scope: {
          gridCompanyId: account?.gridCompanyId ?? null,
          retailCompanyId: invoice?.retailCompanyId ?? null,
          paymentSourceId: null,
        },
        data:
          log.eventName === "InvoiceIssued"
            ? { ...common, documentHash: lower(args.documentHash), dueDate: Number(args.dueDate) }
            : { ...common, consumer: lower(args.consumer) },
      });
    } else {
      const payment = paymentRows.get(`${lower(args.source)}:${Number(args.paymentNumber)}`);
      const account = payment ? accounts.get(payment.accountId) : undefined;
      events.push({
        log,
        type,
        scope: {
          gridCompanyId: account?.gridCompanyId ?? null,
          retailCompanyId: payment?.retailCompanyId ?? null,
          paymentSourceId: payment?.sourceId ?? null,
        },
        data: {
          kind: payment?.kind ?? (log.eventName === "PaymentRecorded" ? "payment" : "prepayment"),
          source: lower(args.source),
          paymentNumber: dec(args.paymentNumber),
          externalRef: lower(args.externalRef),
          invoiceId: payment?.invoiceId ?? null,
          accountId: dec(payment?.accountId),
          accountNumber: account?.accountNumber ?? null,
          method: payment?.method ?? null,
          amount: dec(payment?.amount),
          applied: dec(payment?.applied),
          credited: dec(payment?.credited),
        },
      });
    }
  }
  return events;
}
