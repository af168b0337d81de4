import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "How fresh the gateway's answers are" })
export class Meta {
  @Field(() => Int)
  chainId!: number;

  @Field(() => String, { description: "Latest block of the chain, decimal" })
  chainHead!: string;

  @Field(() => String, {
    nullable: true,
    description: "Last block the index holds, decimal; null before the first",
  })
  indexedBlock!: string | null;

  @Field(() => String, { nullable: true, description: "chainHead − indexedBlock, in blocks" })
  lag!: string | null;

  @Field(() => String, { description: "normal, service or emergency" })
  mode!: string;
}

@ObjectType({ description: "The EIP-712 domain devices sign reading batches for" })
export class ReadingsDomain {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  version!: string;

  @Field(() => Int)
  chainId!: number;

  @Field(() => String)
  verifyingContract!: string;
}
