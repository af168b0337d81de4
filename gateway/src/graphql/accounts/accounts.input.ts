import { IsEthereumAddress, MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";

@InputType({ description: "Account filters (F-GRID-05, F-RETAIL-04); text filters match a prefix" })
export class AccountFilter {
  @Field(() => String, { nullable: true, description: "Retail company's chain address" })
  @IsEthereumAddress()
  retailCompany?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  accountNumber?: string;

  @Field(() => String, { nullable: true, description: "Network district (участок)" })
  @MaxLength(32)
  site?: string;

  @Field(() => String, { nullable: true, description: "Installation address" })
  @MaxLength(64)
  installationAddress?: string;
}
