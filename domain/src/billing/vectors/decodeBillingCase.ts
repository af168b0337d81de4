import { InvalidValueError } from "../../errors.js";
import type { UnixSeconds } from "../../time/halfHour.js";
import type { Wh } from "../../units/quantities.js";
import type { CommonHouseShareParameters } from "../commonHouse/commonHouseShare.js";
import type { ApplyLossCorrectionParameters } from "../losses/applyLossCorrection.js";
import type { LineLossParameters } from "../losses/lineLoss.js";
import type { TransformerLossParameters } from "../losses/transformerLoss.js";
import type { LatePaymentPenaltyParameters } from "../penalties/latePaymentPenalty.js";
import type { CableCapacityVolumeParameters } from "../substitutes/cableCapacityVolume.js";
import type { FillIntervalGapsParameters } from "../substitutes/fillIntervalGaps.js";
import type {
  HouseholdReason,
  HouseholdSubstituteVolumeParameters,
} from "../substitutes/householdSubstituteVolume.js";
import type { LegalEntitySubstituteVolumeParameters } from "../substitutes/legalEntitySubstituteVolume.js";
import type { RecalculationChargeParameters } from "../substitutes/recalculationCharge.js";
import { type PlanScheduleReturnType, planSchedule } from "../tariffs/planSchedule.js";
import type { TariffPlan, ZoneHours } from "../tariffs/tariffPlan.js";
import type { PriceComponents, Ratio } from "../types.js";
import {
  type BillingCase,
  HOUSEHOLD_REASON_NAMES,
  type InvoiceInputJson,
  LOSS_DIRECTION_NAMES,
  type PriceJson,
  type RatioJson,
  type Runs,
  type TariffPlanJson,
} from "./billingCase.js";

/** An invoice case in domain types; both evaluators (domain and on-chain) start from it. */
export type DecodedInvoiceCase = {
  operation: "invoice";
  schedule: PlanScheduleReturnType;
  consumption:
    | { source: "zoneVolumes"; zoneVolumes: Wh[] }
    | { source: "registers"; previous: Wh[]; current: Wh[] }
    | { source: "intervals"; timeZone: string; data: { intervalEnd: UnixSeconds; energyWh: Wh }[] }
    | { source: "hourly" };
  hourly: { volumesWh: Wh[]; prices: bigint[] };
  capacityDailyVolumesWh: Wh[];
  networkDailyMaximaWh: Wh[];
  exported: { volumeWh: Wh; price: bigint };
  vatSchedule: { from: string; rateBp: bigint }[];
  periodStart: string;
  payments: bigint[];
};

export type DecodedBillingCase =
  | DecodedInvoiceCase
  | { operation: "zoneHours"; zoneHours: ZoneHours; timeZone: string; intervalEnds: UnixSeconds[] }
  | {
      operation: "householdSubstitute";
      parameters: HouseholdSubstituteVolumeParameters;
      price: bigint | null;
    }
  | {
      operation: "legalEntitySubstitute";
      parameters: LegalEntitySubstituteVolumeParameters;
      price: bigint | null;
    }
  | { operation: "cableCapacity"; parameters: CableCapacityVolumeParameters }
  | { operation: "fillIntervalGaps"; parameters: FillIntervalGapsParameters }
  | { operation: "recalculation"; parameters: RecalculationChargeParameters }
  | {
      operation: "loss";
      loss:
        | { method: "percentage"; meteredWh: Wh; percentBp: bigint }
        | { method: "transformer"; parameters: TransformerLossParameters }
        | { method: "line"; parameters: LineLossParameters };
      direction: ApplyLossCorrectionParameters["direction"];
    }
  | { operation: "commonHouse"; parameters: CommonHouseShareParameters; price: bigint | null }
  | { operation: "penalty"; parameters: LatePaymentPenaltyParameters };

const big = (value: unknown, what: string): bigint => {
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) {
    throw new InvalidValueError(`${what} must be a decimal string`, `got ${JSON.stringify(value)}`);
  }
  return BigInt(value);
};
const bigOrNull = (value: unknown, what: string) =>
  value === null || value === undefined ? null : big(value, what);
const bigs = (values: readonly unknown[], what: string) => values.map((value) => big(value, what));
const price = (json: PriceJson): PriceComponents => ({
  energy: big(json.energy ?? "0", "energy price"),
  transmission: big(json.transmission ?? "0", "transmission price"),
  retailMarkup: big(json.retailMarkup ?? "0", "retail markup"),
  infrastructure: big(json.infrastructure ?? "0", "infrastructure price"),
});
const ratio = (json: RatioJson): Ratio => ({
  numerator: big(json.numerator, "numerator"),
  denominator: big(json.denominator, "denominator"),
});
const runs = (json: Runs | undefined, what: string): bigint[] =>
  (json ?? []).flatMap((entry) =>
    typeof entry === "string"
      ? [big(entry, what)]
      : new Array<bigint>(entry.repeat).fill(big(entry.value, what)),
  );
