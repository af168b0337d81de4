// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IReconciliation} from "../../src/interfaces/IReconciliation.sol";
import {LedgerTest} from "../utils/LedgerTest.sol";

contract ReconciliationTest is LedgerTest {
    bytes32 internal constant MISMATCH_TOPIC =
        keccak256("AccountVolumeMismatch(uint32,address,uint64,uint64,uint64)");
    bytes32 internal constant RECONCILED_TOPIC = keccak256("VolumesReconciled(uint32,address,bool,uint64,uint64)");

    function _ids(uint64 a, uint64 b, uint64 c) internal pure returns (uint64[] memory ids) {
        ids = new uint64[](3);
        (ids[0], ids[1], ids[2]) = (a, b, c);
    }

    function test_differingAccountsAreIdentifiable() public {
        vm.prank(grid);
        reconciliation.submitAccountVolumes(1, retailA, _ids(1, 2, 3), _ids(100, 200, 300));
        vm.recordLogs();
        vm.prank(retailA);
        reconciliation.submitAccountVolumes(1, retailA, _ids(1, 2, 3), _ids(100, 250, 300));
        LedgerVmLogs.Log[] memory logs = LedgerVmLogs.fromVm(vm.getRecordedLogs());
        uint256 mismatches;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == MISMATCH_TOPIC) {
                ++mismatches;
                assertEq(uint256(logs[i].topics[3]), 2, "account 2 differs");
            }
        }
        assertEq(mismatches, 1, "exactly one differing account");
        vm.prank(grid);
        reconciliation.signTotals(1, retailA, 600);
        vm.recordLogs();
        vm.prank(retailA);
        reconciliation.signTotals(1, retailA, 650);
        logs = LedgerVmLogs.fromVm(vm.getRecordedLogs());
        bool seen;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == RECONCILED_TOPIC) {
                seen = true;
                (bool matched,,) = abi.decode(logs[i].data, (bool, uint64, uint64));
                assertTrue(!matched, "totals differ");
            }
        }
        assertTrue(seen, "reconciled event");
        IReconciliation.Totals memory totals = reconciliation.getTotals(1, retailA);
        assertEq(totals.gridSignedWh, 600, "grid total");
        assertEq(totals.retailSignedWh, 650, "retail total");
    }

    function test_revert_badInputAndWrongCallers() public {
        bytes32 retailRole = reconciliation.RETAIL_COMPANY_ROLE();
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, retailRole));
        reconciliation.submitAccountVolumes(1, retailA, _ids(1, 2, 3), _ids(1, 2, 3));
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(IReconciliation.ReconciliationNotParty.selector, retailB, retailA));
        reconciliation.submitAccountVolumes(1, retailA, _ids(1, 2, 3), _ids(1, 2, 3));
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, retailRole));
        reconciliation.signTotals(1, retailA, 0);
        vm.prank(grid);
        vm.expectRevert(abi.encodeWithSelector(IReconciliation.ReconciliationInvalidInput.selector, 3, 0));
        reconciliation.submitAccountVolumes(1, retailA, _ids(1, 2, 3), new uint64[](0));
        vm.startPrank(grid);
        reconciliation.submitAccountVolumes(1, retailA, _ids(1, 2, 3), _ids(1, 2, 3));
        vm.expectRevert(abi.encodeWithSelector(IReconciliation.ReconciliationDuplicateAccount.selector, uint32(1), uint64(2)));
        reconciliation.submitAccountVolumes(1, retailA, _ids(4, 2, 5), _ids(1, 2, 3));
        vm.expectRevert(abi.encodeWithSelector(IReconciliation.ReconciliationTotalMismatch.selector, uint64(7), uint64(6)));
        reconciliation.signTotals(1, retailA, 7);
        reconciliation.signTotals(1, retailA, 6);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReconciliation.ReconciliationAlreadySigned.selector, uint32(1), retailA, IReconciliation.Party.GridCompany
            )
        );
        reconciliation.submitAccountVolumes(1, retailA, _ids(7, 8, 9), _ids(1, 2, 3));
        vm.stopPrank();
        IReconciliation.Totals memory totals = reconciliation.getTotals(1, retailA);
        assertEq(totals.gridSubmittedWh, 6, "only the first chunk counted");
        assertEq(totals.gridAccounts, 3, "three accounts");
        (uint64 gridWh,, bool gridSet,) = reconciliation.accountVolumes(1, retailA, 4);
        assertTrue(!gridSet && gridWh == 0, "account 4 not stored");
    }
}

import {LedgerVm} from "../utils/LedgerVm.sol";

library LedgerVmLogs {
    struct Log {
        bytes32[] topics;
        bytes data;
    }

    function fromVm(LedgerVm.Log[] memory raw) internal pure returns (Log[] memory logs) {
        logs = new Log[](raw.length);
        for (uint256 i = 0; i < raw.length; ++i) logs[i] = Log(raw[i].topics, raw[i].data);
    }
}
