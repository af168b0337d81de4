/**
 * The JSON test-vector format shared by the TypeScript domain, the Solidity contracts and the
 * `npm run vectors` runner (documented in docs/vectors.md). Every integer that may exceed 2⁵³
 * (energy, money, prices, rates) is a decimal string; small counts, zone indexes and minutes are
 * JSON numbers; dates are "YYYY-MM-DD"; enum values are names.
 */
export type DecimalString = string;

/** A long array written compactly: plain values, or `{ "repeat": n, "value": v }` runs. */
export type Runs = readonly (DecimalString | { repeat: number; value: DecimalString })[];

/** Price components as strings; an omitted component is "0". */
export type PriceJson = {
  energy?: DecimalString;
  transmission?: DecimalString;
  retailMarkup?: DecimalString;
  infrastructure?: DecimalString;
};
export type RatioJson = { numerator: DecimalString; denominator: DecimalString };
export type ZoneHoursJson = {
  zoneCount: number;
  windows: readonly { zone: number; startMinute: number; endMinute: number }[];
};

export type TariffPlanJson =
  | { kind: "singleRate" | "priceCategory1"; price: PriceJson }
  | { kind: "multiZone" | "priceCategory2"; zoneHours: ZoneHoursJson; zonePrices: readonly PriceJson[] }
  | {
      kind: "volumeRange";
      zoneHours?: ZoneHoursJson;
      rangeUpperBounds: readonly DecimalString[];
      thresholdMultiplier?: RatioJson;
      prices: readonly (readonly PriceJson[])[];
    }
  | {
      kind: "socialNorm";
      zoneHours?: ZoneHoursJson;
      normWh: DecimalString;
      inNormPrices: readonly PriceJson[];
      aboveNormPrices: readonly PriceJson[];
    }
  | { kind: "priceCategory3"; adders: PriceJson; capacityRate: DecimalString }
  | {
      kind: "priceCategory4";
      adders: PriceJson;
      capacityRate: DecimalString;
      maintenanceRate: DecimalString;
      lossRate: DecimalString;
    };

export type InvoiceInputJson = {
  plan: TariffPlanJson;
  /** Exactly one of zoneVolumes, registers, intervals, hourly (ПЦК 3/4). */
  consumption: {
    zoneVolumes?: readonly DecimalString[];
    registers?: { previous: readonly DecimalString[]; current: readonly DecimalString[] };
    intervals?: { timeZone: string; data: readonly { intervalEnd: number; energyWh: DecimalString }[] };
    hourly?: { volumesWh: Runs; prices: Runs };
    /** ПЦК 3/4: volume in the АТС hour of each working day. */
    capacityDailyVolumesWh?: Runs;
    /** ПЦК 4: daily maximum hourly volume in the planned peak window, per working day. */
    networkDailyMaximaWh?: Runs;
    /** Prosumer export (A−) and its buy-back price. */
    exported?: { volumeWh: DecimalString; price: DecimalString };
  };
  /** Dated VAT schedule and the supply period's first day (the rate is picked by it). */
  vat: { schedule: readonly { from: string; rateBp: DecimalString }[]; periodStart: string };
  /** Payments applied in order, kopecks. */
  payments?: readonly DecimalString[];
};

export type BillingCaseOperation =
  | "invoice"
  | "zoneHours"
  | "householdSubstitute"
  | "legalEntitySubstitute"
  | "cableCapacity"
  | "fillIntervalGaps"
  | "recalculation"
  | "loss"
  | "commonHouse"
  | "penalty";

/** One test case: an operation, its input, and the figures the reference states. */
export type BillingCase = {
  /** "TV-05", or "TV-07/tampering" when a reference example holds several cases. */
  id: string;
  title: string;
  /** Where the figures come from (billing-rules.md section). */
  reference?: string;
  operation: BillingCaseOperation;
  // biome-ignore lint/suspicious/noExplicitAny: the input shape depends on `operation` (docs/vectors.md)
  input: any;
  /**
   * Expected figures, a subset of what the evaluator returns (the figures the reference states);
   * `{ "error": CODE }` when the case must be refused.
   */
  expected: Record<string, unknown>;
};

export type BillingVectorFile = {
  format: "gridledger-billing-vectors/1";
  description?: string;
  cases: BillingCase[];
};

/** Result figures: JSON values with bigints as decimal strings. */
export type Figures = { [key: string]: unknown };

export const LINE_KIND_NAMES = [
  "energy",
  "hourlyEnergy",
  "capacity",
  "networkMaintenance",
  "networkLosses",
  "export",
] as const;
export const COMPONENT_NAMES = ["energy", "transmission", "retailMarkup", "infrastructure"] as const;
export const HOUSEHOLD_REASON_NAMES = [
  "missingReadings",
  "meterFailed",
  "refusedAccess",
  "tampering",
] as const;
export const HOUSEHOLD_METHOD_NAMES = ["average", "norm", "increasedNorm", "tampering"] as const;
export const LEGAL_ENTITY_METHOD_NAMES = [
  "analogousPeriod",
  "nearestPeriod",
  "maxPower",
  "cableCapacity",
] as const;
export const LOSS_DIRECTION_NAMES = ["add", "subtract"] as const;
