import { Field, ObjectType } from "type-graphql";

@ObjectType({
  description:
    "The transaction that carried an action, signed by the caller's own key (organisation or consumer). " +
    "When `indexed` is true the next query already sees the change.",
})
export class ActionResult {
  @Field(() => String, { description: "Open it with `transaction(hash)`" })
  transactionHash!: string;

  @Field(() => String, { description: "decimal" })
  blockNumber!: string;

  @Field(() => String, {
    description: "The address that signed the transaction: the caller's organisation or the consumer",
  })
  sender!: string;

  @Field(() => Boolean, {
    description: "The indexer holds the block (false only if it lags more than 30 s; `_meta` shows the lag)",
  })
  indexed!: boolean;
}
