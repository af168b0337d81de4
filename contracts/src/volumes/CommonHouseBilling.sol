// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/volumes/CommonHouseBilling.sol)
pragma solidity ^0.8.27;

import {GridLedgerBase} from "../access/GridLedgerBase.sol";
import {IBillingVolumes} from "../interfaces/IBillingVolumes.sol";
import {ICommonHouseBilling} from "../interfaces/ICommonHouseBilling.sol";
import {IInvoices} from "../interfaces/IInvoices.sol";
import {IReadings} from "../interfaces/IReadings.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";
import {ITariffs} from "../interfaces/ITariffs.sol";
import {CommonHouse} from "../billing/CommonHouse.sol";
import {InvoiceMath} from "../billing/InvoiceMath.sol";
import {VatMode} from "../billing/BillingTypes.sol";

/**
 * @dev Common-house needs (ОДН / КР на СОИ, F-CHAIN-03, billing-rules §5), a module of its own (neither
 * `Settlement` nor `BillingVolumes` has the room): a retail company registers an apartment block (common
 * meter, areas, norm, policies) and its premises (accounts with their floor areas); after a period it
 * bills the period's common-house volume, distributed by area with {CommonHouse}, as one invoice per
 * premises recorded through `Settlement.recordModuleInvoice` (it holds Settlement's `BILLING_MODULE_ROLE`).
 */
