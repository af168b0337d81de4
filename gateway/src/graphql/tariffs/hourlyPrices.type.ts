import { Field, Int, ObjectType } from "type-graphql";
import { ChainRef } from "../common/chainRef.type.js";

@ObjectType({
  description: "A ПЦК 4 working day's planned peak window (network maximum), hours from the period's start",
})
export class NetworkWindowNode {
  @Field(() => Int, { description: "First hour of the window, 0-based from the period's start" })
  firstHour!: number;

  @Field(() => Int, { description: "Hours in the window" })
  hourCount!: number;
}

@ObjectType({
  description:
    "A ПЦК 3/4 plan's hourly prices for one billing period as its retail company published them (HourlyBilling `HourlyPricesPublished`; final), without the hours",
})
export class HourlyPriceListSummaryNode {
  @Field(() => String, { description: "decimal" })
  planId!: string;

  @Field(() => Int)
  periodId!: number;

  @Field(() => Int, {
    nullable: true,
    description: "End of the period, Unix seconds; the hours run from `periodEnd − hours × 3600`",
  })
  periodEnd!: number | null;

  @Field(() => String, { description: "PRICE_CATEGORY_3 or PRICE_CATEGORY_4" })
  kindName!: string;

  @Field(() => Int, { description: "Hours of the period: the number of prices" })
  hours!: number;

  @Field(() => String, {
    description:
      "keccak256 of the ABI-encoded price data: what billing must supply again (HourlyBilling.pricesHash)",
  })
  pricesHash!: string;

  @Field(() => String, { description: "Lowest hourly energy price, kopecks per MWh, decimal" })
  minPrice!: string;

  @Field(() => String, { description: "Highest hourly energy price, kopecks per MWh, decimal" })
  maxPrice!: string;

  @Field(() => String, {
    description: "Unweighted mean of the hourly prices, kopecks per MWh, rounded down, decimal",
  })
  averagePrice!: string;

  @Field(() => String, { description: "Capacity rate (ЦМ), kopecks per MW per month, decimal" })
  capacityRate!: string;

  @Field(() => String, {
    description: "ПЦК 4: network maintenance rate (Т_сод), kopecks per MW per month; ПЦК 3: 0",
  })
  maintenanceRate!: string;

  @Field(() => String, { description: "ПЦК 4: network losses rate (Т_пот), kopecks per MWh; ПЦК 3: 0" })
  lossRate!: string;

  @Field(() => ChainRef, { description: "The HourlyPricesPublished event" })
  chain!: ChainRef;
}

@ObjectType({ description: "A ПЦК 3/4 plan's published hourly prices for one period, every hour" })
export class HourlyPriceListNode extends HourlyPriceListSummaryNode {
  @Field(() => [String], {
    description:
      "The energy price of each hour from the period's start, kopecks per MWh, decimal (the plan's rate row adds the flat components)",
  })
  prices!: string[];

  @Field(() => [Int], { description: "The АТС peak hour of each working day (index into `prices`)" })
  capacityHours!: number[];

  @Field(() => [NetworkWindowNode], { description: "ПЦК 4: each working day's planned peak window" })
  networkWindows!: NetworkWindowNode[];
}
