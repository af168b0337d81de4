import { MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";

@InputType({ description: "The calling organisation's card (F-GRID-09); optional fields may be left out" })
export class CompanyProfileInput {
  @Field(() => String)
  @MaxLength(300)
  name!: string;

  @Field(() => String, { description: "Director's full name" })
  @MaxLength(300)
  directorName!: string;

  @Field(() => String)
  @MaxLength(60)
  phone!: string;

  @Field(() => String, { nullable: true })
  @MaxLength(300)
  email?: string | undefined;

  @Field(() => String)
  @MaxLength(400)
  legalAddress!: string;

  @Field(() => String, {
    nullable: true,
    description: "10 or 12 digits, checked; anchored on chain as the organisation's profileId",
  })
  @MaxLength(20)
  inn?: string | undefined;

  @Field(() => String, { nullable: true })
  @MaxLength(20)
  kpp?: string | undefined;

  @Field(() => String, { nullable: true })
  @MaxLength(20)
  ogrn?: string | undefined;

  @Field(() => String)
  @MaxLength(300)
  bankName!: string;

  @Field(() => String, { description: "9 digits" })
  @MaxLength(20)
  bik!: string;

  @Field(() => String, { description: "20 digits, checked against the BIK" })
  @MaxLength(40)
  settlementAccount!: string;

  @Field(() => String, { description: "20 digits (30101…), checked against the BIK" })
  @MaxLength(40)
  correspondentAccount!: string;
}
