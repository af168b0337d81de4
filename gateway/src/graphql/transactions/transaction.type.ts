import { Field, Int, ObjectType, registerEnumType } from "type-graphql";

export enum TransactionStatus {
  SUCCESS = "SUCCESS",
  REVERTED = "REVERTED",
}
registerEnumType(TransactionStatus, { name: "TransactionStatus" });

@ObjectType({ description: "A call decoded with the called contract's ABI" })
export class DecodedCall {
  @Field(() => String, {
    nullable: true,
    description: "GridLedger contract name (Registry, Readings, …); null for another address",
  })
  contract!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "null when the input matches no function of the contract",
  })
  functionName!: string | null;

  @Field(() => String, {
    description: "The arguments as JSON (bigints as decimal strings), by parameter name",
  })
  argsJson!: string;
}

@ObjectType({ description: "A log of the transaction, decoded with its contract's ABI" })
export class DecodedEvent {
  @Field(() => Int)
  logIndex!: number;

  @Field(() => String)
  address!: string;

  @Field(() => String, { nullable: true })
  contract!: string | null;

  @Field(() => String, { nullable: true })
  eventName!: string | null;

  @Field(() => String, { description: "The arguments as JSON (bigints as decimal strings)" })
  argsJson!: string;

  @Field(() => Boolean, { description: "The index holds this log with the same block, event and arguments" })
  indexed!: boolean;
}

@ObjectType({ description: "What re-reading the chain showed about the indexed rows of this transaction" })
export class TransactionVerification {
  @Field(() => Boolean, { description: "The node has a receipt for the hash" })
  receiptFound!: boolean;

  @Field(() => Boolean, {
    description:
      "The receipt's block is the canonical block at its height and lies on the indexed chain (the checkpoint block's hash is unchanged), and the indexed rows name that block and its time",
  })
  blockMatches!: boolean;

  @Field(() => Boolean, {
    description:
      "Every GridLedger log of the receipt is in the index with equal arguments, and the index holds no other row for the hash",
  })
  logsMatch!: boolean;

  @Field(() => [String], { description: "What did not match, in words; empty when verified" })
  problems!: string[];
}

@ObjectType({ description: "A transaction read from the chain, decoded, and checked against the index" })
export class TransactionDetails {
  @Field(() => String)
  hash!: string;

  @Field(() => String, { description: "decimal" })
  blockNumber!: string;

  @Field(() => String)
  blockHash!: string;

  @Field(() => Int, { description: "Unix seconds" })
  blockTime!: number;

  @Field(() => String, { description: "ISO 8601 UTC" })
  blockTimeIso!: string;

  @Field(() => String, { description: "The signer" })
  from!: string;

  @Field(() => String, { nullable: true })
  to!: string | null;

  @Field(() => TransactionStatus)
  status!: TransactionStatus;

  @Field(() => String, { description: "decimal" })
  gasUsed!: string;

  @Field(() => DecodedCall)
  call!: DecodedCall;

  @Field(() => [DecodedEvent])
  events!: DecodedEvent[];

  @Field(() => Boolean, {
    description:
      "true when the receipt exists, its block is the indexed one and every log matches the indexed rows",
  })
  verified!: boolean;

  @Field(() => TransactionVerification)
  verification!: TransactionVerification;
}
