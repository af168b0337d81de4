// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/tariffs/Tariffs.sol)
pragma solidity ^0.8.27;

import {GridLedgerBase} from "../access/GridLedgerBase.sol";
import {IReadings} from "../interfaces/IReadings.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";
import {ITariffs} from "../interfaces/ITariffs.sol";

/**
 * @dev Tariff groups and plans as dated data. A retail company creates groups (consumer type and
 * price category) and adds plans to them; within one group and kind the validity windows never
 * overlap, so exactly one version applies at any instant. A price change is a new plan version: a
 * data change, no code (issue 3 part 6).
 *
 * A consumer chooses a (group, kind) among those open to the account; the choice applies from the
 * next period. The retail company's first assignment applies at once.
 */
contract Tariffs is GridLedgerBase, ITariffs {
    IRegistry private _registry;
    IReadings private _readings;
    uint64 private _groupCount;
    uint64 private _planCount;
    mapping(uint64 groupId => Group) private _groups;
    mapping(uint64 planId => Plan) private _plans;
    mapping(uint64 planId => uint64[4][]) private _rates;
    mapping(uint64 groupId => mapping(TariffKind => uint64[])) private _versions;
    mapping(uint64 accountId => Choice) private _choices;
    // appended: the dated VAT schedule for prices without VAT (legal entities)
    uint32[] private _vatFromDays;
    uint256[] private _vatRatesBp;

    function initialize(address admin, IRegistry registryAddress, IReadings readingsAddress) external initializer {
        __GridLedgerBase_init(admin);
        _registry = registryAddress;
        _readings = readingsAddress;
    }

    // ------------------------------------------------------------------ groups

    /**
     * @dev Creates a tariff group owned by the caller.
     *
     * Requirements: the caller has {RETAIL_COMPANY_ROLE}; category 0 for households, 1-4 for legal entities.
     *
     * Emits a {TariffGroupCreated} event.
     */
    function createGroup(bytes32 name, IRegistry.ConsumerType consumerType, uint8 priceCategory)
        external
        onlyRole(RETAIL_COMPANY_ROLE)
        returns (uint64 groupId)
    {
        bool valid = consumerType == IRegistry.ConsumerType.Household
            ? priceCategory == 0
            : consumerType == IRegistry.ConsumerType.LegalEntity && priceCategory >= 1 && priceCategory <= 4;
        if (!valid) revert TariffInvalidCategory(consumerType, priceCategory);
        groupId = ++_groupCount;
        _groups[groupId] = Group(msg.sender, consumerType, priceCategory, false, name);
        emit TariffGroupCreated(groupId, msg.sender, consumerType, priceCategory, name);
    }

    /**
     * @dev Renames a group. Requirements: {RETAIL_COMPANY_ROLE}, owner. Emits {TariffGroupEdited}.
     */
    function editGroup(uint64 groupId, bytes32 name) external onlyRole(RETAIL_COMPANY_ROLE) {
        _ownedGroup(groupId).name = name;
        emit TariffGroupEdited(groupId, name);
    }

    /**
     * @dev Deletes a group none of whose plans has started to apply.
     *
     * Requirements: {RETAIL_COMPANY_ROLE}, owner; no plan with `validFrom` in the past.
     *
     * Emits a {TariffGroupDeleted} event.
     */
    function deleteGroup(uint64 groupId) external onlyRole(RETAIL_COMPANY_ROLE) {
        Group storage group = _ownedGroup(groupId);
        for (uint256 kind = 1; kind <= uint256(TariffKind.PriceCategory4); ++kind) {
            uint64[] storage versions = _versions[groupId][TariffKind(kind)];
            if (versions.length != 0 && _plans[versions[0]].validFrom <= block.timestamp) revert TariffInEffect(groupId);
        }
        group.deleted = true;
        emit TariffGroupDeleted(groupId);
    }

    function getGroup(uint64 groupId) external view returns (Group memory) {
        return _groups[groupId];
    }

    // ------------------------------------------------------------------ plans

    /**
     * @dev Adds a plan (a dated version of one kind) to a group and returns its id.
     *
     * Requirements:
     * - {RETAIL_COMPANY_ROLE}, owner of the group;
     * - rates fit the kind, every row has a positive total; thresholds/norm fit the kind; VAT <= 100 %;
     * - zone plans give zone hours covering 24 h exactly once; single-zone plans give none;
     * - ПЦК 3/4 plans belong to a group of price category 3/4, have one adder row (zeros allowed) and
     *   prices without VAT; ПЦК 4 has no transmission adder;
     * - the window starts after the end of the group's latest plan of the same kind.
     *
     * Emits a {TariffPlanAdded} event.
     */
    function addPlan(uint64 groupId, PlanInput calldata input)
        external
        onlyRole(RETAIL_COMPANY_ROLE)
        returns (uint64 planId)
    {
        uint8 category = _ownedGroup(groupId).priceCategory;
        bool hourly = input.kind == TariffKind.PriceCategory3 || input.kind == TariffKind.PriceCategory4;
        if (hourly && category != (input.kind == TariffKind.PriceCategory3 ? 3 : 4)) {
            revert TariffKindNotInCategory(groupId, category, input.kind);
        }
        uint8 zones = _validatePlan(input);
        uint48 zoneHours = _packZoneHours(input.zoneHours, zones);
        uint64[] storage versions = _versions[groupId][input.kind];
        if (versions.length != 0) {
            uint64 lastId = versions[versions.length - 1];
            Plan storage last = _plans[lastId];
            if (last.validTo == 0 || input.validFrom < last.validTo) {
                revert TariffOverlappingValidity(groupId, input.kind, lastId, input.validFrom, input.validTo);
            }
        }
        planId = ++_planCount;
        Plan memory plan = Plan({
            groupId: groupId,
            kind: input.kind,
            zones: zones,
            vatBp: input.vatBp,
            vatIncluded: input.vatIncluded,
            validFrom: input.validFrom,
            validTo: input.validTo,
            zoneHours: zoneHours,
            threshold1: input.threshold1,
            threshold2: input.threshold2,
            exportPrice: input.exportPrice
        });
        _plans[planId] = plan;
        uint64[4][] storage rates = _rates[planId];
        for (uint256 i = 0; i < input.rates.length; ++i) rates.push(input.rates[i]);
        versions.push(planId);
        emit TariffPlanAdded(planId, groupId, plan, input.rates);
    }

    /**
     * @dev Ends a plan's validity at `validTo` (to make room for a new version). A window can only be
     * shortened, and not into the past.
     *
     * Requirements: {RETAIL_COMPANY_ROLE}, owner; `validTo` after `validFrom`, not before now, and
     * before the current end (if any).
     *
     * Emits a {TariffPlanValidityChanged} event.
     */
    function setPlanValidTo(uint64 planId, uint40 validTo) external onlyRole(RETAIL_COMPANY_ROLE) {
        Plan storage plan = _ownedPlan(planId);
        if (validTo <= plan.validFrom || validTo < block.timestamp || (plan.validTo != 0 && validTo >= plan.validTo)) {
            revert TariffInvalidValidity(plan.validFrom, validTo);
        }
        plan.validTo = validTo;
        emit TariffPlanValidityChanged(planId, validTo);
    }

    /**
     * @dev Deletes the latest plan of its group and kind, if it has not started to apply.
     *
     * Requirements: {RETAIL_COMPANY_ROLE}, owner; `validFrom` in the future; the latest version.
     *
     * Emits a {TariffPlanDeleted} event.
     */
    function deletePlan(uint64 planId) external onlyRole(RETAIL_COMPANY_ROLE) {
        Plan storage plan = _ownedPlan(planId);
        uint64[] storage versions = _versions[plan.groupId][plan.kind];
        if (plan.validFrom <= block.timestamp || versions[versions.length - 1] != planId) revert TariffInEffect(planId);
        versions.pop();
        delete _plans[planId];
        delete _rates[planId];
        emit TariffPlanDeleted(planId);
    }

    function getPlan(uint64 planId) external view returns (Plan memory plan, uint64[4][] memory rates) {
        return (_plans[planId], _rates[planId]);
    }

    function planVersions(uint64 groupId, TariffKind kind) external view returns (uint64[] memory) {
        return _versions[groupId][kind];
    }

    // ------------------------------------------------------------------ choices

    /**
     * @dev The retail company assigns a tariff to an account it serves: at once if the account has
     * none yet, otherwise from the next period.
     *
     * Requirements: {RETAIL_COMPANY_ROLE}, serves the account; the tariff is open to the account.
     *
     * Emits a {TariffChosen} event.
     */
    function assignTariff(uint64 accountId, uint64 groupId, TariffKind kind) external onlyRole(RETAIL_COMPANY_ROLE) {
        IRegistry.BillingInfo memory info = _registry.billingInfo(accountId);
        if (info.retailCompany != msg.sender) revert TariffNotOwner(accountId, msg.sender);
        _choose(accountId, info, groupId, kind, _choices[accountId].groupId == 0);
    }

    /**
     * @dev The account's consumer chooses a tariff open to them; it applies from the next period.
     *
     * Requirements: the caller is the account's consumer; the tariff is open to the account.
     *
     * Emits a {TariffChosen} event.
     */
    function chooseTariff(uint64 accountId, uint64 groupId, TariffKind kind) external {
        IRegistry.BillingInfo memory info = _registry.billingInfo(accountId);
        if (info.consumer != msg.sender) revert TariffNotOwner(accountId, msg.sender);
        _choose(accountId, info, groupId, kind, false);
    }

    function getChoice(uint64 accountId) external view returns (Choice memory) {
        return _choices[accountId];
    }

    /// @dev Whether (groupId, kind) is open to `accountId`.
    function isOpenTo(uint64 accountId, uint64 groupId, TariffKind kind) public view returns (bool) {
        return _isOpen(_registry.billingInfo(accountId), groupId, kind);
    }

    /// @inheritdoc ITariffs
    function planFor(uint64 accountId, uint32 periodId, uint256 periodEnd) external view returns (PlanData memory data) {
        (uint64 groupId, TariffKind kind) = _chosenFor(accountId, periodId);
        uint64[] storage versions = _versions[groupId][kind];
        for (uint256 i = versions.length; i > 0; --i) {
            uint64 planId = versions[i - 1];
            Plan storage plan = _plans[planId];
            if (plan.validFrom < periodEnd) {
                if (plan.validTo != 0 && plan.validTo < periodEnd) break;
                data.planId = planId;
                data.plan = plan;
                data.rates = _rates[planId];
                return data;
            }
        }
        revert TariffNoPlanInEffect(groupId, kind, periodEnd);
    }

    /// @inheritdoc ITariffs
    function billingPlanFor(uint64 accountId, uint32 periodId, uint256 periodEnd, bool withExport)
        external
        view
        returns (PlanData memory data)
    {
        (uint64 groupId, TariffKind kind) = _chosenFor(accountId, periodId);
        uint64[] storage versions = _versions[groupId][kind];
        for (uint256 i = versions.length; i > 0; --i) {
            uint64 planId = versions[i - 1];
            Plan storage stored = _plans[planId];
            // one read of the plan's first slot: groupId:64 | kind:8 | zones:8 | vatBp:16 | vatIncluded:8
            // | validFrom:40 | validTo:40 | zoneHours:48, from the low bits
            uint256 head;
            assembly ("memory-safe") {
                head := sload(stored.slot)
            }
            uint256 validFrom = uint40(head >> 104);
            uint256 validTo = uint40(head >> 144);
            if (validFrom < periodEnd) {
                if (validTo != 0 && validTo < periodEnd) break;
                data.planId = planId;
                Plan memory plan = data.plan;
                plan.groupId = uint64(head);
                plan.kind = kind;
                plan.zones = uint8(head >> 72);
                plan.vatBp = uint16(head >> 80);
                plan.vatIncluded = uint8(head >> 96) != 0;
                if (!plan.vatIncluded) plan.vatBp = _vatRateFor(periodId, periodEnd, plan.vatBp);
                plan.validFrom = uint40(validFrom);
                plan.validTo = uint40(validTo);
                plan.zoneHours = uint48(head >> 184);
                bool zoneKind = kind == TariffKind.SingleRate || kind == TariffKind.TwoZone || kind == TariffKind.ThreeZone;
                if (!zoneKind || withExport) {
                    plan.threshold1 = stored.threshold1;
                    plan.threshold2 = stored.threshold2;
                    plan.exportPrice = stored.exportPrice;
                }
                data.rates = zoneKind ? _zoneRows(_rates[planId], plan.zones) : _rates[planId];
                return data;
            }
        }
        revert TariffNoPlanInEffect(groupId, kind, periodEnd);
    }

    /**
     * @dev Sets the dated VAT schedule (days since 1970-01-01 from which each rate in basis points
     * applies, ascending) used for plans whose prices exclude VAT: the rate in force on the first day of
     * the supply period replaces the plan's own `vatBp` when an invoice is computed. A VAT change is a
     * data change. An empty schedule leaves each plan's rate.
     *
     * Requirements: the caller has {OPERATOR_ROLE}; equal lengths, ascending days, rates ≤ 10 000 bp.
     *
     * Emits a {VatScheduleSet} event.
     */
    function setVatSchedule(uint32[] calldata fromDays, uint256[] calldata ratesBp) external onlyRole(OPERATOR_ROLE) {
        if (fromDays.length != ratesBp.length) revert TariffInvalidVatSchedule(fromDays.length);
        for (uint256 i = 0; i < fromDays.length; ++i) {
            if ((i > 0 && fromDays[i] <= fromDays[i - 1]) || ratesBp[i] > 10_000) revert TariffInvalidVatSchedule(i);
        }
        _vatFromDays = fromDays;
        _vatRatesBp = ratesBp;
        emit VatScheduleSet(fromDays, ratesBp);
    }

    function vatSchedule() external view returns (uint32[] memory fromDays, uint256[] memory ratesBp) {
        return (_vatFromDays, _vatRatesBp);
    }

    // ------------------------------------------------------------------ internal

    /// @dev The scheduled VAT rate on the first day of `periodId` (the previous period's end), or `planBp`.
    function _vatRateFor(uint32 periodId, uint256 periodEnd, uint16 planBp) internal view returns (uint16) {
        uint256 count = _vatFromDays.length;
        if (count == 0) return planBp;
        uint256 start = periodId > 1 ? _readings.periodEnd(periodId - 1) : 0;
        uint256 day = (start != 0 ? start : periodEnd) / 86_400;
        for (uint256 i = count; i > 0; --i) {
            if (_vatFromDays[i - 1] <= day) return uint16(_vatRatesBp[i - 1]);
        }
        return planBp;
    }

    /// @dev The (group, kind) the account has for `periodId`: the next choice once it has taken effect.
    function _chosenFor(uint64 accountId, uint32 periodId) internal view returns (uint64 groupId, TariffKind kind) {
        Choice storage choice = _choices[accountId];
        groupId = choice.groupId;
        kind = choice.kind;
        if (choice.nextFrom != 0 && periodId >= choice.nextFrom) {
            groupId = choice.nextGroupId;
            kind = choice.nextKind;
        }
        if (groupId == 0) revert TariffNoChoice(accountId);
    }

    /// @dev The first `zones` rows of a zone plan (validated to have exactly one row per zone), read
    /// without the array's length slot; one slot per row (four uint64 components, the first lowest).
    function _zoneRows(uint64[4][] storage rows, uint256 zones) internal view returns (uint64[4][] memory out) {
        out = new uint64[4][](zones);
        uint256 base;
        assembly ("memory-safe") {
            mstore(0, rows.slot)
            base := keccak256(0, 0x20)
        }
        for (uint256 i = 0; i < zones; ++i) {
            uint256 word;
            assembly ("memory-safe") {
                word := sload(add(base, i))
            }
            out[i] = [uint64(word), uint64(word >> 64), uint64(word >> 128), uint64(word >> 192)];
        }
    }

    /**
     * @dev A two- or three-zone plan needs a meter with exactly that many zones: its register z is
     * billed in zone z. A three-zone meter's registers (peak, half-peak, night) do not map onto a
     * two-zone plan's (day, night) by register, and summing peak and half-peak into "day" would only be
     * right when the meter's programmed hours match the plan's; the grid company reprograms the meter
     * (and updates its zones) instead. A single-rate plan suits any meter (all registers summed).
     */
    function _zoneMismatch(IRegistry.BillingInfo memory info, TariffKind kind) internal pure returns (bool) {
        uint256 zones = kind == TariffKind.TwoZone ? 2 : kind == TariffKind.ThreeZone ? 3 : 0;
        return zones != 0 && zones != info.tariffZones;
    }

    function _choose(
        uint64 accountId,
        IRegistry.BillingInfo memory info,
        uint64 groupId,
        TariffKind kind,
        bool immediately
    ) internal {
        if (_zoneMismatch(info, kind)) {
            revert TariffMeterZonesMismatch(accountId, info.tariffZones, kind == TariffKind.TwoZone ? 2 : 3);
        }
        if (!_isOpen(info, groupId, kind)) revert TariffNotOpenToAccount(accountId, groupId, kind);
        Choice storage choice = _choices[accountId];
        uint32 fromPeriod;
        if (immediately) {
            choice.groupId = groupId;
            choice.kind = kind;
            choice.nextGroupId = 0;
            choice.nextKind = TariffKind.None;
            choice.nextFrom = 0;
        } else {
            uint32 current = _readings.currentPeriodId();
            if (choice.nextFrom != 0 && choice.nextFrom <= current) {
                choice.groupId = choice.nextGroupId;
                choice.kind = choice.nextKind;
            }
            fromPeriod = current + 1;
            choice.nextGroupId = groupId;
            choice.nextKind = kind;
            choice.nextFrom = fromPeriod;
        }
        emit TariffChosen(accountId, groupId, kind, fromPeriod, msg.sender);
    }

    function _isOpen(IRegistry.BillingInfo memory info, uint64 groupId, TariffKind kind) internal view returns (bool) {
        Group storage group = _groups[groupId];
        if (group.retailCompany == address(0) || group.deleted) return false;
        if (group.retailCompany != info.retailCompany || group.consumerType != info.consumerType) return false;
        if (group.priceCategory != info.priceCategory) return false;
        if (_zoneMismatch(info, kind)) return false;
        return _versions[groupId][kind].length != 0;
    }

    function _validatePlan(PlanInput calldata input) internal pure returns (uint8 zones) {
        TariffKind kind = input.kind;
        uint256 rows = input.rates.length;
        bool rowsOk;
        bool hourly;
        if (kind == TariffKind.SingleRate) {
            (zones, rowsOk) = (1, rows == 1);
        } else if (kind == TariffKind.TwoZone) {
            (zones, rowsOk) = (2, rows == 2);
        } else if (kind == TariffKind.ThreeZone) {
            (zones, rowsOk) = (3, rows == 3);
        } else if (kind == TariffKind.VolumeRange) {
            (zones, rowsOk) = (1, rows >= 1 && rows <= 3);
        } else if (kind == TariffKind.SocialNorm) {
            (zones, rowsOk) = (uint8(rows / 2), rows == 2 || rows == 4 || rows == 6);
        } else if (kind == TariffKind.PriceCategory3 || kind == TariffKind.PriceCategory4) {
            // one row of per-MWh adders, possibly all zero (the hourly price carries everything); net
            // prices; ПЦК 4 bills transmission by its two rates, so a per-MWh transmission adder would
            // charge it twice
            uint64 transmission = rows == 1 ? input.rates[0][1] : 0;
            if (rows != 1 || input.vatIncluded || (kind == TariffKind.PriceCategory4 && transmission != 0)) {
                revert TariffInvalidHourlyPlan(kind, rows, input.vatIncluded, transmission);
            }
            (zones, hourly) = (1, true);
        }
        // a zero row is a mistake except for the ПЦК 3/4 adders (validated above; rowsOk stays false)
        for (uint256 i = 0; rowsOk && i < rows; ++i) {
            uint64[4] calldata row = input.rates[i];
            if (uint256(row[0]) + row[1] + row[2] + row[3] == 0) rowsOk = false;
        }
        if (!rowsOk && !hourly) revert TariffInvalidRates(kind, rows);
        bool paramsOk = input.vatBp <= 10_000;
        if (kind == TariffKind.VolumeRange) {
            if (rows >= 2 && input.threshold1 == 0) paramsOk = false;
            if (rows == 3 && input.threshold2 <= input.threshold1) paramsOk = false;
        } else if (kind == TariffKind.SocialNorm && input.threshold1 == 0) {
            paramsOk = false;
        }
        if (!paramsOk) revert TariffInvalidParameters(kind, input.threshold1, input.threshold2, input.vatBp);
        if (input.validTo != 0 && input.validTo <= input.validFrom) {
            revert TariffInvalidValidity(input.validFrom, input.validTo);
        }
    }

    /// @dev Validates that the intervals cover each hour exactly once with zones below `zones`.
    function _packZoneHours(ZoneInterval[] calldata intervals, uint8 zones) internal pure returns (uint48 packed) {
        if (zones == 1 && intervals.length == 0) return 0;
        uint256 covered;
        for (uint256 i = 0; i < intervals.length; ++i) {
            ZoneInterval calldata interval = intervals[i];
            uint8 start = interval.startHour;
            uint8 stop = interval.endHour;
            if (start >= 24 || stop > 24 || start == stop || interval.zone >= zones) {
                revert TariffInvalidZoneInterval(start, stop, interval.zone);
            }
            uint8 hour = start;
            do {
                if (covered & (1 << hour) != 0) revert TariffZoneHoursOverlap(hour);
                covered |= 1 << hour;
                packed |= uint48(interval.zone) << (2 * hour);
                hour = (hour + 1) % 24;
            } while (hour != stop % 24);
        }
        if (covered != 0xffffff) revert TariffZoneHoursIncomplete(uint24(covered));
    }

    function _ownedGroup(uint64 groupId) internal view returns (Group storage group) {
        group = _groups[groupId];
        if (group.retailCompany == address(0) || group.deleted) revert TariffUnknownGroup(groupId);
        if (group.retailCompany != msg.sender) revert TariffNotOwner(groupId, msg.sender);
    }

    function _ownedPlan(uint64 planId) internal view returns (Plan storage plan) {
        plan = _plans[planId];
        if (plan.groupId == 0) revert TariffUnknownPlan(planId);
        if (_groups[plan.groupId].retailCompany != msg.sender) revert TariffNotOwner(planId, msg.sender);
    }
}
