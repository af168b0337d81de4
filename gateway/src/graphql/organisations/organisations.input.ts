import { IsEthereumAddress } from "class-validator";
import { Field, InputType } from "type-graphql";
import { OrganisationKind } from "./organisation.type.js";

@InputType({ description: "Organisation filters (F-GRID-03)" })
export class OrganisationFilter {
  @Field(() => OrganisationKind, { nullable: true })
  kind?: OrganisationKind;

  @Field(() => String, {
    nullable: true,
    description: "Only retail companies attached to this grid company (serving accounts in its network)",
  })
  @IsEthereumAddress()
  gridCompany?: string;

  @Field(() => Boolean, { nullable: true })
  active?: boolean;
}
