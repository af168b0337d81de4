// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/interfaces/IReconciliation.sol)
pragma solidity ^0.8.27;

/**
 * @dev Delivered-volume reconciliation between the grid company and each retail company
 * (F-CHAIN-11). For a (period, retail company) both sides submit per-account volumes and then sign
 * their totals; accounts whose volumes differ are emitted as {AccountVolumeMismatch} as soon as both
 * sides have submitted them, and the totals end as {VolumesReconciled} with `matched` true or false.
 */
interface IReconciliation {
    enum Party {
        GridCompany,
        RetailCompany
    }

    struct Totals {
        uint64 gridSubmittedWh;
        uint64 retailSubmittedWh;
        uint64 gridSignedWh;
        uint64 retailSignedWh;
        uint32 gridAccounts;
        uint32 retailAccounts;
        bool gridSigned;
        bool retailSigned;
    }

    event AccountVolumesSubmitted(
        uint32 indexed periodId, address indexed retailCompany, Party indexed party, uint64[] accountIds, uint64[] volumesWh
    );
    event AccountVolumeMismatch(
        uint32 indexed periodId, address indexed retailCompany, uint64 indexed accountId, uint64 gridWh, uint64 retailWh
    );
    event VolumeTotalsSigned(uint32 indexed periodId, address indexed retailCompany, Party indexed party, uint64 totalWh, address signer);
    event VolumesReconciled(uint32 indexed periodId, address indexed retailCompany, bool matched, uint64 gridWh, uint64 retailWh);

    /// @dev Arrays of different lengths, or empty.
    error ReconciliationInvalidInput(uint256 accounts, uint256 volumes);
    /// @dev The party already submitted a volume for `accountId`.
    error ReconciliationDuplicateAccount(uint32 periodId, uint64 accountId);
    /// @dev The party already signed its totals for the period; no more changes.
    error ReconciliationAlreadySigned(uint32 periodId, address retailCompany, Party party);
    /// @dev The signed total differs from the sum the party submitted.
    error ReconciliationTotalMismatch(uint64 signedWh, uint64 submittedWh);
    /// @dev A retail company may act only for itself.
    error ReconciliationNotParty(address caller, address retailCompany);
}
