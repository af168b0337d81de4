import type { Logger } from "pino";
import { WebhookDelivery, type WebhookDeliveryRow, WebhookSubscription } from "../db/entities/index.js";
import type { Database } from "../db/openDatabase.js";
import { DEFAULT_RETRY_JITTER, DEFAULT_RETRY_SCHEDULE_MS, retryDelay } from "./retrySchedule.js";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhookBody } from "./signWebhook.js";

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
  fetch?: typeof fetch | undefined;
  logger?: Logger | undefined;
};

export type WebhookDispatcher = {
  /** Sends every delivery due now, once; resolves with the number attempted. */
  runOnce(): Promise<number>;
  /** Runs passes until {@link stop}. */
  start(): void;
  stop(): Promise<void>;
};

/**
 * Sends the webhook outbox. A pass claims each due delivery by moving its next attempt past the
 * timeout (a lease, so a second dispatcher or a restart does not send it twice at once), POSTs the
 * stored body signed for this attempt, and records the outcome: 2xx → `delivered`; anything else, a
 * timeout or a network error → the next delay of the schedule, or `dead` once it is spent.
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
  const send = parameters.fetch ?? fetch;
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
    try {
      const response = await send(subscription.url, {
        method: "POST",
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
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (cause) {
      const name = (cause as Error).name;
      error =
        name === "TimeoutError" || name === "AbortError"
          ? `no answer within ${timeoutMs} ms`
          : String((cause as Error).message ?? cause);
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
    const delay = retryDelay(schedule, attempts, jitter);
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
    return due.length;
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
