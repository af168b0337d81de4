import { Field, Int, ObjectType } from "type-graphql";
import { ChainRef } from "../common/chainRef.type.js";
import { Connection } from "../common/connection.js";

@ObjectType({ description: "A consumer's personal account (лицевой счёт)" })
export class AccountNode {
  @Field(() => String, { description: "Registry id, decimal" })
  id!: string;

  @Field(() => String)
  accountNumber!: string;

  @Field(() => String, { description: "The consumer's chain address" })
  consumer!: string;

  @Field(() => Int, { description: "1 household, 2 legal entity, …" })
  consumerType!: number;

  @Field(() => Int)
  priceCategory!: number;

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => String)
  retailCompany!: string;

  @Field(() => String)
  gridCompany!: string;

  @Field(() => String, { description: "Network district (участок)" })
  site!: string;

  @Field(() => String, { description: "Installation address" })
  installationAddress!: string;

  @Field(() => String, { nullable: true, description: "Meter id, decimal" })
  meterId!: string | null;

  @Field(() => Int, { nullable: true })
  tariffGroupId!: number | null;

  @Field(() => String, { description: "Prepaid or overpaid credit in kopecks, decimal" })
  creditBalanceKopecks!: string;

  @Field(() => ChainRef, { description: "The event that last changed the account" })
  chain!: ChainRef;
}

@ObjectType()
export class AccountConnection extends Connection(AccountNode) {}
