import { registerEnumType } from "type-graphql";

/** ITariffs.TariffKind (the numeric values are the contract's). */
export enum TariffKind {
  SINGLE_RATE = 1,
  TWO_ZONE = 2,
  THREE_ZONE = 3,
  /** Volume ranges (tiers), marginal: rate k between threshold k and k+1. */
  VOLUME_RANGE = 4,
  /** Social norm: in-norm rates per zone, then above-norm rates per zone; threshold1 is the norm. */
  SOCIAL_NORM = 5,
  /** Legal entity ПЦК 3: one row of per-MWh adders; hourly prices are published per period (HourlyBilling). */
  PRICE_CATEGORY_3 = 6,
  /** Legal entity ПЦК 4: as ПЦК 3 with two-rate transmission (no transmission adder). */
  PRICE_CATEGORY_4 = 7,
}
registerEnumType(TariffKind, {
  name: "TariffKind",
  description: "Kind of a tariff plan (ITariffs.TariffKind)",
  valuesConfig: {
    SINGLE_RATE: { description: "One rate around the clock" },
    TWO_ZONE: { description: "Day/night: two zones by hour" },
    THREE_ZONE: { description: "Peak/half-peak/night: three zones by hour" },
    VOLUME_RANGE: { description: "Tiers by monthly volume (1-3 rates, thresholds in Wh)" },
    SOCIAL_NORM: { description: "Social norm: rates within and above the norm (threshold1, Wh), per zone" },
    PRICE_CATEGORY_3: { description: "ПЦК 3: hourly prices published per period, one row of per-MWh adders" },
    PRICE_CATEGORY_4: { description: "ПЦК 4: as ПЦК 3 with two-rate transmission (maintenance and losses)" },
  },
});

/** IRegistry.ConsumerType. */
export enum ConsumerType {
  HOUSEHOLD = 1,
  LEGAL_ENTITY = 2,
}
registerEnumType(ConsumerType, { name: "ConsumerType", description: "Households or legal entities" });
