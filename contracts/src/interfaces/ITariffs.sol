// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/interfaces/ITariffs.sol)
pragma solidity ^0.8.27;

import {IRegistry} from "./IRegistry.sol";

/**
 * @dev Tariff groups and dated plans managed by retail companies, and the plan each account chose
 * (issue 3 part 3, F-CHAIN-12, F-CONSUMER-03). Prices are integers in 0.01 RUB/MWh
 * (10^-5 RUB/kWh), volumes in Wh.
 */
interface ITariffs {
    enum TariffKind {
        None,
        SingleRate,
        TwoZone,
        ThreeZone,
        /// @dev Volume ranges (tiers): rates[k] applies between threshold k and k+1 (marginal).
        VolumeRange,
        /// @dev Social norm: rates[0..z) in-norm per zone, rates[z..2z) above-norm per zone; threshold1 = norm, Wh.
        SocialNorm,
        /**
         * @dev Legal entity ПЦК 3 (groups of price category 3): the hourly energy prices, the capacity rate and
         * the АТС peak hours are published per period by the retail company (`HourlyBilling`), not stored
         * in the plan. rates[0] holds the per-MWh adders that are not inside the hourly price, by component
         * (may be all zero). Prices without VAT.
         */
        PriceCategory3,
        /**
         * @dev Legal entity ПЦК 4 (groups of price category 4): as {PriceCategory3} plus two-rate
         * transmission (maintenance and loss rates, published per period); the transmission adder must be
         * zero (Т1 is replaced by the two rates).
         */
        PriceCategory4
    }

    /// @dev Hours [startHour, endHour) of local time in `zone`; endHour <= startHour wraps over midnight.
    struct ZoneInterval {
        uint8 startHour;
        uint8 endHour;
        uint8 zone;
    }

    struct PlanInput {
        TariffKind kind;
        uint40 validFrom;
        /// @dev Exclusive end, Unix s; 0 = open-ended.
        uint40 validTo;
        /// @dev VAT rate in basis points (2200 = 22 %).
        uint16 vatBp;
        /// @dev Household tariffs include VAT; legal-entity prices are net and VAT is added.
        bool vatIncluded;
        ZoneInterval[] zoneHours;
        uint64 threshold1;
        uint64 threshold2;
        /// @dev Price paid for exported energy (prosumers), 0.01 RUB/MWh.
        uint64 exportPrice;
        /// @dev One row per zone/tier: price components [energy, transmission, retail markup, infrastructure].
        uint64[4][] rates;
    }

    struct Group {
        address retailCompany;
        IRegistry.ConsumerType consumerType;
        uint8 priceCategory;
        bool deleted;
        bytes32 name;
    }

    struct Plan {
        uint64 groupId;
        TariffKind kind;
        uint8 zones;
        uint16 vatBp;
        bool vatIncluded;
        uint40 validFrom;
        uint40 validTo;
        /// @dev Two bits per local hour h at bits [2h, 2h+1]: the zone of that hour.
        uint48 zoneHours;
        uint64 threshold1;
        uint64 threshold2;
        uint64 exportPrice;
    }

    /// @dev A plan with its rates, as billing consumes it.
    struct PlanData {
        uint64 planId;
        Plan plan;
        uint64[4][] rates;
    }

    /// @dev An account's choice: (group, kind) now, and the one taking effect from `nextFrom`.
    struct Choice {
        uint64 groupId;
        TariffKind kind;
        uint64 nextGroupId;
        TariffKind nextKind;
        uint32 nextFrom;
    }

    event TariffGroupCreated(
        uint64 indexed groupId, address indexed retailCompany, IRegistry.ConsumerType consumerType, uint8 priceCategory, bytes32 name
    );
    event TariffGroupEdited(uint64 indexed groupId, bytes32 name);
    event TariffGroupDeleted(uint64 indexed groupId);
    event TariffPlanAdded(uint64 indexed planId, uint64 indexed groupId, Plan plan, uint64[4][] rates);
    event TariffPlanValidityChanged(uint64 indexed planId, uint40 validTo);
    event TariffPlanDeleted(uint64 indexed planId);
    event VatScheduleSet(uint32[] fromDays, uint256[] ratesBp);
    event TariffChosen(uint64 indexed accountId, uint64 indexed groupId, TariffKind kind, uint32 fromPeriod, address chosenBy);

