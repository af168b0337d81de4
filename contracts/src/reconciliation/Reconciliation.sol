// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/reconciliation/Reconciliation.sol)
pragma solidity ^0.8.27;

import {GridLedgerBase} from "../access/GridLedgerBase.sol";
import {IReconciliation} from "../interfaces/IReconciliation.sol";

/**
 * @dev Volume reconciliation (F-CHAIN-11). "Signing" is the organisation's own transaction: its key
 * authenticates the totals. Each account slot keeps both sides' volumes packed in one word
 * (`gridWh:64 | retailWh:64 | gridSet:1 | retailSet:1`).
 */
contract Reconciliation is GridLedgerBase, IReconciliation {
    mapping(uint32 periodId => mapping(address retailCompany => Totals)) private _totals;
    mapping(uint32 periodId => mapping(address retailCompany => mapping(uint64 accountId => uint256))) private _accounts;

    function initialize(address admin) external initializer {
        __GridLedgerBase_init(admin);
    }

    /**
     * @dev Submits the caller's delivered volume per account for (`periodId`, `retailCompany`); may be
     * called in chunks before signing. A retail company submits for itself; the grid company for any.
     *
     * Requirements: the caller has {GRID_COMPANY_ROLE} or {RETAIL_COMPANY_ROLE}; equal, non-empty
     * arrays; each account at most once per side; the side has not signed yet.
     *
     * Emits {AccountVolumesSubmitted}, and {AccountVolumeMismatch} for each account whose two volumes differ.
     */
    function submitAccountVolumes(
        uint32 periodId,
        address retailCompany,
        uint64[] calldata accountIds,
        uint64[] calldata volumesWh
    ) external {
        Party party = _party(retailCompany);
        if (accountIds.length == 0 || accountIds.length != volumesWh.length) {
            revert ReconciliationInvalidInput(accountIds.length, volumesWh.length);
        }
        Totals storage totals = _totals[periodId][retailCompany];
        if (party == Party.GridCompany ? totals.gridSigned : totals.retailSigned) {
            revert ReconciliationAlreadySigned(periodId, retailCompany, party);
        }
        uint256 sum;
        for (uint256 i = 0; i < accountIds.length; ++i) {
            _submitOne(periodId, retailCompany, party, accountIds[i], volumesWh[i]);
            sum += volumesWh[i];
        }
        if (party == Party.GridCompany) {
            totals.gridSubmittedWh += uint64(sum);
            totals.gridAccounts += uint32(accountIds.length);
        } else {
            totals.retailSubmittedWh += uint64(sum);
            totals.retailAccounts += uint32(accountIds.length);
        }
        emit AccountVolumesSubmitted(periodId, retailCompany, party, accountIds, volumesWh);
    }

    /**
     * @dev Signs the caller's delivered-volume total for (`periodId`, `retailCompany`). It must equal the
     * sum the caller submitted. When both sides have signed, emits {VolumesReconciled}.
     *
     * Requirements: as {submitAccountVolumes}; not signed before.
     *
     * Emits a {VolumeTotalsSigned} event.
     */
    function signTotals(uint32 periodId, address retailCompany, uint64 totalWh) external {
        Party party = _party(retailCompany);
        Totals storage totals = _totals[periodId][retailCompany];
        if (party == Party.GridCompany) {
            if (totals.gridSigned) revert ReconciliationAlreadySigned(periodId, retailCompany, party);
            if (totalWh != totals.gridSubmittedWh) revert ReconciliationTotalMismatch(totalWh, totals.gridSubmittedWh);
            totals.gridSigned = true;
            totals.gridSignedWh = totalWh;
        } else {
            if (totals.retailSigned) revert ReconciliationAlreadySigned(periodId, retailCompany, party);
            if (totalWh != totals.retailSubmittedWh) {
                revert ReconciliationTotalMismatch(totalWh, totals.retailSubmittedWh);
            }
            totals.retailSigned = true;
            totals.retailSignedWh = totalWh;
        }
        emit VolumeTotalsSigned(periodId, retailCompany, party, totalWh, msg.sender);
        if (totals.gridSigned && totals.retailSigned) {
            emit VolumesReconciled(
                periodId,
                retailCompany,
                totals.gridSignedWh == totals.retailSignedWh && totals.gridAccounts == totals.retailAccounts,
                totals.gridSignedWh,
                totals.retailSignedWh
            );
        }
    }

    function getTotals(uint32 periodId, address retailCompany) external view returns (Totals memory) {
        return _totals[periodId][retailCompany];
    }

    /// @dev Both sides' volumes for an account and which sides submitted.
    function accountVolumes(uint32 periodId, address retailCompany, uint64 accountId)
        external
        view
        returns (uint64 gridWh, uint64 retailWh, bool gridSet, bool retailSet)
    {
        uint256 word = _accounts[periodId][retailCompany][accountId];
        return (uint64(word >> 192), uint64(word >> 128), word & 2 != 0, word & 1 != 0);
    }

    function _submitOne(uint32 periodId, address retailCompany, Party party, uint64 accountId, uint64 volumeWh)
        private
    {
        uint256 word = _accounts[periodId][retailCompany][accountId];
        uint256 ownFlag = party == Party.GridCompany ? 2 : 1;
        if (word & ownFlag != 0) revert ReconciliationDuplicateAccount(periodId, accountId);
        word |= ownFlag | (uint256(volumeWh) << (party == Party.GridCompany ? 192 : 128));
        _accounts[periodId][retailCompany][accountId] = word;
        if (word & 3 == 3 && uint64(word >> 192) != uint64(word >> 128)) {
            emit AccountVolumeMismatch(periodId, retailCompany, accountId, uint64(word >> 192), uint64(word >> 128));
        }
    }

    function _party(address retailCompany) private view returns (Party) {
        if (hasRole(GRID_COMPANY_ROLE, msg.sender)) return Party.GridCompany;
        _checkRole(RETAIL_COMPANY_ROLE);
        if (msg.sender != retailCompany) revert ReconciliationNotParty(msg.sender, retailCompany);
        return Party.RetailCompany;
    }
}