contract CommonHouseBilling is GridLedgerBase, ICommonHouseBilling {
    /// @dev A common-house invoice's period id: the period's id with this bit set (the energy invoice of the
    /// account and period has the plain id).
    uint32 public constant COMMON_HOUSE_PERIOD = 1 << 30;

    IInvoices private _settlement;
    uint64 private _buildingCount;
    mapping(uint64 buildingId => Building) private _buildings;
    mapping(uint64 buildingId => uint64[]) private _premisesOf;
    mapping(uint64 accountId => _Premises) private _premises;

    IRegistry internal immutable _registry;
    IReadings internal immutable _readings;
    ITariffs internal immutable _tariffs;
    IBillingVolumes internal immutable _billingVolumes;

    struct _Premises {
        uint64 buildingId;
        uint64 areaDm2;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor state-variable-immutable
    constructor(
        IRegistry registryAddress,
        IReadings readingsAddress,
        ITariffs tariffsAddress,
        IBillingVolumes billingVolumesAddress
    ) {
        _registry = registryAddress;
        _readings = readingsAddress;
        _tariffs = tariffsAddress;
        _billingVolumes = billingVolumesAddress;
    }

    function initialize(address admin) external initializer {
        __GridLedgerBase_init(admin);
    }

    /**
     * @dev The Settlement proxy that records common-house invoices (it grants this contract its
     * `BILLING_MODULE_ROLE`).
     *
     * Requirements: the caller has {OPERATOR_ROLE}; not the zero address.
     *
     * Emits a {SettlementSet} event.
     */
    function setSettlement(IInvoices settlement) external onlyRole(OPERATOR_ROLE) {
        if (address(settlement) == address(0)) revert CommonHouseInvalidBuilding("settlement");
        _settlement = settlement;
        emit SettlementSet(address(settlement));
    }

    // ------------------------------------------------------------------ common-house needs (F-CHAIN-03)

    /**
     * @dev Registers an apartment block whose premises the caller bills; returns its id (from 1).
     *
     * Requirements: the caller has {RETAIL_COMPANY_ROLE}; `S_об` is not zero and not below `S_МОП`'s
     * premises; the common meter, when given, exists.
     *
     * Emits a {BuildingRegistered} event.
     */
    function registerBuilding(Building calldata building)
        external
        onlyRole(RETAIL_COMPANY_ROLE)
        returns (uint64 buildingId)
    {
        Building memory stored = _checkedBuilding(building);
        buildingId = ++_buildingCount;
        _buildings[buildingId] = stored;
        emit BuildingRegistered(buildingId, msg.sender, stored);
    }

    /**
     * @dev Changes a building's meter, areas, norm and policies (from the next {billCommonHouse}).
     *
     * Requirements: the caller registered it; as {registerBuilding}.
     *
     * Emits a {BuildingUpdated} event.
     */
    function updateBuilding(uint64 buildingId, Building calldata building) external onlyRole(RETAIL_COMPANY_ROLE) {
        _ownedBuilding(buildingId);
        Building memory stored = _checkedBuilding(building);
        _buildings[buildingId] = stored;
        emit BuildingUpdated(buildingId, stored);
    }

    function getBuilding(uint64 buildingId) external view returns (Building memory building, uint64[] memory premises) {
        return (_buildings[buildingId], _premisesOf[buildingId]);
    }

    /**
     * @dev Makes `accountId` premises of `buildingId` with floor area `areaDm2` (`S_i`), or changes its area.
     *
     * Requirements: the caller registered the building and serves the account; the account is not premises
     * of another building; the area does not exceed `S_об`.
     *
     * Emits a {PremisesSet} event.
     */
    function setPremises(uint64 accountId, uint64 buildingId, uint64 areaDm2) external onlyRole(RETAIL_COMPANY_ROLE) {
        Building storage building = _ownedBuilding(buildingId);
        if (_registry.billingInfo(accountId).retailCompany != msg.sender) {
            revert CommonHouseNotAccountParty(accountId, msg.sender);
        }
        if (areaDm2 == 0 || areaDm2 > building.totalAreaDm2) revert CommonHouseInvalidBuilding("areaDm2");
        _Premises storage premises = _premises[accountId];
        if (premises.buildingId == 0) {
            premises.buildingId = buildingId;
            _premisesOf[buildingId].push(accountId);
        } else if (premises.buildingId != buildingId) {
            revert CommonHousePremisesInOtherBuilding(accountId, premises.buildingId);
        }
        premises.areaDm2 = areaDm2;
        emit PremisesSet(accountId, buildingId, areaDm2);
    }

    /**
     * @dev Bills `periodId`'s common-house needs of `buildingId` (billing-rules §5): `V_ОДН = V_ОДПУ − Σ
     * residential − Σ non-residential` from the period's snapshots of the common meter and, for every
     * premises, the volume its energy invoice was billed for when that was not its meter's snapshot
     * difference ({IBillingVolumes-billedVolume}: a substitute — "by norm" — or across a meter
     * replacement; {CommonHousePremisesVolume}), else its meter's snapshot difference; capped at `N_СОИ × S_МОП` (policy), shared by floor area with
     * {CommonHouse-commonHouseShare}; each positive share is priced at the first rate row of the
     * premises' plan (single rate, its VAT mode) and recorded in `Settlement` as an invoice of its own
     * with period id `periodId | COMMON_HOUSE_PERIOD` (issued and paid like any other). Nothing is
     * charged for a share ≤ 0.
     *
     * Requirements:
     * - the caller has {RETAIL_COMPANY_ROLE} and registered the building; the period has ended;
     * - the common meter (if any) has both snapshots of the period, and so has every premises' meter unless
     *   BillingVolumes recorded the premises' billed volume — a premises without readings whose period is
     *   not closed yet reverts {CommonHouseMissingReadings} (close the energy period first);
     * - no premises has an hourly (ПЦК 3/4) plan; not billed before for the period (Settlement refuses).
     *
     * Emits a {CommonHouseComputed} event and a {CommonHouseShare} event per premises.
     */
    function billCommonHouse(uint64 buildingId, uint32 periodId) external onlyRole(RETAIL_COMPANY_ROLE) {
        Building memory building = _ownedBuilding(buildingId);
        uint32 end = _readings.periodEnd(periodId);
        if (end == 0 || end > block.timestamp) revert IInvoices.InvoicePeriodNotEnded(periodId, end);
        if (periodId >= COMMON_HOUSE_PERIOD) revert CommonHouseInvalidBuilding("periodId");
        CommonHouse.Input memory input;
        input.totalAreaDm2 = building.totalAreaDm2;
        input.commonAreaDm2 = building.commonAreaDm2;
        input.normWhPerM2 = building.normWhPerM2;
        input.capAtNorm = building.capAtNorm;
        input.distributeNegative = building.distributeNegative;
        if (building.commonMeterId != 0) {
            input.hasCommonMeter = true;
            input.commonMeterWh = _buildingMeterVolume(buildingId, building.commonMeterId, periodId);
        }
        uint64[] memory accounts = _premisesOf[buildingId];
        for (uint256 i = 0; i < accounts.length; ++i) {
            IRegistry.BillingInfo memory info = _registry.billingInfo(accounts[i]);
            uint256 volume = _premisesVolume(buildingId, accounts[i], info.meterId, periodId);
            if (info.consumerType == IRegistry.ConsumerType.Household) input.residentialWh += volume;
            else input.nonResidentialWh += volume;
        }
        CommonHouse.Result memory result = CommonHouse.commonHouseShare(input);
        emit CommonHouseComputed(
            buildingId,
            periodId,
            input.commonMeterWh,
            input.residentialWh,
            input.nonResidentialWh,
            result.commonVolumeWh,
            result.capWh,
            result.distributableWh,
            result.borneByManagerWh
        );
        for (uint256 i = 0; i < accounts.length; ++i) {
            uint64 area = _premises[accounts[i]].areaDm2;
            input.premisesAreaDm2 = area;
            _billShare(accounts[i], buildingId, periodId, end, area, CommonHouse.commonHouseShare(input).shareWh);
        }
    }

    // ------------------------------------------------------------------ internal

    function _checkedBuilding(Building calldata building) private view returns (Building memory stored) {
        if (building.totalAreaDm2 == 0) revert CommonHouseInvalidBuilding("totalAreaDm2");
        if (building.commonMeterId != 0 && !_registry.meterExists(building.commonMeterId)) {
            revert CommonHouseInvalidBuilding("commonMeterId");
        }
        stored = building;
        stored.retailCompany = msg.sender;
    }

    function _ownedBuilding(uint64 buildingId) private view returns (Building storage building) {
        building = _buildings[buildingId];
        if (building.retailCompany == address(0)) revert CommonHouseUnknownBuilding(buildingId);
        if (building.retailCompany != msg.sender) revert CommonHouseNotBuildingOwner(buildingId, msg.sender);
    }

    /// @dev The premises' volume: what BillingVolumes billed when it was not the snapshot difference
    /// (substitute or across a replacement), else its meter's snapshot difference.
    function _premisesVolume(uint64 buildingId, uint64 accountId, uint64 meterId, uint32 periodId)
        private
        returns (uint256)
    {
        (bool recorded, bool substituted, uint256 volumeWh) = _billingVolumes.billedVolume(accountId, periodId);
        if (!recorded) return _buildingMeterVolume(buildingId, meterId, periodId);
        emit CommonHousePremisesVolume(buildingId, periodId, accountId, volumeWh, substituted);
        return volumeWh;
    }

    /// @dev All import registers of `meterId` over `periodId`; both snapshots are required.
    function _buildingMeterVolume(uint64 buildingId, uint64 meterId, uint32 periodId) private view returns (uint256) {
        (bool found, uint256 total) = _metered(meterId, periodId);
        if (!found) revert CommonHouseMissingReadings(buildingId, meterId, periodId);
        return total;
    }

    /// @dev Prices a positive share at the first rate row of the premises' plan and records it in Settlement.
    function _billShare(uint64 accountId, uint64 buildingId, uint32 periodId, uint32 end, uint64 areaDm2, int256 shareWh)
        private
    {
        uint32 invoicePeriod = periodId | COMMON_HOUSE_PERIOD;
        uint256 invoiceId = (uint256(accountId) << 32) | invoicePeriod;
        bool billed = shareWh > 0;
        emit CommonHouseShare(invoiceId, buildingId, periodId, accountId, areaDm2, shareWh, billed);
        if (!billed) return;
        ITariffs.PlanData memory data = _tariffs.billingPlanFor(accountId, periodId, end, false);
        if (uint8(data.plan.kind) >= uint8(ITariffs.TariffKind.PriceCategory3)) {
            revert CommonHouseHourlyPlan(accountId, data.planId);
        }
        uint64[4][] memory rates = new uint64[4][](1);
        rates[0] = data.rates[0];
        VatMode vatMode =
            data.plan.vatIncluded ? VatMode.Included : data.plan.vatBp == 0 ? VatMode.None : VatMode.Added;
        uint256 volume = uint256(shareWh);
        InvoiceMath.ZoneInvoice memory priced =
            InvoiceMath.computeZoneInvoiceWords([volume, 0, 0, 0], 1, rates, vatMode, data.plan.vatBp);
        _settlement.recordModuleInvoice(
            accountId,
            invoicePeriod,
            data.planId,
            priced.payableByComponent,
            priced.vat,
            [volume, 0, 0, 0, 0],
            priced.lineWords
        );
    }

    /// @dev All import registers of `meterId` over `periodId`, when both snapshots exist.
    function _metered(uint64 meterId, uint32 periodId) private view returns (bool found, uint256 total) {
        (uint256 previous, uint256 current,,) = _readings.billingSnapshots(meterId, periodId, false);
        if (previous == 0 || current == 0) return (false, 0);
        for (uint256 k = 0; k < 4; ++k) {
            uint256 shift = 176 - 48 * k;
            total += ((current >> shift) & ((1 << 48) - 1)) - ((previous >> shift) & ((1 << 48) - 1));
        }
        found = true;
    }
}
