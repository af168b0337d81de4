import { Field, Int, ObjectType } from "type-graphql";
import { ChainRef } from "../common/chainRef.type.js";
import { Connection } from "../common/connection.js";

@ObjectType({ description: "How a payment was split among the providers, kopecks (decimal)" })
export class PaymentSplitNode {
  @Field(() => String)
  energy!: string;

  @Field(() => String)
  transmission!: string;

  @Field(() => String)
  retailMarkup!: string;

  @Field(() => String)
  infrastructure!: string;
}

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
