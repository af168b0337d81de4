import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ChainRef } from "../common/chainRef.type.js";
import { ComponentAmounts } from "../common/componentAmounts.type.js";
import { Connection } from "../common/connection.js";

export enum InvoiceStatus {
  COMPUTED = "computed",
  ISSUED = "issued",
  CONFIRMED = "confirmed",
  DISPUTED = "disputed",
  CANCELLED = "cancelled",
}
registerEnumType(InvoiceStatus, {
  name: "InvoiceStatus",
  description: "computed → issued → confirmed or disputed; cancelled by the retail company",
  valuesConfig: {
    COMPUTED: { description: "priced on chain, not yet issued to the consumer" },
    ISSUED: { description: "issued with its document hash and due date" },
    CONFIRMED: { description: "confirmed by the consumer (F-CHAIN-04)" },
    DISPUTED: { description: "disputed by the consumer, with a reason document" },
    CANCELLED: { description: "cancelled by the retail company" },
  },
});

@ObjectType({ description: "Money per provider, kopecks (decimal)" })
export class MoneyComponents extends ComponentAmounts {}

@ObjectType({ description: "One priced line of an invoice: zone × range × component (billing rules §8)" })
export class InvoiceLineNode {
  @Field(() => Int, { description: "Emission order" })
  lineNo!: number;

  @Field(() => Int, {
    description:
      "0 energy, 1 hourly energy, 2 capacity, 3 network maintenance, 4 losses, 5 export (subtracted)",
  })
  kind!: number;

  @Field(() => String, {
    description: "ENERGY, HOURLY_ENERGY, CAPACITY, NETWORK_MAINTENANCE, LOSSES, EXPORT",
  })
  kindName!: string;

  @Field(() => Int, { description: "Tariff zone, 0-based (0 day / peak, 1 night / half-peak, …)" })
  zone!: number;

  @Field(() => Int, { description: "Consumption range (tier), 0-based" })
  range!: number;

  @Field(() => Int, { description: "0 energy, 1 transmission, 2 retail markup, 3 infrastructure" })
  component!: number;

  @Field(() => String, { description: "ENERGY, TRANSMISSION, RETAIL_MARKUP or INFRASTRUCTURE" })
  componentName!: string;

  @Field(() => String, { description: "Wh (or W for capacity), decimal" })
  quantity!: string;

  @Field(() => String, { description: "kopecks per MWh (or per MW), decimal" })
  rate!: string;

  @Field(() => String, { description: "kopecks, decimal" })
  amount!: string;
}

@ObjectType({ description: "A step in an invoice's life, from the chain" })
export class InvoiceEventNode {
  @Field(() => InvoiceStatus)
  status!: InvoiceStatus;

  @Field(() => Int, { description: "Block time, Unix seconds" })
  at!: number;

  @Field(() => String, { nullable: true, description: "Who confirmed or disputed (the consumer's address)" })
  by!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The invoice document (issued) or the reason document (disputed, cancelled) hash",
  })
  documentHash!: string | null;

  @Field(() => ChainRef)
  chain!: ChainRef;
}

@ObjectType({ description: "An invoice for one account and billing period (F-CHAIN-04, F-CONSUMER-07)" })
export class InvoiceNode {
  @Field(() => String, { description: "Chain id `accountId << 32 | periodId`, decimal" })
  id!: string;

  @Field(() => String, { description: "decimal" })
  accountId!: string;

  @Field(() => Int, {
    description:
      "The chain's period id: for a common-house share (ОДН) `billingPeriodId | 2^30`; use `billingPeriodId`",
  })
  periodId!: number;

  @Field(() => Int, { description: "The billing period the invoice is for (the 2^30 bit of ОДН removed)" })
  billingPeriodId!: number;

  @Field(() => Boolean, {
    description:
      "A common-house needs (ОДН) share of `billingPeriodId`: an invoice of its own, besides the energy invoice",
  })
  isCommonHouseShare!: boolean;

  @Field(() => String, { description: "decimal" })
  planId!: string;

  @Field(() => InvoiceStatus)
  status!: InvoiceStatus;

  @Field(() => String, {
    description: "Amount payable, kopecks, decimal (lines + VAT − the EXPORT line, not below 0)",
  })
  total!: string;

  @Field(() => MoneyComponents)
  components!: MoneyComponents;

  @Field(() => String, { description: "VAT added on top (legal entities), kopecks" })
  vat!: string;

  @Field(() => String, {
    description:
      "A prosumer's export worth more than the charge: the excess, carried to the account's credit, kopecks (the export itself is an EXPORT line)",
  })
  exportCredit!: string;

  @Field(() => [String], { description: "Volumes in Wh as priced (per zone / register), decimal" })
  volumesWh!: string[];

  @Field(() => String, { description: "Paid against it so far, kopecks" })
  paidTotal!: string;

  @Field(() => MoneyComponents, { description: "How the payments so far were split" })
  paid!: MoneyComponents;

  @Field(() => String, { description: "Still owed: total − paid, never below 0, kopecks" })
  debt!: string;

  @Field(() => String, { nullable: true, description: "Hash of the issued invoice document" })
  documentHash!: string | null;

  @Field(() => Int, { nullable: true, description: "Due date, Unix seconds" })
  dueDate!: number | null;

  @Field(() => String, { nullable: true, description: "The consumer who confirmed it" })
  confirmedBy!: string | null;

  @Field(() => String, { nullable: true, description: "Dispute or cancellation reason hash" })
  reasonHash!: string | null;

  @Field(() => Int, { description: "Block time it was computed, Unix seconds" })
  computedAt!: number;

  @Field(() => ChainRef, { description: "The InvoiceComputed event" })
  chain!: ChainRef;

  @Field(() => ChainRef, { description: "The event that last changed it (status or payment)" })
  lastChange!: ChainRef;

  /** Not a field: the organisation id, for the retail-company field resolver. */
  retailCompanyId!: number | null;
}

@ObjectType()
export class InvoiceConnection extends Connection(InvoiceNode) {}
