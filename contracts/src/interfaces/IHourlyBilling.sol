// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/interfaces/IHourlyBilling.sol)
pragma solidity ^0.8.27;

import {ITariffs} from "./ITariffs.sol";

/**
 * @dev Legal-entity price categories 3 and 4 billed on chain (F-CHAIN-02, F-CHAIN-12): the retail
 * company publishes each period's hourly prices per plan, and bills an account with the period's hourly
 * volumes; the invoice goes to Settlement (`recordModuleInvoice`). Prices in kop/MWh (0.01 RUB/MWh),
 * capacity and maintenance rates in kop/MW per month, volumes in Wh (docs/billing.md, "ПЦК 3/4 on chain").
 */
interface IHourlyBilling {
    /**
     * @dev The price data of one plan for one period. Only its hash is stored; billing supplies it
     * again as calldata.
     */
    struct HourlyPrices {
        /// @dev The energy component of each hour of the period, in order (one per hour from the previous
        /// period's end): the hourly price without the plan's per-MWh adders.
        uint256[] prices;
        /// @dev ЦМ, kop/MW per month (0: no capacity line).
        uint256 capacityRate;
        /// @dev ПЦК 4: Т_сод, kop/MW per month; 0 for ПЦК 3.
        uint256 maintenanceRate;
        /// @dev ПЦК 4: Т_пот, kop/MWh; 0 for ПЦК 3.
        uint256 lossRate;
        /// @dev The АТС peak hour of each working day: its index in `prices` (P_cons averages these hours).
        uint256[] capacityHours;
        /// @dev ПЦК 4: each working day's planned peak window `firstHour << 8 | hourCount` (indexes in
        /// `prices`); P_net averages the daily maxima inside the windows.
        uint256[] networkWindows;
    }

    /// @dev Everything published, so anyone can check what invoices were priced with.
    event HourlyPricesPublished(
        uint64 indexed planId, uint32 indexed periodId, bytes32 pricesHash, ITariffs.TariffKind kind, HourlyPrices data
    );
    /// @dev The hourly volumes an invoice was computed from (they sum to the meter's snapshot difference;
    /// `attested`: the meter's grid company attested the same vector).
    event HourlyVolumesBilled(uint256 indexed invoiceId, bytes32 pricesHash, bool attested, uint256[] hourlyVolumesWh);
    /// @dev The grid company owning the account's meter attests the period's hourly volumes (their
    /// `keccak256(abi.encodePacked(volumes))`), rebuilt from the meter's reading events.
    event HourlyVolumesAttested(uint64 indexed accountId, uint32 indexed periodId, address gridCompany, bytes32 volumesHash);
    /// @dev Whether billing requires the grid company's attestation of the hourly volumes.
    event AttestationRequirementSet(bool required);

    /// @dev The plan is not a ПЦК 3/4 plan (or unknown).
    error HourlyBillingNotHourlyPlan(uint64 planId, ITariffs.TariffKind kind);
    /// @dev `caller` is not the retail company owning the plan's group.
    error HourlyBillingNotPlanOwner(uint64 planId, address caller);
    /// @dev The period or the previous one is not scheduled, so its hours are unknown.
    error HourlyBillingPeriodNotScheduled(uint32 periodId);
    /// @dev The plan's version does not apply at the period's end (billing would pick another one).
    error HourlyBillingPlanNotInEffect(uint64 planId, uint32 periodId, uint32 periodEnd);
    /// @dev A vector does not have one entry per hour of the period.
    error HourlyBillingWrongHourCount(uint32 periodId, uint256 expectedHours, uint256 actual);
    /// @dev The rates do not fit the kind (ПЦК 3: no maintenance/loss rate; a rate without its hours or windows).
    error HourlyBillingInvalidRates(ITariffs.TariffKind kind, uint256 capacityRate, uint256 maintenanceRate, uint256 lossRate);
    /// @dev A peak hour or window (entry `index`) lies outside the period's `hours_` hours, or is empty.
    error HourlyBillingHourOutOfRange(uint256 index, uint256 value, uint256 hours_);
    /// @dev Prices for the plan and period are already published (publication is final).
    error HourlyBillingAlreadyPublished(uint64 planId, uint32 periodId);
    /// @dev No prices published for the plan and period.
    error HourlyBillingNotPublished(uint64 planId, uint32 periodId);
    /// @dev The supplied price data is not what was published.
    error HourlyBillingPricesMismatch(uint64 planId, uint32 periodId, bytes32 published, bytes32 supplied);
    /// @dev The hourly volumes do not add up to the meter's register snapshots over the period.
    error HourlyBillingVolumeMismatch(uint64 accountId, uint32 periodId, uint256 meteredWh, uint256 suppliedWh);
    /// @dev `caller` is not the retail company serving `accountId`.
    error HourlyBillingNotRetailCompany(uint64 accountId, address caller);
    /// @dev The account is inactive.
    error HourlyBillingInactiveAccount(uint64 accountId);
    /// @dev The period has not ended at `periodEnd` (0: not scheduled).
    error HourlyBillingPeriodNotEnded(uint32 periodId, uint32 periodEnd);
    /// @dev A register snapshot at the start or end of the period is missing.
    error HourlyBillingMissingSnapshot(uint64 accountId, uint64 meterId, uint32 periodId);
    /// @dev The account's volumes are not the plain snapshot difference of its meter — the meter is not at
    /// the balance boundary (loss correction) or BillingVolumes keeps substitution state for the account
    /// ({IRegistry-settlementState} `viaModule`): not supported for hourly billing yet.
    error HourlyBillingVolumesNotPlain(uint64 accountId, uint64 meterId);
    /// @dev The account's meter was replaced at `replacedAt`, after the period's start: the period is
    /// measured by two meters (billed by period close with BillingVolumes), or by another meter.
    error HourlyBillingMeterReplaced(uint64 accountId, uint32 replacedAt);
    /// @dev `caller` is not the grid company owning the account's meter.
    error HourlyBillingNotMeterOwner(uint64 accountId, address caller);
    /// @dev The hourly volumes are not the ones the grid company attested (`attested` 0: none, while
    /// attestation is required).
    error HourlyBillingVolumesNotAttested(uint64 accountId, uint32 periodId, bytes32 attested, bytes32 supplied);
    /// @dev `initialize` got a zero address.
    error HourlyBillingZeroAddress();

    /// @dev Publishes a plan's hourly prices for a period; returns their hash.
    function publishHourlyPrices(uint64 planId, uint32 periodId, HourlyPrices calldata data) external returns (bytes32);
    /// @dev Computes the account's ПЦК 3/4 invoice for the period and records it in Settlement.
    function billHourly(uint64 accountId, uint32 periodId, HourlyPrices calldata data, uint256[] calldata hourlyVolumesWh)
        external
        returns (uint256 invoiceId);
    /// @dev The hash of the published price data (zero when none).
    function pricesHash(uint64 planId, uint32 periodId) external view returns (bytes32);
}
