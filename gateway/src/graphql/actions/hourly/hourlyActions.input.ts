import { ArrayMaxSize, IsOptional, Max, Min, ValidateNested } from "class-validator";
import { Field, InputType, Int } from "type-graphql";

/** A month has at most 744 hours; the cap keeps one request's validation and calldata bounded. */
export const MAX_PERIOD_HOURS = 1_000;

@InputType({
  description: "ПЦК 4: one working day's planned peak window of the grid company (hours of the period)",
})
export class PeakWindowInput {
  @Field(() => Int, { description: "0-based index of the window's first hour in the period" })
  @Min(0)
  firstHour!: number;

  @Field(() => Int, { description: "Number of hours in the window, 1-255" })
  @Min(1)
  @Max(255)
  hours!: number;
}

@InputType({
  description:
    "The hourly price data of a ПЦК 3/4 plan for one billing period (HourlyBilling.publishHourlyPrices). " +
    "Money as decimal strings below 2^53.",
})
export class PublishHourlyPricesInput {
  @Field(() => String, { description: "The ПЦК 3/4 plan (the version in effect at the period's end)" })
  planId!: string;

  @Field(() => Int)
  @Min(1)
  periodId!: number;

  @Field(() => [String], {
    description:
      "The energy price of each hour of the period in order from its start (UTC), 0.01 RUB/MWh; exactly " +
      "as many as the period has hours",
  })
  @ArrayMaxSize(MAX_PERIOD_HOURS)
  hourlyPrices!: string[];

  @Field(() => String, { description: "Capacity price ЦМ, 0.01 RUB/MW per month; 0 with no peak hours" })
  capacityRate!: string;

  @Field(() => String, {
    nullable: true,
    description: "ПЦК 4: maintenance rate Т_сод, 0.01 RUB/MW per month",
  })
  @IsOptional()
  maintenanceRate?: string | undefined;

  @Field(() => String, { nullable: true, description: "ПЦК 4: loss rate Т_пот, 0.01 RUB/MWh" })
  @IsOptional()
  lossRate?: string | undefined;

  @Field(() => [Int], {
    nullable: true,
    description: "The АТС peak hour of each working day (0-based index into the period's hours)",
  })
  @IsOptional()
  @ArrayMaxSize(31)
  peakHours?: number[] | undefined;

  @Field(() => [PeakWindowInput], {
    nullable: true,
    description: "ПЦК 4: each working day's planned peak window",
  })
  @IsOptional()
  @ArrayMaxSize(31)
  @ValidateNested({ each: true })
  peakWindows?: PeakWindowInput[] | undefined;
}
