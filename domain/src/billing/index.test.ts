import { expect, test } from "vitest";
import * as domain from "../index.js";
import * as billing from "./index.js";

test("billing exports (a change here is a public API change)", () => {
  expect(Object.keys(billing).sort()).toMatchInlineSnapshot(`
    [
      "BASIS_POINTS",
      "COMPONENT_COUNT",
      "COMPONENT_NAMES",
      "Component",
      "HOUSEHOLD_METHOD_NAMES",
      "HOUSEHOLD_REASON_NAMES",
      "HouseholdMethod",
      "HouseholdReason",
      "LEGAL_ENTITY_METHOD_NAMES",
      "LINE_KIND_NAMES",
      "LOSS_DIRECTION_NAMES",
      "LegalEntityMethod",
      "LineKind",
      "LossDirection",
      "SLOTS_PER_DAY",
      "VatMode",
      "applyLossCorrection",
      "applyPayment",
      "averagePowerCharge",
      "cableCapacityVolume",
      "commonHouseShare",
      "compareFigures",
      "componentArray",
      "computeInvoice",
      "datedValueAt",
      "decodeBillingCase",
      "energyLines",
      "epochDay",
      "evaluateBillingCase",
      "fillIntervalGaps",
      "hourlyEnergyCharge",
      "hourlyFromHalfHours",
      "householdSubstituteVolume",
      "intervalZone",
      "invoiceCaseFigures",
      "latePaymentPenalty",
      "legalEntitySubstituteVolume",
      "lineLoss",
      "percentageLoss",
      "planSchedule",
      "rangeVolumes",
      "recalculationCharge",
      "scaleProfile",
      "scaleRangeThresholds",
      "splitByLargestRemainder",
      "splitRangesAcrossZones",
      "transformerLoss",
      "vatRateAt",
      "zoneHoursToSlots",
      "zoneVolumesFromIntervals",
      "zoneVolumesFromRegisters",
    ]
  `);
});

test("@gridledger/domain re-exports the billing module", () => {
  for (const name of Object.keys(billing)) expect(domain).toHaveProperty(name);
});
