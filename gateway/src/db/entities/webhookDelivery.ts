import { EntitySchema } from "@mikro-orm/core";
import { bigint } from "./columns.js";

/**
 * The webhook outbox (issue 8 §3): one row per (subscription, chain event), written by the indexer in
 * the same transaction as the event's rows, so a crash can neither lose nor duplicate one. The id is
 * derived from the subscription and the event's log (`<subscription>-<block>-<log index>`): a reindex
 * writes the same ids again and they are ignored. `body` is the exact JSON that is signed and sent on
 * every attempt. The gateway's own data: `reindex` keeps it.
 */
export interface WebhookDeliveryRow {
  id: string;
  subscriptionId: number;
  /** Lower-case chain address of the subscription's organisation (for the status queries). */
  organisation: string;
  event: string;
  body: string;
  blockNumber: number;
  logIndex: number;
  /** `pending`, `delivered` or `dead`. */
  status: string;
  attempts: number;
  /** Unix milliseconds of the next attempt (a lease while an attempt is in flight); null when done. */
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

export const WebhookDelivery = new EntitySchema<WebhookDeliveryRow>({
  name: "WebhookDelivery",
  tableName: "webhook_deliveries",
  properties: {
    id: { type: "string", length: 64, primary: true },
    subscriptionId: { type: "integer" },
    organisation: { type: "string", length: 42 },
    event: { type: "string", length: 32 },
    body: { type: "text" },
    blockNumber: bigint(),
    logIndex: { type: "integer" },
    status: { type: "string", length: 16 },
    attempts: { type: "integer" },
    nextAttemptAt: bigint({ nullable: true }),
    lastAttemptAt: bigint({ nullable: true }),
    lastStatusCode: { type: "integer", nullable: true },
    lastError: { type: "string", length: 500, nullable: true },
    createdAt: bigint(),
    deliveredAt: bigint({ nullable: true }),
  },
  indexes: [
    { properties: ["status", "nextAttemptAt"] },
    { properties: ["subscriptionId", "blockNumber", "logIndex"] },
    { properties: ["organisation", "createdAt"] },
  ],
});
