import { Field, ObjectType } from "type-graphql";
import { ActionResult } from "../common/actionResult.type.js";

@ObjectType({ description: "How a recorded payment was applied" })
export class PaymentActionResult extends ActionResult {
  @Field(() => String, { description: "The payment source's address" })
  source!: string;

  @Field(() => String, { description: "decimal" })
  paymentNumber!: string;

  @Field(() => String, { description: "Kopecks received" })
  amount!: string;

  @Field(() => String, { description: "Kopecks applied to the invoice's debt" })
  applied!: string;

  @Field(() => String, { description: "Kopecks credited to the account's balance (overpayment)" })
  credited!: string;

  @Field(() => [String], {
    description: "Kopecks per component: energy, transmission, retail markup, infrastructure",
  })
  split!: string[];
}
