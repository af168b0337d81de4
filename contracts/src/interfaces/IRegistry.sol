// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/interfaces/IRegistry.sol)
pragma solidity ^0.8.27;

/**
 * @dev Participants, consumer accounts, meters and meter state (issue 3 part 1, F-CHAIN-08).
 */
interface IRegistry {
    enum OrganisationKind {
        None,
        Operator,
        GridCompany,
        RetailCompany,
        PaymentSource
    }

    enum ConsumerType {
        None,
        Household,
        LegalEntity
    }

    /// @dev How the volume is corrected when the meter does not stand at the balance boundary.
    enum LossMethod {
        None,
        ContractPercentage,
        Transformer,
        Line
    }

    struct Organisation {
        OrganisationKind kind;
        bool active;
        /// @dev keccak256 of the organisation's profile document (bank details, card) kept off-chain.
        bytes32 profileHash;
        /// @dev External identifier (e.g. INN/OGRN) as bytes32.
        bytes32 profileId;
    }

    struct Meter {
        address gridCompany;
        uint64 accountId;
        uint8 meterType;
        /// @dev Number of tariff zones (import registers T1..Tn) the meter supports, 1-4.
        uint8 tariffZones;
        uint8 meteringScheme;
        bool remoteReading;
        bool exportCapable;
        bool atBalanceBoundary;
        LossMethod lossMethod;
        /// @dev Contract percentage in ppm, signed: positive adds losses (meter downstream), negative subtracts.
        int32 lossPpm;
        bytes32 serial;
        bytes32 model;
        /// @dev Technical loss parameters (transformer/line), packed as the billing library defines.
        bytes32 lossParameters;
    }

    struct ConsumerAccount {
        address consumer;
        uint64 meterId;
        ConsumerType consumerType;
        /// @dev 0 for households; 1-4 for legal entities.
        uint8 priceCategory;
        bool active;
        address retailCompany;
        address gridCompany;
        bytes32 accountNumber;
        bytes32 siteId;
        bytes32 addressRef;
    }

    /// @dev State of a meter as reported by the agent or the grid company (F-CHAIN-08).
    struct MeterState {
        bytes32 referenceFirmware;
        bytes32 currentFirmware;
        bool tampered;
        int32 lastClockDrift;
    }

    /// @dev Everything billing needs about an account in one call.
    struct BillingInfo {
        address retailCompany;
        address consumer;
        uint64 meterId;
        ConsumerType consumerType;
        uint8 priceCategory;
        uint8 tariffZones;
        bool exportCapable;
        bool active;
    }

    /**
     * @dev A meter exchanged on an account (issue 3, meter replacement mid-period): `oldMeterId` read
     * `oldFinalWh` (T1-T4, export) when it was removed and `newMeterId` read `newInitialWh` when it was
     * installed, both at `replacedAt` (unix seconds). The period that contains `replacedAt` is billed from
     * both meters (`BillingVolumes`).
     */
    struct MeterReplacement {
        uint64 oldMeterId;
        uint64 newMeterId;
        uint32 replacedAt;
        uint48[5] oldFinalWh;
        uint48[5] newInitialWh;
    }

    event OrganisationRegistered(address indexed organisation, OrganisationKind kind, bytes32 profileHash, bytes32 profileId);
    event OrganisationUpdated(address indexed organisation, bool active, bytes32 profileHash, bytes32 profileId);
    event MeterRegistered(uint64 indexed meterId, address indexed gridCompany, bytes32 serial, bytes32 model, Meter meter);
    event MeterUpdated(uint64 indexed meterId, Meter meter);
    event AccountOpened(uint64 indexed accountId, bytes32 indexed accountNumber, address indexed retailCompany, ConsumerAccount account);
    event AccountUpdated(uint64 indexed accountId, ConsumerAccount account);
    event MeterTamperFlagged(uint64 indexed meterId, uint32 code, bytes32 evidenceHash);
    event MeterTamperCleared(uint64 indexed meterId, bytes32 inspectionHash);
    event MeterReferenceFirmwareSet(uint64 indexed meterId, bytes32 firmwareHash);
    event MeterFirmwareChanged(uint64 indexed meterId, bytes32 previousHash, bytes32 newHash, bool matchesReference);
    event MeterFirmwareRestored(uint64 indexed meterId, bytes32 firmwareHash);
    event MeterClockDriftRecorded(uint64 indexed meterId, int32 driftSeconds);
    /**
     * @dev The SHA-256 `documentHash` of a document of `kind` about `accountId` (1 = supply contract) was
     * anchored by the account's retail company; it supersedes any earlier anchor of the same kind
     * (e.g. a re-signed contract).
     */
    event AccountDocumentAnchored(uint64 indexed accountId, uint8 indexed kind, bytes32 documentHash);

    /**
     * @dev `oldMeterId` of `accountId` was replaced by `newMeterId` at `replacedAt` with the old meter's
     * final and the new meter's initial register values (T1-T4, export; Wh).
     */
    event MeterReplaced(
        uint64 indexed accountId,
        uint64 indexed oldMeterId,
        uint64 indexed newMeterId,
        uint32 replacedAt,
        uint48[5] oldFinalWh,
        uint48[5] newInitialWh
    );

