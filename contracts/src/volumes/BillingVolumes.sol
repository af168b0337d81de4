// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/volumes/BillingVolumes.sol)
pragma solidity ^0.8.27;

import {GridLedgerBase} from "../access/GridLedgerBase.sol";
import {IBillingVolumes} from "../interfaces/IBillingVolumes.sol";
import {IInvoices} from "../interfaces/IInvoices.sol";
import {IReadings} from "../interfaces/IReadings.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";
import {SubstituteVolumes} from "../billing/SubstituteVolumes.sol";

/**
 * @dev The volumes of an invoice, kept out of `Settlement` (which is at the 24,576-byte limit):
 *
 * - the meter's period difference from the {Readings} snapshots (Settlement takes it itself while the
 *   Registry's flag for the account is down and both snapshots exist: no call here on that path);
 * - across a meter replacement recorded in the {Registry}: `(old final − old start snapshot) + (new end
 *   snapshot − new initial)` per register;
 * - a substitute volume when a snapshot is missing (F-CHAIN-07, billing-rules §3) with
 *   {SubstituteVolumes}: households the average of the last periods with readings, then the norm,
 *   the refused-access and tampering multipliers; legal entities the same period last year, the nearest
 *   period with readings, then `P_max × T`. When readings come back, the substitute volumes billed
 *   meanwhile are deducted from the metered volume (recalculation).
 *
 * State per account, one slot (`_states`): `lastPeriod:32 | consecutive:16 | reason:8 | pending T1-T4
 * 4 x 48 | 8 unused`, zero while an account is billed from its readings; the Registry's flag
 * ({IRegistry-settlementState}) is up exactly while it is not. Only {SETTLEMENT_ROLE} (the Settlement
 * proxy) changes it through invoices. Before a change, the previous word is
 * kept per invoice (`_undo`) so that closing the same period again after a cancellation restarts from
 * it rather than counting the period twice.
 */
