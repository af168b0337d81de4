import { Field, Int, ObjectType } from "type-graphql";
import { ActionResult } from "../common/actionResult.type.js";

@ObjectType({ description: "A tariff group created on chain" })
export class TariffGroupActionResult extends ActionResult {
  @Field(() => String, { description: "decimal" })
  groupId!: string;
}

@ObjectType({ description: "A tariff plan added on chain" })
export class TariffPlanActionResult extends ActionResult {
  @Field(() => String, { description: "decimal" })
  planId!: string;
}

@ObjectType({ description: "A tariff chosen for an account" })
export class TariffChoiceActionResult extends ActionResult {
  @Field(() => Int, {
    description:
      "The billing period from which it applies; 0 = at once (a retail company's first assignment)",
  })
  fromPeriod!: number;
}
