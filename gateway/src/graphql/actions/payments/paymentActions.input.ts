import { Matches, MaxLength } from "class-validator";
import { Field, InputType, registerEnumType } from "type-graphql";

/** IPayments.PaymentMethod (numeric values are the contract's). */
export enum PaymentMethod {
  BANK_TRANSFER = 0,
  CARD = 1,
  CASH_DESK = 2,
  /** Only through `payInvoice` (from the prepaid balance under the consumer's mandate). */
  DIRECT_DEBIT = 3,
}
registerEnumType(PaymentMethod, {
  name: "PaymentMethod",
  description: "How money reached the payment source",
});

const DECIMAL = /^\d{1,20}$/;

@InputType({ description: "A payment received by the calling payment source (bank) for an invoice" })
export class RecordPaymentInput {
  @Field(() => String, { description: "Invoice id, decimal" })
  @Matches(/^\d{1,78}$/, { message: "a decimal invoice id" })
  invoiceId!: string;

  @Field(() => String, {
    description: "Kopecks, decimal; above the debt the rest goes to the account's credit balance",
  })
  @Matches(DECIMAL, { message: "kopecks, a decimal integer" })
  amount!: string;

  @Field(() => PaymentMethod, { description: "BANK_TRANSFER, CARD or CASH_DESK" })
  method!: PaymentMethod;

  @Field(() => String, {
    description:
      "The source's own payment number, decimal, unique per source: recording the same number twice is refused (idempotency)",
  })
  @Matches(DECIMAL, { message: "a decimal integer" })
  paymentNumber!: string;

  @Field(() => String, {
    description: "The source's reference (payment order number), 1-32 bytes",
    defaultValue: "",
  })
  @MaxLength(64)
  externalRef!: string;
}

@InputType({
  description: "Money received in advance for an account: it goes to the account's credit balance",
})
export class RecordPrepaymentInput {
  @Field(() => String, { description: "Account id, decimal" })
  @Matches(DECIMAL, { message: "a decimal account id" })
  accountId!: string;

  @Field(() => String, { description: "Kopecks, decimal" })
  @Matches(DECIMAL, { message: "kopecks, a decimal integer" })
  amount!: string;

  @Field(() => String, { description: "The source's own payment number, unique per source" })
  @Matches(DECIMAL, { message: "a decimal integer" })
  paymentNumber!: string;

  @Field(() => String, { defaultValue: "" })
  @MaxLength(64)
  externalRef!: string;
}
