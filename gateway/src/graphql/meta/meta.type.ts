import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "One dependency the mode watches, as its last probe found it" })
export class DependencyNode {
  @Field(() => String, { description: "chain, database or cache" })
  name!: string;

  @Field(() => Boolean)
  up!: boolean;

  @Field(() => String, { description: "When it last went up or down (ISO 8601)" })
  since!: string;

  @Field(() => String, { nullable: true, description: "Why the last probe failed" })
  error!: string | null;
}

@ObjectType({ description: "The operating mode (F-OPS-02) and why" })
export class ModeState {
  @Field(() => String, { description: "normal, service or emergency" })
  mode!: string;

  @Field(() => String, {
    nullable: true,
    description: "Why: the operator's message, the maintenance window, or the dependencies that are down",
  })
  reason!: string | null;

  @Field(() => String, { description: "When this mode began (ISO 8601)" })
  since!: string;

  @Field(() => String, { nullable: true, description: "Service mode: its planned end (ISO 8601)" })
  plannedEnd!: string | null;

  @Field(() => [DependencyNode])
  dependencies!: DependencyNode[];
}

@ObjectType({ description: "How fresh the gateway's answers are" })
export class Meta {
  @Field(() => Int)
  chainId!: number;

  @Field(() => String, {
    nullable: true,
    description: "Latest block of the chain, decimal; null while the chain RPC does not answer",
  })
  chainHead!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Last block the index holds, decimal; null before the first",
  })
  indexedBlock!: string | null;

  @Field(() => String, { nullable: true, description: "chainHead − indexedBlock, in blocks" })
  lag!: string | null;

  @Field(() => String, { description: "normal, service or emergency" })
  mode!: string;

  @Field(() => String, { nullable: true, description: "Why the system is in this mode; null when normal" })
  modeReason!: string | null;

  @Field(() => String, { description: "When the mode began (ISO 8601)" })
  modeSince!: string;

  @Field(() => String, { nullable: true, description: "Service mode: its planned end (ISO 8601)" })
  modePlannedEnd!: string | null;

  @Field(() => ModeState, { description: "The mode with its dependencies" })
  modeState!: ModeState;
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
