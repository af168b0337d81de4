import { EntitySchema } from "@mikro-orm/core";
import { bigint } from "./columns.js";

/**
 * An integrator's webhook (issue 8 §3): the organisation that owns it, the URL deliveries go to, the
 * event types it wants and the HMAC secret deliveries are signed with (shown to the owner once, kept
 * here because signing needs it). The gateway's own data: `reindex` keeps it. Events of blocks before
 * `fromBlock` (the index's next block when it was created) are never delivered to it, so a reindex
 * does not replay history into a new subscription.
 */
export interface WebhookSubscriptionRow {
  id: number;
  /** Lower-case chain address of the organisation. */
  organisation: string;
  url: string;
  /** webhooks/webhookEvents.ts WebhookEventType values. */
  events: string[];
  secret: string;
  active: boolean;
  description: string | null;
  fromBlock: number;
  /** Unix milliseconds. */
  createdAt: number;
  createdBy: number;
}

export const WebhookSubscription = new EntitySchema<WebhookSubscriptionRow>({
  name: "WebhookSubscription",
  tableName: "webhook_subscriptions",
  properties: {
    id: { type: "integer", primary: true, autoincrement: true },
    organisation: { type: "string", length: 42, index: true },
    url: { type: "string", length: 2000 },
    events: { type: "json" },
    secret: { type: "string", length: 80 },
    active: { type: "boolean" },
    description: { type: "string", length: 200, nullable: true },
    fromBlock: bigint(),
    createdAt: bigint(),
    createdBy: { type: "integer" },
  },
});
