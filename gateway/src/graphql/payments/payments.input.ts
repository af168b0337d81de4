import { IsEthereumAddress, IsISO8601, MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";

@InputType({ description: "Payment filters (F-RETAIL-07, F-GRID-07); text filters match a prefix" })
export class PaymentFilter {
  @Field(() => String, { nullable: true, description: "ISO 8601 instant; paid at or after it" })
  @IsISO8601({ strict: true })
  from?: string;

  @Field(() => String, { nullable: true, description: "ISO 8601 instant; paid before it" })
  @IsISO8601({ strict: true })
  to?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  accountNumber?: string;

  @Field(() => String, { nullable: true, description: "Installation address" })
  @MaxLength(64)
  installationAddress?: string;

  @Field(() => String, { nullable: true, description: "The payment source's chain address" })
  @IsEthereumAddress()
  paymentSource?: string;

  @Field(() => String, { nullable: true, description: "Retail company's chain address" })
  @IsEthereumAddress()
  retailCompany?: string;
}
