import { isIP } from "node:net";
import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import {
  IndexerCheckpoint,
  Organisation,
  WebhookDelivery,
  type WebhookDeliveryRow,
  WebhookSubscription,
  type WebhookSubscriptionRow,
} from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { blockedAddressReason } from "../../webhooks/blockedAddressReason.js";
import { createWebhookSecret } from "../../webhooks/signWebhook.js";
import { WEBHOOK_EVENT_TYPES } from "../../webhooks/webhookEvents.js";
import { type GatewayContext, Role } from "../context.js";
import { requireDatabase, requirePrincipal } from "../scope.js";
import {
  CreatedWebhookSubscription,
  WebhookDeliveryNode,
  WebhookSubscriptionChange,
  WebhookSubscriptionInput,
  WebhookSubscriptionNode,
} from "./webhook.type.js";

const STAFF = [Role.Operator, Role.GridCompany, Role.RetailCompany, Role.PaymentSource];
const MAX_SUBSCRIPTIONS = 20;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The organisation a staff user acts for; subscriptions and deliveries never cross it. */
function ownOrganisation(context: GatewayContext): string {
  const organisation = requirePrincipal(context).organisation?.toLowerCase();
  if (!organisation) throw new NonRetryableError("No organisation for this user", { code: "FORBIDDEN" });
  return organisation;
}

/**
 * A webhook URL: https:// (http:// only to localhost), no credentials, at most 2000 characters. Unless
 * private targets are allowed, a host that is a literal non-public IP (in any spelling the URL parser
 * understands: `0x7f.1`, `[::ffff:10.0.0.1]`) or a `localhost` name is refused with BLOCKED_ADDRESS
 * here; a host name is resolved and checked again at every delivery (webhooks/guardedLookup.ts).
 */
function validUrl(value: string, context: GatewayContext): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new NonRetryableError("The webhook URL is not a URL", { code: "BAD_USER_INPUT" });
  }
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (
    value.length > 2000 ||
    !(url.protocol === "https:" || (url.protocol === "http:" && local)) ||
    url.username
  ) {
    throw new NonRetryableError(
      "The webhook URL must be https:// (http:// only to localhost), without credentials",
      {
        code: "BAD_USER_INPUT",
        details: "at most 2000 characters",
      },
    );
  }
  if (!context.services.webhooks?.allowPrivateTargets) {
    const host = url.hostname
      .replace(/^\[(.*)\]$/, "$1")
      .replace(/\.$/, "")
      .toLowerCase();
    const reason =
      isIP(host) !== 0
        ? blockedAddressReason(host)
        : host === "localhost" || host.endsWith(".localhost")
          ? "a loopback name"
          : undefined;
    if (reason) {
      throw new NonRetryableError(`The webhook URL's host ${host} is ${reason}`, {
        code: "BLOCKED_ADDRESS",
        details: "webhooks are delivered only to public addresses (docs/security.md)",
      });
    }
  }
  return url.toString();
}

function validEvents(events: string[]): string[] {
  const unknown = events.filter((event) => !(WEBHOOK_EVENT_TYPES as string[]).includes(event));
  if (events.length === 0 || unknown.length > 0) {
    throw new NonRetryableError(
      `Unknown or no webhook events${unknown.length ? `: ${unknown.join(", ")}` : ""}`,
      {
        code: "BAD_USER_INPUT",
        details: `one or more of ${WEBHOOK_EVENT_TYPES.join(", ")}`,
      },
    );
  }
  return [...new Set(events)];
}

function validDescription(description: string | undefined | null): string | null {
  if (description === undefined || description === null) return null;
  if (description.length > 200)
    throw new NonRetryableError("The description is longer than 200 characters", { code: "BAD_USER_INPUT" });
  return description;
}

