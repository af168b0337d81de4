import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "Where a row came from on the chain: open it with `transaction(hash)`" })
export class ChainRef {
  @Field(() => String, { description: "decimal" })
  blockNumber!: string;

  @Field(() => String)
  txHash!: string;

  @Field(() => Int)
  logIndex!: number;
}

export function chainRef(row: { blockNumber: number; txHash: string; logIndex: number }): ChainRef {
  return { blockNumber: String(row.blockNumber), txHash: row.txHash, logIndex: row.logIndex };
}
