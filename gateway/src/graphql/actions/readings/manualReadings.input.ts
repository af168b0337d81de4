import { ArrayMaxSize, ArrayMinSize, IsISO8601, IsOptional, Matches, ValidateNested } from "class-validator";
import { Field, InputType } from "type-graphql";

const WH = /^(0|[1-9]\d{0,14})$/;

@InputType({
  description:
    "One half-hour reading typed in: cumulative registers in Wh, decimal; give the same registers in every record",
})
export class ManualReadingRecordInput {
  @Field(() => String, { description: "Interval end, ISO 8601 with zone, on :00 or :30 UTC" })
  @IsISO8601({ strict: true })
  intervalEnd!: string;

  @Field(() => String, { nullable: true, description: "Import T1 (or the single zone), Wh" })
  @IsOptional()
  @Matches(WH, { message: "Wh, a decimal integer below 2^48" })
  t1?: string | undefined;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(WH, { message: "Wh, a decimal integer below 2^48" })
  t2?: string | undefined;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(WH, { message: "Wh, a decimal integer below 2^48" })
  t3?: string | undefined;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(WH, { message: "Wh, a decimal integer below 2^48" })
  t4?: string | undefined;

  @Field(() => String, { nullable: true, description: "Export (prosumers), Wh" })
  @IsOptional()
  @Matches(WH, { message: "Wh, a decimal integer below 2^48" })
  export?: string | undefined;
}

@InputType({
  description: "Readings of one meter typed in by its consumer (meters without remote reading) or by staff",
})
export class ManualReadingsInput {
  @Field(() => String, { description: "The meter's registry id, decimal" })
  @Matches(/^[1-9]\d{0,19}$/, { message: "a decimal meter id from 1 to 2^64-1" })
  meterId!: string;

  @Field(() => [ManualReadingRecordInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(96)
  @ValidateNested({ each: true })
  readings!: ManualReadingRecordInput[];
}
