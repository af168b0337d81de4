import { Field, Int, ObjectType } from "type-graphql";
import { ChainRef } from "../common/chainRef.type.js";

@ObjectType({
  description:
    "A meter exchanged by the grid company (Registry `MeterReplaced`): the period that contains it is billed from both meters",
})
export class MeterReplacementNode {
  @Field(() => String, { description: "The account whose meter was exchanged, decimal" })
  accountId!: string;

  @Field(() => String, { description: "The removed meter, decimal" })
  oldMeterId!: string;

  @Field(() => String, { description: "The installed meter, decimal" })
  newMeterId!: string;

  @Field(() => Int, { description: "When the meters were exchanged, Unix seconds" })
  replacedAt!: number;

  @Field(() => [String], {
    description: "The old meter's final registers: T1-T4 and export, Wh, decimal",
  })
  oldFinalWh!: string[];

  @Field(() => [String], {
    description: "The new meter's initial registers: T1-T4 and export, Wh, decimal",
  })
  newInitialWh!: string[];

  @Field(() => Int, { description: "Block time it was recorded, Unix seconds" })
  recordedAt!: number;

  @Field(() => ChainRef, { description: "The MeterReplaced event" })
  chain!: ChainRef;
}