    /// @dev `organisation` is already registered.
    error RegistryOrganisationExists(address organisation);
    /// @dev `organisation` is not registered, or not of the `expected` kind.
    error RegistryInvalidOrganisation(address organisation, OrganisationKind expected);
    /// @dev A zero address or a zero `kind` was given.
    error RegistryInvalidArgument(bytes32 what);
    /// @dev No meter `meterId`.
    error RegistryUnknownMeter(uint64 meterId);
    /// @dev No account `accountId`.
    error RegistryUnknownAccount(uint64 accountId);
    /// @dev A meter with `serial` of `model` already exists as `meterId`.
    error RegistryDuplicateMeter(bytes32 model, bytes32 serial, uint64 meterId);
    /// @dev The personal account number is taken by `accountId`.
    error RegistryDuplicateAccount(bytes32 accountNumber, uint64 accountId);
    /// @dev `meterId` is already attached to `accountId`.
    error RegistryMeterInUse(uint64 meterId, uint64 accountId);
    /// @dev `caller` is not the organisation that owns `id` (meter or account).
    error RegistryNotOwner(uint64 id, address caller);
    /// @dev Tariff zones must be 1-4; price category 0 for households and 1-4 for legal entities.
    error RegistryInvalidMeterOrCategory(uint8 tariffZones, uint8 priceCategory);

    /// @dev A replacement of `accountId`'s meter at `replacedAt` is not after its previous one
    /// (`previousAt`) or is in the future.
    error RegistryInvalidReplacementTime(uint64 accountId, uint32 replacedAt, uint32 previousAt);
    /// @dev The old meter's final reading is zero on every register (no reading given).
    error RegistryInvalidReplacementReading(uint64 accountId, uint64 meterId);

    function meterExists(uint64 meterId) external view returns (bool);
    function getMeter(uint64 meterId) external view returns (Meter memory);
    function getAccount(uint64 accountId) external view returns (ConsumerAccount memory);
    function billingInfo(uint64 accountId) external view returns (BillingInfo memory);
    /// @dev What closing a period needs of an account and its meter, from three storage slots (reverts for
    /// an unknown account): the meter's export capability and, when it is not at the balance boundary, how
    /// losses are corrected (`lossPpm` for the contract percentage).
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
        );
    /**
     * @dev What `Settlement` needs to bill an account from its own snapshot difference: {settlementInfo}'s
     * account fields and `viaModule` — the meter is not at the balance boundary, BillingVolumes keeps
     * substitution state for the account ({setVolumesFlag}), or a meter replacement has no billed period
     * after it yet ({volumesRoute}) — in which case BillingVolumes computes the volumes.
     */
    function settlementState(uint64 accountId)
        external
        view
        returns (address retailCompany, uint64 meterId, bool active, bool exportCapable, bool viaModule);
    /**
     * @dev The volumes of import registers T1-T4 of `meterId` over a period of `hours` corrected for the
     * losses between the meter and the balance boundary (unchanged when it is at the boundary or has no
     * method): the loss of their total by the meter's method — contract percentage `lossPpm` (its sign
     * the direction), or the transformer/line formula with the packed `lossParameters`
     * (`Losses.unpackTransformer`/`unpackLine`) — spread over the registers in proportion to their
     * volumes (floors, the last non-zero register the rest).
     */
    function lossCorrection(uint64 meterId, uint256[4] calldata volumes, uint256 hours_)
        external
        view
        returns (uint256[4] memory billed, uint8 method, uint256 meteredWh, uint256 lossWh, bool subtracted);
    /// @dev The latest SHA-256 anchored for the document of `kind` about `accountId` (zero when none).
    function accountDocument(uint64 accountId, uint8 kind) external view returns (bytes32);
    /// @dev BillingVolumes (VOLUMES_MODULE_ROLE) marks whether it keeps substitution state for `accountId`.
    function setVolumesFlag(uint64 accountId, bool flagged) external;
    /**
     * @dev Why `accountId` is billed through BillingVolumes apart from its meter's loss data: `flagged` —
     * BillingVolumes keeps substitution state ({setVolumesFlag}); `replacedAt` — the time of a meter
     * replacement ({replaceMeter}) that no period after it has been billed through the module yet (zero
     * when none).
     */
    function volumesRoute(uint64 accountId) external view returns (bool flagged, uint32 replacedAt);
    /// @dev BillingVolumes (VOLUMES_MODULE_ROLE) has billed a period after the replacement at `replacedAt`.
    function clearReplacementRoute(uint64 accountId, uint32 replacedAt) external;
    /// @dev Every meter replacement of `accountId`, oldest first.
    function meterReplacements(uint64 accountId) external view returns (MeterReplacement[] memory);
    /// @dev (exists, remote reading, consumer of the meter's account or zero).
    function meterEntryInfo(uint64 meterId) external view returns (bool exists, bool remote, address consumer);
}
