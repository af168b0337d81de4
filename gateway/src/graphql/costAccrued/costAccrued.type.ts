import { Field, Int, ObjectType } from "type-graphql";
import { MoneyComponents } from "../invoices/invoice.type.js";
import { TariffPlanNode } from "../tariffs/tariff.type.js";

@ObjectType({ description: "One half hour of the open period: energy and what it added to the bill" })
export class CostPoint {
  @Field(() => Int, { description: "Interval end, Unix seconds UTC" })
  intervalEnd!: number;

  @Field(() => String, { description: "Imported energy, Wh, decimal" })
  importWh!: string;

  @Field(() => String, { description: "Exported energy, Wh, decimal" })
  exportWh!: string;

  @Field(() => String, {
    description:
      "Change of the period's payable total this half hour, kopecks, decimal (negative for export)",
  })
  cost!: string;

  @Field(() => String, { description: "Payable total of the period up to this half hour, kopecks" })
  cumulativeCost!: string;
}

@ObjectType({
  description:
    "An account's cost accrued so far in the open billing period (F-CHAIN-06), priced from the indexed half-hour readings by the same domain arithmetic as the period's invoice",
})
export class CostAccruedNode {
  @Field(() => String, { description: "decimal" })
  accountId!: string;

  @Field(() => Int, { description: "The open billing period" })
  periodId!: number;

  @Field(() => Int, {
    nullable: true,
    description: "The previous period's end (this one's start), Unix seconds",
  })
  periodStart!: number | null;

  @Field(() => Int, { nullable: true, description: "The period's scheduled end, Unix seconds" })
  periodEnd!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "The last half hour counted (interval end); null without readings",
  })
  asOf!: number | null;

  @Field(() => TariffPlanNode, { description: "The plan in force for the period" })
  plan!: TariffPlanNode;

  @Field(() => [String], { description: "Volume per tariff zone so far, Wh" })
  zoneVolumesWh!: string[];

  @Field(() => String, { description: "Exported so far, Wh" })
  exportWh!: string;

  @Field(() => MoneyComponents, { description: "Gross amount per provider so far, kopecks" })
  components!: MoneyComponents;

  @Field(() => String, { description: "VAT added (legal entities), kopecks" })
  vat!: string;

  @Field(() => String, { description: "Export bought back, kopecks" })
  exportCredit!: string;

  @Field(() => String, { description: "Payable so far, kopecks" })
  total!: string;

  @Field(() => [CostPoint], { description: "Half-hour series, oldest first" })
  series!: CostPoint[];
}
