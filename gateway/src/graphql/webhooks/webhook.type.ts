import { Field, InputType, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "An organisation's webhook: where its events are POSTed, signed" })
export class WebhookSubscriptionNode {
  @Field(() => Int)
  id!: number;

  @Field(() => String, { description: "The owning organisation's chain address" })
  organisation!: string;

  @Field(() => String)
  url!: string;

  @Field(() => [String], {
    description: "reading.accepted, invoice.issued, invoice.confirmed, payment.recorded, meter.tamper",
  })
  events!: string[];

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { description: "Events of this block and later are delivered (decimal)" })
  fromBlock!: string;

  @Field(() => String, { description: "ISO 8601" })
  createdAt!: string;
}

@ObjectType({ description: "A new subscription with its signing secret, shown this once" })
export class CreatedWebhookSubscription {
  @Field(() => WebhookSubscriptionNode)
  subscription!: WebhookSubscriptionNode;

  @Field(() => String, { description: "HMAC-SHA256 key of the GridLedger-Signature header; not shown again" })
  secret!: string;
}

@ObjectType({ description: "One event for one subscription, from the outbox, with its delivery state" })
export class WebhookDeliveryNode {
  @Field(() => String, { description: "The GridLedger-Delivery header: <subscription>-<block>-<log index>" })
  id!: string;

  @Field(() => Int)
  subscriptionId!: number;

  @Field(() => String)
  event!: string;

  @Field(() => String, { description: "pending, delivered or dead" })
  status!: string;

  @Field(() => Int)
  attempts!: number;

  @Field(() => String, { nullable: true, description: "ISO 8601" })
  nextAttemptAt!: string | null;

  @Field(() => String, { nullable: true, description: "ISO 8601" })
  lastAttemptAt!: string | null;

  @Field(() => Int, { nullable: true })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => String, { description: "ISO 8601" })
  createdAt!: string;

  @Field(() => String, { nullable: true, description: "ISO 8601" })
  deliveredAt!: string | null;

  @Field(() => String, { description: "The JSON body, exactly as signed and sent" })
  body!: string;
}

@InputType()
export class WebhookSubscriptionInput {
  @Field(() => String, {
    description:
      "https:// (http:// only to localhost), at most 2000 characters; a public address unless the gateway allows private targets",
  })
  url!: string;

  @Field(() => [String])
  events!: string[];

  @Field(() => String, { nullable: true })
  description?: string | undefined;
}

@InputType()
export class WebhookSubscriptionChange {
  @Field(() => String, { nullable: true })
  url?: string | undefined;

  @Field(() => [String], { nullable: true })
  events?: string[] | undefined;

  @Field(() => Boolean, { nullable: true })
  active?: boolean | undefined;

  @Field(() => String, { nullable: true })
  description?: string | undefined;
}
