import type { Logger } from "pino";
import { WebhookDelivery, type WebhookDeliveryRow, WebhookSubscription } from "../db/entities/index.js";
import type { Database } from "../db/openDatabase.js";
import { NonRetryableError } from "../internal/errors.js";
import type { ResolveHost } from "./guardedLookup.js";
import { postWebhook } from "./postWebhook.js";
import { DEFAULT_RETRY_JITTER, DEFAULT_RETRY_SCHEDULE_MS, retryDelay } from "./retrySchedule.js";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhookBody } from "./signWebhook.js";

/** Batches per prune: a backlog (a first start after an upgrade) is worked off over several passes. */
const PRUNE_BATCHES_PER_PASS = 20;

export type CreateWebhookDispatcherParameters = {
  db: Database;
  /** Milliseconds since the epoch; injected by tests. Default: `Date.now`. */
  now?: (() => number) | undefined;
  /** Delays between attempts. Default: {@link DEFAULT_RETRY_SCHEDULE_MS}. */
  schedule?: readonly number[] | undefined;
  jitter?: number | undefined;
  /** An attempt that has not answered after this long fails (and is retried). Default: 10 000. */
  timeoutMs?: number | undefined;
  /** Deliveries sent per pass, in parallel. Default: 16. */
  batchSize?: number | undefined;
  /** Milliseconds between passes when following. Default: 1000. */
  pollIntervalMs?: number | undefined;
  /**
   * Deliveries may go to private, loopback and other non-public addresses (development and tests).
   * Default false: such a delivery is refused before connecting and goes `dead` (`BLOCKED_ADDRESS`).
   */
  allowPrivateTargets?: boolean | undefined;
  /** Host name resolution; injected by tests. Default: `dns.lookup`. */
  resolve?: ResolveHost | undefined;
  /** Delivered rows older than this (by `deliveredAt`) are deleted. Default: 30 days. */
  retentionMs?: number | undefined;
  /** Rows deleted per statement when pruning. Default: 500. */
  pruneBatchSize?: number | undefined;
  /** Milliseconds between prunes (the first pass prunes). Default: 10 minutes. */
  pruneIntervalMs?: number | undefined;
  logger?: Logger | undefined;
};

export type WebhookDispatcher = {
  /**
   * Sends every delivery due now, once, and prunes delivered rows past the retention when a prune is
   * due; resolves with the number attempted.
   */
  runOnce(): Promise<number>;
  /** Deletes delivered rows past the retention now; resolves with the number deleted. */
  prune(): Promise<number>;
  /** Runs passes until {@link stop}. */
  start(): void;
  stop(): Promise<void>;
};

/**
 * Sends the webhook outbox. A pass claims each due delivery by moving its next attempt past the
 * timeout (a lease, so a second dispatcher or a restart does not send it twice at once), POSTs the
 * stored body signed for this attempt, and records the outcome: 2xx → `delivered`; anything else, a
 * timeout or a network error → the next delay of the schedule, or `dead` once it is spent. A target
 * address that is not public (unless `allowPrivateTargets`) is refused before connecting and the
 * delivery goes `dead` at once with `BLOCKED_ADDRESS: <address> is <range>` (retrying cannot help;
 * the owner fixes the URL and replays). Delivered rows are kept for `retentionMs`, then deleted in
 * batches; `pending` and `dead` rows are kept (a dead one is its owner's to inspect and replay).
 *
 * @dev Delivery is at least once: a crash after the receiver answered but before the outcome is
 * stored sends the same delivery (same id) again when the lease runs out. Receivers deduplicate by
 * the `GridLedger-Delivery` id.
 */
