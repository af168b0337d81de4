import { Field, Int, ObjectType } from "type-graphql";
import { ChainRef } from "../common/chainRef.type.js";
import { Connection } from "../common/connection.js";

@ObjectType({ description: "A metering device (прибор учёта) with its current state" })
export class MeterNode {
  @Field(() => String, { description: "Registry id, decimal" })
  id!: string;

  @Field(() => String)
  serial!: string;

  @Field(() => String)
  model!: string;

  @Field(() => Int)
  meterType!: number;

  @Field(() => Int, { description: "Tariff zones the meter supports, 1-4" })
  tariffZones!: number;

  @Field(() => Int, { description: "Metering scheme (расчётная схема)" })
  meteringScheme!: number;

  @Field(() => Boolean)
  remoteReading!: boolean;

  @Field(() => Boolean)
  exportCapable!: boolean;

  @Field(() => Boolean, { description: "Installed at the balance boundary; otherwise losses are added" })
  atBalanceBoundary!: boolean;

  @Field(() => Int)
  lossMethod!: number;

  @Field(() => Int, { description: "Loss share in parts per million" })
  lossPpm!: number;

  @Field(() => String, { nullable: true, description: "The account it serves, decimal" })
  accountId!: string | null;

  @Field(() => String)
  gridCompany!: string;

  @Field(() => Boolean, { description: "A tamper flag is raised and not cleared" })
  tampered!: boolean;

  @Field(() => Boolean, { description: "The firmware differs from the reference" })
  firmwareChanged!: boolean;

  @Field(() => Int, { nullable: true, description: "Last reported clock drift, seconds" })
  lastClockDrift!: number | null;

  @Field(() => ChainRef)
  chain!: ChainRef;
}

@ObjectType()
export class MeterConnection extends Connection(MeterNode) {}
