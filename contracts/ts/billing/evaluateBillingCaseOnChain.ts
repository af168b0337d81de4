import {
  type BillingCase,
  type DecodedInvoiceCase,
  DomainError,
  decodeBillingCase,
  epochDay,
  type Figures,
  HOUSEHOLD_METHOD_NAMES,
  invoiceCaseFigures,
  LEGAL_ENTITY_METHOD_NAMES,
  utcOffsetMinutes,
} from "@gridledger/domain";
import { type Address, BaseError, ContractFunctionRevertedError, type PublicClient } from "viem";
import { billingCalculatorAbi } from "../../abi/BillingCalculator.js";

export type EvaluateBillingCaseOnChainOptions = {
  publicClient: PublicClient;
  /** Address of a deployed `BillingCalculator` ({@link deployBillingCalculator}). */
  calculatorAddress: Address;
};
export type EvaluateBillingCaseOnChainReturnType = Figures;

/** Solidity errors that have their own domain error code; every other `Billing*` revert is INVALID_VALUE. */
const ERROR_CODES: Record<string, string> = {
  BillingZoneHoursIncomplete: "BILLING_ZONE_HOURS_INCOMPLETE",
  BillingZoneHoursOverlap: "BILLING_ZONE_HOURS_OVERLAP",
};

// biome-ignore lint/suspicious/noExplicitAny: one generic eth_call reader over many typed functions
type Reader = (functionName: string, args: readonly unknown[]) => Promise<any>;

const s = (value: bigint) => value.toString();
const ss = (values: readonly bigint[]) => values.map(s);

/**
 * Evaluates one test-vector case through the deployed `BillingCalculator` (eth_call of its pure
 * functions) and returns the figures in the same shape as `evaluateBillingCase` in domain/. The
 * case is decoded by the same `decodeBillingCase`, so both sides read identical parameters; only
 * the arithmetic differs in language. A revert yields `{ error: CODE }` with the domain's code.
 */
export async function evaluateBillingCaseOnChain(
  billingCase: BillingCase,
  options: EvaluateBillingCaseOnChainOptions,
): Promise<EvaluateBillingCaseOnChainReturnType> {
  try {
    return await evaluate(billingCase, options);
  } catch (error) {
    if (error instanceof DomainError) return { error: error.code };
    if (error instanceof BaseError) {
      const revert = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
      if (revert instanceof ContractFunctionRevertedError) {
        const name = revert.data?.errorName;
        if (name && (name.startsWith("Billing") || name.startsWith("SafeCast"))) {
          return { error: ERROR_CODES[name] ?? "INVALID_VALUE" };
        }
      }
    }
    throw error;
  }
}

