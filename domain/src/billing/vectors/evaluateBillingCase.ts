import { DomainError } from "../../errors.js";
import { energyCost } from "../../units/quantities.js";
import { Rounding } from "../../units/rounding.js";
import { commonHouseShare } from "../commonHouse/commonHouseShare.js";
import { computeInvoice } from "../invoice/computeInvoice.js";
import { vatRateAt } from "../invoice/vatRateAt.js";
import { applyLossCorrection } from "../losses/applyLossCorrection.js";
import { lineLoss } from "../losses/lineLoss.js";
import { percentageLoss } from "../losses/percentageLoss.js";
import { transformerLoss } from "../losses/transformerLoss.js";
import { applyPayment } from "../payments/applyPayment.js";
import { latePaymentPenalty } from "../penalties/latePaymentPenalty.js";
import { cableCapacityVolume } from "../substitutes/cableCapacityVolume.js";
import { fillIntervalGaps } from "../substitutes/fillIntervalGaps.js";
import { householdSubstituteVolume } from "../substitutes/householdSubstituteVolume.js";
import { legalEntitySubstituteVolume } from "../substitutes/legalEntitySubstituteVolume.js";
import { recalculationCharge } from "../substitutes/recalculationCharge.js";
import { intervalZone } from "../zones/intervalZone.js";
import { zoneHoursToSlots } from "../zones/zoneHoursToSlots.js";
import { zoneVolumesFromIntervals } from "../zones/zoneVolumesFromIntervals.js";
import { zoneVolumesFromRegisters } from "../zones/zoneVolumesFromRegisters.js";
import {
  type BillingCase,
  type Figures,
  HOUSEHOLD_METHOD_NAMES,
  LEGAL_ENTITY_METHOD_NAMES,
} from "./billingCase.js";
import { type DecodedInvoiceCase, decodeBillingCase } from "./decodeBillingCase.js";
import { invoiceCaseFigures } from "./invoiceCaseFigures.js";

export type EvaluateBillingCaseReturnType = Figures;

const s = (value: bigint) => value.toString();
const ss = (values: readonly bigint[]) => values.map(s);

/**
 * Evaluates one test-vector case through the domain functions and returns the computed figures in
 * the shape of the case's `expected` (bigints as decimal strings, enums as names; see
 * docs/vectors.md). A case the domain refuses yields `{ error: <DomainError code> }`.
 * `evaluateBillingCaseOnChain` in contracts/ts/billing does the same through `BillingCalculator`.
 */
export function evaluateBillingCase(billingCase: BillingCase): EvaluateBillingCaseReturnType {
  try {
    return evaluate(billingCase);
  } catch (error) {
    if (error instanceof DomainError) return { error: error.code };
    throw error;
  }
}

