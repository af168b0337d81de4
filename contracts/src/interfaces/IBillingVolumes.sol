// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/interfaces/IBillingVolumes.sol)
pragma solidity ^0.8.27;

/**
 * @dev The custom errors of BillingVolumes, apart so that `Settlement` (which bubbles them up from
 * `closePeriod`) lists them in its ABI too.
 */
interface IBillingVolumesErrors {
    /// @dev `caller` is not the retail company (or, for the substitute reason, the grid company) of `accountId`.
    error BillingVolumesNotAccountParty(uint64 accountId, address caller);
    /// @dev A rule parameter is out of range (`what` names it).
    error BillingVolumesInvalidRules(bytes32 what);
    /// @dev `periodId` is before `lastPeriodId`, the latest period whose substitution state is recorded.
    error BillingVolumesPeriodOrder(uint64 accountId, uint32 periodId, uint32 lastPeriodId);
    /// @dev Register `register` of `meterId` went down across the replacement (final below the period-start
    /// snapshot, or end snapshot below the initial reading).
    error BillingVolumesReplacementReadings(uint64 accountId, uint64 meterId, uint256 register);
    /// @dev More than one meter replacement falls into `periodId`.
    error BillingVolumesMultipleReplacements(uint64 accountId, uint32 periodId);
}

/**
 * @dev The volumes an invoice bills (issue 3): the meter's period difference, across a meter
 * replacement (both meters), or a substitute volume when readings are missing (F-CHAIN-07,
 * billing-rules §3). `Settlement` asks for them once per invoice; volumes are Wh per register
 * T1-T4 and export.
 */
interface IBillingVolumes is IBillingVolumesErrors {
    /// @dev How a period's volume was obtained (the `method` of {VolumesSubstituted}).
    enum VolumeMethod {
        Metered,
        HouseholdAverage,
        HouseholdNorm,
        HouseholdIncreasedNorm,
        HouseholdTampering,
        LegalEntityAnalogousPeriod,
        LegalEntityNearestPeriod,
        LegalEntityMaxPower
    }

    /// @dev Why a household's readings are not used; set for an account by its retail or grid company.
    enum SubstituteReason {
        None,
        /// @dev The consumer twice refused access to the meter: a missing period is the norm × the refused-access multiplier.
        RefusedAccess,
        /// @dev Interference with the meter found: norm × the tampering multiplier for up to `tamperingMaxMonths` periods, readings or not.
        Tampering
    }

    /// @dev The regulated parameters of billing-rules §3, set by the operator (data, never constants).
    struct SubstituteRules {
        /// @dev Household average over the last `averagingWindow` periods with readings (6) ...
        uint16 averagingWindow;
        /// @dev ... of which at least `minimumHistory` (3) must exist ...
        uint16 minimumHistory;
        /// @dev ... for at most `maxAveragePeriods` (6) periods in a row; then the norm.
        uint16 maxAveragePeriods;
        /// @dev Refused access: norm × numerator / denominator (3/2).
        uint16 refusedAccessNumerator;
        uint16 refusedAccessDenominator;
        /// @dev Tampering: norm × numerator / denominator (10/1) for at most `tamperingMaxMonths` (3) periods.
        uint16 tamperingNumerator;
        uint16 tamperingDenominator;
        uint16 tamperingMaxMonths;
        /// @dev Legal entity: periods 1 … `legalEntitySubstitutePeriods` (2) by substitute data, then `P_max × T`.
        uint16 legalEntitySubstitutePeriods;
        /// @dev Periods per year: the analogous period of `p` is `p − periodsPerYear` (12).
        uint16 periodsPerYear;
    }

    /// @dev An account's substitute data, set by its retail company.
    struct AccountProfile {
        /// @dev Residents (households): the norm is `residents × normPerPersonWh` per period.
        uint32 residents;
        uint64 normPerPersonWh;
        /// @dev Maximum power from the grid-connection documents (legal entities), W.
        uint64 maxPowerW;
    }

    event SubstituteRulesSet(SubstituteRules rules);
    event AccountProfileSet(uint64 indexed accountId, AccountProfile profile);
    event SubstituteReasonSet(uint64 indexed accountId, SubstituteReason reason);
    /**
     * @dev The invoice `invoiceId` bills a substitute volume: `volumeWh` by `method`, split over the
     * registers as `registersWh`; `consecutivePeriods` substituted in a row including this one. `inputs`
     * by method — average: [sum of the history, periods in it, periods without readings, 0]; norms and
     * tampering: [residents, norm per person, multiplier numerator, denominator]; analogous period:
     * [its period id, its volume, 0, 0]; nearest period: [its period id, its volume, its seconds, this
     * period's seconds]; max power: [P_max W, hours, 0, 0].
     */
    event VolumesSubstituted(
        uint256 indexed invoiceId,
        VolumeMethod method,
        uint256 volumeWh,
        uint256 consecutivePeriods,
        uint256[4] inputs,
        uint256[4] registersWh
    );
    /**
     * @dev Readings came back after substituted periods: `meteredWh` (since the last real snapshot) less
     * `deductedWh`, the substitute volumes billed meanwhile (billing-rules §3.1, recalculation), is billed.
     */
    event VolumesRecalculated(uint256 indexed invoiceId, uint256[4] meteredWh, uint256[4] deductedWh);
    /**
     * @dev The invoice's period contains a meter replacement: `oldMeterWh` = old meter's final reading −
     * its period-start snapshot, `newMeterWh` = new meter's period-end snapshot − its initial reading
     * (T1-T4, export); the invoice bills their sum.
     */
    event VolumesAcrossReplacement(
        uint256 indexed invoiceId, uint64 oldMeterId, uint64 newMeterId, uint256[5] oldMeterWh, uint256[5] newMeterWh
    );

    /**
     * @dev The import volume (T1-T4, Wh, before loss correction) billed for `accountId`'s `periodId` when
     * it was not the plain difference of the account's meter snapshots: a substitute (`substituted`,
     * F-CHAIN-07; for a household under tampering the norm × multiplier) or the volume across a meter
     * replacement. `recorded` is false for a period billed from its snapshots or not closed yet. Common-house
     * needs (CommonHouseBilling) subtract it for premises "by meter or by norm" (billing-rules §5).
     */
    function billedVolume(uint64 accountId, uint32 periodId)
        external
        view
        returns (bool recorded, bool substituted, uint256 volumeWh);

    /**
     * @dev The volumes `Settlement` bills for `accountId` over `periodId` (ending at `end`) on behalf of
     * `caller` (who closes the period; must be the account's retail company): the snapshot difference,
     * across a meter replacement, or a substitute, then corrected for losses when the meter is not at
     * the balance boundary (emitting `IInvoices.InvoiceLossCorrected`). Records the substitution state.
     */
    function periodVolumes(address caller, uint64 accountId, uint32 periodId, uint32 end)
        external
        returns (uint256[5] memory volumes);
}