const enumIndex = <T extends readonly string[]>(names: T, value: unknown, what: string): number => {
  const index = names.indexOf(value as string);
  if (index < 0)
    throw new InvalidValueError(`Unknown ${what}: ${String(value)}`, `one of ${names.join(", ")}`);
  return index;
};

function plan(json: TariffPlanJson): TariffPlan {
  switch (json.kind) {
    case "singleRate":
    case "priceCategory1":
      return { kind: json.kind, price: price(json.price) };
    case "multiZone":
    case "priceCategory2":
      return { kind: json.kind, zoneHours: json.zoneHours, zonePrices: json.zonePrices.map(price) };
    case "volumeRange":
      return {
        kind: "volumeRange",
        ...(json.zoneHours ? { zoneHours: json.zoneHours } : {}),
        rangeUpperBounds: bigs(json.rangeUpperBounds, "range bound"),
        ...(json.thresholdMultiplier ? { thresholdMultiplier: ratio(json.thresholdMultiplier) } : {}),
        prices: json.prices.map((row) => row.map(price)),
      };
    case "socialNorm":
      return {
        kind: "socialNorm",
        ...(json.zoneHours ? { zoneHours: json.zoneHours } : {}),
        normWh: big(json.normWh, "norm"),
        inNormPrices: json.inNormPrices.map(price),
        aboveNormPrices: json.aboveNormPrices.map(price),
      };
    case "priceCategory3":
      return {
        kind: json.kind,
        adders: price(json.adders),
        capacityRate: big(json.capacityRate, "capacity rate"),
      };
    case "priceCategory4":
      return {
        kind: json.kind,
        adders: price(json.adders),
        capacityRate: big(json.capacityRate, "capacity rate"),
        maintenanceRate: big(json.maintenanceRate, "maintenance rate"),
        lossRate: big(json.lossRate, "loss rate"),
      };
    default:
      throw new InvalidValueError(`Unknown plan kind ${String((json as { kind: unknown }).kind)}`);
  }
}

function invoice(input: InvoiceInputJson): DecodedInvoiceCase {
  const { consumption } = input;
  let source: DecodedInvoiceCase["consumption"];
  if (consumption.zoneVolumes)
    source = { source: "zoneVolumes", zoneVolumes: bigs(consumption.zoneVolumes, "volume") };
  else if (consumption.registers)
    source = {
      source: "registers",
      previous: bigs(consumption.registers.previous, "register"),
      current: bigs(consumption.registers.current, "register"),
    };
  else if (consumption.intervals)
    source = {
      source: "intervals",
      timeZone: consumption.intervals.timeZone,
      data: consumption.intervals.data.map(({ intervalEnd, energyWh }) => ({
        intervalEnd,
        energyWh: big(energyWh, "interval energy"),
      })),
    };
  else if (consumption.hourly) source = { source: "hourly" };
  else
    throw new InvalidValueError(
      "An invoice case needs zoneVolumes, registers, intervals or hourly consumption",
    );
  return {
    operation: "invoice",
    schedule: planSchedule({ plan: plan(input.plan) }),
    consumption: source,
    hourly: {
      volumesWh: runs(consumption.hourly?.volumesWh, "hourly volume"),
      prices: runs(consumption.hourly?.prices, "hourly price"),
    },
    capacityDailyVolumesWh: runs(consumption.capacityDailyVolumesWh, "capacity volume"),
    networkDailyMaximaWh: runs(consumption.networkDailyMaximaWh, "network maximum"),
    exported: {
      volumeWh: big(consumption.exported?.volumeWh ?? "0", "export"),
      price: big(consumption.exported?.price ?? "0", "buy-back price"),
    },
    vatSchedule: input.vat.schedule.map(({ from, rateBp }) => ({ from, rateBp: big(rateBp, "VAT rate") })),
    periodStart: input.vat.periodStart,
    payments: bigs(input.payments ?? [], "payment"),
  };
}

/**
 * Turns a JSON test case (strings for integers, names for enums) into the typed parameters of the
 * domain functions. The domain evaluator and the on-chain evaluator both start from this, so they
 * cannot read a case differently.
 */