function toSubscriptionNode(row: WebhookSubscriptionRow): WebhookSubscriptionNode {
  return {
    id: row.id,
    organisation: row.organisation,
    url: row.url,
    events: row.events,
    active: row.active,
    description: row.description,
    fromBlock: String(row.fromBlock),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function toDeliveryNode(row: WebhookDeliveryRow): WebhookDeliveryNode {
  return {
    id: row.id,
    subscriptionId: row.subscriptionId,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastAttemptAt: iso(row.lastAttemptAt),
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: new Date(row.createdAt).toISOString(),
    deliveredAt: iso(row.deliveredAt),
    body: row.body,
  };
}

/**
 * Webhook subscriptions and their deliveries (issue 8 §3), for the organisation of the signed-in staff
 * user only: another organisation's subscription or delivery is answered as not found.
 */
@Resolver()
export class WebhooksResolver {
  @Authorized(...STAFF)
  @Query(() => [WebhookSubscriptionNode], { description: "Your organisation's webhook subscriptions" })
  async webhookSubscriptions(@Ctx() context: GatewayContext): Promise<WebhookSubscriptionNode[]> {
    const organisation = ownOrganisation(context);
    const rows = await requireDatabase(context)
      .em()
      .find(WebhookSubscription, { organisation }, { orderBy: { id: "asc" } });
    return rows.map(toSubscriptionNode);
  }

  @Authorized(...STAFF)
  @Query(() => [WebhookDeliveryNode], { description: "Your organisation's deliveries, newest first" })
  async webhookDeliveries(
    @Ctx() context: GatewayContext,
    @Arg("subscriptionId", () => Int, { nullable: true }) subscriptionId?: number,
    @Arg("status", () => String, { nullable: true, description: "pending, delivered or dead" })
    status?: string,
    @Arg("first", () => Int, { defaultValue: 50, description: "1 to 500" }) first = 50,
  ): Promise<WebhookDeliveryNode[]> {
    const organisation = ownOrganisation(context);
    if (status !== undefined && status !== null && !["pending", "delivered", "dead"].includes(status))
      throw new NonRetryableError("status is pending, delivered or dead", { code: "BAD_USER_INPUT" });
    if (!Number.isInteger(first) || first < 1 || first > 500)
      throw new NonRetryableError("first is 1 to 500", { code: "BAD_USER_INPUT" });
    const where: Record<string, unknown> = { organisation };
    if (subscriptionId !== undefined && subscriptionId !== null) where.subscriptionId = subscriptionId;
    if (status) where.status = status;
    const rows = await requireDatabase(context)
      .em()
      .find(WebhookDelivery, where, { orderBy: { createdAt: "desc", id: "desc" }, limit: first });
    return rows.map(toDeliveryNode);
  }

  @Authorized(...STAFF)
  @Mutation(() => CreatedWebhookSubscription, {
    description: "Subscribes a URL to events of your organisation's scope; the secret is shown only here",
  })
  async createWebhookSubscription(
    @Ctx() context: GatewayContext,
    @Arg("input", () => WebhookSubscriptionInput) input: WebhookSubscriptionInput,
  ): Promise<CreatedWebhookSubscription> {
    const organisation = ownOrganisation(context);
    const principal = requirePrincipal(context);
    const url = validUrl(input.url, context);
    const events = validEvents(input.events);
    const description = validDescription(input.description);
    const em = requireDatabase(context).em();
    if (!(await em.findOne(Organisation, { address: organisation }))) {
      throw new NonRetryableError("Your organisation is not registered on the ledger", { code: "FORBIDDEN" });
    }
    if ((await em.count(WebhookSubscription, { organisation })) >= MAX_SUBSCRIPTIONS) {
      throw new NonRetryableError(`At most ${MAX_SUBSCRIPTIONS} subscriptions per organisation`, {
        code: "LIMIT_EXCEEDED",
      });
    }
    const [checkpoint] = await em.find(IndexerCheckpoint, {}, { orderBy: { blockNumber: "desc" }, limit: 1 });
    const secret = createWebhookSecret();
    const row = em.create(WebhookSubscription, {
      organisation,
      url,
      events,
      secret,
      active: true,
      description,
      fromBlock: (checkpoint?.blockNumber ?? 0) + 1,
      createdAt: Date.now(),
      createdBy: principal.userId,
    });
    await em.flush();
    return { subscription: toSubscriptionNode(row), secret };
  }

  @Authorized(...STAFF)
  @Mutation(() => WebhookSubscriptionNode, { description: "Changes URL, events, description or pauses it" })
  async updateWebhookSubscription(
    @Ctx() context: GatewayContext,
    @Arg("id", () => Int) id: number,
    @Arg("change", () => WebhookSubscriptionChange) change: WebhookSubscriptionChange,
  ): Promise<WebhookSubscriptionNode> {
    const em = requireDatabase(context).em();
    const row = await ownSubscription(context, id);
    if (change.url !== undefined && change.url !== null) row.url = validUrl(change.url, context);
    if (change.events !== undefined && change.events !== null) row.events = validEvents(change.events);
    if (change.active !== undefined && change.active !== null) row.active = change.active;
    if (change.description !== undefined) row.description = validDescription(change.description);
    await em.nativeUpdate(
      WebhookSubscription,
      { id: row.id },
      {
        url: row.url,
        events: row.events,
        active: row.active,
        description: row.description,
      },
    );
    return toSubscriptionNode(row);
  }

  @Authorized(...STAFF)
  @Mutation(() => String, { description: "Replaces the signing secret; the new one is shown only here" })
  async rotateWebhookSecret(
    @Ctx() context: GatewayContext,
    @Arg("id", () => Int) id: number,
  ): Promise<string> {
    const row = await ownSubscription(context, id);
    const secret = createWebhookSecret();
    await requireDatabase(context).em().nativeUpdate(WebhookSubscription, { id: row.id }, { secret });
    return secret;
  }

  @Authorized(...STAFF)
  @Mutation(() => Boolean, { description: "Deletes a subscription; its pending deliveries become dead" })
  async deleteWebhookSubscription(
    @Ctx() context: GatewayContext,
    @Arg("id", () => Int) id: number,
  ): Promise<boolean> {
    const row = await ownSubscription(context, id);
    await requireDatabase(context)
      .em()
      .transactional(async (em) => {
        await em.nativeDelete(WebhookSubscription, { id: row.id });
        await em.nativeUpdate(
          WebhookDelivery,
          { subscriptionId: row.id, status: "pending" },
          { status: "dead", nextAttemptAt: null, lastError: "the subscription was deleted" },
        );
      });
    return true;
  }

  @Authorized(...STAFF)
  @Mutation(() => WebhookDeliveryNode, {
    description:
      "Sends a delivery again (same id and body): a dead or delivered one goes back to pending now",
  })
  async replayWebhookDelivery(
    @Ctx() context: GatewayContext,
    @Arg("id", () => String) id: string,
  ): Promise<WebhookDeliveryNode> {
    const organisation = ownOrganisation(context);
    const em = requireDatabase(context).em();
    const row = await em.findOne(WebhookDelivery, { id, organisation });
    if (!row) throw new NonRetryableError(`No delivery ${id} of your organisation`, { code: "NOT_FOUND" });
    const subscription = await em.findOne(WebhookSubscription, { id: row.subscriptionId, organisation });
    if (!subscription) {
      throw new NonRetryableError("The delivery's subscription was deleted", { code: "NOT_FOUND" });
    }
    row.status = "pending";
    row.attempts = 0;
    row.nextAttemptAt = Date.now();
    row.lastError = null;
    await em.nativeUpdate(
      WebhookDelivery,
      { id: row.id },
      {
        status: row.status,
        attempts: 0,
        nextAttemptAt: row.nextAttemptAt,
        lastError: null,
      },
    );
    return toDeliveryNode(row);
  }
}

async function ownSubscription(context: GatewayContext, id: number): Promise<WebhookSubscriptionRow> {
  const organisation = ownOrganisation(context);
  const row = await requireDatabase(context).em().findOne(WebhookSubscription, { id, organisation });
  if (!row)
    throw new NonRetryableError(`No webhook subscription ${id} of your organisation`, { code: "NOT_FOUND" });
  return row;
}
