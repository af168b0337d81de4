import { Field, ObjectType } from "type-graphql";

/**
 * The four price components every plan, invoice and payment split carries (issue 3 §3), decimal
 * strings because the amounts exceed 2^53. Types of their own extend it with their unit in the
 * description (kopecks; kopecks per MWh). Never a field's type itself, so the schema does not
 * carry it (type-graphql emits only types the resolvers reach).
 */
@ObjectType()
export abstract class ComponentAmounts {
  @Field(() => String)
  energy!: string;

  @Field(() => String)
  transmission!: string;

  @Field(() => String)
  retailMarkup!: string;

  @Field(() => String)
  infrastructure!: string;
}
