// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {BillingMath} from "./BillingMath.sol";
import {CommonHouse} from "./CommonHouse.sol";
import {InvoiceMath} from "./InvoiceMath.sol";
import {Losses} from "./Losses.sol";
import {PaymentSplit} from "./PaymentSplit.sol";
import {Penalties} from "./Penalties.sol";
import {SubstituteVolumes} from "./SubstituteVolumes.sol";
import {TariffMath} from "./TariffMath.sol";
import {InvoiceLine, PriceComponents, ZoneWindow} from "./BillingTypes.sol";
import {IInvoices} from "../interfaces/IInvoices.sol";

/**
 * @title BillingCalculator
 * @dev A stateless, deployable window onto the billing libraries: every library function as an
 * external pure function, so that off-chain code (the vector runner, the parity tests, the gateway's
 * previews) can evaluate the exact on-chain arithmetic with `eth_call`. Holds no state and no roles.
 * The Invoices/Payments contracts link the libraries directly and do not call this contract.
 */
contract BillingCalculator {
    // ---- BillingMath ----

    /// @dev See {BillingMath-divide}.
    function divide(uint256 n, uint256 d, BillingMath.Rounding rounding) external pure returns (uint256) {
        return BillingMath.divide(n, d, rounding);
    }

    /// @dev See {BillingMath-mulDiv}.
    function mulDiv(uint256 x, uint256 y, uint256 d, BillingMath.Rounding rounding) external pure returns (uint256) {
        return BillingMath.mulDiv(x, y, d, rounding);
    }

    /// @dev See {BillingMath-divideSigned}.
    function divideSigned(int256 n, uint256 d, BillingMath.Rounding rounding) external pure returns (int256) {
        return BillingMath.divideSigned(n, d, rounding);
    }

    /// @dev See {BillingMath-energyCost}.
    function energyCost(uint256 wh, uint256 price) external pure returns (uint256) {
        return BillingMath.energyCost(wh, price);
    }

    /// @dev See {BillingMath-energyCostSigned}.
    function energyCostSigned(int256 wh, uint256 price) external pure returns (int256) {
        return BillingMath.energyCostSigned(wh, price);
    }

    // ---- TariffMath ----

    /// @dev See {TariffMath-zoneSlots}.
    function zoneSlots(ZoneWindow[] calldata windows, uint8 zoneCount) external pure returns (uint8[48] memory) {
        return TariffMath.zoneSlots(windows, zoneCount);
    }

    /// @dev See {TariffMath-intervalZone}.
    function intervalZone(uint64 intervalEnd, int32 utcOffsetMinutes, uint8[48] calldata slots) external pure returns (uint8) {
        return TariffMath.intervalZone(intervalEnd, utcOffsetMinutes, slots);
    }

    /// @dev See {TariffMath-zoneVolumesFromIntervals}.
    function zoneVolumesFromIntervals(
        uint64[] calldata intervalEnds,
        uint256[] calldata energiesWh,
        int32 utcOffsetMinutes,
        uint8[48] calldata slots,
        uint8 zoneCount
    ) external pure returns (uint256[] memory) {
        return TariffMath.zoneVolumesFromIntervals(intervalEnds, energiesWh, utcOffsetMinutes, slots, zoneCount);
    }

    /// @dev See {TariffMath-zoneVolumesFromRegisters}.
    function zoneVolumesFromRegisters(
        uint256[] calldata previous,
        uint256[] calldata current
    ) external pure returns (uint256[] memory) {
        return TariffMath.zoneVolumesFromRegisters(previous, current);
    }

    /// @dev See {TariffMath-hourlyFromHalfHours}.
    function hourlyFromHalfHours(uint256[] calldata halfHoursWh) external pure returns (uint256[] memory) {
        return TariffMath.hourlyFromHalfHours(halfHoursWh);
    }

    /// @dev See {TariffMath-scaleThresholds}.
    function scaleThresholds(
        uint256[] calldata upperBounds,
        uint256 numerator,
        uint256 denominator
    ) external pure returns (uint256[] memory) {
        return TariffMath.scaleThresholds(upperBounds, numerator, denominator);
    }

    /// @dev See {TariffMath-rangeVolumes}.
    function rangeVolumes(uint256 totalWh, uint256[] calldata upperBounds) external pure returns (uint256[] memory) {
        return TariffMath.rangeVolumes(totalWh, upperBounds);
    }

    /// @dev See {TariffMath-splitRangesAcrossZones}.
    function splitRangesAcrossZones(
        uint256[] calldata zoneVolumes,
        uint256[] calldata ranges
    ) external pure returns (uint256[] memory) {
        return TariffMath.splitRangesAcrossZones(zoneVolumes, ranges);
    }

    /// @dev See {TariffMath-energyLines}.
    function energyLines(
        uint256[] calldata zoneVolumes,
        uint256[] calldata rangeUpperBounds,
        PriceComponents[] calldata prices
    ) external pure returns (InvoiceLine[] memory) {
        return TariffMath.energyLines(zoneVolumes, rangeUpperBounds, prices);
    }

    // ---- InvoiceMath ----

    /// @dev See {InvoiceMath-datedValueAt}.
    function datedValueAt(uint32[] calldata fromDays, uint256[] calldata values, uint32 day) external pure returns (uint256) {
        return InvoiceMath.datedValueAt(fromDays, values, day);
    }

    /// @dev See {InvoiceMath-vatRateAt}.
    function vatRateAt(uint32[] calldata fromDays, uint256[] calldata ratesBp, uint32 day) external pure returns (uint256) {
        return InvoiceMath.vatRateAt(fromDays, ratesBp, day);
    }

    /// @dev See {InvoiceMath-averagePowerCharge}.
    function averagePowerCharge(
        uint256[] calldata dailyVolumesWh,
        uint256 rate
    ) external pure returns (uint256 powerW, uint256 amount) {
        return InvoiceMath.averagePowerCharge(dailyVolumesWh, rate);
    }

    /// @dev See {InvoiceMath-hourlyEnergyCharge}.
    function hourlyEnergyCharge(
        uint256[] calldata volumesWh,
        uint256[] calldata prices
    ) external pure returns (uint256 volumeWh, uint256 amount) {
        return InvoiceMath.hourlyEnergyCharge(volumesWh, prices);
    }

    /// @dev See {InvoiceMath-computeInvoice}.
    function computeInvoice(
        InvoiceMath.InvoiceInput calldata input
    ) external pure returns (InvoiceMath.Invoice memory) {
        return InvoiceMath.computeInvoice(input);
    }

    // ---- PaymentSplit ----

    /// @dev See {PaymentSplit-splitByLargestRemainder}.
    function splitByLargestRemainder(uint256 amount, uint256[] calldata weights) external pure returns (uint256[] memory) {
        return PaymentSplit.splitByLargestRemainder(amount, weights);
    }

    /// @dev See {PaymentSplit-applyPayment}.
    function applyPayment(
        uint256[] calldata outstanding,
        uint256 amount
    ) external pure returns (uint256[] memory parts, uint256[] memory outstandingAfter, uint256 credit) {
        return PaymentSplit.applyPayment(outstanding, amount);
    }

    // ---- Penalties ----

    /// @dev See {Penalties-latePaymentPenalty}.
    function latePaymentPenalty(
        uint256 debt,
        uint32 dueDay,
        uint32 paidDay,
        uint256 rateBp,
        uint32[] calldata fromDays,
        uint256[] calldata divisors
    ) external pure returns (uint256 overdueDays, uint256[] memory tierDays, uint256 penalty) {
        return Penalties.latePaymentPenalty(debt, dueDay, paidDay, rateBp, fromDays, divisors);
    }

    /**
     * @dev The late-payment penalty (пени) on what is still owed of an issued invoice of `settlement` if
     * it were paid on `paidDate` (Unix s): overdue days from the day after the due date, tier t charging
     * `keyRateBp / divisors[t]` per day from overdue day `fromDays[t]` (households: [31, 91] / [300, 130],
     * i.e. 1/300 then 1/130 of the key rate; legal entities: [1] / [130]). The key rate and tiers are
     * dated parameters the caller looks up (9.5 % until 2027, ПП 329).
     */
    function invoiceLatePaymentPenalty(
        IInvoices settlement,
        uint256 invoiceId,
        uint32 paidDate,
        uint256 keyRateBp,
        uint32[] calldata fromDays,
        uint256[] calldata divisors
    ) external view returns (uint256 debt, uint256 overdueDays, uint256[] memory tierDays, uint256 penalty) {
        uint32 dueDay;
        (debt, dueDay) = settlement.outstandingDebt(invoiceId);
        (overdueDays, tierDays, penalty) =
            Penalties.latePaymentPenalty(debt, dueDay, paidDate / 86_400, keyRateBp, fromDays, divisors);
    }

    // ---- SubstituteVolumes ----

    /// @dev See {SubstituteVolumes-householdSubstituteVolume}.
    function householdSubstituteVolume(
        SubstituteVolumes.HouseholdInput calldata input
    )
        external
        pure
        returns (SubstituteVolumes.HouseholdMethod method, uint256 volumeWh, uint256 periods, uint256 totalWh)
    {
        return SubstituteVolumes.householdSubstituteVolume(input);
    }

    /// @dev See {SubstituteVolumes-legalEntitySubstituteVolume}.
    function legalEntitySubstituteVolume(
        SubstituteVolumes.LegalEntityInput calldata input
    ) external pure returns (SubstituteVolumes.LegalEntityMethod method, uint256 volumeWh) {
        return SubstituteVolumes.legalEntitySubstituteVolume(input);
    }

    /// @dev See {SubstituteVolumes-cableCapacityVolume}.
    function cableCapacityVolume(
        uint256 phases,
        uint256 phaseVoltageV,
        uint256 currentA,
        uint256 powerFactorBp,
        uint256 hours_
    ) external pure returns (uint256) {
        return SubstituteVolumes.cableCapacityVolume(phases, phaseVoltageV, currentA, powerFactorBp, hours_);
    }

    /// @dev See {SubstituteVolumes-fillIntervalGaps}.
    function fillIntervalGaps(
        uint256 registerWh,
        uint256 knownWh,
        uint256 missingCount
    ) external pure returns (uint256[] memory) {
        return SubstituteVolumes.fillIntervalGaps(registerWh, knownWh, missingCount);
    }

    /// @dev See {SubstituteVolumes-scaleProfile}.
    function scaleProfile(uint256[] calldata profileWh, uint256 targetWh) external pure returns (uint256[] memory) {
        return SubstituteVolumes.scaleProfile(profileWh, targetWh);
    }

    /// @dev See {SubstituteVolumes-recalculationCharge}.
    function recalculationCharge(
        uint256 actualWh,
        uint256 price,
        uint256[] calldata billed
    ) external pure returns (uint256 actualAmount, uint256 billedTotal, int256 adjustment) {
        return SubstituteVolumes.recalculationCharge(actualWh, price, billed);
    }

    // ---- Losses ----

    /// @dev See {Losses-percentageLoss}.
    function percentageLoss(uint256 meteredWh, uint256 percentBp) external pure returns (uint256) {
        return Losses.percentageLoss(meteredWh, percentBp);
    }

    /// @dev See {Losses-transformerLoss}.
    function transformerLoss(Losses.Transformer calldata t) external pure returns (uint256) {
        return Losses.transformerLoss(t);
    }

    /// @dev See {Losses-lineLoss}.
    function lineLoss(Losses.Line calldata l) external pure returns (uint256) {
        return Losses.lineLoss(l);
    }

    /// @dev See {Losses-applyLossCorrection}.
    function applyLossCorrection(
        uint256 meteredWh,
        uint256 lossWh,
        Losses.LossDirection direction
    ) external pure returns (uint256) {
        return Losses.applyLossCorrection(meteredWh, lossWh, direction);
    }

    // ---- CommonHouse ----

    /// @dev See {CommonHouse-commonHouseShare}.
    function commonHouseShare(CommonHouse.Input calldata input) external pure returns (CommonHouse.Result memory) {
        return CommonHouse.commonHouseShare(input);
    }
}
