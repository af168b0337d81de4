import { IsISO8601, Matches, MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";

@InputType({ description: "Readings filters (F-GRID-08, F-RETAIL-06); text filters match a prefix" })
export class ReadingFilter {
  @Field(() => String, { nullable: true, description: "ISO 8601 instant; intervals starting at or after it" })
  @IsISO8601({ strict: true })
  from?: string;

  @Field(() => String, { nullable: true, description: "ISO 8601 instant; intervals ending at or before it" })
  @IsISO8601({ strict: true })
  to?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  accountNumber?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  meterSerial?: string;

  @Field(() => String, { nullable: true, description: "Installation address" })
  @MaxLength(64)
  installationAddress?: string;

  @Field(() => String, { nullable: true, description: "decimal" })
  @Matches(/^\d{1,19}$/)
  meterId?: string;

  @Field(() => String, {
    nullable: true,
    description: "Account id, decimal: the readings recorded while its meter served it",
  })
  @Matches(/^\d{1,16}$/)
  accountId?: string;
}
