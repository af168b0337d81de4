import { Field, Int, ObjectType } from "type-graphql";
import { ChainRef } from "../common/chainRef.type.js";
import { ComponentAmounts } from "../common/componentAmounts.type.js";
import { Connection } from "../common/connection.js";

@ObjectType({ description: "How a payment was split among the providers, kopecks (decimal)" })
export class PaymentSplitNode extends ComponentAmounts {}

@ObjectType({ description: "A payment recorded on the ledger by a payment source" })
export class PaymentNode {
  @Field(() => String, { description: "The payment source's chain address" })
  source!: string;

  @Field(() => String, { description: "The source's own payment number, decimal" })
  paymentNumber!: string;

  @Field(() => String, { description: "payment or prepayment" })
  kind!: string;

  @Field(() => String, { nullable: true })
  invoiceId!: string | null;

  @Field(() => String, { description: "decimal" })
  accountId!: string;

  @Field(() => Int, { nullable: true, description: "0 bank transfer, 1 card, 2 cash desk, 3 direct debit" })
  method!: number | null;

  @Field(() => String, { description: "kopecks, decimal" })
  amount!: string;

  @Field(() => String, { description: "Applied to the invoice, kopecks" })
  applied!: string;

  @Field(() => String, { description: "Carried to the account's credit, kopecks" })
  credited!: string;

  @Field(() => PaymentSplitNode)
  split!: PaymentSplitNode;

  @Field(() => Int, { description: "Block time, Unix seconds" })
  paidAt!: number;

  @Field(() => ChainRef)
  chain!: ChainRef;
}

@ObjectType()
export class PaymentConnection extends Connection(PaymentNode) {}

@ObjectType({ description: "Payments in one chart bucket" })
export class PaymentPoint {
  @Field(() => Int, { description: "Bucket start, Unix seconds UTC (Moscow day or month)" })
  bucketStart!: number;

  @Field(() => String, { description: "kopecks, decimal" })
  amount!: string;

  @Field(() => Int)
  payments!: number;
}

@ObjectType({ description: "One account's payments in a report month (F-GRID-07, F-RETAIL-02)" })
export class PaymentReportRow {
  @Field(() => String, { description: "decimal" })
  accountId!: string;

  @Field(() => String, { description: "Paid in the month, kopecks, decimal" })
  amount!: string;

  @Field(() => String, { description: "Applied to invoices, kopecks" })
  applied!: string;

  @Field(() => String, { description: "Carried to the account's credit, kopecks" })
  credited!: string;

  @Field(() => PaymentSplitNode, { description: "The month's payments split among the providers" })
  split!: PaymentSplitNode;

  @Field(() => Int, { description: "Payments in the month" })
  payments!: number;

  @Field(() => Int, { description: "Unix seconds" })
  lastPaidAt!: number;

  @Field(() => [PaymentNode], {
    description: "The month's payments of the account, each with its chain reference (oldest first)",
  })
  items!: PaymentNode[];
}

@ObjectType({ description: "Accounts paid in a Moscow-time month, with the month's totals" })
export class PaymentReport extends Connection(PaymentReportRow) {
  @Field(() => Int)
  year!: number;

  @Field(() => Int, { description: "1-12" })
  month!: number;

  @Field(() => Int, { description: "Month start, 00:00 Moscow, Unix seconds" })
  from!: number;

  @Field(() => Int, { description: "Next month's start, Unix seconds (exclusive)" })
  to!: number;

  @Field(() => String, { description: "All payments of the month in the report's scope, kopecks" })
  totalAmount!: string;

  @Field(() => Int, { description: "Number of those payments" })
  paymentCount!: number;
}
