import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "The transaction that carried a batch" })
export class SubmitReadingsResult {
  @Field(() => String)
  transactionHash!: string;

  @Field(() => String, { description: "decimal" })
  blockNumber!: string;

  @Field(() => String, { description: "The device key that signed the batch" })
  signer!: string;

  @Field(() => Int, { description: "Readings stored by this transaction" })
  accepted!: number;

  @Field(() => Int, { description: "Readings the ledger already held (ignored replays)" })
  duplicates!: number;
}
