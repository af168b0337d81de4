import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ChainRef } from "../common/chainRef.type.js";
import { Connection } from "../common/connection.js";

/** Registry.OrganisationKind as stored by the indexer. */
export enum OrganisationKind {
  OPERATOR = 1,
  GRID_COMPANY = 2,
  RETAIL_COMPANY = 3,
  PAYMENT_SOURCE = 4,
}
registerEnumType(OrganisationKind, { name: "OrganisationKind" });

@ObjectType({ description: "Bank details (банковские реквизиты)" })
export class BankDetailsNode {
  @Field(() => String, { nullable: true })
  bankName!: string | null;

  @Field(() => String, { nullable: true, description: "БИК, 9 digits" })
  bik!: string | null;

  @Field(() => String, { nullable: true, description: "Расчётный счёт, 20 digits" })
  settlementAccount!: string | null;

  @Field(() => String, { nullable: true, description: "Корреспондентский счёт, 20 digits" })
  correspondentAccount!: string | null;
}

@ObjectType({
  description: "An organisation's card: name, director, contacts and bank details (F-GRID-03, F-GRID-09)",
})
export class OrganisationProfileNode {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true, description: "Director's full name" })
  directorName!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true, description: "Legal address" })
  legalAddress!: string | null;

  @Field(() => String, { nullable: true, description: "ИНН" })
  inn!: string | null;

  @Field(() => String, { nullable: true, description: "КПП" })
  kpp!: string | null;

  @Field(() => String, { nullable: true, description: "ОГРН" })
  ogrn!: string | null;

  @Field(() => BankDetailsNode)
  bank!: BankDetailsNode;

  @Field(() => Int, { description: "Unix seconds" })
  updatedAt!: number;
}

@ObjectType({ description: "A registered organisation (Registry) with its card when one was filled in" })
export class OrganisationNode {
  @Field(() => Int, { description: "The index's surrogate id (registration order)" })
  id!: number;

  @Field(() => String, { description: "Chain address" })
  address!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => String, { description: "Hash anchoring the off-chain profile document" })
  profileHash!: string;

  @Field(() => String, { description: "Profile id as recorded on chain (bytes32)" })
  profileId!: string;

  @Field(() => String, { nullable: true, description: "The profile id as text (INN/OGRN) when printable" })
  profileIdText!: string | null;

  @Field(() => ChainRef, { description: "The event that last changed it" })
  chain!: ChainRef;
}

@ObjectType()
export class OrganisationConnection extends Connection(OrganisationNode) {}
