/**
 * The events integrators can subscribe to (issue 8 §3), and the chain events behind each. One chain
 * log gives at most one webhook event, so `<block>-<log index>` identifies the event everywhere.
 */
export const WebhookEventType = {
  ReadingAccepted: "reading.accepted",
  InvoiceIssued: "invoice.issued",
  InvoiceConfirmed: "invoice.confirmed",
  PaymentRecorded: "payment.recorded",
  MeterTamper: "meter.tamper",
} as const;
export type WebhookEventType = (typeof WebhookEventType)[keyof typeof WebhookEventType];
export const WEBHOOK_EVENT_TYPES = Object.values(WebhookEventType);

/** Chain event name → webhook event type. */
export const CHAIN_EVENT_TO_WEBHOOK: Readonly<Record<string, WebhookEventType>> = {
  MeterReadingsRecorded: WebhookEventType.ReadingAccepted,
  InvoiceIssued: WebhookEventType.InvoiceIssued,
  InvoiceConfirmed: WebhookEventType.InvoiceConfirmed,
  PaymentRecorded: WebhookEventType.PaymentRecorded,
  PrepaymentRecorded: WebhookEventType.PaymentRecorded,
  MeterTamperFlagged: WebhookEventType.MeterTamper,
  MeterTamperCleared: WebhookEventType.MeterTamper,
};

/** Registry.OrganisationKind values that decide what an organisation's subscriptions receive. */
export const OrganisationKind = { Operator: 1, GridCompany: 2, RetailCompany: 3, PaymentSource: 4 } as const;