function evaluate(billingCase: BillingCase): Figures {
  const decoded = decodeBillingCase(billingCase);
  switch (decoded.operation) {
    case "invoice":
      return invoice(decoded);
    case "zoneHours": {
      const slots = zoneHoursToSlots(decoded.zoneHours);
      const minutesPerZone = new Array(decoded.zoneHours.zoneCount).fill(0);
      for (const zone of slots) minutesPerZone[zone] += 30;
      return {
        minutesPerZone,
        intervalZones: decoded.intervalEnds.map((intervalEnd) =>
          intervalZone({ intervalEnd, timeZone: decoded.timeZone, slots }),
        ),
      };
    }
    case "householdSubstitute": {
      const result = householdSubstituteVolume(decoded.parameters);
      return {
        method: HOUSEHOLD_METHOD_NAMES[result.method],
        volumeWh: s(result.volumeWh),
        periods: result.periods,
        totalWh: s(result.totalWh),
        ...(decoded.price === null
          ? {}
          : { amount: s(energyCost(result.totalWh, decoded.price, Rounding.HalfUp)) }),
      };
    }
    case "legalEntitySubstitute": {
      const result = legalEntitySubstituteVolume(decoded.parameters);
      return {
        method: LEGAL_ENTITY_METHOD_NAMES[result.method],
        volumeWh: s(result.volumeWh),
        ...(decoded.price === null
          ? {}
          : { amount: s(energyCost(result.volumeWh, decoded.price, Rounding.HalfUp)) }),
      };
    }
    case "cableCapacity":
      return { volumeWh: s(cableCapacityVolume(decoded.parameters)) };
    case "fillIntervalGaps":
      return { volumesWh: ss(fillIntervalGaps(decoded.parameters)) };
    case "recalculation": {
      const result = recalculationCharge(decoded.parameters);
      return {
        actualAmount: s(result.actualAmount),
        billedTotal: s(result.billedTotal),
        adjustment: s(result.adjustment),
      };
    }
    case "loss": {
      const { loss } = decoded;
      const meteredWh = loss.method === "percentage" ? loss.meteredWh : loss.parameters.meteredWh;
      const lossWh =
        loss.method === "percentage"
          ? percentageLoss({ meteredWh, percentBp: loss.percentBp })
          : loss.method === "transformer"
            ? transformerLoss(loss.parameters)
            : lineLoss(loss.parameters);
      return {
        lossWh: s(lossWh),
        billedWh: s(applyLossCorrection({ meteredWh, lossWh, direction: decoded.direction })),
      };
    }
    case "commonHouse": {
      const result = commonHouseShare(decoded.parameters);
      return {
        commonVolumeWh: s(result.commonVolumeWh),
        capWh: s(result.capWh),
        distributableWh: s(result.distributableWh),
        borneByManagerWh: s(result.borneByManagerWh),
        shareWh: s(result.shareWh),
        ...(decoded.price === null
          ? {}
          : { amount: s(energyCost(result.shareWh, decoded.price, Rounding.HalfUp)) }),
      };
    }
    case "penalty": {
      const result = latePaymentPenalty(decoded.parameters);
      return { overdueDays: result.overdueDays, tierDays: result.tierDays, penalty: s(result.penalty) };
    }
  }
}

function invoice(decoded: DecodedInvoiceCase): Figures {
  const { schedule, consumption } = decoded;
  // A plan's zone hours are validated whatever the source of the volumes.
  const slots = schedule.zoneHours ? zoneHoursToSlots(schedule.zoneHours) : new Array<number>(48).fill(0);
  let zoneVolumes: bigint[];
  switch (consumption.source) {
    case "zoneVolumes":
      zoneVolumes = consumption.zoneVolumes;
      break;
    case "registers":
      zoneVolumes = zoneVolumesFromRegisters({
        previous: consumption.previous,
        current: consumption.current,
      });
      break;
    case "intervals":
      zoneVolumes = zoneVolumesFromIntervals({
        intervals: consumption.data,
        timeZone: consumption.timeZone,
        slots,
        zoneCount: schedule.zoneCount,
      });
      break;
    case "hourly":
      zoneVolumes = [decoded.hourly.volumesWh.reduce((sum, volume) => sum + volume, 0n)];
      break;
  }
  const vatRateBp = vatRateAt({ schedule: decoded.vatSchedule, date: decoded.periodStart });
  const result = computeInvoice({
    zoneVolumes,
    rangeUpperBounds: schedule.rangeUpperBounds,
    thresholdMultiplier: schedule.thresholdMultiplier,
    prices: schedule.prices,
    hourly: decoded.hourly,
    capacity: { dailyVolumesWh: decoded.capacityDailyVolumesWh, rate: schedule.capacityRate },
    network: {
      dailyMaximaWh: decoded.networkDailyMaximaWh,
      maintenanceRate: schedule.maintenanceRate,
      lossRate: schedule.lossRate,
    },
    exported: decoded.exported,
    vat: { mode: schedule.vatMode, rateBp: vatRateBp },
  });
  let outstanding = result.payableByComponent;
  const payments = decoded.payments.map((amount) => {
    const applied = applyPayment({ outstanding, amount });
    outstanding = applied.outstandingAfter;
    return applied;
  });
  return invoiceCaseFigures({ zoneVolumes, vatRateBp, result, payments });
}
