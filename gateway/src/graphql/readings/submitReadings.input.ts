import { ArrayMaxSize, ArrayMinSize, Matches, Max, Min, ValidateNested } from "class-validator";
import { Field, InputType, Int } from "type-graphql";

@InputType({ description: "One meter's packed records (domain/src/readings/readingBatch.ts)" })
export class MeterReadingsInput {
  @Field(() => String, { description: "The meter's registry id, decimal" })
  @Matches(/^[1-9]\d{0,19}$/, { message: "a decimal meter id from 1 to 2^64-1" })
  meterId!: string;

  @Field(() => Int, { description: "Register bits: 0-3 import T1-T4, 4 export" })
  @Min(1)
  @Max(31)
  registerMask!: number;

  @Field(() => String, { description: "Packed records, 0x-hex" })
  @Matches(/^0x(?:[0-9a-fA-F]{2})+$/, { message: "non-empty 0x-prefixed hex of whole bytes" })
  records!: string;
}

@InputType({ description: "A device-signed batch of readings" })
export class ReadingBatchInput {
  @Field(() => [MeterReadingsInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(256)
  @ValidateNested({ each: true })
  meters!: MeterReadingsInput[];
}