export function decodeBillingCase(billingCase: BillingCase): DecodedBillingCase {
  // biome-ignore lint/suspicious/noExplicitAny: case input is JSON, checked field by field below
  const input: any = billingCase.input;
  switch (billingCase.operation) {
    case "invoice":
      return invoice(input);
    case "zoneHours":
      return {
        operation: "zoneHours",
        zoneHours: input.zoneHours,
        timeZone: input.timeZone,
        intervalEnds: input.intervalEnds ?? [],
      };
    case "householdSubstitute":
      return {
        operation: "householdSubstitute",
        price: bigOrNull(input.price, "price"),
        parameters: {
          reason: enumIndex(HOUSEHOLD_REASON_NAMES, input.reason, "reason") as HouseholdReason,
          history: bigs(input.history ?? [], "history"),
          averagingWindow: input.averagingWindow,
          minimumHistory: input.minimumHistory,
          periodsWithoutReadings: input.periodsWithoutReadings,
          maxAveragePeriods: input.maxAveragePeriods,
          residents: big(input.residents, "residents"),
          normPerPersonWh: big(input.normPerPersonWh, "norm"),
          refusedAccessMultiplier: ratio(input.refusedAccessMultiplier),
          tamperingMultiplier: ratio(input.tamperingMultiplier),
          tamperingMonths: input.tamperingMonths,
          tamperingMaxMonths: input.tamperingMaxMonths,
        },
      };
    case "legalEntitySubstitute":
      return {
        operation: "legalEntitySubstitute",
        price: bigOrNull(input.price, "price"),
        parameters: {
          consecutivePeriod: input.consecutivePeriod,
          substitutePeriods: input.substitutePeriods,
          analogousPeriodWh: bigOrNull(input.analogousPeriodWh, "analogous volume"),
          nearestPeriod: input.nearestPeriod
            ? {
                volumeWh: big(input.nearestPeriod.volumeWh, "volume"),
                days: big(input.nearestPeriod.days, "days"),
              }
            : null,
          currentDays: big(input.currentDays, "days"),
          maxPowerW: bigOrNull(input.maxPowerW, "maximum power"),
          hours: big(input.hours, "hours"),
          cable: input.cable ? cable(input.cable) : null,
        },
      };
    case "cableCapacity":
      return {
        operation: "cableCapacity",
        parameters: { ...cable(input), hours: big(input.hours, "hours") },
      };
    case "fillIntervalGaps":
      return {
        operation: "fillIntervalGaps",
        parameters: {
          registerWh: big(input.registerWh, "register"),
          knownWh: big(input.knownWh, "known volume"),
          missingCount: input.missingCount,
        },
      };
    case "recalculation":
      return {
        operation: "recalculation",
        parameters: {
          actualWh: big(input.actualWh, "actual volume"),
          price: big(input.price, "price"),
          billed: bigs(input.billed, "billed amount"),
        },
      };
    case "loss":
      return {
        operation: "loss",
        direction: enumIndex(LOSS_DIRECTION_NAMES, input.direction, "loss direction") as 0 | 1,
        loss: loss(input),
      };
    case "commonHouse":
      return {
        operation: "commonHouse",
        price: bigOrNull(input.price, "price"),
        parameters: {
          commonMeterWh: bigOrNull(input.commonMeterWh, "common meter"),
          residentialWh: big(input.residentialWh, "residential volume"),
          nonResidentialWh: big(input.nonResidentialWh, "non-residential volume"),
          totalAreaDm2: big(input.totalAreaDm2, "total area"),
          commonAreaDm2: big(input.commonAreaDm2, "common area"),
          premisesAreaDm2: big(input.premisesAreaDm2, "premises area"),
          normWhPerM2: big(input.normWhPerM2, "norm"),
          capAtNorm: input.capAtNorm,
          distributeNegative: input.distributeNegative,
        },
      };
    case "penalty":
      return {
        operation: "penalty",
        parameters: {
          debt: big(input.debt, "debt"),
          dueDate: input.dueDate,
          paidDate: input.paidDate,
          rateBp: big(input.rateBp, "key rate"),
          tiers: input.tiers.map((tier: { fromDay: number; divisor: string }) => ({
            fromDay: tier.fromDay,
            divisor: big(tier.divisor, "divisor"),
          })),
        },
      };
    default:
      throw new InvalidValueError(`Unknown operation ${String(billingCase.operation)}`);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: JSON
function cable(json: any): Omit<CableCapacityVolumeParameters, "hours"> {
  return {
    phases: big(json.phases, "phases"),
    phaseVoltageV: big(json.phaseVoltageV, "phase voltage"),
    currentA: big(json.currentA, "current"),
    powerFactorBp: big(json.powerFactorBp, "power factor"),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON
function loss(json: any): Extract<DecodedBillingCase, { operation: "loss" }>["loss"] {
  const p = json.parameters;
  const metered = big(p.meteredWh, "metered volume");
  switch (json.method) {
    case "percentage":
      return { method: "percentage", meteredWh: metered, percentBp: big(p.percentBp, "percentage") };
    case "transformer":
      return {
        method: "transformer",
        parameters: {
          meteredWh: metered,
          hours: big(p.hours, "hours"),
          hoursOn: big(p.hoursOn, "hours on"),
          powerFactorBp: big(p.powerFactorBp, "power factor"),
          ratedPowerVA: big(p.ratedPowerVA, "rated power"),
          noLoadLossW: big(p.noLoadLossW, "no-load loss"),
          shortCircuitLossW: big(p.shortCircuitLossW, "short-circuit loss"),
          loadShapeBp: big(p.loadShapeBp, "load shape"),
        },
      };
    case "line":
      return {
        method: "line",
        parameters: {
          meteredWh: metered,
          hours: big(p.hours, "hours"),
          powerFactorBp: big(p.powerFactorBp, "power factor"),
          voltageV: big(p.voltageV, "voltage"),
          resistanceMicroOhmPerM: big(p.resistanceMicroOhmPerM, "resistance"),
          lengthM: big(p.lengthM, "length"),
          loadShapeBp: big(p.loadShapeBp, "load shape"),
        },
      };
    default:
      throw new InvalidValueError(`Unknown loss method ${String(json.method)}`);
  }
}
