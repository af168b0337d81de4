// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/pricing/HourlyBilling.sol)
pragma solidity ^0.8.27;

import {GridLedgerBase} from "../access/GridLedgerBase.sol";
import {IHourlyBilling} from "../interfaces/IHourlyBilling.sol";
import {IInvoices} from "../interfaces/IInvoices.sol";
import {IReadings} from "../interfaces/IReadings.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";
import {ITariffs} from "../interfaces/ITariffs.sol";
import {InvoiceMath} from "../billing/InvoiceMath.sol";
import {InvoiceLine, PriceComponents, VatMode} from "../billing/BillingTypes.sol";

/**
 * @dev Legal-entity price categories 3 and 4 (billing-rules §2; docs/billing.md, "ПЦК 3/4 on chain"),
 * a module beside Settlement (which has no room left):
 *
 * 1. The retail company publishes, per plan and period, the hourly energy prices (one per hour of the
 *    period), the capacity rate with each working day's АТС peak hour and, for ПЦК 4, the maintenance
 *    and loss rates with each working day's planned peak window ({publishHourlyPrices}). The whole data
 *    is emitted; only its keccak is stored (one slot instead of ~744).
 * 2. It bills an account ({billHourly}) supplying the same data (checked against the hash) and the
 *    period's hourly volumes, which must add up to the meter's register snapshots of the period
 *    ({IReadings-billingSnapshots}) and are emitted, so anyone can compare them with the half-hour
 *    records of the reading events. The capacity and network powers are taken from these hourly volumes
 *    at the published hours, not supplied separately. When the meter's grid company has attested the
 *    vector ({attestHourlyVolumes}) billing must supply exactly that vector; the operator can require
 *    the attestation ({setAttestationRequired}), so that the retail company alone cannot move volume
 *    between hours (two parties, as in Reconciliation).
 * 3. The invoice is computed with {InvoiceMath-computeInvoice} (the domain's `computeInvoice`, ПЦК 3/4
 *    schedule) and handed to Settlement ({IInvoices-recordModuleInvoice}), which stores it and emits the
 *    same events as period close; issue, payment, split and indexing are unchanged.
 *
 * Components (F-CHAIN-05 split): a published hourly price is the **energy** component; the plan's one
 * rate row holds the per-MWh adders (transmission Т1, retail markup СН, infrastructure И, and any
 * energy adder) billed on the period's total volume, as `planSchedule` does for ПЦК 3/4. Capacity is
 * energy; ПЦК 4 maintenance and losses are transmission (the plan then has no transmission adder).
 */
