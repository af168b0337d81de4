import { Field, Int, ObjectType } from "type-graphql";
import { ChainRef } from "../common/chainRef.type.js";
import { ComponentAmounts } from "../common/componentAmounts.type.js";

@ObjectType({ description: "Prices of one zone or tier, 0.01 RUB/MWh (kopecks per MWh), decimal" })
export class TariffRateNode extends ComponentAmounts {
  @Field(() => Int, {
    description: "Row of the plan: the zone (zoned plans), the tier (volume ranges) or in/above norm × zone",
  })
  index!: number;
}

@ObjectType({ description: "A dated tariff plan of a group (F-RETAIL-03, F-CHAIN-12)" })
export class TariffPlanNode {
  @Field(() => String, { description: "decimal" })
  id!: string;

  @Field(() => String, { description: "decimal" })
  groupId!: string;

  @Field(() => Int, {
    description: "1 single rate, 2 two-zone, 3 three-zone, 4 volume ranges, 5 social norm",
  })
  kind!: number;

  @Field(() => String, { description: "SINGLE_RATE, TWO_ZONE, THREE_ZONE, VOLUME_RANGE or SOCIAL_NORM" })
  kindName!: string;

  @Field(() => Int)
  zones!: number;

  @Field(() => Int, { description: "VAT rate, basis points (2200 = 22 %)" })
  vatBp!: number;

  @Field(() => Boolean, { description: "Prices include VAT (households)" })
  vatIncluded!: boolean;

  @Field(() => Int, { description: "Unix seconds" })
  validFrom!: number;

  @Field(() => Int, { nullable: true, description: "Exclusive end, Unix seconds; null = open-ended" })
  validTo!: number | null;

  @Field(() => [Int], { description: "24 entries: the zone of each local hour 0-23" })
  zoneHours!: number[];

  @Field(() => String, { description: "First range bound or social norm, Wh, decimal" })
  threshold1!: string;

  @Field(() => String, { description: "Second range bound, Wh, decimal" })
  threshold2!: string;

  @Field(() => String, { description: "Price of exported energy, kopecks per MWh" })
  exportPrice!: string;

  @Field(() => [TariffRateNode])
  rates!: TariffRateNode[];

  @Field(() => Boolean)
  deleted!: boolean;

  @Field(() => ChainRef, { description: "The TariffPlanAdded event" })
  chain!: ChainRef;

  @Field(() => ChainRef, { description: "The event that last changed it" })
  lastChange!: ChainRef;
}

@ObjectType({ description: "A retail company's tariff group with its plans (F-RETAIL-03)" })
export class TariffGroupNode {
  @Field(() => String, { description: "decimal" })
  id!: string;

  @Field(() => String)
  retailCompany!: string;

  @Field(() => Int, { description: "1 household, 2 legal entity" })
  consumerType!: number;

  @Field(() => Int)
  priceCategory!: number;

  @Field(() => String)
  name!: string;

  @Field(() => Boolean)
  deleted!: boolean;

  @Field(() => ChainRef)
  chain!: ChainRef;

  @Field(() => ChainRef)
  lastChange!: ChainRef;
}

@ObjectType({ description: "A tariff an account is on or will be on" })
export class TariffSelectionNode {
  @Field(() => String, { description: "decimal" })
  groupId!: string;

  @Field(() => Int, { description: "Plan kind (see TariffPlanNode.kind)" })
  kind!: number;

  @Field(() => Int, { description: "The first billing period it applies to" })
  fromPeriod!: number;

  @Field(() => TariffGroupNode, { nullable: true })
  group!: TariffGroupNode | null;

  @Field(() => TariffPlanNode, {
    nullable: true,
    description: "The group's plan of that kind valid now (current) or at the period's start (pending)",
  })
  plan!: TariffPlanNode | null;

  @Field(() => ChainRef, { nullable: true, description: "The TariffChosen event" })
  chain!: ChainRef | null;
}

@ObjectType({
  description: "An account's tariff: current, pending for the next period, and what it may choose",
})
export class AccountTariffNode {
  @Field(() => String, { description: "decimal" })
  accountId!: string;

  @Field(() => Int, { nullable: true, description: "The open billing period (null when none is scheduled)" })
  currentPeriod!: number | null;

  @Field(() => TariffSelectionNode, { nullable: true, description: "Null when no tariff was ever chosen" })
  current!: TariffSelectionNode | null;

  @Field(() => TariffSelectionNode, {
    nullable: true,
    description: "A choice that takes effect from a later period (F-CHAIN-12)",
  })
  pending!: TariffSelectionNode | null;

  @Field(() => [TariffPlanNode], {
    description:
      "Plans open to the account: its retail company's groups for its consumer type and price category, valid now or later",
  })
  available!: TariffPlanNode[];
}
