import {
  ArrayMaxSize,
  ArrayMinSize,
  IsISO8601,
  IsOptional,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from "class-validator";
import { Field, InputType, Int } from "type-graphql";
import { ConsumerType, TariffKind } from "./tariffEnums.js";

const DECIMAL = /^(0|[1-9]\d{0,19})$/;

@InputType({ description: "A new tariff group of the calling retail company" })
export class CreateTariffGroupInput {
  @Field(() => String, { description: "1-32 bytes of UTF-8 (stored on chain as bytes32)" })
  @MaxLength(64)
  name!: string;

  @Field(() => ConsumerType)
  consumerType!: ConsumerType;

  @Field(() => Int, { description: "0 for households; 1-4 for legal entities (price category)" })
  @Min(0)
  @Max(4)
  priceCategory!: number;
}

@InputType({
  description:
    "Hours [startHour, endHour) of local time in `zone` (0-based); endHour <= startHour wraps over midnight",
})
export class ZoneHoursInput {
  @Field(() => Int)
  @Min(0)
  @Max(23)
  startHour!: number;

  @Field(() => Int, { description: "1-24" })
  @Min(1)
  @Max(24)
  endHour!: number;

  @Field(() => Int, { description: "0 = T1 (peak or day), 1 = T2, 2 = T3" })
  @Min(0)
  @Max(2)
  zone!: number;
}

@InputType({
  description:
    "One rate row (a zone or a tier): the four price components in 0.01 RUB/MWh (10^-5 RUB/kWh), decimal",
})
export class RateRowInput {
  @Field(() => String)
  @Matches(DECIMAL, { message: "a decimal integer (0.01 RUB/MWh)" })
  energy!: string;

  @Field(() => String)
  @Matches(DECIMAL, { message: "a decimal integer (0.01 RUB/MWh)" })
  transmission!: string;

  @Field(() => String)
  @Matches(DECIMAL, { message: "a decimal integer (0.01 RUB/MWh)" })
  retailMarkup!: string;

  @Field(() => String)
  @Matches(DECIMAL, { message: "a decimal integer (0.01 RUB/MWh)" })
  infrastructure!: string;
}

@InputType({
  description:
    "A dated plan version. Rows: SINGLE_RATE 1, TWO_ZONE 2, THREE_ZONE 3, VOLUME_RANGE 1-3 (one per tier), " +
    "SOCIAL_NORM 2/4/6 (in-norm per zone, then above-norm per zone). Zone plans give zoneHours covering 24 h once.",
})
export class TariffPlanInput {
  @Field(() => TariffKind)
  kind!: TariffKind;

  @Field(() => String, { description: "ISO 8601 with zone, whole seconds" })
  @IsISO8601({ strict: true })
  validFrom!: string;

  @Field(() => String, { nullable: true, description: "Exclusive end, ISO 8601; absent = open-ended" })
  @IsOptional()
  @IsISO8601({ strict: true })
  validTo?: string | undefined;

  @Field(() => Int, { description: "VAT in basis points (2200 = 22 %)" })
  @Min(0)
  @Max(10_000)
  vatBp!: number;

  @Field(() => Boolean, { description: "Household tariffs include VAT; legal-entity prices are net" })
  vatIncluded!: boolean;

  @Field(() => [ZoneHoursInput], { defaultValue: [] })
  @ArrayMaxSize(24)
  @ValidateNested({ each: true })
  zoneHours!: ZoneHoursInput[];

  @Field(() => String, { defaultValue: "0", description: "Wh: first tier boundary, or the social norm" })
  @Matches(DECIMAL)
  threshold1!: string;

  @Field(() => String, { defaultValue: "0", description: "Wh: second tier boundary" })
  @Matches(DECIMAL)
  threshold2!: string;

  @Field(() => String, { defaultValue: "0", description: "Price paid for exported energy, 0.01 RUB/MWh" })
  @Matches(DECIMAL)
  exportPrice!: string;

  @Field(() => [RateRowInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  rates!: RateRowInput[];
}
