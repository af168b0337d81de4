// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/registry/Registry.sol)
pragma solidity ^0.8.27;

import {BillingMath} from "../billing/BillingMath.sol";
import {Losses} from "../billing/Losses.sol";
import {SubstituteVolumes} from "../billing/SubstituteVolumes.sol";
import {GridLedgerBase} from "../access/GridLedgerBase.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";

/**
 * @dev Participants and their data: organisations (grid company, retail companies, payment sources,
 * the consortium operator), meters, consumer accounts and meter state (F-CHAIN-08).
 *
 * Organisations are identified by the address that signs their transactions; their profile data
 * lives off-chain and is anchored here by hash. Meters are registered by the grid company that owns
 * them, accounts are opened by the retail company that serves them; every later change is made by
 * the same organisation.
 */
contract Registry is GridLedgerBase, IRegistry {
    mapping(address organisation => Organisation) private _organisations;
    mapping(uint64 meterId => Meter) private _meters;
    mapping(uint64 meterId => MeterState) private _meterStates;
    mapping(bytes32 modelSerial => uint64) private _meterBySerial;
    mapping(uint64 accountId => ConsumerAccount) private _accounts;
    mapping(bytes32 accountNumber => uint64) private _accountByNumber;
    uint64 private _meterCount;
    uint64 private _accountCount;
    mapping(uint64 accountId => mapping(uint8 kind => bytes32 documentHash)) private _accountDocuments;
    mapping(uint64 accountId => MeterReplacement[]) private _replacements;
    /// @dev Why an account's invoices go through BillingVolumes (one slot, the first field where the
    /// former `mapping(uint64 => bool) _volumesFlagged` kept its flag): substitution state, and a meter
    /// replacement not yet behind a billed period.
    mapping(uint64 accountId => _VolumesRoute) private _volumesRoutes;

    struct _VolumesRoute {
        bool flagged;
        uint32 replacedAt;
    }

    /// @dev Kind of account document: the supply contract; further kinds (2, 3, …) are left for later documents.
    uint8 public constant SUPPLY_CONTRACT_DOCUMENT = 1;
    /// @dev Granted to the BillingVolumes proxy: marks accounts whose volumes it must compute.
    bytes32 public constant VOLUMES_MODULE_ROLE = keccak256("VOLUMES_MODULE_ROLE");

    function initialize(address admin) external initializer {
        __GridLedgerBase_init(admin);
    }

    // ------------------------------------------------------------------ organisations

    /**
     * @dev Registers `organisation` of `kind` with its profile anchors.
     *
     * Requirements:
     * - the caller has {OPERATOR_ROLE};
     * - `organisation` is not registered yet.
     *
     * Emits an {OrganisationRegistered} event.
     *
     * NOTE: registering does not grant roles; roles are granted per contract (docs/contracts.md).
     */
    function registerOrganisation(address organisation, OrganisationKind kind, bytes32 profileHash, bytes32 profileId)
        external
        onlyRole(OPERATOR_ROLE)
    {
        if (organisation == address(0)) revert RegistryInvalidArgument("organisation");
        if (kind == OrganisationKind.None) revert RegistryInvalidArgument("kind");
        if (_organisations[organisation].kind != OrganisationKind.None) revert RegistryOrganisationExists(organisation);
        _organisations[organisation] = Organisation(kind, true, profileHash, profileId);
        emit OrganisationRegistered(organisation, kind, profileHash, profileId);
    }

    /**
     * @dev Updates the profile anchors or deactivates `organisation`.
     *
     * Requirements: the caller has {OPERATOR_ROLE}; `organisation` is registered.
     *
     * Emits an {OrganisationUpdated} event.
     */
    function updateOrganisation(address organisation, bool active, bytes32 profileHash, bytes32 profileId)
        external
        onlyRole(OPERATOR_ROLE)
    {
        Organisation storage org = _organisations[organisation];
        if (org.kind == OrganisationKind.None) revert RegistryInvalidOrganisation(organisation, OrganisationKind.None);
        org.active = active;
        org.profileHash = profileHash;
        org.profileId = profileId;
        emit OrganisationUpdated(organisation, active, profileHash, profileId);
    }

    function getOrganisation(address organisation) external view returns (Organisation memory) {
        return _organisations[organisation];
    }

    // ------------------------------------------------------------------ meters

    /**
     * @dev Registers a meter owned by the calling grid company and returns its id (from 1).
     *
     * Requirements:
     * - the caller has {GRID_COMPANY_ROLE} and is an active grid-company organisation;
     * - `meter.tariffZones` is 1-4; no meter of the same model has the same serial.
     *
     * Emits a {MeterRegistered} event.
     */
    function registerMeter(Meter calldata meter) external onlyRole(GRID_COMPANY_ROLE) returns (uint64 meterId) {
        _requireOrganisation(msg.sender, OrganisationKind.GridCompany);
        if (meter.tariffZones == 0 || meter.tariffZones > 4) revert RegistryInvalidMeterOrCategory(meter.tariffZones, 0);
        if (meter.serial == bytes32(0)) revert RegistryInvalidArgument("serial");
        bytes32 key = keccak256(abi.encode(meter.model, meter.serial));
        uint64 existing = _meterBySerial[key];
        if (existing != 0) revert RegistryDuplicateMeter(meter.model, meter.serial, existing);
        meterId = ++_meterCount;
        _meterBySerial[key] = meterId;
        Meter memory stored = meter;
        stored.gridCompany = msg.sender;
        stored.accountId = 0;
        _meters[meterId] = stored;
        emit MeterRegistered(meterId, msg.sender, meter.serial, meter.model, stored);
    }

    /**
     * @dev Updates the technical data of `meterId` (type, scheme, zones, boundary and loss method).
     * The owner, serial, model and account link do not change.
     *
     * Requirements: the caller has {GRID_COMPANY_ROLE} and owns the meter.
     *
     * Emits a {MeterUpdated} event.
     */
    function updateMeter(uint64 meterId, Meter calldata meter) external onlyRole(GRID_COMPANY_ROLE) {
        Meter storage stored = _ownedMeter(meterId);
        if (meter.tariffZones == 0 || meter.tariffZones > 4) revert RegistryInvalidMeterOrCategory(meter.tariffZones, 0);
        stored.meterType = meter.meterType;
        stored.tariffZones = meter.tariffZones;
        stored.meteringScheme = meter.meteringScheme;
        stored.remoteReading = meter.remoteReading;
        stored.exportCapable = meter.exportCapable;
        stored.atBalanceBoundary = meter.atBalanceBoundary;
        stored.lossMethod = meter.lossMethod;
        stored.lossPpm = meter.lossPpm;
        stored.lossParameters = meter.lossParameters;
        emit MeterUpdated(meterId, stored);
    }

    function meterExists(uint64 meterId) public view returns (bool) {
        return _meters[meterId].gridCompany != address(0);
    }

    function getMeter(uint64 meterId) external view returns (Meter memory) {
        return _meters[meterId];
    }

    function meterCount() external view returns (uint64) {
        return _meterCount;
    }

    /// @inheritdoc IRegistry
    function meterEntryInfo(uint64 meterId) external view returns (bool exists, bool remote, address consumer) {
        Meter storage meter = _meters[meterId];
        exists = meter.gridCompany != address(0);
        remote = meter.remoteReading;
        consumer = meter.accountId == 0 ? address(0) : _accounts[meter.accountId].consumer;
    }

    // ------------------------------------------------------------------ meter state (F-CHAIN-08)

    /**
     * @dev Records that `meterId` reported a tamper or error flag.
     *
     * Requirements: the caller has {METER_REPORTER_ROLE}; the meter exists.
     *
     * Emits a {MeterTamperFlagged} event.
     */
    function reportTamper(uint64 meterId, uint32 code, bytes32 evidenceHash) external onlyRole(METER_REPORTER_ROLE) {
        _requireMeter(meterId);
        _meterStates[meterId].tampered = true;
        emit MeterTamperFlagged(meterId, code, evidenceHash);
    }

    /**
     * @dev Clears the tamper flag after an inspection.
     *
     * Requirements: the caller has {GRID_COMPANY_ROLE} and owns the meter.
     *
     * Emits a {MeterTamperCleared} event.
     */
    function clearTamper(uint64 meterId, bytes32 inspectionHash) external onlyRole(GRID_COMPANY_ROLE) {
        _ownedMeter(meterId);
        _meterStates[meterId].tampered = false;
        emit MeterTamperCleared(meterId, inspectionHash);
    }

    /**
     * @dev Sets the approved (reference) firmware hash of `meterId`.
     *
     * Requirements: the caller has {GRID_COMPANY_ROLE} and owns the meter.
     *
     * Emits a {MeterReferenceFirmwareSet} event.
     */
    function setReferenceFirmware(uint64 meterId, bytes32 firmwareHash) external onlyRole(GRID_COMPANY_ROLE) {
        _ownedMeter(meterId);
        _meterStates[meterId].referenceFirmware = firmwareHash;
        emit MeterReferenceFirmwareSet(meterId, firmwareHash);
    }

    /**
     * @dev Records the firmware/software hash `meterId` reports. A change emits
     * {MeterFirmwareChanged}; a change back to the reference hash also emits {MeterFirmwareRestored}.
     *
     * Requirements: the caller has {METER_REPORTER_ROLE}; the meter exists.
     */
    function reportFirmware(uint64 meterId, bytes32 firmwareHash) external onlyRole(METER_REPORTER_ROLE) {
        _requireMeter(meterId);
        MeterState storage state = _meterStates[meterId];
        bytes32 previous = state.currentFirmware;
        if (previous == firmwareHash) return;
        state.currentFirmware = firmwareHash;
        bool matches = firmwareHash == state.referenceFirmware;
        emit MeterFirmwareChanged(meterId, previous, firmwareHash, matches);
        if (matches && previous != bytes32(0)) emit MeterFirmwareRestored(meterId, firmwareHash);
    }

    /**
     * @dev Records a clock drift of `driftSeconds` (meter minus agent clock).
     *
     * Requirements: the caller has {METER_REPORTER_ROLE}; the meter exists.
     *
     * Emits a {MeterClockDriftRecorded} event.
     */
    function reportClockDrift(uint64 meterId, int32 driftSeconds) external onlyRole(METER_REPORTER_ROLE) {
        _requireMeter(meterId);
        _meterStates[meterId].lastClockDrift = driftSeconds;
        emit MeterClockDriftRecorded(meterId, driftSeconds);
    }

    function getMeterState(uint64 meterId) external view returns (MeterState memory) {
        return _meterStates[meterId];
    }

    // ------------------------------------------------------------------ accounts

    /**
     * @dev Opens a consumer account served by the calling retail company, attached to `account.meterId`.
     * Returns its id (from 1).
     *
     * Requirements:
     * - the caller has {RETAIL_COMPANY_ROLE} and is an active retail-company organisation;
     * - `account.gridCompany` is a registered grid company; the meter exists and is not attached;
     * - the account number is unique; the price category fits the consumer type.
     *
     * Emits an {AccountOpened} event.
     */
    function openAccount(ConsumerAccount calldata account)
        external
        onlyRole(RETAIL_COMPANY_ROLE)
        returns (uint64 accountId)
    {
        _requireOrganisation(msg.sender, OrganisationKind.RetailCompany);
        _requireOrganisation(account.gridCompany, OrganisationKind.GridCompany);
        if (account.consumer == address(0)) revert RegistryInvalidArgument("consumer");
        if (account.accountNumber == bytes32(0)) revert RegistryInvalidArgument("accountNumber");
        _requireCategory(account.consumerType, account.priceCategory);
        Meter storage meter = _requireMeter(account.meterId);
        if (meter.accountId != 0) revert RegistryMeterInUse(account.meterId, meter.accountId);
        uint64 existing = _accountByNumber[account.accountNumber];
        if (existing != 0) revert RegistryDuplicateAccount(account.accountNumber, existing);
        accountId = ++_accountCount;
        _accountByNumber[account.accountNumber] = accountId;
        ConsumerAccount memory stored = account;
        stored.retailCompany = msg.sender;
        stored.active = true;
        _accounts[accountId] = stored;
        meter.accountId = accountId;
        emit AccountOpened(accountId, account.accountNumber, msg.sender, stored);
    }

    /**
     * @dev Updates the consumer, type, price category, site, address reference or active flag of an account.
     *
     * Requirements: the caller has {RETAIL_COMPANY_ROLE} and serves the account.
     *
     * Emits an {AccountUpdated} event.
     */
    function updateAccount(
        uint64 accountId,
        address consumer,
        ConsumerType consumerType,
        uint8 priceCategory,
        bytes32 siteId,
        bytes32 addressRef,
        bool active
    ) external onlyRole(RETAIL_COMPANY_ROLE) {
        ConsumerAccount storage account = _accounts[accountId];
        if (account.retailCompany == address(0)) revert RegistryUnknownAccount(accountId);
        if (account.retailCompany != msg.sender) revert RegistryNotOwner(accountId, msg.sender);
        if (consumer == address(0)) revert RegistryInvalidArgument("consumer");
        _requireCategory(consumerType, priceCategory);
        account.consumer = consumer;
        account.consumerType = consumerType;
        account.priceCategory = priceCategory;
        account.siteId = siteId;
        account.addressRef = addressRef;
        account.active = active;
        emit AccountUpdated(accountId, account);
    }

    /**
     * @dev Replaces the meter of `accountId` by `newMeterId` at `replacedAt`: records the old meter's
     * final and the new meter's initial register values (T1-T4, export; Wh), attaches the new meter to
     * the account and detaches the old one. The billing period containing `replacedAt` is billed from
     * both meters: `(oldFinal − old start snapshot) + (new end snapshot − newInitial)` per register.
     *
     * Requirements:
     * - the caller has {GRID_COMPANY_ROLE} and owns both meters (the grid company installs meters), or
     *   has {OPERATOR_ROLE} (a correction) and both meters belong to the same grid company;
     * - the new meter exists and is attached to no account;
     * - `replacedAt` is not in the future and after the account's previous replacement;
     * - the old meter's final reading is not all zeros.
     *
     * Emits a {MeterReplaced} event.
     */
    function replaceMeter(
        uint64 accountId,
        uint64 newMeterId,
        uint32 replacedAt,
        uint48[5] calldata oldFinalWh,
        uint48[5] calldata newInitialWh
    ) external {
        bool operator = hasRole(OPERATOR_ROLE, msg.sender);
        if (!operator) _checkRole(GRID_COMPANY_ROLE);
        ConsumerAccount storage account = _accounts[accountId];
        if (account.retailCompany == address(0)) revert RegistryUnknownAccount(accountId);
        uint64 oldMeterId = account.meterId;
        Meter storage oldMeter = operator ? _requireMeter(oldMeterId) : _ownedMeter(oldMeterId);
        Meter storage newMeter = operator ? _requireMeter(newMeterId) : _ownedMeter(newMeterId);
        if (newMeter.gridCompany != oldMeter.gridCompany) revert RegistryNotOwner(newMeterId, oldMeter.gridCompany);
        if (newMeter.accountId != 0) revert RegistryMeterInUse(newMeterId, newMeter.accountId);
        MeterReplacement[] storage history = _replacements[accountId];
        uint32 previousAt = history.length == 0 ? 0 : history[history.length - 1].replacedAt;
        if (replacedAt > block.timestamp || replacedAt <= previousAt) {
            revert RegistryInvalidReplacementTime(accountId, replacedAt, previousAt);
        }
        if (
            uint256(oldFinalWh[0]) + oldFinalWh[1] + oldFinalWh[2] + oldFinalWh[3] + oldFinalWh[4] == 0
        ) revert RegistryInvalidReplacementReading(accountId, oldMeterId);
        history.push(MeterReplacement(oldMeterId, newMeterId, replacedAt, oldFinalWh, newInitialWh));
        // the replacement period goes through BillingVolumes: the new meter may have reported before (a used
        // meter), and its snapshot difference alone would miss the old meter's part of the period
        _volumesRoutes[accountId].replacedAt = replacedAt;
        oldMeter.accountId = 0;
        newMeter.accountId = accountId;
        account.meterId = newMeterId;
        emit MeterReplaced(accountId, oldMeterId, newMeterId, replacedAt, oldFinalWh, newInitialWh);
    }

    /// @inheritdoc IRegistry
    function meterReplacements(uint64 accountId) external view returns (MeterReplacement[] memory) {
        return _replacements[accountId];
    }

    function getAccount(uint64 accountId) external view returns (ConsumerAccount memory) {
        return _accounts[accountId];
    }

    function accountByNumber(bytes32 accountNumber) external view returns (uint64) {
        return _accountByNumber[accountNumber];
    }

    function accountCount() external view returns (uint64) {
        return _accountCount;
    }

    /**
     * @dev Anchors the SHA-256 `documentHash` of the document of `kind` about `accountId` (1 = the supply
     * contract). A later anchor of the same kind supersedes the earlier one, e.g. a re-signed contract.
     *
     * Requirements: the caller has {RETAIL_COMPANY_ROLE} and serves the account; `kind` and
     * `documentHash` are not zero.
     *
     * Emits an {AccountDocumentAnchored} event.
     */
    function anchorAccountDocument(uint64 accountId, uint8 kind, bytes32 documentHash)
        external
        onlyRole(RETAIL_COMPANY_ROLE)
    {
        address retailCompany = _accounts[accountId].retailCompany;
        if (retailCompany == address(0)) revert RegistryUnknownAccount(accountId);
        if (retailCompany != msg.sender) revert RegistryNotOwner(accountId, msg.sender);
        if (kind == 0) revert RegistryInvalidArgument("kind");
        if (documentHash == bytes32(0)) revert RegistryInvalidArgument("documentHash");
        _accountDocuments[accountId][kind] = documentHash;
        emit AccountDocumentAnchored(accountId, kind, documentHash);
    }

    /// @inheritdoc IRegistry
    function accountDocument(uint64 accountId, uint8 kind) external view returns (bytes32) {
        return _accountDocuments[accountId][kind];
    }

    /// @inheritdoc IRegistry
    function billingInfo(uint64 accountId) external view returns (BillingInfo memory info) {
        ConsumerAccount storage account = _accounts[accountId];
        if (account.retailCompany == address(0)) revert RegistryUnknownAccount(accountId);
        Meter storage meter = _meters[account.meterId];
        info = BillingInfo({
            retailCompany: account.retailCompany,
            consumer: account.consumer,
            meterId: account.meterId,
            consumerType: account.consumerType,
            priceCategory: account.priceCategory,
            tariffZones: meter.tariffZones,
            exportCapable: meter.exportCapable,
            active: account.active
        });
    }

    /// @inheritdoc IRegistry
    function settlementInfo(uint64 accountId)
        external
        view
        returns (
            address retailCompany,
            uint64 meterId,
            bool active,
            bool exportCapable,
            bool atBalanceBoundary,
            LossMethod lossMethod,
            int32 lossPpm
        )
    {
        ConsumerAccount storage account = _accounts[accountId];
        retailCompany = account.retailCompany;
        if (retailCompany == address(0)) revert RegistryUnknownAccount(accountId);
        meterId = account.meterId;
        active = account.active;
        Meter storage meter = _meters[meterId];
        // one slot: exportCapable, atBalanceBoundary, lossMethod, lossPpm
        exportCapable = meter.exportCapable;
        atBalanceBoundary = meter.atBalanceBoundary;
        lossMethod = meter.lossMethod;
        lossPpm = meter.lossPpm;
    }

    /// @inheritdoc IRegistry
    function settlementState(uint64 accountId)
        external
        view
        returns (address retailCompany, uint64 meterId, bool active, bool exportCapable, bool viaModule)
    {
        ConsumerAccount storage account = _accounts[accountId];
        retailCompany = account.retailCompany;
        if (retailCompany == address(0)) revert RegistryUnknownAccount(accountId);
        meterId = account.meterId;
        active = account.active;
        Meter storage meter = _meters[meterId];
        exportCapable = meter.exportCapable;
        // the route's slot is non-zero exactly when it is flagged or a replacement routes it: one read, no unpacking
        _VolumesRoute storage route = _volumesRoutes[accountId];
        uint256 routeWord;
        assembly ("memory-safe") {
            routeWord := sload(route.slot)
        }
        viaModule = !meter.atBalanceBoundary || routeWord != 0;
    }

    /// @inheritdoc IRegistry
    function volumesRoute(uint64 accountId) external view returns (bool flagged, uint32 replacedAt) {
        _VolumesRoute memory route = _volumesRoutes[accountId];
        return (route.flagged, route.replacedAt);
    }

    /**
     * @dev BillingVolumes has billed a period after the meter replacement at `replacedAt`: the replacement
     * no longer routes `accountId` to it (a later replacement, recorded meanwhile, still does).
     *
     * Requirements: the caller has {VOLUMES_MODULE_ROLE} (the BillingVolumes proxy).
     */
    function clearReplacementRoute(uint64 accountId, uint32 replacedAt) external onlyRole(VOLUMES_MODULE_ROLE) {
        _VolumesRoute storage route = _volumesRoutes[accountId];
        if (route.replacedAt == replacedAt) route.replacedAt = 0;
    }

    /**
     * @dev Marks whether BillingVolumes keeps substitution state for `accountId` ({settlementState}).
     *
     * Requirements: the caller has {VOLUMES_MODULE_ROLE} (the BillingVolumes proxy).
     */
    function setVolumesFlag(uint64 accountId, bool flagged) external onlyRole(VOLUMES_MODULE_ROLE) {
        _volumesRoutes[accountId].flagged = flagged;
    }

    /// @inheritdoc IRegistry
    function lossCorrection(uint64 meterId, uint256[4] calldata volumes, uint256 hours_)
        external
        view
        returns (uint256[4] memory billed, uint8 method, uint256 meteredWh, uint256 lossWh, bool subtracted)
    {
        Meter storage meter = _meters[meterId];
        billed = volumes;
        method = uint8(meter.lossMethod);
        uint256 registers;
        for (uint256 r = 0; r < 4; ++r) {
            if (volumes[r] != 0) registers = r + 1;
            meteredWh += volumes[r];
        }
        if (meter.atBalanceBoundary || meter.lossMethod == LossMethod.None) return (billed, method, meteredWh, 0, false);
        Losses.LossDirection direction;
        if (meter.lossMethod == LossMethod.ContractPercentage) {
            int256 ppm = meter.lossPpm;
            direction = ppm < 0 ? Losses.LossDirection.Subtract : Losses.LossDirection.Add;
            lossWh = BillingMath.mulDiv(meteredWh, uint256(ppm < 0 ? -ppm : ppm), 1e6, BillingMath.Rounding.HalfUp);
        } else if (meter.lossMethod == LossMethod.Transformer) {
            Losses.Transformer memory t;
            (t, direction) = Losses.unpackTransformer(meter.lossParameters, meteredWh, hours_);
            lossWh = Losses.transformerLoss(t);
        } else {
            Losses.Line memory l;
            (l, direction) = Losses.unpackLine(meter.lossParameters, meteredWh, hours_);
            lossWh = Losses.lineLoss(l);
        }
        subtracted = direction == Losses.LossDirection.Subtract;
        if (registers == 0) return (billed, method, meteredWh, lossWh, subtracted);
        uint256[] memory profile = new uint256[](registers);
        for (uint256 r = 0; r < registers; ++r) profile[r] = volumes[r];
        uint256[] memory parts = SubstituteVolumes.scaleProfile(profile, lossWh);
        for (uint256 r = 0; r < registers; ++r) billed[r] = Losses.applyLossCorrection(volumes[r], parts[r], direction);
    }

    // ------------------------------------------------------------------ internal

    function _requireOrganisation(address organisation, OrganisationKind kind) internal view {
        Organisation storage org = _organisations[organisation];
        if (org.kind != kind || !org.active) revert RegistryInvalidOrganisation(organisation, kind);
    }

    function _requireMeter(uint64 meterId) internal view returns (Meter storage meter) {
        meter = _meters[meterId];
        if (meter.gridCompany == address(0)) revert RegistryUnknownMeter(meterId);
    }

    function _ownedMeter(uint64 meterId) internal view returns (Meter storage meter) {
        meter = _requireMeter(meterId);
        if (meter.gridCompany != msg.sender) revert RegistryNotOwner(meterId, msg.sender);
    }

    function _requireCategory(ConsumerType consumerType, uint8 priceCategory) internal pure {
        bool valid = consumerType == ConsumerType.Household
            ? priceCategory == 0
            : consumerType == ConsumerType.LegalEntity && priceCategory >= 1 && priceCategory <= 4;
        if (!valid) revert RegistryInvalidMeterOrCategory(0, priceCategory);
    }
}