contract BillingVolumes is GridLedgerBase, IBillingVolumes {
    /// @dev Granted to the Settlement proxy: the only caller that may record substitution state.
    bytes32 public constant SETTLEMENT_ROLE = keccak256("SETTLEMENT_ROLE");

    uint256 private constant _MASK48 = (1 << 48) - 1;
    uint256 private constant _REASON_SHIFT = 200;
    uint256 private constant _CONSECUTIVE_SHIFT = 208;
    uint256 private constant _PERIOD_SHIFT = 224;

    mapping(uint64 accountId => uint256) private _states;
    mapping(uint256 invoiceId => uint256) private _undo;
    mapping(uint64 accountId => AccountProfile) private _profiles;
    SubstituteRules private _rules;
    /// @dev Per invoice id, the import volume (T1-T4, before loss correction) billed for a period that was
    /// not the account's plain snapshot difference — a substitute (`_SUBSTITUTED`) or across a meter
    /// replacement — with `_RECORDED` set; written on the module path only ({billedVolume}).
    mapping(uint256 invoiceId => uint256) private _billedVolumes;

    uint256 private constant _RECORDED = 1 << 255;
    uint256 private constant _SUBSTITUTED = 1 << 254;

    IRegistry internal immutable _registry;
    IReadings internal immutable _readings;

    /// @dev What the slow path works with (kept in memory: too many values for the stack).
    struct _Context {
        uint64 accountId;
        uint32 periodId;
        uint64 meterId;
        bool exportCapable;
        uint32 start;
        uint32 end;
        uint256 invoiceId;
        uint256 previous;
        uint256 current;
        uint256 previousExport;
        uint256 currentExport;
        uint256 record;
    }

    /// @dev The state word unpacked.
    struct _State {
        uint32 lastPeriod;
        uint256 consecutive;
        SubstituteReason reason;
        uint256[4] pending;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor state-variable-immutable
    constructor(IRegistry registryAddress, IReadings readingsAddress) {
        _registry = registryAddress;
        _readings = readingsAddress;
    }

    function initialize(address admin) external initializer {
        __GridLedgerBase_init(admin);
    }

    // ------------------------------------------------------------------ parameters

    /**
     * @dev Sets the regulated substitute parameters (billing-rules §3).
     *
     * Requirements: the caller has {OPERATOR_ROLE}; window, minimum history, denominators and periods per
     * year are not zero; the minimum history does not exceed the window.
     *
     * Emits a {SubstituteRulesSet} event.
     */
    function setSubstituteRules(SubstituteRules calldata rules) external onlyRole(OPERATOR_ROLE) {
        if (rules.averagingWindow == 0 || rules.minimumHistory == 0 || rules.minimumHistory > rules.averagingWindow) {
            revert BillingVolumesInvalidRules("averagingWindow");
        }
        if (rules.refusedAccessDenominator == 0 || rules.tamperingDenominator == 0) {
            revert BillingVolumesInvalidRules("denominator");
        }
        if (rules.periodsPerYear == 0) revert BillingVolumesInvalidRules("periodsPerYear");
        _rules = rules;
        emit SubstituteRulesSet(rules);
    }

    function substituteRules() external view returns (SubstituteRules memory) {
        return _rules;
    }

    /**
     * @dev Sets the substitute data of `accountId` (residents and norm, maximum power).
     *
     * Requirements: the caller has {RETAIL_COMPANY_ROLE} and serves the account.
     *
     * Emits an {AccountProfileSet} event.
     */
    function setAccountProfile(uint64 accountId, AccountProfile calldata profile)
        external
        onlyRole(RETAIL_COMPANY_ROLE)
    {
        if (_registry.billingInfo(accountId).retailCompany != msg.sender) {
            revert BillingVolumesNotAccountParty(accountId, msg.sender);
        }
        _profiles[accountId] = profile;
        emit AccountProfileSet(accountId, profile);
    }

    function accountProfile(uint64 accountId) external view returns (AccountProfile memory) {
        return _profiles[accountId];
    }

    /**
     * @dev Sets (or clears with `None`) why the household's readings are not used: refused access or
     * tampering (found at an inspection).
     *
     * Requirements: the caller is the account's retail company with {RETAIL_COMPANY_ROLE} or its grid
     * company with {GRID_COMPANY_ROLE}.
     *
     * Emits a {SubstituteReasonSet} event.
     */
    function setSubstituteReason(uint64 accountId, SubstituteReason reason) external {
        IRegistry.ConsumerAccount memory account = _registry.getAccount(accountId);
        bool party = (msg.sender == account.retailCompany && hasRole(RETAIL_COMPANY_ROLE, msg.sender))
            || (msg.sender == account.gridCompany && hasRole(GRID_COMPANY_ROLE, msg.sender));
        if (!party || account.retailCompany == address(0)) revert BillingVolumesNotAccountParty(accountId, msg.sender);
        uint256 state = _states[accountId];
        _setState(accountId, state, (state & ~(uint256(0xff) << _REASON_SHIFT)) | (uint256(uint8(reason)) << _REASON_SHIFT));
        emit SubstituteReasonSet(accountId, reason);
    }

    /// @dev The account's state: last period with recorded substitution state, periods substituted in a
    /// row, the reason, and the substitute volumes (T1-T4) billed since the last real snapshot.
    function substitutionState(uint64 accountId)
        external
        view
        returns (uint32 lastPeriod, uint256 consecutive, SubstituteReason reason, uint256[4] memory pendingWh)
    {
        _State memory s = _unpack(_states[accountId]);
        return (s.lastPeriod, s.consecutive, s.reason, s.pending);
    }

    /// @inheritdoc IBillingVolumes
    function billedVolume(uint64 accountId, uint32 periodId)
        external
        view
        returns (bool recorded, bool substituted, uint256 volumeWh)
    {
        uint256 word = _billedVolumes[(uint256(accountId) << 32) | periodId];
        return (word & _RECORDED != 0, word & _SUBSTITUTED != 0, word & ~(_RECORDED | _SUBSTITUTED));
    }

    // ------------------------------------------------------------------ volumes

    /// @inheritdoc IBillingVolumes
    function periodVolumes(address caller, uint64 accountId, uint32 periodId, uint32 end)
        external
        returns (uint256[5] memory volumes)
    {
        address retailCompany;
        bool active;
        bool atBalanceBoundary;
        _Context memory c;
        (retailCompany, c.meterId, active, c.exportCapable, atBalanceBoundary,,) = _registry.settlementInfo(accountId);
        if (retailCompany != caller) revert IInvoices.InvoiceNotRetailCompany(accountId, caller);
        if (!active) revert IInvoices.InvoiceInactiveAccount(accountId);
        (c.previous, c.current, c.previousExport, c.currentExport) =
            _readings.billingSnapshots(c.meterId, periodId, c.exportCapable);
        uint256 state = _states[accountId];
        // a meter replacement with no billed period after it: the period may contain it (or follow it, when a
        // period closes late), so the account's current meter's difference is not the answer
        (, uint32 replacedAt) = _registry.volumesRoute(accountId);
        bool plain = state == 0 && replacedAt == 0 && c.previous != 0 && c.current != 0;
        if (plain && atBalanceBoundary) {
            // what Settlement computes itself: nothing recorded, so anyone may ask
            _difference(c.previous, c.current, volumes);
            volumes[4] = (c.currentExport >> 176) - (c.previousExport >> 176);
            return volumes;
        }
        _checkRole(SETTLEMENT_ROLE);
        c.accountId = accountId;
        c.periodId = periodId;
        c.end = end;
        c.start = _readings.periodEnd(periodId - 1);
        c.invoiceId = (uint256(accountId) << 32) | periodId;
        if (plain) {
            _difference(c.previous, c.current, volumes);
            volumes[4] = (c.currentExport >> 176) - (c.previousExport >> 176);
        } else {
            volumes = _slowVolumes(c, state);
        }
        // a period starting at or after the replacement is billed: the replacement period is behind (not
        // cleared at the replacement period itself, so that closing it again after a cancellation still
        // comes here)
        if (replacedAt != 0 && replacedAt <= c.start) _registry.clearReplacementRoute(accountId, replacedAt);
        if (!atBalanceBoundary) _correctLosses(c, volumes);
    }

    // ------------------------------------------------------------------ internal

    function _slowVolumes(_Context memory c, uint256 state) private returns (uint256[5] memory volumes) {
        SubstituteReason reason = _unpack(state).reason;
        _State memory s = _unpack(state);
        if (s.lastPeriod == c.periodId) {
            // closed again after a cancellation: start from the state before this period's first close
            state = _undo[c.invoiceId] & ~uint256(1);
            s = _unpack(state);
            s.reason = reason;
            state = _pack(s);
        } else if (s.lastPeriod > c.periodId) {
            revert BillingVolumesPeriodOrder(c.accountId, c.periodId, s.lastPeriod);
        }
        (bool metered, bool replaced, uint256[5] memory measured) = _meteredVolumes(c);
        // what ОДН (CommonHouseBilling) subtracts for the premises when its snapshots do not say it
        if (metered && replaced) c.record = _RECORDED | _importTotal(measured);
        bool household = _registry.billingInfo(c.accountId).consumerType == IRegistry.ConsumerType.Household;
        bool tampering = household && s.reason == SubstituteReason.Tampering && s.consecutive < _rules.tamperingMaxMonths;
        bool changed;
        if (metered && !tampering) {
            volumes = measured;
            changed = _reconcile(c, s, volumes);
            s.consecutive = 0;
        } else {
            uint256[4] memory split = household ? _householdSubstitute(c, s) : _legalEntitySubstitute(c, s);
            if (!metered) c.record = _RECORDED | _SUBSTITUTED | split[0] + split[1] + split[2] + split[3];
            // a tampering volume is a surcharge (ПП 354 п. 81(11)), not an estimate of consumption: readings
            // that come back are not reduced by it
            for (uint256 r = 0; r < 4; ++r) {
                volumes[r] = split[r];
                if (!tampering) s.pending[r] += split[r];
            }
            s.consecutive += 1;
            changed = true;
        }
        // closed again after a cancellation: the earlier record must not outlive it
        if (c.record != 0 || _billedVolumes[c.invoiceId] != 0) _billedVolumes[c.invoiceId] = c.record;
        s.lastPeriod = c.periodId;
        // back on the fast path when nothing happened and nothing is pending
        uint256 next = !changed && _isIdle(s) ? 0 : _pack(s);
        uint256 stored = _states[c.accountId];
        if (next != stored) {
            _setState(c.accountId, stored, next);
            // every stored word names this period: keep what it replaced for a second close
            if (next != 0) _undo[c.invoiceId] = state | 1;
        }
    }

    /**
     * @dev Loss correction (F-CHAIN-02, billing-rules §4) of the import registers, computed by the
     * Registry from the meter's loss data ({IRegistry-lossCorrection}) with the period's hours.
     */
    function _correctLosses(_Context memory c, uint256[5] memory volumes) private {
        (uint256[4] memory billed, uint8 method, uint256 metered, uint256 loss, bool subtracted) = _registry
            .lossCorrection(c.meterId, [volumes[0], volumes[1], volumes[2], volumes[3]], (c.end - c.start) / 3600);
        for (uint256 r = 0; r < 4; ++r) volumes[r] = billed[r];
        emit IInvoices.InvoiceLossCorrected(c.invoiceId, method, metered, loss, subtracted);
    }

    /// @dev Stores the state word; the Registry's flag follows whether it is zero, so that Settlement
    /// takes the snapshot difference itself (no call here) exactly for accounts without state.
    function _setState(uint64 accountId, uint256 stored, uint256 next) private {
        _states[accountId] = next;
        if ((stored == 0) != (next == 0)) _registry.setVolumesFlag(accountId, next != 0);
    }

    /// @dev Nothing pending and no reason: the account is back on the fast path.
    function _isIdle(_State memory s) private pure returns (bool) {
        return s.reason == SubstituteReason.None && s.pending[0] == 0 && s.pending[1] == 0 && s.pending[2] == 0
            && s.pending[3] == 0;
    }

    /// @dev The period's metered volumes, across a replacement when the period contains one, from the
    /// meter that ended the period when it was replaced since; `metered` false when a snapshot they need is
    /// missing; `replaced` when they are not the account's current meter's difference.
    function _meteredVolumes(_Context memory c)
        private
        returns (bool metered, bool replaced, uint256[5] memory volumes)
    {
        IRegistry.MeterReplacement memory replacement;
        uint64 periodMeter;
        IRegistry.MeterReplacement[] memory replacements = _registry.meterReplacements(c.accountId);
        for (uint256 i = replacements.length; i > 0; --i) {
            IRegistry.MeterReplacement memory r = replacements[i - 1];
            if (r.replacedAt <= c.start) break;
            if (r.replacedAt > c.end) {
                // replaced after the period (closed late): the meter that ended the period is the one
                // the earliest later replacement took away
                periodMeter = r.oldMeterId;
                continue;
            }
            if (replaced) revert BillingVolumesMultipleReplacements(c.accountId, c.periodId);
            (replacement, replaced) = (r, true);
        }
        if (periodMeter != 0) {
            c.meterId = periodMeter;
            (c.previous, c.current, c.previousExport, c.currentExport) =
                _readings.billingSnapshots(periodMeter, c.periodId, c.exportCapable);
        }
        if (!replaced) {
            if (c.previous == 0 || c.current == 0) return (false, false, volumes);
            _difference(c.previous, c.current, volumes);
            volumes[4] = (c.currentExport >> 176) - (c.previousExport >> 176);
            // from another meter than the account's current one: recorded for ОДН as well
            return (true, periodMeter != 0, volumes);
        }
        (uint256 oldStart,, uint256 oldStartExport,) =
            _readings.billingSnapshots(replacement.oldMeterId, c.periodId, c.exportCapable);
        if (oldStart == 0 || c.current == 0) return (false, true, volumes);
        uint256[5] memory oldPart;
        uint256[5] memory newPart;
        for (uint256 k = 0; k < 5; ++k) {
            uint256 startValue = k < 4 ? (oldStart >> (176 - 48 * k)) & _MASK48 : oldStartExport >> 176;
            uint256 endValue = k < 4 ? (c.current >> (176 - 48 * k)) & _MASK48 : c.currentExport >> 176;
            if (replacement.oldFinalWh[k] < startValue) {
                revert BillingVolumesReplacementReadings(c.accountId, replacement.oldMeterId, k);
            }
            if (endValue < replacement.newInitialWh[k]) {
                revert BillingVolumesReplacementReadings(c.accountId, replacement.newMeterId, k);
            }
            oldPart[k] = replacement.oldFinalWh[k] - startValue;
            newPart[k] = endValue - replacement.newInitialWh[k];
            volumes[k] = oldPart[k] + newPart[k];
        }
        emit VolumesAcrossReplacement(c.invoiceId, replacement.oldMeterId, replacement.newMeterId, oldPart, newPart);
        return (true, true, volumes);
    }

    /// @dev Deducts the substitute volumes billed since the last real snapshot, per register (what a
    /// register cannot absorb stays pending for the next period). Returns whether anything was deducted.
    function _reconcile(_Context memory c, _State memory s, uint256[5] memory volumes) private returns (bool) {
        uint256[4] memory metered;
        uint256[4] memory deducted;
        bool any;
        for (uint256 r = 0; r < 4; ++r) {
            metered[r] = volumes[r];
            uint256 take = s.pending[r] < volumes[r] ? s.pending[r] : volumes[r];
            deducted[r] = take;
            volumes[r] -= take;
            s.pending[r] -= take;
            if (take != 0) any = true;
        }
        if (any) emit VolumesRecalculated(c.invoiceId, metered, deducted);
        return any;
    }

    /// @dev Household substitute (ПП 354): {SubstituteVolumes-householdSubstituteVolume} on the meter's
    /// history, split over the registers in the history's proportions (all on T1 without history).
    function _householdSubstitute(_Context memory c, _State memory s) private returns (uint256[4] memory split) {
        SubstituteRules memory rules = _rules;
        if (rules.averagingWindow == 0) revert IInvoices.InvoiceMissingSnapshot(c.accountId, c.meterId, c.periodId);
        AccountProfile memory profile = _profiles[c.accountId];
        (uint256[] memory history, uint256[4] memory registerProfile) =
            _history(c.meterId, c.periodId, rules.averagingWindow, rules.averagingWindow + rules.maxAveragePeriods);
        SubstituteVolumes.HouseholdInput memory input;
        input.reason = s.reason == SubstituteReason.Tampering && s.consecutive < rules.tamperingMaxMonths
            ? SubstituteVolumes.HouseholdReason.Tampering
            : s.reason == SubstituteReason.RefusedAccess
                ? SubstituteVolumes.HouseholdReason.RefusedAccess
                : SubstituteVolumes.HouseholdReason.MissingReadings;
        input.history = history;
        input.averagingWindow = rules.averagingWindow;
        input.minimumHistory = rules.minimumHistory;
        input.periodsWithoutReadings = s.consecutive + 1;
        input.maxAveragePeriods = rules.maxAveragePeriods;
        input.residents = profile.residents;
        input.normPerPersonWh = profile.normPerPersonWh;
        input.refusedAccessNumerator = rules.refusedAccessNumerator;
        input.refusedAccessDenominator = rules.refusedAccessDenominator;
        input.tamperingNumerator = rules.tamperingNumerator;
        input.tamperingDenominator = rules.tamperingDenominator;
        // one period at a time: the consecutive count caps the tampering periods
        input.tamperingMonths = 1;
        input.tamperingMaxMonths = 1;
        (SubstituteVolumes.HouseholdMethod method, uint256 volumeWh,,) =
            SubstituteVolumes.householdSubstituteVolume(input);
        uint256[4] memory inputs;
        if (method == SubstituteVolumes.HouseholdMethod.Average) {
            for (uint256 i = 0; i < history.length; ++i) inputs[0] += history[i];
            inputs[1] = history.length;
            inputs[2] = s.consecutive + 1;
        } else {
            // no norm data: nothing to bill with (rather than a zero volume)
            if (volumeWh == 0) revert IInvoices.InvoiceMissingSnapshot(c.accountId, c.meterId, c.periodId);
            inputs[0] = profile.residents;
            inputs[1] = profile.normPerPersonWh;
            (inputs[2], inputs[3]) = method == SubstituteVolumes.HouseholdMethod.Tampering
                ? (rules.tamperingNumerator, rules.tamperingDenominator)
                : method == SubstituteVolumes.HouseholdMethod.IncreasedNorm
                    ? (rules.refusedAccessNumerator, rules.refusedAccessDenominator)
                    : (1, 1);
        }
        split = _split(volumeWh, registerProfile);
        emit VolumesSubstituted(
            c.invoiceId, VolumeMethod(uint8(method) + 1), volumeWh, s.consecutive + 1, inputs, split
        );
    }

    /// @dev A legal entity's substitute data: the same period last year and the nearest period with readings.
    struct _LegalData {
        SubstituteVolumes.LegalEntityInput input;
        uint256 analogousPeriod;
        uint256[4] analogous;
        uint32 nearestPeriod;
        uint256[4] nearest;
    }

    /// @dev Legal-entity substitute (ОП 442): {SubstituteVolumes-legalEntitySubstituteVolume} with the same
    /// period last year, the nearest period with readings (scaled by duration), then `P_max × T`.
    function _legalEntitySubstitute(_Context memory c, _State memory s) private returns (uint256[4] memory split) {
        _LegalData memory d = _legalData(c, s);
        SubstituteVolumes.LegalEntityInput memory input = d.input;
        bool substitutable = input.hasMaxPower
            || (input.consecutivePeriod <= input.substitutePeriods && (input.hasAnalogousPeriod || input.hasNearestPeriod));
        if (!substitutable) revert IInvoices.InvoiceMissingSnapshot(c.accountId, c.meterId, c.periodId);
        (SubstituteVolumes.LegalEntityMethod method, uint256 volumeWh) =
            SubstituteVolumes.legalEntitySubstituteVolume(input);
        uint256[4] memory inputs;
        uint256[4] memory registerProfile;
        if (method == SubstituteVolumes.LegalEntityMethod.AnalogousPeriod) {
            (inputs[0], inputs[1], registerProfile) = (d.analogousPeriod, input.analogousPeriodWh, d.analogous);
        } else if (method == SubstituteVolumes.LegalEntityMethod.NearestPeriod) {
            (inputs[0], inputs[1], inputs[2], inputs[3]) =
                (d.nearestPeriod, input.nearestVolumeWh, input.nearestDays, input.currentDays);
            registerProfile = d.nearest;
        } else {
            (inputs[0], inputs[1]) = (input.maxPowerW, input.hours_);
        }
        split = _split(volumeWh, registerProfile);
        emit VolumesSubstituted(
            c.invoiceId, VolumeMethod(uint8(method) + 5), volumeWh, input.consecutivePeriod, inputs, split
        );
    }

    function _legalData(_Context memory c, _State memory s) private view returns (_LegalData memory d) {
        SubstituteRules memory rules = _rules;
        if (rules.periodsPerYear == 0) revert IInvoices.InvoiceMissingSnapshot(c.accountId, c.meterId, c.periodId);
        SubstituteVolumes.LegalEntityInput memory input = d.input;
        input.consecutivePeriod = s.consecutive + 1;
        input.substitutePeriods = rules.legalEntitySubstitutePeriods;
        d.analogousPeriod = c.periodId > rules.periodsPerYear ? c.periodId - rules.periodsPerYear : 0;
        if (d.analogousPeriod != 0) {
            (input.hasAnalogousPeriod, input.analogousPeriodWh, d.analogous) = _metered(c.meterId, uint32(d.analogousPeriod));
        }
        for (uint32 p = c.periodId - 1; p > 0 && p + rules.periodsPerYear >= c.periodId; --p) {
            (input.hasNearestPeriod, input.nearestVolumeWh, d.nearest) = _metered(c.meterId, p);
            if (input.hasNearestPeriod) {
                d.nearestPeriod = p;
                break;
            }
        }
        // durations in seconds: the ratio of days for whole-day periods
        if (input.hasNearestPeriod) {
            input.nearestDays = _readings.periodEnd(d.nearestPeriod) - _readings.periodEnd(d.nearestPeriod - 1);
        }
        input.currentDays = c.end - c.start;
        input.maxPowerW = _profiles[c.accountId].maxPowerW;
        input.hasMaxPower = input.maxPowerW != 0;
        input.hours_ = (c.end - c.start) / 3600;
    }

    /// @dev Metered volumes of the last `window` periods before `periodId` with both snapshots (oldest
    /// first), looking back at most `lookBack` periods, and their per-register sums.
    function _history(uint64 meterId, uint32 periodId, uint256 window, uint256 lookBack)
        private
        view
        returns (uint256[] memory history, uint256[4] memory registerSums)
    {
        uint256[] memory newestFirst = new uint256[](window);
        uint256 count;
        for (uint256 back = 1; back <= lookBack && back < periodId && count < window; ++back) {
            (bool found, uint256 total, uint256[4] memory registers) = _metered(meterId, uint32(periodId - back));
            if (!found) continue;
            newestFirst[count++] = total;
            for (uint256 r = 0; r < 4; ++r) registerSums[r] += registers[r];
        }
        history = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) history[i] = newestFirst[count - 1 - i];
    }

    /// @dev The metered import volume of `meterId` over `periodId` when both snapshots exist.
    function _metered(uint64 meterId, uint32 periodId)
        private
        view
        returns (bool found, uint256 total, uint256[4] memory registers)
    {
        (uint256 previous, uint256 current,,) = _readings.billingSnapshots(meterId, periodId, false);
        if (previous == 0 || current == 0) return (false, 0, registers);
        uint256[5] memory volumes;
        _difference(previous, current, volumes);
        for (uint256 r = 0; r < 4; ++r) {
            registers[r] = volumes[r];
            total += volumes[r];
        }
        found = true;
    }

    /// @dev `volumeWh` over the registers in proportion to `weights` (floors, the last weighted register
    /// the rest; {SubstituteVolumes-scaleProfile}); all on T1 without weights.
    function _split(uint256 volumeWh, uint256[4] memory weights) private pure returns (uint256[4] memory split) {
        uint256 registers;
        for (uint256 r = 0; r < 4; ++r) if (weights[r] != 0) registers = r + 1;
        if (registers == 0) {
            split[0] = volumeWh;
            return split;
        }
        uint256[] memory profile = new uint256[](registers);
        for (uint256 r = 0; r < registers; ++r) profile[r] = weights[r];
        uint256[] memory parts = SubstituteVolumes.scaleProfile(profile, volumeWh);
        for (uint256 r = 0; r < registers; ++r) split[r] = parts[r];
    }

    /// @dev Import registers T1-T4 of two snapshot words (`end << 224 | r0 << 176 | … | r3 << 32`).
    function _difference(uint256 previous, uint256 current, uint256[5] memory volumes) private pure {
        for (uint256 k = 0; k < 4; ++k) {
            uint256 shift = 176 - 48 * k;
            volumes[k] = ((current >> shift) & _MASK48) - ((previous >> shift) & _MASK48);
        }
    }

    /// @dev T1 + T2 + T3 + T4.
    function _importTotal(uint256[5] memory volumes) private pure returns (uint256) {
        return volumes[0] + volumes[1] + volumes[2] + volumes[3];
    }

    function _unpack(uint256 word) private pure returns (_State memory s) {
        s.lastPeriod = uint32(word >> _PERIOD_SHIFT);
        s.consecutive = uint16(word >> _CONSECUTIVE_SHIFT);
        s.reason = SubstituteReason(uint8(word >> _REASON_SHIFT));
        for (uint256 r = 0; r < 4; ++r) s.pending[r] = (word >> (152 - 48 * r)) & _MASK48;
    }

    function _pack(_State memory s) private pure returns (uint256 word) {
        word = (uint256(s.lastPeriod) << _PERIOD_SHIFT) | (uint256(uint16(s.consecutive)) << _CONSECUTIVE_SHIFT)
            | (uint256(uint8(s.reason)) << _REASON_SHIFT);
        for (uint256 r = 0; r < 4; ++r) {
            if (s.pending[r] > _MASK48) revert BillingVolumesInvalidRules("pending");
            word |= s.pending[r] << (152 - 48 * r);
        }
    }
}
