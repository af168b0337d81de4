import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ChainRef } from "../common/chainRef.type.js";
import { Connection } from "../common/connection.js";

@ObjectType({ description: "One half-hour reading of one meter: cumulative registers in Wh" })
export class ReadingNode {
  @Field(() => String, { description: "decimal" })
  meterId!: string;

  @Field(() => String, { nullable: true, description: "The account the meter served at the time, decimal" })
  accountId!: string | null;

  @Field(() => Int, { description: "Interval end, Unix seconds UTC" })
  intervalEnd!: number;

  @Field(() => Int, { description: "ReadingStatus bits (load profile, clock drift, tamper, rollover)" })
  status!: number;

  @Field(() => Int, { description: "0 device, 1 consumer, 2 operator" })
  source!: number;

  @Field(() => String, { nullable: true, description: "Wh, decimal" })
  importT1!: string | null;

  @Field(() => String, { nullable: true })
  importT2!: string | null;

  @Field(() => String, { nullable: true })
  importT3!: string | null;

  @Field(() => String, { nullable: true })
  importT4!: string | null;

  @Field(() => String, { nullable: true })
  export!: string | null;

  @Field(() => ChainRef)
  chain!: ChainRef;
}

@ObjectType()
export class ReadingConnection extends Connection(ReadingNode) {}

export enum SeriesBucket {
  HALF_HOUR = "HALF_HOUR",
  DAY = "DAY",
  MONTH = "MONTH",
}
registerEnumType(SeriesBucket, {
  name: "SeriesBucket",
  description: "Chart resolution; days and months are Moscow time",
});

@ObjectType({ description: "Energy in one chart bucket, per tariff zone (Wh, decimal)" })
export class ConsumptionPoint {
  @Field(() => Int, { description: "Bucket start, Unix seconds UTC" })
  bucketStart!: number;

  @Field(() => String)
  importT1!: string;

  @Field(() => String)
  importT2!: string;

  @Field(() => String)
  importT3!: string;

  @Field(() => String)
  importT4!: string;

  @Field(() => String)
  export!: string;

  @Field(() => Int, { description: "Readings in the bucket" })
  readings!: number;
}