    /// @dev A two-/three-zone plan for a meter with another number of tariff zones (docs/contracts.md, "Tariffs").
    error TariffMeterZonesMismatch(uint64 accountId, uint8 meterZones, uint8 planZones);
    /// @dev The VAT schedule is malformed at `index` (lengths differ, days not ascending, rate above 100 %).
    error TariffInvalidVatSchedule(uint256 index);
    /// @dev No group `groupId` (or it was deleted).
    error TariffUnknownGroup(uint64 groupId);
    /// @dev No plan `planId`.
    error TariffUnknownPlan(uint64 planId);
    /// @dev `caller` is not the retail company owning the group/plan/account `id`.
    error TariffNotOwner(uint64 id, address caller);
    /// @dev Consumer type and price category do not fit (households 0, legal entities 1-4).
    error TariffInvalidCategory(IRegistry.ConsumerType consumerType, uint8 priceCategory);
    /// @dev The rate rows do not fit the kind (count, or a zero price).
    error TariffInvalidRates(TariffKind kind, uint256 rows);
    /// @dev Thresholds/norm missing or not increasing, or VAT above 100 %.
    error TariffInvalidParameters(TariffKind kind, uint64 threshold1, uint64 threshold2, uint16 vatBp);
    /// @dev The validity window is empty or (for changes) lies in the past.
    error TariffInvalidValidity(uint40 validFrom, uint40 validTo);
    /// @dev [validFrom, validTo) overlaps `existingPlanId` of the same group and kind.
    error TariffOverlappingValidity(uint64 groupId, TariffKind kind, uint64 existingPlanId, uint40 validFrom, uint40 validTo);
    /// @dev A ПЦК 3/4 plan needs exactly one adder row, prices without VAT and (ПЦК 4) no transmission adder.
    error TariffInvalidHourlyPlan(TariffKind kind, uint256 rows, bool vatIncluded, uint64 transmissionAdder);
    /// @dev The kind (ПЦК 3/4) does not belong to a group of `priceCategory`.
    error TariffKindNotInCategory(uint64 groupId, uint8 priceCategory, TariffKind kind);
    /// @dev An hour is assigned twice.
    error TariffZoneHoursOverlap(uint8 hour);
    /// @dev The intervals do not cover all 24 hours; `coveredHours` has bit h set for each covered hour.
    error TariffZoneHoursIncomplete(uint24 coveredHours);
    /// @dev An interval is malformed or names a zone the kind does not have.
    error TariffInvalidZoneInterval(uint8 startHour, uint8 endHour, uint8 zone);
    /// @dev The plan or group has started to apply and cannot be deleted.
    error TariffInEffect(uint64 id);
    /// @dev The (group, kind) is not open to the account.
    error TariffNotOpenToAccount(uint64 accountId, uint64 groupId, TariffKind kind);
    /// @dev The account has no tariff chosen.
    error TariffNoChoice(uint64 accountId);
    /// @dev No plan of the group and kind is valid at `time`.
    error TariffNoPlanInEffect(uint64 groupId, TariffKind kind, uint256 time);

    /// @dev A group (deleted groups included, with `deleted` set).
    function getGroup(uint64 groupId) external view returns (Group memory);
    /// @dev A plan and its rate rows (a deleted or unknown plan has `groupId` 0).
    function getPlan(uint64 planId) external view returns (Plan memory plan, uint64[4][] memory rates);
    /// @dev The plan chosen by `accountId` for `periodId`, in its version valid at `periodEnd`.
    function planFor(uint64 accountId, uint32 periodId, uint256 periodEnd) external view returns (PlanData memory);
    /**
     * @dev {planFor} as period close needs it, reading fewer slots: for single-rate, two- and three-zone
     * plans the thresholds and export price are left zero unless `withExport`, and the rows are read
     * without their length (one per zone).
     */
    function billingPlanFor(uint64 accountId, uint32 periodId, uint256 periodEnd, bool withExport)
        external
        view
        returns (PlanData memory);
}
