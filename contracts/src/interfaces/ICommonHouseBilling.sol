// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/interfaces/ICommonHouseBilling.sol)
pragma solidity ^0.8.27;

/**
 * @dev Common-house needs (ОДН / КР на СОИ, F-CHAIN-03, billing-rules §5): buildings, their premises by
 * floor area, and the period's common-house volume distributed to the premises and invoiced through
 * `Settlement` (an invoice of its own per premises and period).
 */
interface ICommonHouseBilling {
    /**
     * @dev An apartment block for common-house needs (ОДН / КР на СОИ, F-CHAIN-03, billing-rules §5); areas in
     * dm² (0.01 m²), the norm `N_СОИ` in Wh per m² of common area per period.
     */
    struct Building {
        /// @dev Set by the contract: the retail company that registered it (and bills its premises).
        address retailCompany;
        /// @dev The common-house meter (ОДПУ); 0 = none (the norm `N_СОИ × S_МОП` is distributed).
        uint64 commonMeterId;
        /// @dev `S_об`: the total area of all residential and non-residential premises.
        uint64 totalAreaDm2;
        /// @dev `S_МОП`: the common area (staircases, corridors, attics, basements).
        uint64 commonAreaDm2;
        uint32 normWhPerM2;
        /// @dev Distribute at most `N_СОИ × S_МОП` (the default); false after a general meeting's decision.
        bool capAtNorm;
        /// @dev Distribute a negative `V_ОДН` (regional practice, VERIFY); otherwise nothing is charged.
        bool distributeNegative;
    }

    event SettlementSet(address settlement);
    event BuildingRegistered(uint64 indexed buildingId, address indexed retailCompany, Building building);
    event BuildingUpdated(uint64 indexed buildingId, Building building);
    /// @dev `accountId` is premises of `buildingId` with `areaDm2` (`S_i`).
    event PremisesSet(uint64 indexed accountId, uint64 indexed buildingId, uint64 areaDm2);
    /**
     * @dev Common-house needs of `buildingId` over `periodId`: `V_ОДН = commonMeterWh − residentialWh −
     * nonResidentialWh` (or the norm without a common meter), the cap `N_СОИ × S_МОП`, what is distributed
     * and what the managing organisation bears.
     */
    event CommonHouseComputed(
        uint64 indexed buildingId,
        uint32 indexed periodId,
        uint256 commonMeterWh,
        uint256 residentialWh,
        uint256 nonResidentialWh,
        int256 commonVolumeWh,
        uint256 capWh,
        int256 distributableWh,
        uint256 borneByManagerWh
    );
    /**
     * @dev The premises' share `shareWh = distributable × S_i / S_об` (half away from zero); `billed`: it was
     * positive and invoice `invoiceId` (period id `periodId | 2^30`, see {CommonHouseBilling-COMMON_HOUSE_PERIOD}; below 2^31, the index keeps period ids as signed 32-bit integers) records it.
     */
    event CommonHouseShare(
        uint256 indexed invoiceId,
        uint64 indexed buildingId,
        uint32 indexed periodId,
        uint64 accountId,
        uint64 areaDm2,
        int256 shareWh,
        bool billed
    );
    /**
     * @dev The premises' volume in {billCommonHouse} is not its meter's snapshot difference but what its
     * energy invoice was billed for (BillingVolumes): a substitute (`substituted`: average, norm, …) or the
     * volume across a meter replacement.
     */
    event CommonHousePremisesVolume(
        uint64 indexed buildingId, uint32 periodId, uint64 indexed accountId, uint256 volumeWh, bool substituted
    );

    /// @dev `caller` is not the retail company serving `accountId`.
    error CommonHouseNotAccountParty(uint64 accountId, address caller);
    /// @dev No building `buildingId`.
    error CommonHouseUnknownBuilding(uint64 buildingId);
    /// @dev `caller` is not the retail company that registered `buildingId`.
    error CommonHouseNotBuildingOwner(uint64 buildingId, address caller);
    /// @dev A building parameter is out of range (`what` names it).
    error CommonHouseInvalidBuilding(bytes32 what);
    /// @dev `accountId` is already premises of `buildingId`.
    error CommonHousePremisesInOtherBuilding(uint64 accountId, uint64 buildingId);
    /// @dev `meterId` (the common-house meter or a premises' meter) of `buildingId` lacks a snapshot of `periodId`.
    error CommonHouseMissingReadings(uint64 buildingId, uint64 meterId, uint32 periodId);
    /// @dev The common-house share is priced at the plan's first rate row; `planId` of `accountId` is hourly (ПЦК 3/4).
    error CommonHouseHourlyPlan(uint64 accountId, uint64 planId);
}
