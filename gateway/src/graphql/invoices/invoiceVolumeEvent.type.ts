import { Field, Int, ObjectType, registerEnumType } from "type-graphql";

/** Period ids of common-house (ОДН) invoices carry this bit (CommonHouseBilling.COMMON_HOUSE_PERIOD). */
export const COMMON_HOUSE_PERIOD = 2 ** 30;

export enum VolumeEventKind {
  SUBSTITUTED = "substituted",
  RECALCULATED = "recalculated",
  ACROSS_REPLACEMENT = "acrossReplacement",
  COMMON_HOUSE = "commonHouse",
}
registerEnumType(VolumeEventKind, {
  name: "VolumeEventKind",
  description: "How an invoice's volumes were obtained when not from its meter's two period snapshots",
  valuesConfig: {
    SUBSTITUTED: { description: "readings missing: a substitute volume (F-CHAIN-07), see `method`" },
    RECALCULATED: {
      description: "readings back: the metered volume less the substitutes billed meanwhile",
    },
    ACROSS_REPLACEMENT: { description: "the meter was replaced in the period: both meters billed" },
    COMMON_HOUSE: { description: "the premises' share of the building's common-house needs (ОДН)" },
  },
});

export enum SubstituteMethod {
  HOUSEHOLD_AVERAGE = "householdAverage",
  HOUSEHOLD_NORM = "householdNorm",
  HOUSEHOLD_INCREASED_NORM = "householdIncreasedNorm",
  HOUSEHOLD_TAMPERING = "householdTampering",
  LEGAL_ENTITY_ANALOGOUS_PERIOD = "legalEntityAnalogousPeriod",
  LEGAL_ENTITY_NEAREST_PERIOD = "legalEntityNearestPeriod",
  LEGAL_ENTITY_MAX_POWER = "legalEntityMaxPower",
}
registerEnumType(SubstituteMethod, {
  name: "SubstituteMethod",
  description: "How a substitute volume was computed (docs/billing.md, Substitute volumes)",
  valuesConfig: {
    HOUSEHOLD_AVERAGE: { description: "average of the previous periods with readings (ПП 354)" },
    HOUSEHOLD_NORM: { description: "residents × the consumption norm" },
    HOUSEHOLD_INCREASED_NORM: { description: "the norm × 3/2: access to the meter refused" },
    HOUSEHOLD_TAMPERING: { description: "the norm × 10: interference with the meter" },
    LEGAL_ENTITY_ANALOGOUS_PERIOD: { description: "the same period a year before (ОП 442)" },
    LEGAL_ENTITY_NEAREST_PERIOD: { description: "the nearest period with readings, scaled by duration" },
    LEGAL_ENTITY_MAX_POWER: { description: "the calculation method P_max × T" },
  },
});

@ObjectType({
  description:
    "One BillingVolumes or CommonHouseBilling event about an invoice: how its volumes were obtained. Only the fields of its `kind` are set; it was emitted in the invoice's own transaction (`Invoice.chain`)",
})
export class InvoiceVolumeEventNode {
  @Field(() => VolumeEventKind)
  kind!: VolumeEventKind;

  @Field(() => SubstituteMethod, { nullable: true, description: "SUBSTITUTED: the method" })
  method!: SubstituteMethod | null;

  @Field(() => Int, {
    description:
      "The billing period the volumes belong to (for COMMON_HOUSE the real period, not `p | 2^30`)",
  })
  periodId!: number;

  @Field(() => String, {
    nullable: true,
    description:
      "SUBSTITUTED: the substitute volume of all registers; COMMON_HOUSE: the share (may be ≤ 0); Wh, decimal",
  })
  volumeWh!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "SUBSTITUTED: periods substituted in a row, this one included (2 = the second in a row)",
  })
  consecutivePeriods!: number | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "SUBSTITUTED: the method's inputs, decimal — average [history sum Wh, periods, periods without readings, 0]; norms [residents, norm Wh, multiplier numerator, denominator]; analogous [period, volume Wh]; nearest [period, volume Wh, its seconds, this period's seconds]; P_max [W, hours]",
  })
  inputs!: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "SUBSTITUTED: the substitute split over T1-T4, Wh, decimal",
  })
  registersWh!: string[] | null;

  @Field(() => [String], { nullable: true, description: "RECALCULATED: metered T1-T4, Wh, decimal" })
  meteredWh!: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "RECALCULATED: substitutes deducted from the metered T1-T4, Wh, decimal",
  })
  deductedWh!: string[] | null;

  @Field(() => String, { nullable: true, description: "ACROSS_REPLACEMENT: the removed meter, decimal" })
  oldMeterId!: string | null;

  @Field(() => String, { nullable: true, description: "ACROSS_REPLACEMENT: the installed meter, decimal" })
  newMeterId!: string | null;

  @Field(() => [String], {
    nullable: true,
    description: "ACROSS_REPLACEMENT: billed on the old meter, T1-T4 and export, Wh, decimal",
  })
  oldMeterWh!: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "ACROSS_REPLACEMENT: billed on the new meter, T1-T4 and export, Wh, decimal",
  })
  newMeterWh!: string[] | null;

  @Field(() => String, { nullable: true, description: "COMMON_HOUSE: the building, decimal" })
  buildingId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "COMMON_HOUSE: the premises' floor area, dm², decimal",
  })
  areaDm2!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "COMMON_HOUSE: the share was billed (a share ≤ 0 bills nothing)",
  })
  billed!: boolean | null;
}
