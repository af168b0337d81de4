import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ActionResult } from "../common/actionResult.type.js";

/** IReadings.ReadingSource. */
export enum ReadingSource {
  DEVICE = 0,
  CONSUMER = 1,
  OPERATOR = 2,
}
registerEnumType(ReadingSource, {
  name: "ReadingSource",
  description:
    "Who produced a reading: the meter's device key, its consumer, or staff (grid company / operator)",
});

@ObjectType({ description: "Readings typed in and recorded on chain" })
export class ManualReadingsResult extends ActionResult {
  @Field(() => ReadingSource, { description: "As the contract recorded it" })
  source!: ReadingSource;

  @Field(() => Int, { description: "Readings stored by this transaction" })
  accepted!: number;

  @Field(() => Int, { description: "Readings the ledger already held with the same values" })
  duplicates!: number;
}
