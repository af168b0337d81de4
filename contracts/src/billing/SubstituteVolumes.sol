// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {BillingMath} from "./BillingMath.sol";
import {
    BillingInvalidCount,
    BillingInvalidPhases,
    BillingInvalidRatio,
    BillingKnownExceedsRegister,
    BillingNoSubstituteData,
    BillingZeroWeights
} from "./BillingTypes.sol";

/**
 * @title SubstituteVolumes
 * @dev Volumes when readings are missing or unusable (ПП 354 for households, ОП 442 for legal
 * entities), gap filling and recalculation. Every regulated number is an argument.
 * Mirrors domain/src/billing/substitutes.
 */
library SubstituteVolumes {
    enum HouseholdReason {
        MissingReadings,
        MeterFailed,
        RefusedAccess,
        Tampering
    }

    enum HouseholdMethod {
        Average,
        Norm,
        IncreasedNorm,
        Tampering
    }

    enum LegalEntityMethod {
        AnalogousPeriod,
        NearestPeriod,
        MaxPower,
        CableCapacity
    }

    /// @dev Inputs of {householdSubstituteVolume}; see `HouseholdSubstituteVolumeParameters` in TypeScript.
    struct HouseholdInput {
        HouseholdReason reason;
        uint256[] history;
        uint256 averagingWindow;
        uint256 minimumHistory;
        uint256 periodsWithoutReadings;
        uint256 maxAveragePeriods;
        uint256 residents;
        uint256 normPerPersonWh;
        uint256 refusedAccessNumerator;
        uint256 refusedAccessDenominator;
        uint256 tamperingNumerator;
        uint256 tamperingDenominator;
        uint256 tamperingMonths;
        uint256 tamperingMaxMonths;
    }

    /// @dev Cable data for the cable-capacity method.
    struct Cable {
        uint256 phases;
        uint256 phaseVoltageV;
        uint256 currentA;
        uint256 powerFactorBp;
    }

    /// @dev Inputs of {legalEntitySubstituteVolume}; `has*` flags stand for TypeScript's nulls.
    struct LegalEntityInput {
        uint256 consecutivePeriod;
        uint256 substitutePeriods;
        bool hasAnalogousPeriod;
        uint256 analogousPeriodWh;
        bool hasNearestPeriod;
        uint256 nearestVolumeWh;
        uint256 nearestDays;
        uint256 currentDays;
        bool hasMaxPower;
        uint256 maxPowerW;
        uint256 hours_;
        bool hasCable;
        Cable cable;
    }

    /**
     * @dev Household substitute volume: average of the last `averagingWindow` periods (half-up to Wh)
     * while within `maxAveragePeriods` and with at least `minimumHistory` periods, else the norm
     * `residents × norm`; × the refused-access multiplier; × the tampering multiplier for
     * min(tamperingMonths, tamperingMaxMonths) periods. Mirrors `householdSubstituteVolume`.
     */
    function householdSubstituteVolume(
        HouseholdInput memory input
    ) internal pure returns (HouseholdMethod method, uint256 volumeWh, uint256 periods, uint256 totalWh) {
        if (input.refusedAccessDenominator == 0) {
            revert BillingInvalidRatio(input.refusedAccessNumerator, input.refusedAccessDenominator);
        }
        if (input.tamperingDenominator == 0) revert BillingInvalidRatio(input.tamperingNumerator, input.tamperingDenominator);
        uint256 norm = input.residents * input.normPerPersonWh;
        periods = 1;
        if (input.reason == HouseholdReason.Tampering) {
            periods = input.tamperingMonths < input.tamperingMaxMonths ? input.tamperingMonths : input.tamperingMaxMonths;
            if (periods == 0) revert BillingInvalidCount(periods);
            method = HouseholdMethod.Tampering;
            volumeWh = BillingMath.mulDiv(
                norm, input.tamperingNumerator, input.tamperingDenominator, BillingMath.Rounding.HalfUp
            );
        } else if (input.reason == HouseholdReason.RefusedAccess) {
            method = HouseholdMethod.IncreasedNorm;
            volumeWh = BillingMath.mulDiv(
                norm, input.refusedAccessNumerator, input.refusedAccessDenominator, BillingMath.Rounding.HalfUp
            );
        } else {
            if (input.averagingWindow == 0 || input.minimumHistory == 0 || input.periodsWithoutReadings == 0) {
                revert BillingInvalidCount(0);
            }
            uint256 length = input.history.length;
            uint256 window = length < input.averagingWindow ? length : input.averagingWindow;
            if (input.periodsWithoutReadings <= input.maxAveragePeriods && window >= input.minimumHistory) {
                uint256 sum;
                for (uint256 i = length - window; i < length; ++i) sum += input.history[i];
                method = HouseholdMethod.Average;
                volumeWh = BillingMath.divide(sum, window, BillingMath.Rounding.HalfUp);
            } else {
                method = HouseholdMethod.Norm;
                volumeWh = norm;
            }
        }
        totalWh = volumeWh * periods;
    }

    /**
     * @dev Legal-entity volume without usable readings: for the first `substitutePeriods` periods the
     * same month last year, else the nearest period's volume × current days / its days (half-up to Wh);
     * then `P_max × T`, or the cable capacity without P_max. Mirrors `legalEntitySubstituteVolume`.
     */
    function legalEntitySubstituteVolume(
        LegalEntityInput memory input
    ) internal pure returns (LegalEntityMethod method, uint256 volumeWh) {
        if (input.consecutivePeriod == 0) revert BillingInvalidCount(0);
        if (input.consecutivePeriod <= input.substitutePeriods) {
            if (input.hasAnalogousPeriod) return (LegalEntityMethod.AnalogousPeriod, input.analogousPeriodWh);
            if (input.hasNearestPeriod) {
                if (input.nearestDays == 0) revert BillingInvalidCount(0);
                return (
                    LegalEntityMethod.NearestPeriod,
                    BillingMath.mulDiv(
                        input.nearestVolumeWh, input.currentDays, input.nearestDays, BillingMath.Rounding.HalfUp
                    )
                );
            }
        }
        if (input.hasMaxPower) return (LegalEntityMethod.MaxPower, input.maxPowerW * input.hours_);
        if (input.hasCable) {
            Cable memory c = input.cable;
            return (
                LegalEntityMethod.CableCapacity,
                cableCapacityVolume(c.phases, c.phaseVoltageV, c.currentA, c.powerFactorBp, input.hours_)
            );
        }
        revert BillingNoSubstituteData();
    }

    /// @dev `phases × U_ф × I × cos φ × T`, Wh, rounded half-up once. Mirrors `cableCapacityVolume`.
    function cableCapacityVolume(
        uint256 phases,
        uint256 phaseVoltageV,
        uint256 currentA,
        uint256 powerFactorBp,
        uint256 hours_
    ) internal pure returns (uint256) {
        if (phases != 1 && phases != 3) revert BillingInvalidPhases(phases);
        return BillingMath.divide(
            phases * phaseVoltageV * currentA * powerFactorBp * hours_, BillingMath.BASIS_POINTS, BillingMath.Rounding.HalfUp
        );
    }

    /**
     * @dev Fills `missingCount` missing intervals from the integral register: floor((register − known) / n)
     * each, the last gets the remainder. Mirrors `fillIntervalGaps`.
     */
    function fillIntervalGaps(
        uint256 registerWh,
        uint256 knownWh,
        uint256 missingCount
    ) internal pure returns (uint256[] memory volumes) {
        if (missingCount == 0) revert BillingInvalidCount(0);
        if (registerWh < knownWh) revert BillingKnownExceedsRegister(registerWh, knownWh);
        uint256 residual = registerWh - knownWh;
        uint256 each = residual / missingCount;
        volumes = new uint256[](missingCount);
        for (uint256 i = 0; i + 1 < missingCount; ++i) volumes[i] = each;
        volumes[missingCount - 1] = residual - each * (missingCount - 1);
    }

    /**
     * @dev Scales a reference hourly profile to sum to `targetWh`: floor(target × p_h / Σp) for every
     * hour but the last, which gets the remainder. Mirrors `scaleProfile`.
     *
     * Requirements:
     * - the profile is not empty and does not sum to zero.
     */
    function scaleProfile(uint256[] memory profileWh, uint256 targetWh) internal pure returns (uint256[] memory scaled) {
        uint256 total;
        for (uint256 h = 0; h < profileWh.length; ++h) total += profileWh[h];
        if (total == 0) revert BillingZeroWeights(targetWh);
        scaled = new uint256[](profileWh.length);
        uint256 given;
        for (uint256 h = 0; h + 1 < profileWh.length; ++h) {
            scaled[h] = BillingMath.mulDiv(targetWh, profileWh[h], total, BillingMath.Rounding.Floor);
            given += scaled[h];
        }
        scaled[profileWh.length - 1] = targetWh - given;
    }

    /**
     * @dev Recalculation after an averaged gap: the actual volume priced as one line minus what was
     * billed; positive = additional charge, negative = credit. Mirrors `recalculationCharge`.
     */
    function recalculationCharge(
        uint256 actualWh,
        uint256 price,
        uint256[] memory billed
    ) internal pure returns (uint256 actualAmount, uint256 billedTotal, int256 adjustment) {
        actualAmount = BillingMath.energyCost(actualWh, price);
        for (uint256 i = 0; i < billed.length; ++i) billedTotal += billed[i];
        adjustment = SafeCast.toInt256(actualAmount) - SafeCast.toInt256(billedTotal);
    }
}
