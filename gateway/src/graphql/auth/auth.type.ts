import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "The signed-in user" })
export class UserNode {
  @Field(() => String)
  login!: string;

  @Field(() => String, {
    description: "OPERATOR, GRID_COMPANY, RETAIL_COMPANY, PAYMENT_SOURCE, CONSUMER or DEVICE",
  })
  role!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => String, { nullable: true, description: "The organisation's chain address (staff)" })
  organisation!: string | null;

  @Field(() => String, { nullable: true, description: "The consumer's chain address" })
  consumerAddress!: string | null;

  @Field(() => String)
  locale!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => Int, { description: "Unix seconds" })
  createdAt!: number;

  @Field(() => Int, { nullable: true, description: "The previous successful login, Unix seconds" })
  lastLoginAt!: number | null;
}

@ObjectType()
export class LoginResult {
  @Field(() => String, { description: "Send as `Authorization: Bearer <token>`" })
  token!: string;

  @Field(() => Int, { description: "Unix seconds; each request moves it on by the idle timeout" })
  expiresAt!: number;

  @Field(() => UserNode)
  user!: UserNode;
}