async function evaluate(
  billingCase: BillingCase,
  { publicClient, calculatorAddress }: EvaluateBillingCaseOnChainOptions,
) {
  const read: Reader = (functionName, args) =>
    publicClient.readContract({
      address: calculatorAddress,
      abi: billingCalculatorAbi,
      functionName,
      args,
    } as never);
  const decoded = decodeBillingCase(billingCase);
  switch (decoded.operation) {
    case "invoice":
      return invoice(decoded, read);
    case "zoneHours": {
      const slots: readonly number[] = await read("zoneSlots", [
        decoded.zoneHours.windows,
        decoded.zoneHours.zoneCount,
      ]);
      const minutesPerZone = new Array(decoded.zoneHours.zoneCount).fill(0);
      for (const zone of slots) minutesPerZone[zone] += 30;
      const intervalZones: number[] = [];
      for (const intervalEnd of decoded.intervalEnds) {
        const offset = utcOffsetMinutes(decoded.timeZone, intervalEnd - 1800);
        intervalZones.push(await read("intervalZone", [BigInt(intervalEnd), offset, slots]));
      }
      return { minutesPerZone, intervalZones };
    }
    case "householdSubstitute": {
      const p = decoded.parameters;
      const [method, volumeWh, periods, totalWh] = await read("householdSubstituteVolume", [
        {
          reason: p.reason,
          history: p.history,
          averagingWindow: BigInt(p.averagingWindow),
          minimumHistory: BigInt(p.minimumHistory),
          periodsWithoutReadings: BigInt(p.periodsWithoutReadings),
          maxAveragePeriods: BigInt(p.maxAveragePeriods),
          residents: p.residents,
          normPerPersonWh: p.normPerPersonWh,
          refusedAccessNumerator: p.refusedAccessMultiplier.numerator,
          refusedAccessDenominator: p.refusedAccessMultiplier.denominator,
          tamperingNumerator: p.tamperingMultiplier.numerator,
          tamperingDenominator: p.tamperingMultiplier.denominator,
          tamperingMonths: BigInt(p.tamperingMonths),
          tamperingMaxMonths: BigInt(p.tamperingMaxMonths),
        },
      ]);
      return {
        method: HOUSEHOLD_METHOD_NAMES[method as number],
        volumeWh: s(volumeWh),
        periods: Number(periods),
        totalWh: s(totalWh),
        ...(decoded.price === null ? {} : { amount: s(await read("energyCost", [totalWh, decoded.price])) }),
      };
    }
    case "legalEntitySubstitute": {
      const p = decoded.parameters;
      const [method, volumeWh] = await read("legalEntitySubstituteVolume", [
        {
          consecutivePeriod: BigInt(p.consecutivePeriod),
          substitutePeriods: BigInt(p.substitutePeriods),
          hasAnalogousPeriod: p.analogousPeriodWh !== null,
          analogousPeriodWh: p.analogousPeriodWh ?? 0n,
          hasNearestPeriod: p.nearestPeriod !== null,
          nearestVolumeWh: p.nearestPeriod?.volumeWh ?? 0n,
          nearestDays: p.nearestPeriod?.days ?? 0n,
          currentDays: p.currentDays,
          hasMaxPower: p.maxPowerW !== null,
          maxPowerW: p.maxPowerW ?? 0n,
          hours_: p.hours,
          hasCable: p.cable !== null,
          cable: p.cable ?? { phases: 0n, phaseVoltageV: 0n, currentA: 0n, powerFactorBp: 0n },
        },
      ]);
      return {
        method: LEGAL_ENTITY_METHOD_NAMES[method as number],
        volumeWh: s(volumeWh),
        ...(decoded.price === null ? {} : { amount: s(await read("energyCost", [volumeWh, decoded.price])) }),
      };
    }
    case "cableCapacity": {
      const p = decoded.parameters;
      return {
        volumeWh: s(
          await read("cableCapacityVolume", [
            p.phases,
            p.phaseVoltageV,
            p.currentA,
            p.powerFactorBp,
            p.hours,
          ]),
        ),
      };
    }
    case "fillIntervalGaps": {
      const p = decoded.parameters;
      return {
        volumesWh: ss(await read("fillIntervalGaps", [p.registerWh, p.knownWh, BigInt(p.missingCount)])),
      };
    }
    case "recalculation": {
      const p = decoded.parameters;
      const [actualAmount, billedTotal, adjustment] = await read("recalculationCharge", [
        p.actualWh,
        p.price,
        p.billed,
      ]);
      return { actualAmount: s(actualAmount), billedTotal: s(billedTotal), adjustment: s(adjustment) };
    }
    case "loss": {
      const { loss } = decoded;
      let meteredWh: bigint;
      let lossWh: bigint;
      if (loss.method === "percentage") {
        meteredWh = loss.meteredWh;
        lossWh = await read("percentageLoss", [loss.meteredWh, loss.percentBp]);
      } else if (loss.method === "transformer") {
        const { hours, ...rest } = loss.parameters;
        meteredWh = rest.meteredWh;
        lossWh = await read("transformerLoss", [{ ...rest, hours_: hours }]);
      } else {
        const { hours, ...rest } = loss.parameters;
        meteredWh = rest.meteredWh;
        lossWh = await read("lineLoss", [{ ...rest, hours_: hours }]);
      }
      const billedWh: bigint = await read("applyLossCorrection", [meteredWh, lossWh, decoded.direction]);
      return { lossWh: s(lossWh), billedWh: s(billedWh) };
    }
    case "commonHouse": {
      const p = decoded.parameters;
      const result = await read("commonHouseShare", [
        {
          hasCommonMeter: p.commonMeterWh !== null,
          commonMeterWh: p.commonMeterWh ?? 0n,
          residentialWh: p.residentialWh,
          nonResidentialWh: p.nonResidentialWh,
          totalAreaDm2: p.totalAreaDm2,
          commonAreaDm2: p.commonAreaDm2,
          premisesAreaDm2: p.premisesAreaDm2,
          normWhPerM2: p.normWhPerM2,
          capAtNorm: p.capAtNorm,
          distributeNegative: p.distributeNegative,
        },
      ]);
      return {
        commonVolumeWh: s(result.commonVolumeWh),
        capWh: s(result.capWh),
        distributableWh: s(result.distributableWh),
        borneByManagerWh: s(result.borneByManagerWh),
        shareWh: s(result.shareWh),
        ...(decoded.price === null
          ? {}
          : { amount: s(await read("energyCostSigned", [result.shareWh, decoded.price])) }),
      };
    }
    case "penalty": {
      const p = decoded.parameters;
      const [overdueDays, tierDays, penalty] = await read("latePaymentPenalty", [
        p.debt,
        epochDay(p.dueDate),
        epochDay(p.paidDate),
        p.rateBp,
        p.tiers.map((tier) => tier.fromDay),
        p.tiers.map((tier) => tier.divisor),
      ]);
      return {
        overdueDays: Number(overdueDays),
        tierDays: (tierDays as bigint[]).map(Number),
        penalty: s(penalty),
      };
    }
  }
}