contract HourlyBilling is GridLedgerBase, IHourlyBilling {
    IRegistry private _registry;
    IReadings private _readings;
    ITariffs private _tariffs;
    IInvoices private _settlement;
    mapping(uint64 planId => mapping(uint32 periodId => bytes32)) private _pricesHash;
    mapping(uint256 invoiceId => bytes32) private _attestedVolumes;
    bool private _attestationRequired;

    function initialize(address admin, IRegistry registryAddress, IReadings readingsAddress, ITariffs tariffsAddress, IInvoices settlementAddress)
        external
        initializer
    {
        if (
            address(registryAddress) == address(0) || address(readingsAddress) == address(0)
                || address(tariffsAddress) == address(0) || address(settlementAddress) == address(0)
        ) revert HourlyBillingZeroAddress();
        __GridLedgerBase_init(admin);
        _registry = registryAddress;
        _readings = readingsAddress;
        _tariffs = tariffsAddress;
        _settlement = settlementAddress;
    }

    /**
     * @dev Publishes the hourly price data of a ПЦК 3/4 plan for a period (the guaranteeing supplier
     * publishes a month's prices after it ends). Publication is final.
     *
     * Requirements:
     * - the caller has {RETAIL_COMPANY_ROLE} and owns the plan's group; the plan is ПЦК 3 or 4 and is the
     *   version in effect at the period's end;
     * - the period and the previous one are scheduled; `prices` has one entry per hour between their ends;
     * - ПЦК 3 has no maintenance or loss rate; a capacity (maintenance) rate comes with at least one peak
     *   hour (window) and none without; hours and windows lie inside the period;
     * - nothing is published yet for the plan and period.
     *
     * Emits a {HourlyPricesPublished} event.
     */
    function publishHourlyPrices(uint64 planId, uint32 periodId, HourlyPrices calldata data)
        external
        onlyRole(RETAIL_COMPANY_ROLE)
        returns (bytes32 hash)
    {
        (ITariffs.Plan memory plan,) = _tariffs.getPlan(planId);
        if (!_isHourly(plan.kind)) revert HourlyBillingNotHourlyPlan(planId, plan.kind);
        if (_tariffs.getGroup(plan.groupId).retailCompany != msg.sender) revert HourlyBillingNotPlanOwner(planId, msg.sender);
        uint32 end = _readings.periodEnd(periodId);
        uint32 start = periodId > 1 ? _readings.periodEnd(periodId - 1) : 0;
        if (end == 0 || start == 0) revert HourlyBillingPeriodNotScheduled(periodId);
        // the version billing picks for the period ({ITariffs-planFor}): started before the end, not ended before it
        if (plan.validFrom >= end || (plan.validTo != 0 && plan.validTo < end)) {
            revert HourlyBillingPlanNotInEffect(planId, periodId, end);
        }
        uint256 hours_ = (end - start) / 3600;
        if (data.prices.length != hours_) revert HourlyBillingWrongHourCount(periodId, hours_, data.prices.length);
        _validateRates(plan.kind, data, hours_);
        if (_pricesHash[planId][periodId] != 0) revert HourlyBillingAlreadyPublished(planId, periodId);
        hash = keccak256(abi.encode(data));
        _pricesHash[planId][periodId] = hash;
        emit HourlyPricesPublished(planId, periodId, hash, plan.kind, data);
    }

    /**
     * @dev Computes the ПЦК 3/4 invoice of `accountId` for `periodId` and records it in Settlement.
     *
     * Requirements:
     * - the caller has {RETAIL_COMPANY_ROLE} and serves the account; the account is active, its meter at
     *   the balance boundary, no substitution state kept for it and its meter not replaced since the
     *   period's start; the period has ended and both snapshots exist;
     * - the account's plan for the period is ПЦК 3/4 and `data` is what was published for it;
     * - `hourlyVolumesWh` has one entry per hour and adds up to the import registers' consumption
     *   between the snapshots; it is the vector the grid company attested, if it did (or must have, when
     *   the operator requires it); no invoice exists yet (Settlement).
     *
     * Emits {HourlyVolumesBilled}; Settlement emits {IInvoices-InvoiceComputed} and {IInvoices-InvoiceLinesComputed}.
     */
    function billHourly(uint64 accountId, uint32 periodId, HourlyPrices calldata data, uint256[] calldata hourlyVolumesWh)
        external
        onlyRole(RETAIL_COMPANY_ROLE)
        returns (uint256 invoiceId)
    {
        uint32 end = _readings.periodEnd(periodId);
        if (end == 0 || end > block.timestamp) revert HourlyBillingPeriodNotEnded(periodId, end);
        uint256[5] memory volumes = _meteredVolumes(accountId, periodId);
        ITariffs.PlanData memory plan = _tariffs.billingPlanFor(accountId, periodId, end, false);
        bytes32 hash = _checkPrices(plan, periodId, data);
        uint256 total = _checkVolumes(accountId, periodId, volumes, data.prices.length, hourlyVolumesWh);
        bool attested = _checkAttestation(accountId, periodId, hourlyVolumesWh);
        _priceAndRecord(accountId, periodId, plan, data, hourlyVolumesWh, total, volumes);
        invoiceId = (uint256(accountId) << 32) | periodId;
        emit HourlyVolumesBilled(invoiceId, hash, attested, hourlyVolumesWh);
    }

    /**
     * @dev The grid company owning the account's meter attests the hourly volumes of a period, as it
     * rebuilds them from the meter's half-hour reading events; billing then accepts only that vector.
     * A later attestation replaces an earlier one (before billing).
     *
     * Requirements: the caller has {GRID_COMPANY_ROLE} and owns the account's meter.
     *
     * Emits a {HourlyVolumesAttested} event.
     */
    function attestHourlyVolumes(uint64 accountId, uint32 periodId, bytes32 volumesHash)
        external
        onlyRole(GRID_COMPANY_ROLE)
    {
        (, uint64 meterId,,,) = _registry.settlementState(accountId);
        if (_registry.getMeter(meterId).gridCompany != msg.sender) revert HourlyBillingNotMeterOwner(accountId, msg.sender);
        _attestedVolumes[(uint256(accountId) << 32) | periodId] = volumesHash;
        emit HourlyVolumesAttested(accountId, periodId, msg.sender, volumesHash);
    }

    /**
     * @dev Whether {billHourly} requires the grid company's attestation. Requirements: {OPERATOR_ROLE}.
     *
     * Emits an {AttestationRequirementSet} event.
     */
    function setAttestationRequired(bool required) external onlyRole(OPERATOR_ROLE) {
        _attestationRequired = required;
        emit AttestationRequirementSet(required);
    }

    /// @dev The attested hash of the hourly volumes of an invoice (zero when none) and whether it is required.
    function attestation(uint256 invoiceId) external view returns (bytes32 volumesHash, bool required) {
        return (_attestedVolumes[invoiceId], _attestationRequired);
    }

    /// @inheritdoc IHourlyBilling
    function pricesHash(uint64 planId, uint32 periodId) external view returns (bytes32) {
        return _pricesHash[planId][periodId];
    }

    /// @dev The hash {publishHourlyPrices} stores for `data` (for off-chain tools).
    function hashHourlyPrices(HourlyPrices calldata data) external pure returns (bytes32) {
        return keccak256(abi.encode(data));
    }

    // ------------------------------------------------------------------ internal

    function _isHourly(ITariffs.TariffKind kind) private pure returns (bool) {
        return kind == ITariffs.TariffKind.PriceCategory3 || kind == ITariffs.TariffKind.PriceCategory4;
    }

    function _validateRates(ITariffs.TariffKind kind, HourlyPrices calldata data, uint256 hours_) private pure {
        bool pck3 = kind == ITariffs.TariffKind.PriceCategory3;
        if (
            (pck3 && (data.maintenanceRate != 0 || data.lossRate != 0))
                || (data.capacityRate == 0) != (data.capacityHours.length == 0)
                || (data.maintenanceRate == 0) != (data.networkWindows.length == 0)
        ) revert HourlyBillingInvalidRates(kind, data.capacityRate, data.maintenanceRate, data.lossRate);
        for (uint256 i = 0; i < data.capacityHours.length; ++i) {
            if (data.capacityHours[i] >= hours_) revert HourlyBillingHourOutOfRange(i, data.capacityHours[i], hours_);
        }
        for (uint256 i = 0; i < data.networkWindows.length; ++i) {
            uint256 window = data.networkWindows[i];
            uint256 count = window & 0xff;
            // first hour below 2^32 keeps first + count far from overflow
            if (count == 0 || window >> 8 > type(uint32).max || (window >> 8) + count > hours_) {
                revert HourlyBillingHourOutOfRange(i, window, hours_);
            }
        }
    }

    /// @dev Computes the invoice ({InvoiceMath-computeInvoice}) and records it in Settlement.
    function _priceAndRecord(
        uint64 accountId,
        uint32 periodId,
        ITariffs.PlanData memory plan,
        HourlyPrices calldata data,
        uint256[] calldata hourlyVolumesWh,
        uint256 total,
        uint256[5] memory volumes
    ) private {
        InvoiceMath.Invoice memory priced = InvoiceMath.computeInvoice(_invoiceInput(plan, data, hourlyVolumesWh, total));
        _settlement.recordModuleInvoice(
            accountId, periodId, plan.planId, priced.payableByComponent, priced.vat, volumes, _packLines(priced.lines)
        );
    }

    /// @dev The plan is ПЦК 3/4 and `data` is what was published for it and the period; returns its hash.
    function _checkPrices(ITariffs.PlanData memory plan, uint32 periodId, HourlyPrices calldata data)
        private
        view
        returns (bytes32 hash)
    {
        if (!_isHourly(plan.plan.kind)) revert HourlyBillingNotHourlyPlan(plan.planId, plan.plan.kind);
        hash = keccak256(abi.encode(data));
        bytes32 published = _pricesHash[plan.planId][periodId];
        if (published == 0) revert HourlyBillingNotPublished(plan.planId, periodId);
        if (published != hash) revert HourlyBillingPricesMismatch(plan.planId, periodId, published, hash);
    }

    /// @dev The grid company's attestation, if any, names exactly these volumes; one is required when the
    /// operator said so. Returns whether the volumes were attested.
    function _checkAttestation(uint64 accountId, uint32 periodId, uint256[] calldata hourlyVolumesWh)
        private
        view
        returns (bool)
    {
        bytes32 attested = _attestedVolumes[(uint256(accountId) << 32) | periodId];
        if (attested == 0 && !_attestationRequired) return false;
        bytes32 supplied = keccak256(abi.encodePacked(hourlyVolumesWh));
        if (attested != supplied) revert HourlyBillingVolumesNotAttested(accountId, periodId, attested, supplied);
        return true;
    }

    /// @dev One volume per hour, adding up to the metered import total, which is returned.
    function _checkVolumes(
        uint64 accountId,
        uint32 periodId,
        uint256[5] memory volumes,
        uint256 hours_,
        uint256[] calldata hourlyVolumesWh
    ) private pure returns (uint256 metered) {
        if (hourlyVolumesWh.length != hours_) revert HourlyBillingWrongHourCount(periodId, hours_, hourlyVolumesWh.length);
        metered = volumes[0] + volumes[1] + volumes[2] + volumes[3];
        uint256 supplied;
        for (uint256 h = 0; h < hours_; ++h) supplied += hourlyVolumesWh[h];
        if (supplied != metered) revert HourlyBillingVolumeMismatch(accountId, periodId, metered, supplied);
    }

    /// @dev Consumption per import register T1-T4 and export over the period, after the account checks.
    function _meteredVolumes(uint64 accountId, uint32 periodId) private view returns (uint256[5] memory volumes) {
        (address retailCompany, uint64 meterId, bool active, bool exportCapable, bool viaModule) =
            _registry.settlementState(accountId);
        if (retailCompany != msg.sender) revert HourlyBillingNotRetailCompany(accountId, msg.sender);
        if (!active) revert HourlyBillingInactiveAccount(accountId);
        // a replacement since the period's start: the account's meter did not measure the whole period
        // (checked first: the replacement also routes the account to BillingVolumes, see below)
        IRegistry.MeterReplacement[] memory replacements = _registry.meterReplacements(accountId);
        if (replacements.length != 0) {
            uint32 replacedAt = replacements[replacements.length - 1].replacedAt;
            if (replacedAt > _readings.periodEnd(periodId - 1)) revert HourlyBillingMeterReplaced(accountId, replacedAt);
        }
        // loss correction and substitution state live in BillingVolumes, which period close alone drives; a
        // replacement before this period also routes the account there until BillingVolumes bills a period
        // after it, which never happens for ПЦК 3/4 (period close refuses hourly plans): not a reason here
        if (viaModule) {
            (bool flagged,) = _registry.volumesRoute(accountId);
            (,,,, bool atBalanceBoundary,,) = _registry.settlementInfo(accountId);
            if (flagged || !atBalanceBoundary) revert HourlyBillingVolumesNotPlain(accountId, meterId);
        }
        (uint256 previous, uint256 current, uint256 previousExport, uint256 currentExport) =
            _readings.billingSnapshots(meterId, periodId, exportCapable);
        if (previous == 0 || current == 0) revert HourlyBillingMissingSnapshot(accountId, meterId, periodId);
        for (uint256 k = 0; k < 4; ++k) {
            uint256 shift = 176 - 48 * k;
            volumes[k] = ((current >> shift) & 0xffffffffffff) - ((previous >> shift) & 0xffffffffffff);
        }
        volumes[4] = (currentExport >> 176) - (previousExport >> 176);
    }

    /// @dev The ПЦК 3/4 schedule of `planSchedule`: one zone with the total priced by the adders, the
    /// hourly energy, capacity from the АТС-hour volumes, ПЦК 4 maintenance from the daily window maxima
    /// and losses on the total. Export is not priced here (no module export credit).
    function _invoiceInput(
        ITariffs.PlanData memory plan,
        HourlyPrices calldata data,
        uint256[] calldata hourlyVolumesWh,
        uint256 total
    ) private pure returns (InvoiceMath.InvoiceInput memory input) {
        input.zoneVolumes = new uint256[](1);
        input.zoneVolumes[0] = total;
        input.thresholdNumerator = 1;
        input.thresholdDenominator = 1;
        uint64[4] memory row = plan.rates[0];
        input.prices = new PriceComponents[](1);
        input.prices[0] = PriceComponents(row[0], row[1], row[2], row[3]);
        input.hourlyVolumes = hourlyVolumesWh;
        input.hourlyPrices = data.prices;
        input.capacityRate = data.capacityRate;
        input.capacityDailyVolumes = new uint256[](data.capacityHours.length);
        for (uint256 d = 0; d < data.capacityHours.length; ++d) {
            input.capacityDailyVolumes[d] = hourlyVolumesWh[data.capacityHours[d]];
        }
        if (plan.plan.kind == ITariffs.TariffKind.PriceCategory4) {
            input.maintenanceRate = data.maintenanceRate;
            input.lossRate = data.lossRate;
            input.networkDailyMaxima = new uint256[](data.networkWindows.length);
            for (uint256 d = 0; d < data.networkWindows.length; ++d) {
                uint256 first = data.networkWindows[d] >> 8;
                uint256 last = first + (data.networkWindows[d] & 0xff);
                uint256 maximum;
                for (uint256 h = first; h < last; ++h) {
                    if (hourlyVolumesWh[h] > maximum) maximum = hourlyVolumesWh[h];
                }
                input.networkDailyMaxima[d] = maximum;
            }
        }
        input.vatMode = plan.plan.vatBp == 0 ? VatMode.None : VatMode.Added;
        input.vatRateBp = plan.plan.vatBp;
    }

    /// @dev One word per line, the layout of {IInvoices-InvoiceLinesComputed}.
    function _packLines(InvoiceLine[] memory lines) private pure returns (uint256[] memory packed) {
        packed = new uint256[](lines.length);
        for (uint256 i = 0; i < lines.length; ++i) {
            InvoiceLine memory line = lines[i];
            packed[i] = (uint256(uint8(line.kind)) << 248) | (uint256(line.zone) << 240) | (uint256(line.range) << 232)
                | (uint256(uint8(line.component)) << 224) | (uint256(uint64(line.quantity)) << 160)
                | (uint256(uint64(line.rate)) << 96) | (uint256(uint64(line.amount)) << 32);
        }
    }
}