export function createWebhookDispatcher(parameters: CreateWebhookDispatcherParameters): WebhookDispatcher {
  const { db } = parameters;
  const now = parameters.now ?? Date.now;
  const schedule = parameters.schedule ?? DEFAULT_RETRY_SCHEDULE_MS;
  const jitter = parameters.jitter ?? DEFAULT_RETRY_JITTER;
  const timeoutMs = parameters.timeoutMs ?? 10_000;
  const batchSize = parameters.batchSize ?? 16;
  const allowPrivateTargets = parameters.allowPrivateTargets ?? false;
  const retentionMs = parameters.retentionMs ?? 30 * 86_400_000;
  const pruneBatchSize = parameters.pruneBatchSize ?? 500;
  const pruneIntervalMs = parameters.pruneIntervalMs ?? 600_000;
  let nextPruneAt = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;

  const attempt = async (delivery: WebhookDeliveryRow): Promise<void> => {
    const em = db.em();
    const lease = now() + timeoutMs + 5_000;
    const claimed = await em.nativeUpdate(
      WebhookDelivery,
      { id: delivery.id, status: "pending", nextAttemptAt: delivery.nextAttemptAt },
      { nextAttemptAt: lease },
    );
    if (claimed === 0) return;
    const subscription = await em.findOne(WebhookSubscription, { id: delivery.subscriptionId });
    const attempts = delivery.attempts + 1;
    if (!subscription?.active) {
      await em.nativeUpdate(
        WebhookDelivery,
        { id: delivery.id },
        { status: "dead", nextAttemptAt: null, lastError: "the subscription is disabled or deleted" },
      );
      return;
    }
    const startedAt = now();
    let statusCode: number | null = null;
    let error: string | null = null;
    let retryable = true;
    try {
      statusCode = await postWebhook({
        url: subscription.url,
        headers: {
          "content-type": "application/json",
          "user-agent": "GridLedger-Webhooks/1",
          [SIGNATURE_HEADER]: signWebhookBody(
            subscription.secret,
            delivery.body,
            Math.floor(startedAt / 1000),
          ),
          [DELIVERY_HEADER]: delivery.id,
          [EVENT_HEADER]: delivery.event,
        },
        body: delivery.body,
        timeoutMs,
        allowPrivateTargets,
        resolve: parameters.resolve,
      });
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (cause) {
      const name = (cause as Error).name;
      if (cause instanceof NonRetryableError) {
        retryable = false;
        error = `${cause.code}: ${cause.shortMessage}`;
      } else {
        error =
          name === "TimeoutError" || name === "AbortError"
            ? `no answer within ${timeoutMs} ms`
            : String((cause as Error).message ?? cause);
      }
    }
    if (error === null) {
      await em.nativeUpdate(
        WebhookDelivery,
        { id: delivery.id },
        {
          status: "delivered",
          attempts,
          nextAttemptAt: null,
          lastAttemptAt: startedAt,
          lastStatusCode: statusCode,
          lastError: null,
          deliveredAt: now(),
        },
      );
      return;
    }
    const delay = retryable ? retryDelay(schedule, attempts, jitter) : undefined;
    await em.nativeUpdate(
      WebhookDelivery,
      { id: delivery.id },
      {
        status: delay === undefined ? "dead" : "pending",
        attempts,
        nextAttemptAt: delay === undefined ? null : now() + delay,
        lastAttemptAt: startedAt,
        lastStatusCode: statusCode,
        lastError: error.slice(0, 500),
      },
    );
    parameters.logger?.warn(
      { delivery: delivery.id, attempts, error, dead: delay === undefined },
      "webhook delivery failed",
    );
  };

  const runOnce = async (): Promise<number> => {
    const due = await db
      .em()
      .find(
        WebhookDelivery,
        { status: "pending", nextAttemptAt: { $lte: now() } },
        { orderBy: { nextAttemptAt: "asc", id: "asc" }, limit: batchSize, disableIdentityMap: true },
      );
    await Promise.all(due.map((delivery) => attempt(delivery)));
    if (now() >= nextPruneAt) {
      nextPruneAt = now() + pruneIntervalMs;
      try {
        const deleted = await prune();
        // a full prune stopped at its cap: go on at the next pass
        if (deleted >= pruneBatchSize * PRUNE_BATCHES_PER_PASS) nextPruneAt = now();
        if (deleted > 0) parameters.logger?.info({ deleted }, "webhook deliveries past retention deleted");
      } catch (error) {
        parameters.logger?.error({ err: error }, "webhook delivery prune failed");
      }
    }
    return due.length;
  };

  const prune = async (): Promise<number> => {
    const cutoff = now() - retentionMs;
    let deleted = 0;
    // small batches, each its own statement, so no long lock on the outbox the indexer writes to
    for (let batch = 0; batch < PRUNE_BATCHES_PER_PASS; batch++) {
      const old = await db
        .em()
        .find(
          WebhookDelivery,
          { status: "delivered", deliveredAt: { $lt: cutoff } },
          { fields: ["id"], limit: pruneBatchSize, disableIdentityMap: true },
        );
      if (old.length === 0) break;
      // the status again: a row replayed since it was read is pending and stays
      deleted += await db.em().nativeDelete(WebhookDelivery, {
        id: { $in: old.map((row) => row.id) },
        status: "delivered",
        deliveredAt: { $lt: cutoff },
      });
      if (old.length < pruneBatchSize) break;
    }
    return deleted;
  };

  const loop = async () => {
    while (!stopping) {
      let attempted = 0;
      try {
        attempted = await runOnce();
      } catch (error) {
        parameters.logger?.error({ err: error }, "webhook dispatcher pass failed");
      }
      if (attempted > 0 || stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, parameters.pollIntervalMs ?? 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };

  return {
    runOnce,
    prune,
    start() {
      stopping = false;
      running ??= loop();
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
      running = undefined;
    },
  };
}
