// Billing math of GridLedger (issue 3): tariffs, zones, substitute volumes, losses, common-house
// share, invoices, payment split and penalties. Pure, integer-only; mirrored one to one by
// contracts/src/billing/*.sol and checked against domain/vectors/billing.json in both languages.

export * from "./commonHouse/commonHouseShare.js";
export * from "./dates/datedValueAt.js";
export * from "./dates/epochDay.js";
export * from "./invoice/averagePowerCharge.js";
export * from "./invoice/computeInvoice.js";
export * from "./invoice/hourlyEnergyCharge.js";
export * from "./invoice/vatMode.js";
export * from "./invoice/vatRateAt.js";
export * from "./losses/applyLossCorrection.js";
export * from "./losses/lineLoss.js";
export * from "./losses/percentageLoss.js";
export * from "./losses/transformerLoss.js";
export * from "./payments/applyPayment.js";
export * from "./payments/splitByLargestRemainder.js";
export * from "./penalties/latePaymentPenalty.js";
export * from "./substitutes/cableCapacityVolume.js";
export * from "./substitutes/fillIntervalGaps.js";
export * from "./substitutes/householdSubstituteVolume.js";
export * from "./substitutes/legalEntitySubstituteVolume.js";
export * from "./substitutes/recalculationCharge.js";
export * from "./substitutes/scaleProfile.js";
export * from "./tariffs/energyLines.js";
export * from "./tariffs/planSchedule.js";
export * from "./tariffs/rangeVolumes.js";
export * from "./tariffs/scaleRangeThresholds.js";
export * from "./tariffs/splitRangesAcrossZones.js";
export * from "./tariffs/tariffPlan.js";
export * from "./types.js";
export * from "./vectors/billingCase.js";
export * from "./vectors/compareFigures.js";
export * from "./vectors/decodeBillingCase.js";
export * from "./vectors/evaluateBillingCase.js";
export * from "./vectors/invoiceCaseFigures.js";
export * from "./zones/hourlyFromHalfHours.js";
export * from "./zones/intervalZone.js";
export * from "./zones/zoneHoursToSlots.js";
export * from "./zones/zoneVolumesFromIntervals.js";
export * from "./zones/zoneVolumesFromRegisters.js";
