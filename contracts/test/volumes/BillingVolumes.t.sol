// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IBillingVolumes, IBillingVolumesErrors} from "../../src/interfaces/IBillingVolumes.sol";
import {ICommonHouseBilling} from "../../src/interfaces/ICommonHouseBilling.sol";
import {IInvoices} from "../../src/interfaces/IInvoices.sol";
import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {ITariffs} from "../../src/interfaces/ITariffs.sol";
import {LedgerTest} from "../utils/LedgerTest.sol";
import {LedgerVm} from "../utils/LedgerVm.sol";
import {TariffFixtures} from "../utils/TariffFixtures.sol";

/**
 * @dev Invoice volumes from BillingVolumes through Settlement.closePeriod: meter replacement mid-period
 * (issue 3) and substitute volumes (F-CHAIN-07, billing-rules §3, TV-06 to TV-08). Periods are one hour
 * each (the rules do not depend on the length, except P_max × T).
 */
contract BillingVolumesTest is LedgerTest {
    uint256 internal base;
    uint64 internal householdGroup;
    uint64 internal legalGroup;
    mapping(uint64 meterId => uint256) internal _lastEnd;

    function setUp() public override {
        super.setUp();
        base = (block.timestamp / 1800 + 2) * 1800;
        vm.startPrank(operator);
        for (uint32 p = 1; p <= 16; ++p) readings.schedulePeriod(p, uint32(base + uint256(p) * 3600));
        vm.stopPrank();
        uint40 from = uint40(block.timestamp - 1 days);
        vm.startPrank(retailA);
        householdGroup = tariffs.createGroup("Urban", IRegistry.ConsumerType.Household, 0);
        tariffs.addPlan(householdGroup, TariffFixtures.singleRate(from, 0, 404_000));
        legalGroup = tariffs.createGroup("PCK1", IRegistry.ConsumerType.LegalEntity, 1);
        ITariffs.PlanInput memory pck1 = TariffFixtures.singleRate(from, 0, 404_000);
        pck1.vatIncluded = false;
        tariffs.addPlan(legalGroup, pck1);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ fixtures

    function _end(uint256 periodId) internal view returns (uint256) {
        return base + periodId * 3600;
    }

    function _newMeter(bytes32 serial) internal returns (uint64 meterId) {
        meterId = _registerMeter(serial, true);
        _registerKey(meterId, device);
    }

    function _household(bytes32 serial, bytes32 number) internal returns (uint64 accountId, uint64 meterId) {
        meterId = _newMeter(serial);
        vm.startPrank(retailA);
        accountId = registry.openAccount(_account(meterId, number));
        tariffs.assignTariff(accountId, householdGroup, ITariffs.TariffKind.SingleRate);
        vm.stopPrank();
    }

    function _legalEntity(bytes32 serial, bytes32 number) internal returns (uint64 accountId, uint64 meterId) {
        meterId = _newMeter(serial);
        IRegistry.ConsumerAccount memory a = _account(meterId, number);
        a.consumerType = IRegistry.ConsumerType.LegalEntity;
        a.priceCategory = 1;
        vm.startPrank(retailA);
        accountId = registry.openAccount(a);
        tariffs.assignTariff(accountId, legalGroup, ITariffs.TariffKind.SingleRate);
        vm.stopPrank();
    }

    /// @dev One T1 record at `end` (the clock moves past it first).
    function _read(uint64 meterId, uint256 end, uint48 t1) internal {
        if (block.timestamp < end) vm.warp(end);
        _submit(DEVICE_KEY, _entry(meterId, 1, abi.encodePacked(uint32(end), uint8(0), t1)));
        _lastEnd[meterId] = end;
    }

    /// @dev T1 at the end of periods `first`, `first + 1`, … and one record half an hour later (it takes the last snapshot).
    function _readPeriods(uint64 meterId, uint256 first, uint48[] memory values) internal {
        for (uint256 i = 0; i < values.length; ++i) _read(meterId, _end(first + i), values[i]);
        _read(meterId, _end(first + values.length - 1) + 1800, values[values.length - 1]);
    }

    function _close(uint64 accountId, uint32 periodId) internal {
        if (block.timestamp <= _end(periodId)) vm.warp(_end(periodId) + 1);
        uint64[] memory ids = new uint64[](1);
        ids[0] = accountId;
        vm.prank(retailA);
        settlement.closePeriod(periodId, ids);
    }

    function _setRules(uint16 periodsPerYear) internal {
        vm.prank(operator);
        billingVolumes.setSubstituteRules(IBillingVolumes.SubstituteRules(6, 3, 6, 3, 2, 10, 1, 3, 2, periodsPerYear));
    }

    function _profile(uint64 accountId, uint32 residents, uint64 normPerPersonWh, uint64 maxPowerW) internal {
        vm.prank(retailA);
        billingVolumes.setAccountProfile(accountId, IBillingVolumes.AccountProfile(residents, normPerPersonWh, maxPowerW));
    }

    /// @dev T1 volume of the invoice's {InvoiceComputed} event in `logs`.
    function _billedT1(LedgerVm.Log[] memory logs) internal pure returns (uint256) {
        bytes32 topic = keccak256("InvoiceComputed(uint256,uint64,uint32,uint64,uint256,uint64[4],uint256,uint256,uint256[5])");
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != topic) continue;
            (,,,,, uint256[5] memory volumes) =
                abi.decode(logs[i].data, (uint64, uint256, uint64[4], uint256, uint256, uint256[5]));
            return volumes[0];
        }
        revert("no InvoiceComputed event");
    }

    /// @dev Method and volume of the {VolumesSubstituted} event in `logs`.
    function _substituted(LedgerVm.Log[] memory logs)
        internal
        pure
        returns (IBillingVolumes.VolumeMethod method, uint256 volumeWh, uint256 consecutive, uint256[4] memory inputs)
    {
        bytes32 topic = keccak256("VolumesSubstituted(uint256,uint8,uint256,uint256,uint256[4],uint256[4])");
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != topic) continue;
            (method, volumeWh, consecutive, inputs,) =
                abi.decode(logs[i].data, (IBillingVolumes.VolumeMethod, uint256, uint256, uint256[4], uint256[4]));
            return (method, volumeWh, consecutive, inputs);
        }
        revert("no VolumesSubstituted event");
    }

    function _closeRecorded(uint64 accountId, uint32 periodId) internal returns (LedgerVm.Log[] memory) {
        vm.recordLogs();
        _close(accountId, periodId);
        return vm.getRecordedLogs();
    }

    // ------------------------------------------------------------------ meter replacement

    function _replace(uint64 accountId, uint64 newMeterId, uint256 at, uint48 oldFinal, uint48 newInitial) internal {
        vm.prank(grid);
        registry.replaceMeter(
            accountId, newMeterId, uint32(at), [oldFinal, 0, 0, 0, uint48(0)], [newInitial, 0, 0, 0, uint48(0)]
        );
    }

    function test_meterReplacedMidPeriod_billsBothMeters() public {
        (uint64 accountId, uint64 oldMeter) = _household("OLD", "LS-R");
        uint64 newMeter = _newMeter("NEW");
        _read(oldMeter, _end(1), 1_000_000);
        _read(oldMeter, _end(1) + 1800, 1_010_000); // takes the snapshot of period 1
        vm.recordLogs();
        _replace(accountId, newMeter, _end(1) + 1800, 1_010_000, 500);
        LedgerVm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs[0].topics[0], keccak256("MeterReplaced(uint64,uint64,uint64,uint32,uint48[5],uint48[5])"), "event");
        assertEq(uint256(logs[0].topics[2]), oldMeter, "old meter");
        assertEq(uint256(logs[0].topics[3]), newMeter, "new meter");
        assertEq(registry.getAccount(accountId).meterId, newMeter, "account on the new meter");
        assertEq(registry.getMeter(newMeter).accountId, accountId, "new meter attached");
        assertEq(registry.getMeter(oldMeter).accountId, 0, "old meter detached");
        assertEq(registry.meterReplacements(accountId).length, 1, "recorded");

        _readPeriods(newMeter, 2, _one(20_500));
        logs = _closeRecorded(accountId, 2);
        // (1 010 000 - 1 000 000) on the old meter + (20 500 - 500) on the new one
        assertEq(_billedT1(logs), 30_000, "both meters billed");
        bytes32 topic = keccak256("VolumesAcrossReplacement(uint256,uint64,uint64,uint256[5],uint256[5])");
        bool found;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != topic) continue;
            (uint64 oldId, uint64 newId, uint256[5] memory oldPart, uint256[5] memory newPart) =
                abi.decode(logs[i].data, (uint64, uint64, uint256[5], uint256[5]));
            assertEq(oldId, oldMeter, "old id");
            assertEq(newId, newMeter, "new id");
            assertEq(oldPart[0], 10_000, "old meter's part");
            assertEq(newPart[0], 20_000, "new meter's part");
            found = true;
        }
        assertTrue(found, "VolumesAcrossReplacement emitted");

        // the next period is the new meter's own difference (the fast path)
        _read(newMeter, _end(3), 25_500);
        _read(newMeter, _end(3) + 1800, 25_500);
        assertEq(_billedT1(_closeRecorded(accountId, 3)), 5_000, "new meter alone");
    }

    /// @dev The new meter reported before (a used meter, e.g. from another account): it has a snapshot for
    /// the period's start, so its difference alone would miss the old meter's part. The replacement routes
    /// the account to BillingVolumes until a period after the replacement period is billed there.
    function test_replacementByAUsedMeter_billsBothMeters() public {
        (uint64 accountId, uint64 oldMeter) = _household("OLD-U", "LS-U");
        uint64 used = _newMeter("USED");
        _read(used, _end(1), 7_000);
        _read(oldMeter, _end(1), 1_000_000);
        _read(oldMeter, _end(1) + 1800, 1_010_000);
        _read(used, _end(1) + 1800, 7_000);
        _replace(accountId, used, _end(1) + 1800, 1_010_000, 7_000);
        (,,,, bool viaModule) = registry.settlementState(accountId);
        assertTrue(viaModule, "the replacement period goes to BillingVolumes");
        (, uint32 routedAt) = registry.volumesRoute(accountId);
        assertEq(routedAt, uint32(_end(1) + 1800), "routed by the replacement");

        _readPeriods(used, 2, _one(27_000));
        // (1 010 000 - 1 000 000) on the old meter + (27 000 - 7 000) on the used one, not 20 000
        assertEq(_billedT1(_closeRecorded(accountId, 2)), 30_000, "both meters billed");
        (bool recorded, bool substituted, uint256 volumeWh) = billingVolumes.billedVolume(accountId, 2);
        assertTrue(recorded && !substituted, "recorded across the replacement");
        assertEq(volumeWh, 30_000, "recorded volume");

        // closed again after a cancellation: still both meters (the route stays until a later period)
        uint256 invoiceId = settlement.invoiceIdOf(accountId, 2);
        vm.prank(retailA);
        settlement.cancelInvoice(invoiceId, keccak256("correction"));
        assertEq(_billedT1(_closeRecorded(accountId, 2)), 30_000, "closed again: both meters");

        // the next period: the used meter alone, and the account is back on the fast path
        _read(used, _end(3), 32_000);
        _read(used, _end(3) + 1800, 32_000);
        assertEq(_billedT1(_closeRecorded(accountId, 3)), 5_000, "used meter alone");
        (,,,, viaModule) = registry.settlementState(accountId);
        assertTrue(!viaModule, "back on the fast path");
        (, routedAt) = registry.volumesRoute(accountId);
        assertEq(routedAt, 0, "route cleared");
        (recorded,,) = billingVolumes.billedVolume(accountId, 3);
        assertTrue(!recorded, "a plain period is not recorded");
    }

    /// @dev A period closed after a replacement made in the next period: billed from the meter that ended
    /// the period (the old one), not the account's current (used) meter.
    function test_periodClosedAfterALaterReplacement_billsTheOldMeter() public {
        (uint64 accountId, uint64 oldMeter) = _household("OLD-L", "LS-L");
        uint64 used = _newMeter("USED-L");
        _read(oldMeter, _end(1), 1_000_000);
        _read(used, _end(1), 50_000);
        _read(oldMeter, _end(2), 1_004_000);
        _read(used, _end(2), 90_000);
        _read(oldMeter, _end(2) + 1800, 1_005_000);
        _read(used, _end(2) + 1800, 90_000);
        _replace(accountId, used, _end(2) + 1800, 1_005_000, 90_000);
        assertEq(_billedT1(_closeRecorded(accountId, 2)), 4_000, "the old meter's period 2");
        (bool recorded,, uint256 volumeWh) = billingVolumes.billedVolume(accountId, 2);
        assertTrue(recorded, "not the current meter's difference: recorded");
        assertEq(volumeWh, 4_000, "recorded volume");
    }

    function test_revert_meterReplacementRules() public {
        (uint64 accountId, uint64 oldMeter) = _household("OLD", "LS-R");
        uint64 newMeter = _newMeter("NEW");
        uint256 at = block.timestamp - 60;
        bytes32 gridRole = registry.GRID_COMPANY_ROLE();
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, gridRole));
        registry.replaceMeter(accountId, newMeter, uint32(at), [uint48(1), 0, 0, 0, 0], [uint48(0), 0, 0, 0, 0]);
        vm.prank(retailA);
        vm.expectRevert(_unauthorized(retailA, gridRole));
        registry.replaceMeter(accountId, newMeter, uint32(at), [uint48(1), 0, 0, 0, 0], [uint48(0), 0, 0, 0, 0]);

        // another grid company does not own the meters
        address grid2 = address(0x6E);
        vm.startPrank(operator);
        registry.grantRole(registry.GRID_COMPANY_ROLE(), grid2);
        registry.registerOrganisation(grid2, IRegistry.OrganisationKind.GridCompany, "grid2", "inn2");
        vm.stopPrank();
        vm.prank(grid2);
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryNotOwner.selector, oldMeter, grid2));
        registry.replaceMeter(accountId, newMeter, uint32(at), [uint48(1), 0, 0, 0, 0], [uint48(0), 0, 0, 0, 0]);

        vm.startPrank(grid);
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryUnknownAccount.selector, uint64(99)));
        registry.replaceMeter(99, newMeter, uint32(at), [uint48(1), 0, 0, 0, 0], [uint48(0), 0, 0, 0, 0]);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRegistry.RegistryInvalidReplacementTime.selector, accountId, uint32(block.timestamp + 1), uint32(0)
            )
        );
        registry.replaceMeter(
            accountId, newMeter, uint32(block.timestamp + 1), [uint48(1), 0, 0, 0, 0], [uint48(0), 0, 0, 0, 0]
        );
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryInvalidReplacementReading.selector, accountId, oldMeter));
        registry.replaceMeter(accountId, newMeter, uint32(at), [uint48(0), 0, 0, 0, 0], [uint48(0), 0, 0, 0, 0]);
        vm.stopPrank();

        // a meter attached to another account cannot come in
        (, uint64 otherMeter) = _household("OTHER", "LS-O");
        vm.prank(grid);
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryMeterInUse.selector, otherMeter, uint64(2)));
        registry.replaceMeter(accountId, otherMeter, uint32(at), [uint48(1), 0, 0, 0, 0], [uint48(0), 0, 0, 0, 0]);

        // the operator may record it (a correction), but not onto another grid company's meter
        vm.prank(grid2);
        uint64 foreignMeter = registry.registerMeter(_meter("G2-1", 3, true, false));
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IRegistry.RegistryNotOwner.selector, foreignMeter, grid));
        registry.replaceMeter(accountId, foreignMeter, uint32(at), [uint48(1), 0, 0, 0, 0], [uint48(0), 0, 0, 0, 0]);
        vm.prank(operator);
        registry.replaceMeter(accountId, newMeter, uint32(at), [uint48(1), 0, 0, 0, 0], [uint48(0), 0, 0, 0, 0]);
        uint64 third = _newMeter("THIRD");
        vm.prank(grid);
        vm.expectRevert(
            abi.encodeWithSelector(IRegistry.RegistryInvalidReplacementTime.selector, accountId, uint32(at), uint32(at))
        );
        registry.replaceMeter(accountId, third, uint32(at), [uint48(1), 0, 0, 0, 0], [uint48(0), 0, 0, 0, 0]);
        assertEq(registry.meterReplacements(accountId).length, 1, "only the valid replacement");
    }

    function test_revert_replacementReadingsBelowSnapshot() public {
        (uint64 accountId, uint64 oldMeter) = _household("OLD", "LS-R");
        uint64 newMeter = _newMeter("NEW");
        _read(oldMeter, _end(1), 1_000_000);
        _read(oldMeter, _end(1) + 1800, 1_010_000);
        _replace(accountId, newMeter, _end(1) + 1800, 999_999, 500); // below the period-start snapshot
        _readPeriods(newMeter, 2, _one(20_500));
        vm.warp(_end(2) + 1);
        uint64[] memory ids = new uint64[](1);
        ids[0] = accountId;
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(IBillingVolumesErrors.BillingVolumesReplacementReadings.selector, accountId, oldMeter, 0)
        );
        settlement.closePeriod(2, ids);
    }

    function test_revert_twoReplacementsInOnePeriod() public {
        (uint64 accountId, uint64 first) = _household("M-1", "LS-M");
        uint64 second = _newMeter("M-2");
        uint64 third = _newMeter("M-3");
        _read(first, _end(1), 1_000_000);
        _read(first, _end(1) + 1800, 1_001_000);
        _replace(accountId, second, _end(1) + 1800, 1_001_000, 0);
        vm.warp(_end(1) + 2400);
        _replace(accountId, third, _end(1) + 2400, 10, 0);
        _readPeriods(third, 2, _one(5_000));
        vm.warp(_end(2) + 1);
        uint64[] memory ids = new uint64[](1);
        ids[0] = accountId;
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(IBillingVolumesErrors.BillingVolumesMultipleReplacements.selector, accountId, uint32(2))
        );
        settlement.closePeriod(2, ids);
    }

    function test_revert_closingAnEarlierPeriodAfterASubstitute() public {
        _setRules(12);
        (uint64 accountId, uint64 meterId) = _household("O-1", "LS-O1");
        _profile(accountId, 2, 50_000, 0);
        _readPeriods(meterId, 1, _one(1_000_000));
        _close(accountId, 3); // periods 2 and 3 have no end snapshot: period 3 by the norm
        uint64[] memory ids = new uint64[](1);
        ids[0] = accountId;
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(IBillingVolumesErrors.BillingVolumesPeriodOrder.selector, accountId, uint32(2), uint32(3))
        );
        settlement.closePeriod(2, ids);
    }

    function _one(uint48 value) internal pure returns (uint48[] memory values) {
        values = new uint48[](1);
        values[0] = value;
    }

    // ------------------------------------------------------------------ household substitutes

    /// @dev TV-06 history: 210, 190, 180, 170, 200, 230 kWh in periods 2-7.
    function _tv06History(uint64 meterId) internal {
        uint48[] memory values = new uint48[](7);
        uint48[6] memory monthly = [uint48(210_000), 190_000, 180_000, 170_000, 200_000, 230_000];
        values[0] = 1_000_000;
        for (uint256 i = 0; i < 6; ++i) values[i + 1] = values[i] + monthly[i];
        _readPeriods(meterId, 1, values);
    }

    function test_householdAverageThenReconciled() public {
        _setRules(12);
        (uint64 accountId, uint64 meterId) = _household("H-1", "LS-1");
        _tv06History(meterId);
        for (uint32 p = 2; p <= 7; ++p) _close(accountId, p);

        // period 8 has no end snapshot: the average of the six periods, 196.667 kWh (TV-06)
        LedgerVm.Log[] memory logs = _closeRecorded(accountId, 8);
        (IBillingVolumes.VolumeMethod method, uint256 volumeWh, uint256 consecutive, uint256[4] memory inputs) =
            _substituted(logs);
        assertEq(uint256(method), uint256(IBillingVolumes.VolumeMethod.HouseholdAverage), "average");
        assertEq(volumeWh, 196_667, "TV-06 average");
        assertEq(consecutive, 1, "first period without readings");
        assertEq(inputs[0], 1_180_000, "history sum");
        assertEq(inputs[1], 6, "history periods");
        assertEq(_billedT1(logs), 196_667, "billed");
        // 196 667 Wh x 4.04 per component, each line rounded half-up: 42 873 + 23 797 + 12 587 + 197
        assertEq(settlement.getInvoice(settlement.invoiceIdOf(accountId, 8)).total, 79_454, "TV-06 money by lines");

        _close(accountId, 9);
        _assertPending(accountId, 2, 393_334);

        // readings come back in period 10: 610 kWh since period 7's snapshot, less the two averages
        _read(meterId, _end(10), 2_180_000 + 610_000);
        _read(meterId, _end(10) + 1800, 2_180_000 + 610_000);
        logs = _closeRecorded(accountId, 10);
        assertEq(_billedT1(logs), 216_666, "actual less what was billed by average");
        bytes32 topic = keccak256("VolumesRecalculated(uint256,uint256[4],uint256[4])");
        bool found;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != topic) continue;
            (uint256[4] memory metered, uint256[4] memory deducted) = abi.decode(logs[i].data, (uint256[4], uint256[4]));
            assertEq(metered[0], 610_000, "metered");
            assertEq(deducted[0], 393_334, "deducted");
            found = true;
        }
        assertTrue(found, "VolumesRecalculated emitted");

        // cancelled and closed again: the same deduction, not a second one
        uint256 invoiceId = settlement.invoiceIdOf(accountId, 10);
        vm.prank(retailA);
        settlement.cancelInvoice(invoiceId, "recount");
        assertEq(_billedT1(_closeRecorded(accountId, 10)), 216_666, "closed again, same volume");

        // the next period is billed from readings and the account is back on the fast path
        _read(meterId, _end(11), 2_790_000 + 100_000);
        _read(meterId, _end(11) + 1800, 2_790_000 + 100_000);
        assertEq(_billedT1(_closeRecorded(accountId, 11)), 100_000, "metered");
        _assertCleared(accountId);
    }

    function _assertPending(uint64 accountId, uint256 consecutive, uint256 pendingT1) internal view {
        (, uint256 count, IBillingVolumes.SubstituteReason reason, uint256[4] memory pending) =
            billingVolumes.substitutionState(accountId);
        assertEq(count, consecutive, "in a row");
        assertEq(uint256(reason), 0, "no reason");
        assertEq(pending[0], pendingT1, "pending");
    }

    function _assertCleared(uint64 accountId) internal view {
        (uint32 last,,, uint256[4] memory none) = billingVolumes.substitutionState(accountId);
        assertEq(last, 0, "state cleared");
        assertEq(none[0], 0, "nothing pending");
    }

    function test_householdNormAndMultipliers() public {
        _setRules(12);
        (uint64 accountId, uint64 meterId) = _household("H-2", "LS-2");
        // two periods of history only (fewer than the minimum of three): the norm, TV-07 3 x 46 kWh
        uint48[] memory values = new uint48[](3);
        (values[0], values[1], values[2]) = (1_000_000, 1_100_000, 1_200_000);
        _readPeriods(meterId, 1, values);
        _close(accountId, 2);
        _close(accountId, 3);

        uint64[] memory ids = new uint64[](1);
        ids[0] = accountId;
        vm.warp(_end(4) + 1);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceMissingSnapshot.selector, accountId, meterId, uint32(4)));
        settlement.closePeriod(4, ids); // no norm data: nothing to substitute with

        _profile(accountId, 3, 46_000, 0);
        (IBillingVolumes.VolumeMethod method, uint256 volumeWh,, uint256[4] memory inputs) =
            _substituted(_closeRecorded(accountId, 4));
        assertEq(uint256(method), uint256(IBillingVolumes.VolumeMethod.HouseholdNorm), "norm");
        assertEq(volumeWh, 138_000, "TV-07 norm");
        assertEq(inputs[0], 3, "residents");
        assertEq(settlement.getInvoice(settlement.invoiceIdOf(accountId, 4)).total, 55_752, "TV-07 557.52");

        vm.prank(retailA);
        billingVolumes.setSubstituteReason(accountId, IBillingVolumes.SubstituteReason.RefusedAccess);
        (method, volumeWh,,) = _substituted(_closeRecorded(accountId, 5));
        assertEq(uint256(method), uint256(IBillingVolumes.VolumeMethod.HouseholdIncreasedNorm), "x 1.5");
        assertEq(volumeWh, 207_000, "TV-07 refused access");
        assertEq(settlement.getInvoice(settlement.invoiceIdOf(accountId, 5)).total, 83_628, "TV-07 836.28");
    }

    function test_householdTamperingWhileReadingsArrive() public {
        _setRules(12);
        (uint64 accountId, uint64 meterId) = _household("H-3", "LS-3");
        _profile(accountId, 3, 46_000, 0);
        uint48[] memory values = new uint48[](6);
        for (uint256 i = 0; i < 6; ++i) values[i] = uint48(1_000_000 + i * 100_000);
        _readPeriods(meterId, 1, values);
        // the grid company found interference: three periods at norm x 10 although readings exist
        vm.prank(grid);
        billingVolumes.setSubstituteReason(accountId, IBillingVolumes.SubstituteReason.Tampering);
        for (uint32 p = 2; p <= 4; ++p) {
            (IBillingVolumes.VolumeMethod method, uint256 volumeWh, uint256 consecutive,) =
                _substituted(_closeRecorded(accountId, p));
            assertEq(uint256(method), uint256(IBillingVolumes.VolumeMethod.HouseholdTampering), "tampering");
            assertEq(volumeWh, 1_380_000, "TV-07 3 x 46 x 10");
            assertEq(consecutive, p - 1, "months");
        }
        // then the readings again: a tampering surcharge is not deducted from them
        assertEq(_billedT1(_closeRecorded(accountId, 5)), 100_000, "metered");
        (,,, uint256[4] memory pending) = billingVolumes.substitutionState(accountId);
        assertEq(pending[0], 0, "nothing pending");
    }

    // ------------------------------------------------------------------ legal entities

    function test_legalEntityAnalogousThenMaxPower() public {
        _setRules(3); // a "year" of three periods keeps the test short; the rule is the same
        (uint64 accountId, uint64 meterId) = _legalEntity("L-1", "LS-L");
        _profile(accountId, 0, 0, 150_000);
        uint48[] memory values = new uint48[](3);
        (values[0], values[1], values[2]) = (7_000_000, 38_000_000, 66_520_000); // 31 000 and 28 520 kWh
        _readPeriods(meterId, 1, values);
        _close(accountId, 2);
        _close(accountId, 3);
        // period 5: its analogous period 2 (31 000 kWh, TV-08); period 4 is also missing
        _close(accountId, 4); // nearest period 3 with readings, same length: 28 520 kWh
        (IBillingVolumes.VolumeMethod method, uint256 volumeWh, uint256 consecutive, uint256[4] memory inputs) =
            _substituted(_closeRecorded(accountId, 5));
        assertEq(uint256(method), uint256(IBillingVolumes.VolumeMethod.LegalEntityAnalogousPeriod), "analogous");
        assertEq(volumeWh, 31_000_000, "TV-08 analogous");
        assertEq(consecutive, 2, "second period");
        assertEq(inputs[0], 2, "the analogous period");
        // the third period in a row: P_max x T, 150 kW x 1 h
        (method, volumeWh, consecutive, inputs) = _substituted(_closeRecorded(accountId, 6));
        assertEq(uint256(method), uint256(IBillingVolumes.VolumeMethod.LegalEntityMaxPower), "calculation method");
        assertEq(volumeWh, 150_000, "P_max x T");
        assertEq(inputs[0], 150_000, "P_max");
        assertEq(inputs[1], 1, "hours");
    }

    function test_legalEntityNearestPeriod() public {
        _setRules(12);
        (uint64 accountId, uint64 meterId) = _legalEntity("L-2", "LS-L2");
        uint48[] memory values = new uint48[](2);
        (values[0], values[1]) = (1_000_000, 29_520_000);
        _readPeriods(meterId, 1, values);
        (IBillingVolumes.VolumeMethod method, uint256 volumeWh,, uint256[4] memory inputs) =
            _substituted(_closeRecorded(accountId, 3));
        assertEq(uint256(method), uint256(IBillingVolumes.VolumeMethod.LegalEntityNearestPeriod), "nearest");
        assertEq(volumeWh, 28_520_000, "same duration: the same volume");
        assertEq(inputs[0], 2, "period 2");
        assertEq(inputs[2], 3600, "its seconds");
        // without P_max the third period has nothing to bill with
        _close(accountId, 4);
        uint64[] memory ids = new uint64[](1);
        ids[0] = accountId;
        vm.warp(_end(5) + 1);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceMissingSnapshot.selector, accountId, meterId, uint32(5)));
        settlement.closePeriod(5, ids);
    }

    // ------------------------------------------------------------------ callers and parameters

    function test_revert_wrongCallers() public {
        (uint64 accountId, uint64 meterId) = _household("H-4", "LS-4");
        bytes32 operatorRole = billingVolumes.OPERATOR_ROLE();
        bytes32 retailRole = billingVolumes.RETAIL_COMPANY_ROLE();
        bytes32 settlementRole = billingVolumes.SETTLEMENT_ROLE();
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, operatorRole));
        billingVolumes.setSubstituteRules(IBillingVolumes.SubstituteRules(6, 3, 6, 3, 2, 10, 1, 3, 2, 12));
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, retailRole));
        billingVolumes.setAccountProfile(accountId, IBillingVolumes.AccountProfile(3, 46_000, 0));
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(IBillingVolumesErrors.BillingVolumesNotAccountParty.selector, accountId, retailB));
        billingVolumes.setAccountProfile(accountId, IBillingVolumes.AccountProfile(3, 46_000, 0));
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(IBillingVolumesErrors.BillingVolumesNotAccountParty.selector, accountId, retailB));
        billingVolumes.setSubstituteReason(accountId, IBillingVolumes.SubstituteReason.Tampering);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IBillingVolumesErrors.BillingVolumesNotAccountParty.selector, accountId, stranger));
        billingVolumes.setSubstituteReason(accountId, IBillingVolumes.SubstituteReason.Tampering);

        // only Settlement records substitution state; the fast path is a plain read for anyone
        _setRules(12);
        _readPeriods(meterId, 1, _one(1_000_000));
        vm.warp(_end(3) + 1);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, settlementRole));
        billingVolumes.periodVolumes(retailA, accountId, 3, uint32(_end(3)));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceNotRetailCompany.selector, accountId, retailB));
        billingVolumes.periodVolumes(retailB, accountId, 3, uint32(_end(3)));
        (uint32 last,,,) = billingVolumes.substitutionState(accountId);
        assertEq(last, 0, "nothing recorded");

        // the Registry's flag is BillingVolumes' alone
        bytes32 moduleRole = registry.VOLUMES_MODULE_ROLE();
        vm.prank(retailA);
        vm.expectRevert(_unauthorized(retailA, moduleRole));
        registry.setVolumesFlag(accountId, true);
        (,,,, bool viaModule) = registry.settlementState(accountId);
        assertTrue(!viaModule, "flag down");
        vm.prank(retailA);
        billingVolumes.setSubstituteReason(accountId, IBillingVolumes.SubstituteReason.RefusedAccess);
        (,,,, viaModule) = registry.settlementState(accountId);
        assertTrue(viaModule, "a reason raises the flag");
        vm.prank(retailA);
        billingVolumes.setSubstituteReason(accountId, IBillingVolumes.SubstituteReason.None);
        (,,,, viaModule) = registry.settlementState(accountId);
        assertTrue(!viaModule, "and clearing it lowers it");
    }

    function test_revert_invalidRules() public {
        vm.startPrank(operator);
        vm.expectRevert(abi.encodeWithSelector(IBillingVolumesErrors.BillingVolumesInvalidRules.selector, bytes32("averagingWindow")));
        billingVolumes.setSubstituteRules(IBillingVolumes.SubstituteRules(3, 6, 6, 3, 2, 10, 1, 3, 2, 12));
        vm.expectRevert(abi.encodeWithSelector(IBillingVolumesErrors.BillingVolumesInvalidRules.selector, bytes32("denominator")));
        billingVolumes.setSubstituteRules(IBillingVolumes.SubstituteRules(6, 3, 6, 3, 0, 10, 1, 3, 2, 12));
        vm.expectRevert(abi.encodeWithSelector(IBillingVolumesErrors.BillingVolumesInvalidRules.selector, bytes32("periodsPerYear")));
        billingVolumes.setSubstituteRules(IBillingVolumes.SubstituteRules(6, 3, 6, 3, 2, 10, 1, 3, 2, 0));
        vm.stopPrank();
        assertEq(billingVolumes.substituteRules().averagingWindow, 0, "unset");
    }

    // ------------------------------------------------------------------ common-house needs (TV-11)

    function _building(uint64 commonMeterId) internal returns (uint64 buildingId) {
        vm.prank(retailA);
        buildingId = commonHouse.registerBuilding(
            ICommonHouseBilling.Building(address(0), commonMeterId, 450_000, 60_000, 1130, true, false)
        );
    }

    function _premises(uint64 accountId, uint64 buildingId, uint64 areaDm2) internal {
        vm.prank(retailA);
        commonHouse.setPremises(accountId, buildingId, areaDm2);
    }

    /// @dev TV-11: ОДПУ 12 000 kWh, apartments 10 500 (54 m² + the rest), non-residential 600; S_об 4 500 m²,
    /// S_МОП 600 m², N_СОИ 1.13 kWh/m².
    function _tv11(uint48 commonAtEnd) internal returns (uint64 buildingId, uint64 flat, uint64 other, uint64 shop) {
        uint64 commonMeter = _newMeter("ODPU");
        uint64 flatMeter;
        uint64 otherMeter;
        uint64 shopMeter;
        (flat, flatMeter) = _household("F-1", "LS-F1");
        (other, otherMeter) = _household("F-2", "LS-F2");
        (shop, shopMeter) = _legalEntity("S-1", "LS-S1");
        buildingId = _building(commonMeter);
        _premises(flat, buildingId, 5_400);
        _premises(other, buildingId, 400_000);
        _premises(shop, buildingId, 44_600);
        uint48[] memory values = new uint48[](2);
        (values[0], values[1]) = (1_000_000, commonAtEnd);
        _readPeriods(commonMeter, 1, values);
        (values[0], values[1]) = (1_000_000, 1_100_000);
        _readPeriods(flatMeter, 1, values);
        (values[0], values[1]) = (1_000_000, 11_400_000);
        _readPeriods(otherMeter, 1, values);
        (values[0], values[1]) = (1_000_000, 1_600_000);
        _readPeriods(shopMeter, 1, values);
        vm.warp(_end(2) + 1);
    }

    function _odnInvoice(uint64 accountId) internal view returns (IInvoices.Invoice memory) {
        return settlement.getInvoice(settlement.invoiceIdOf(accountId, 2 | commonHouse.COMMON_HOUSE_PERIOD()));
    }

    function test_commonHouseTV11() public {
        (uint64 buildingId, uint64 flat, uint64 other, uint64 shop) = _tv11(13_000_000);
        vm.recordLogs();
        vm.prank(retailA);
        commonHouse.billCommonHouse(buildingId, 2);
        LedgerVm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 topic = keccak256("CommonHouseComputed(uint64,uint32,uint256,uint256,uint256,int256,uint256,int256,uint256)");
        bool found;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != topic) continue;
            (uint256 common, uint256 residential, uint256 nonResidential, int256 odn, uint256 cap, int256 shared, uint256 borne) =
                abi.decode(logs[i].data, (uint256, uint256, uint256, int256, uint256, int256, uint256));
            assertEq(common, 12_000_000, "V_ODPU");
            assertEq(residential, 10_500_000, "apartments");
            assertEq(nonResidential, 600_000, "non-residential");
            assertEq(uint256(odn), 900_000, "V_ODN");
            assertEq(cap, 678_000, "cap 1.13 x 600");
            assertEq(uint256(shared), 678_000, "distributable");
            assertEq(borne, 222_000, "the managing company bears");
            found = true;
        }
        assertTrue(found, "CommonHouseComputed emitted");
        // the 54 m² flat: 678 x 54 / 4 500 = 8.136 kWh, 32.87 at 4.04 (lines 1 774 + 984 + 521 + 8)
        IInvoices.Invoice memory invoice = _odnInvoice(flat);
        assertEq(invoice.total, 3_287, "TV-11 32.87");
        assertEq(invoice.periodId, 2 | (1 << 30), "a period id of its own");
        assertEq(uint256(invoice.status), uint256(IInvoices.InvoiceStatus.Computed), "computed");
        assertTrue(_odnInvoice(other).total > 0 && _odnInvoice(shop).total > 0, "every premises billed");
        // the energy invoice of the same period is independent of it
        _close(flat, 2);
        assertEq(settlement.getInvoice(settlement.invoiceIdOf(flat, 2)).total > 0 ? 1 : 0, 1, "energy invoice");
        // and the common-house invoice is issued like any other
        uint256 odnId = settlement.invoiceIdOf(flat, 2 | commonHouse.COMMON_HOUSE_PERIOD());
        vm.prank(retailA);
        settlement.issueInvoice(odnId, keccak256("kr-soi.pdf"), uint32(_end(2) + 15 days));
        // not twice
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceAlreadyExists.selector, odnId));
        commonHouse.billCommonHouse(buildingId, 2);
    }

    function test_commonHouseNegativeChargesNothing() public {
        (uint64 buildingId, uint64 flat,,) = _tv11(11_000_000); // 10 000 kWh < 11 100 kWh of the premises
        vm.prank(retailA);
        commonHouse.billCommonHouse(buildingId, 2);
        assertEq(uint256(_odnInvoice(flat).status), uint256(IInvoices.InvoiceStatus.None), "no invoice");
    }

    /// @dev §5: a premises without readings counts with the volume its energy invoice was billed for (its
    /// substitute, here the norm); before its period is closed the bill still reverts.
    function test_commonHouseCountsPremisesBilledBySubstitute() public {
        _setRules(12);
        (uint64 buildingId,,,) = _tv11(13_000_000);
        (uint64 late, uint64 lateMeter) = _household("F-3", "LS-F3");
        _premises(late, buildingId, 1_000);
        _profile(late, 2, 50_000, 0);
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(ICommonHouseBilling.CommonHouseMissingReadings.selector, buildingId, lateMeter, uint32(2))
        );
        commonHouse.billCommonHouse(buildingId, 2);

        (IBillingVolumes.VolumeMethod method, uint256 volumeWh,,) = _substituted(_closeRecorded(late, 2));
        assertEq(uint256(method), uint256(IBillingVolumes.VolumeMethod.HouseholdNorm), "norm");
        assertEq(volumeWh, 100_000, "2 x 50 kWh");
        (bool recorded, bool substituted, uint256 billed) = billingVolumes.billedVolume(late, 2);
        assertTrue(recorded && substituted, "recorded as a substitute");
        assertEq(billed, 100_000, "billed volume");

        vm.recordLogs();
        vm.prank(retailA);
        commonHouse.billCommonHouse(buildingId, 2);
        LedgerVm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 computed = keccak256("CommonHouseComputed(uint64,uint32,uint256,uint256,uint256,int256,uint256,int256,uint256)");
        bytes32 premisesVolume = keccak256("CommonHousePremisesVolume(uint64,uint32,uint64,uint256,bool)");
        bool foundComputed;
        bool foundPremises;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == computed) {
                (, uint256 residential,, int256 odn,,,) =
                    abi.decode(logs[i].data, (uint256, uint256, uint256, int256, uint256, int256, uint256));
                assertEq(residential, 10_600_000, "apartments incl. the substitute 100 kWh");
                assertEq(uint256(odn), 800_000, "V_ODN 12 000 - 10 600 - 600");
                foundComputed = true;
            }
            if (logs[i].topics[0] == premisesVolume) {
                assertEq(uint256(logs[i].topics[2]), late, "the premises counted by substitute");
                (uint32 periodId, uint256 wh, bool bySubstitute) = abi.decode(logs[i].data, (uint32, uint256, bool));
                assertEq(periodId, 2, "period");
                assertEq(wh, 100_000, "its substitute");
                assertTrue(bySubstitute, "marked substituted");
                foundPremises = true;
            }
        }
        assertTrue(foundComputed && foundPremises, "events");
        assertTrue(_odnInvoice(late).total > 0, "the premises gets its share");
    }

    function test_revert_commonHouseRules() public {
        (uint64 buildingId, uint64 flat, uint64 other,) = _tv11(13_000_000);
        bytes32 retailRole = commonHouse.RETAIL_COMPANY_ROLE();
        bytes32 operatorRole = commonHouse.OPERATOR_ROLE();
        ICommonHouseBilling.Building memory b =
            ICommonHouseBilling.Building(address(0), 0, 450_000, 60_000, 1130, true, false);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, retailRole));
        commonHouse.registerBuilding(b);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, operatorRole));
        commonHouse.setSettlement(IInvoices(stranger));
        vm.startPrank(retailB);
        vm.expectRevert(abi.encodeWithSelector(ICommonHouseBilling.CommonHouseNotBuildingOwner.selector, buildingId, retailB));
        commonHouse.updateBuilding(buildingId, b);
        vm.expectRevert(abi.encodeWithSelector(ICommonHouseBilling.CommonHouseNotBuildingOwner.selector, buildingId, retailB));
        commonHouse.setPremises(flat, buildingId, 5_000);
        vm.expectRevert(abi.encodeWithSelector(ICommonHouseBilling.CommonHouseNotBuildingOwner.selector, buildingId, retailB));
        commonHouse.billCommonHouse(buildingId, 2);
        vm.stopPrank();

        vm.startPrank(retailA);
        vm.expectRevert(abi.encodeWithSelector(ICommonHouseBilling.CommonHouseUnknownBuilding.selector, uint64(9)));
        commonHouse.billCommonHouse(9, 2);
        b.totalAreaDm2 = 0;
        vm.expectRevert(abi.encodeWithSelector(ICommonHouseBilling.CommonHouseInvalidBuilding.selector, bytes32("totalAreaDm2")));
        commonHouse.registerBuilding(b);
        b.totalAreaDm2 = 450_000;
        b.commonMeterId = 99;
        vm.expectRevert(abi.encodeWithSelector(ICommonHouseBilling.CommonHouseInvalidBuilding.selector, bytes32("commonMeterId")));
        commonHouse.registerBuilding(b);
        b.commonMeterId = 0;
        uint64 second = commonHouse.registerBuilding(b);
        vm.expectRevert(
            abi.encodeWithSelector(ICommonHouseBilling.CommonHousePremisesInOtherBuilding.selector, other, buildingId)
        );
        commonHouse.setPremises(other, second, 5_000);
        vm.expectRevert(abi.encodeWithSelector(ICommonHouseBilling.CommonHouseInvalidBuilding.selector, bytes32("areaDm2")));
        commonHouse.setPremises(flat, buildingId, 450_001);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoicePeriodNotEnded.selector, uint32(3), uint32(_end(3))));
        commonHouse.billCommonHouse(buildingId, 3);
        vm.stopPrank();

        // an account of another retail company cannot be premises here
        uint64 foreignMeter = _newMeter("B-1");
        vm.prank(retailB);
        uint64 foreign = registry.openAccount(_account(foreignMeter, "LS-B1"));
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(ICommonHouseBilling.CommonHouseNotAccountParty.selector, foreign, retailA));
        commonHouse.setPremises(foreign, buildingId, 5_000);

        // a premises without readings in the period stops the bill (V_ODN needs every premises)
        (uint64 late, uint64 lateMeter) = _household("F-3", "LS-F3");
        _premises(late, buildingId, 1_000);
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(ICommonHouseBilling.CommonHouseMissingReadings.selector, buildingId, lateMeter, uint32(2))
        );
        commonHouse.billCommonHouse(buildingId, 2);
    }
}
