// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {LedgerTest} from "../utils/LedgerTest.sol";
import {LedgerVm} from "../utils/LedgerVm.sol";

contract RegistryTest is LedgerTest {
    function test_registersMeterAndAccount() public {
        uint64 meterId = _registerMeter("S-1", true);
        assertEq(meterId, 1, "first meter id");
        uint64 accountId = _openAccount(meterId, "LS-1");
        IRegistry.ConsumerAccount memory account = registry.getAccount(accountId);
        assertEq(account.retailCompany, retailA, "retail company is the caller");
        assertEq(account.consumer, consumer, "consumer");
        assertEq(registry.getMeter(meterId).accountId, accountId, "meter linked to the account");
        assertEq(registry.accountByNumber("LS-1"), accountId, "lookup by account number");
        IRegistry.BillingInfo memory info = registry.billingInfo(accountId);
        assertEq(info.meterId, meterId, "billing info meter");
        assertEq(info.tariffZones, 3, "zones");
    }

    function test_meterStateEvents() public {
        uint64 meterId = _registerMeter("S-1", true);
        vm.startPrank(grid);
        registry.setReferenceFirmware(meterId, "v1");
        registry.reportFirmware(meterId, "v1");
        registry.reportFirmware(meterId, "evil");
        vm.recordLogs();
        registry.reportFirmware(meterId, "v1");
        assertEq(vm.getRecordedLogs().length, 2, "changed + restored");
        registry.reportTamper(meterId, 7, "photo");
        assertTrue(registry.getMeterState(meterId).tampered, "tampered");
        registry.clearTamper(meterId, "act");
        registry.reportClockDrift(meterId, -45);
        vm.stopPrank();
        IRegistry.MeterState memory state = registry.getMeterState(meterId);
        assertTrue(!state.tampered, "cleared");
        assertEq(state.currentFirmware, bytes32("v1"), "firmware");
        assertEq(uint256(int256(-state.lastClockDrift)), 45, "drift");
    }

    function test_revert_wrongCallers() public {
        bytes32 operatorRole = registry.OPERATOR_ROLE();
        bytes32 gridRole = registry.GRID_COMPANY_ROLE();
        bytes32 retailRole = registry.RETAIL_COMPANY_ROLE();
        bytes32 reporterRole = registry.METER_REPORTER_ROLE();
        uint64 meterId = _registerMeter("S-1", true);

        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, operatorRole));
        registry.registerOrganisation(stranger, IRegistry.OrganisationKind.RetailCompany, 0, 0);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, operatorRole));
        registry.updateOrganisation(grid, false, 0, 0);
        vm.prank(retailA);
        vm.expectRevert(_unauthorized(retailA, gridRole));
        registry.registerMeter(_meter("S-2", 1, true, false));
        vm.prank(retailA);
        vm.expectRevert(_unauthorized(retailA, gridRole));
        registry.updateMeter(meterId, _meter("S-1", 1, true, false));
        vm.prank(grid);
        vm.expectRevert(_unauthorized(grid, retailRole));
        registry.openAccount(_account(meterId, "LS-1"));
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, reporterRole));
        registry.reportTamper(meterId, 1, 0);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, reporterRole));
        registry.reportFirmware(meterId, "x");
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, reporterRole));
        registry.reportClockDrift(meterId, 1);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, gridRole));
        registry.clearTamper(meterId, 0);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, gridRole));
        registry.setReferenceFirmware(meterId, "x");

        uint64 accountId = _openAccount(meterId, "LS-1");
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryNotOwner.selector, accountId, retailB));
        registry.updateAccount(accountId, stranger, IRegistry.ConsumerType.Household, 0, 0, 0, true);

        assertEq(registry.meterCount(), 1, "no meter added");
        assertEq(registry.getAccount(accountId).consumer, consumer, "account unchanged");
        assertEq(uint256(registry.getOrganisation(stranger).kind), 0, "no organisation added");
        assertTrue(!registry.getMeterState(meterId).tampered, "no tamper recorded");
    }

    function test_revert_badInput() public {
        uint64 meterId = _registerMeter("S-1", true);
        vm.startPrank(grid);
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryDuplicateMeter.selector, bytes32("Mercury 234"), bytes32("S-1"), meterId));
        registry.registerMeter(_meter("S-1", 3, true, false));
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryInvalidMeterOrCategory.selector, uint8(5), uint8(0)));
        registry.registerMeter(_meter("S-2", 5, true, false));
        vm.stopPrank();
        uint64 accountId = _openAccount(meterId, "LS-1");
        vm.startPrank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryMeterInUse.selector, meterId, accountId));
        registry.openAccount(_account(meterId, "LS-2"));
        uint64 second = _registerMeterAs(grid, "S-3");
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryDuplicateAccount.selector, bytes32("LS-1"), accountId));
        registry.openAccount(_account(second, "LS-1"));
        IRegistry.ConsumerAccount memory legal = _account(second, "LS-3");
        legal.consumerType = IRegistry.ConsumerType.LegalEntity;
        legal.priceCategory = 5;
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryInvalidMeterOrCategory.selector, uint8(0), uint8(5)));
        registry.openAccount(legal);
        IRegistry.ConsumerAccount memory badGrid = _account(second, "LS-4");
        badGrid.gridCompany = stranger;
        vm.expectRevert(
            abi.encodeWithSelector(
                IRegistry.RegistryInvalidOrganisation.selector, stranger, IRegistry.OrganisationKind.GridCompany
            )
        );
        registry.openAccount(badGrid);
        vm.stopPrank();
        assertEq(registry.accountCount(), 1, "one account");
        assertEq(registry.meterCount(), 2, "two meters");
    }

    function test_anchorsAccountDocumentAndSupersedes() public {
        uint64 accountId = _openAccount(_registerMeter("S-1", true), "LS-1");
        uint8 kind = registry.SUPPLY_CONTRACT_DOCUMENT();
        // hashed before any prank: the sha256 precompile call would take the prank
        (bytes32 v1, bytes32 v2) = (sha256("contract v1"), sha256("contract v2"));
        assertEq(registry.accountDocument(accountId, kind), bytes32(0), "nothing anchored yet");
        vm.recordLogs();
        vm.prank(retailA);
        registry.anchorAccountDocument(accountId, kind, v1);
        _assertAnchoredEvent(accountId, kind, v1);
        assertEq(registry.accountDocument(accountId, kind), v1, "anchored");

        vm.recordLogs();
        vm.prank(retailA);
        registry.anchorAccountDocument(accountId, kind, v2);
        _assertAnchoredEvent(accountId, kind, v2);
        assertEq(registry.accountDocument(accountId, kind), v2, "re-signed contract supersedes");
        assertEq(registry.accountDocument(accountId, 2), bytes32(0), "other kinds untouched");
    }

    function _assertAnchoredEvent(uint64 accountId, uint8 kind, bytes32 documentHash) internal {
        LedgerVm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "one event");
        assertEq(logs[0].emitter, address(registry), "emitted by the registry");
        assertEq(logs[0].topics[0], IRegistry.AccountDocumentAnchored.selector, "AccountDocumentAnchored");
        assertEq(logs[0].topics[1], bytes32(uint256(accountId)), "indexed account id");
        assertEq(logs[0].topics[2], bytes32(uint256(kind)), "indexed kind");
        assertEq(abi.decode(logs[0].data, (bytes32)), documentHash, "hash");
    }

    function test_revert_anchorAccountDocument() public {
        uint64 accountId = _openAccount(_registerMeter("S-1", true), "LS-1");
        (bytes32 v1, bytes32 v3, bytes32 forged) = (sha256("contract v1"), sha256("contract"), sha256("forged"));
        bytes32 retailRole = registry.RETAIL_COMPANY_ROLE();
        vm.prank(retailA);
        registry.anchorAccountDocument(accountId, 1, v1);

        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryNotOwner.selector, accountId, retailB));
        registry.anchorAccountDocument(accountId, 1, forged);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, retailRole));
        registry.anchorAccountDocument(accountId, 1, forged);
        vm.startPrank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryUnknownAccount.selector, uint64(99)));
        registry.anchorAccountDocument(99, 1, v3);
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryInvalidArgument.selector, bytes32("documentHash")));
        registry.anchorAccountDocument(accountId, 1, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryInvalidArgument.selector, bytes32("kind")));
        registry.anchorAccountDocument(accountId, 0, v3);
        vm.stopPrank();

        assertEq(registry.accountDocument(accountId, 1), v1, "anchor unchanged");
        assertEq(registry.accountDocument(99, 1), bytes32(0), "nothing anchored for the unknown account");
        assertEq(registry.accountDocument(accountId, 0), bytes32(0), "nothing anchored for kind 0");
    }

    function _registerMeterAs(address who, bytes32 serial) internal returns (uint64 meterId) {
        vm.stopPrank();
        vm.prank(who);
        meterId = registry.registerMeter(_meter(serial, 3, true, false));
        vm.startPrank(retailA);
    }
}
