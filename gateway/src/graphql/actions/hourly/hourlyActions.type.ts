import { Field, Int, ObjectType } from "type-graphql";
import { ActionResult } from "../common/actionResult.type.js";

@ObjectType({ description: "Hourly prices published on chain for a plan and period" })
export class HourlyPricesActionResult extends ActionResult {
  @Field(() => String, { description: "keccak256 of the ABI-encoded price data, as HourlyBilling stores it" })
  pricesHash!: string;

  @Field(() => Int)
  hours!: number;
}

@ObjectType({
  description: "Hourly volumes of an account's period, rebuilt from the indexed half-hour readings",
})
export class HourlyVolumesActionResult extends ActionResult {
  @Field(() => String, { description: "keccak256 of the packed uint256 volumes (what attestation stores)" })
  volumesHash!: string;

  @Field(() => Int)
  hours!: number;

  @Field(() => String, { description: "Sum of the hourly volumes, Wh (decimal)" })
  totalWh!: string;
}

@ObjectType({ description: "A ПЦК 3/4 invoice computed on chain by HourlyBilling" })
export class HourlyInvoiceActionResult extends HourlyVolumesActionResult {
  @Field(() => String, { description: "decimal (`accountId << 32 | periodId`)" })
  invoiceId!: string;

  @Field(() => String, { description: "Invoice total in kopecks (decimal)" })
  total!: string;

  @Field(() => Boolean, { description: "Whether the grid company had attested the billed volumes" })
  attested!: boolean;
}