async function invoice(decoded: DecodedInvoiceCase, read: Reader) {
  const { schedule, consumption } = decoded;
  // A plan's zone hours are validated (by the contract) whatever the source of the volumes.
  const slots: readonly number[] = schedule.zoneHours
    ? await read("zoneSlots", [schedule.zoneHours.windows, schedule.zoneHours.zoneCount])
    : new Array<number>(48).fill(0);
  let zoneVolumes: readonly bigint[];
  switch (consumption.source) {
    case "zoneVolumes":
      zoneVolumes = consumption.zoneVolumes;
      break;
    case "registers":
      zoneVolumes = await read("zoneVolumesFromRegisters", [consumption.previous, consumption.current]);
      break;
    case "intervals": {
      // One UTC offset for the whole batch (Russia has no DST since 2014; a batch never spans a zone move).
      const first = consumption.data[0]?.intervalEnd ?? 0;
      const offset = consumption.data.length > 0 ? utcOffsetMinutes(consumption.timeZone, first - 1800) : 0;
      zoneVolumes = await read("zoneVolumesFromIntervals", [
        consumption.data.map(({ intervalEnd }) => BigInt(intervalEnd)),
        consumption.data.map(({ energyWh }) => energyWh),
        offset,
        slots,
        schedule.zoneCount,
      ]);
      break;
    }
    case "hourly":
      zoneVolumes = [decoded.hourly.volumesWh.reduce((sum, volume) => sum + volume, 0n)];
      break;
  }
  const vatRateBp: bigint = await read("vatRateAt", [
    decoded.vatSchedule.map((entry) => epochDay(entry.from)),
    decoded.vatSchedule.map((entry) => entry.rateBp),
    epochDay(decoded.periodStart),
  ]);
  const result = await read("computeInvoice", [
    {
      zoneVolumes,
      rangeUpperBounds: schedule.rangeUpperBounds,
      thresholdNumerator: schedule.thresholdMultiplier.numerator,
      thresholdDenominator: schedule.thresholdMultiplier.denominator,
      prices: schedule.prices,
      hourlyVolumes: decoded.hourly.volumesWh,
      hourlyPrices: decoded.hourly.prices,
      capacityDailyVolumes: decoded.capacityDailyVolumesWh,
      capacityRate: schedule.capacityRate,
      networkDailyMaxima: decoded.networkDailyMaximaWh,
      maintenanceRate: schedule.maintenanceRate,
      lossRate: schedule.lossRate,
      exportVolume: decoded.exported.volumeWh,
      exportPrice: decoded.exported.price,
      vatMode: schedule.vatMode,
      vatRateBp,
    },
  ]);
  let outstanding: readonly bigint[] = result.payableByComponent;
  const payments = [];
  for (const amount of decoded.payments) {
    const [parts, outstandingAfter, credit] = await read("applyPayment", [outstanding, amount]);
    outstanding = outstandingAfter;
    payments.push({ parts, outstandingAfter, credit });
  }
  return invoiceCaseFigures({ zoneVolumes, vatRateBp, result, payments });
}
