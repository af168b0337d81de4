// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IReadings} from "../../src/interfaces/IReadings.sol";
import {LedgerTest} from "../utils/LedgerTest.sol";

contract ReadingsTest is LedgerTest {
    uint64 internal meterA;
    uint64 internal meterB;
    uint64 internal foreignMeter;

    function setUp() public override {
        super.setUp();
        meterA = _registerMeter("A", true);
        meterB = _registerMeter("B", true);
        foreignMeter = _registerMeter("F", true);
        _registerKey(meterA, device);
        _registerKey(meterB, device);
        _registerKey(foreignMeter, otherDevice);
        // a first reading per meter
        _submit(DEVICE_KEY, _entry(meterA, 7, _rec3(T0, 0, 100, 50, 10)));
    }

    function _state(uint64 meterId) internal view returns (bytes32) {
        (uint32 end, uint48[5] memory regs, uint32 next) = readings.meterState(meterId);
        return keccak256(abi.encode(end, regs, next));
    }

    function test_acceptsBatchAndKeepsLastRegisters() public {
        bytes memory records = bytes.concat(_rec3(T0 + 1800, 0, 110, 50, 12), _rec3(T0 + 3600, 2, 130, 55, 12));
        (uint256 accepted, uint256 duplicates) = _submit(DEVICE_KEY, _entry(meterA, 7, records));
        assertEq(accepted, 2, "accepted");
        assertEq(duplicates, 0, "duplicates");
        (uint32 end, uint48[5] memory regs,) = readings.meterState(meterA);
        assertEq(end, T0 + 3600, "last end");
        assertEq(regs[0], 130, "T1");
        assertEq(regs[1], 55, "T2");
        assertEq(regs[2], 12, "T3");
    }

    function test_replayIsIgnoredAndCounted() public {
        bytes memory records = bytes.concat(_rec3(T0, 0, 100, 50, 10), _rec3(T0 + 1800, 0, 120, 50, 10));
        (uint256 accepted, uint256 duplicates) = _submit(DEVICE_KEY, _entry(meterA, 7, records));
        assertEq(accepted, 1, "accepted");
        assertEq(duplicates, 1, "duplicates");
        bytes32 before = _state(meterA);
        (accepted, duplicates) = _submit(DEVICE_KEY, _entry(meterA, 7, records));
        assertEq(accepted, 0, "replay accepted");
        assertEq(duplicates, 2, "replay duplicates");
        assertEq(_state(meterA), before, "state unchanged by the replay");
    }

    function test_manyMetersInOneBatch_andExportRegister() public {
        IReadings.MeterReadings[] memory batch = new IReadings.MeterReadings[](2);
        batch[0] = IReadings.MeterReadings(meterA, 7, _rec3(T0 + 1800, 0, 101, 50, 10));
        // T1 and export (mask 0b10001)
        batch[1] = IReadings.MeterReadings(meterB, 17, abi.encodePacked(uint32(T0 + 1800), uint8(0), uint48(7), uint48(3)));
        (uint256 accepted,) = _submit(DEVICE_KEY, batch);
        assertEq(accepted, 2, "accepted");
        (, uint48[5] memory regs,) = readings.meterState(meterB);
        assertEq(regs[0], 7, "T1");
        assertEq(regs[4], 3, "export");
    }

    function _rec5(uint256 end, uint48 t1, uint48 t2, uint48 t3, uint48 t4, uint48 exported)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodePacked(uint32(end), uint8(0), t1, t2, t3, t4, exported);
    }

    function test_allFiveRegisters() public {
        bytes memory records = bytes.concat(_rec5(T0, 10, 20, 30, 40, 50), _rec5(T0 + 1800, 11, 20, 31, 40, 55));
        (uint256 accepted,) = _submit(DEVICE_KEY, _entry(meterB, 31, records));
        assertEq(accepted, 2, "accepted");
        (, uint48[5] memory regs,) = readings.meterState(meterB);
        assertEq(regs[3], 40, "T4");
        assertEq(regs[4], 55, "export");
        // exact replay of the last interval is ignored; a different export value is a conflict
        (, uint256 duplicates) = _submit(DEVICE_KEY, _entry(meterB, 31, _rec5(T0 + 1800, 11, 20, 31, 40, 55)));
        assertEq(duplicates, 1, "replay");
        IReadings.MeterReadings[] memory batch = _entry(meterB, 31, _rec5(T0 + 1800, 11, 20, 31, 40, 56));
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsConflictingReplay.selector, meterB, uint32(T0 + 1800)));
        readings.submitReadings(batch, signature);
        batch = _entry(meterB, 31, _rec5(T0 + 3600, 12, 20, 31, 40, 54));
        signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReadings.ReadingsRegisterDecreased.selector, meterB, uint32(T0 + 3600), uint8(4), uint48(55), uint48(54)
            )
        );
        readings.submitReadings(batch, signature);
        batch = _entry(meterB, 31, _rec5(T0 + 3600, 12, 20, 31, 39, 56));
        signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReadings.ReadingsRegisterDecreased.selector, meterB, uint32(T0 + 3600), uint8(3), uint48(40), uint48(39)
            )
        );
        readings.submitReadings(batch, signature);
        (, regs,) = readings.meterState(meterB);
        assertEq(regs[4], 55, "export unchanged");
    }

    /// @dev The lane-parallel decrease check agrees with comparing register by register.
    function testFuzz_decreaseDetectionMatchesPerRegisterComparison(uint48[4] memory a, uint48[4] memory b) public {
        bytes memory first = abi.encodePacked(uint32(T0 + 1800), uint8(0), a[0], a[1], a[2], a[3]);
        _submit(DEVICE_KEY, _entry(meterB, 15, first));
        IReadings.MeterReadings[] memory batch =
            _entry(meterB, 15, abi.encodePacked(uint32(T0 + 3600), uint8(0), b[0], b[1], b[2], b[3]));
        bytes memory signature = _sign(DEVICE_KEY, batch);
        for (uint256 k = 0; k < 4; ++k) {
            if (b[k] < a[k]) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IReadings.ReadingsRegisterDecreased.selector, meterB, uint32(T0 + 3600), uint8(k), a[k], b[k]
                    )
                );
                readings.submitReadings(batch, signature);
                return;
            }
        }
        readings.submitReadings(batch, signature);
        (, uint48[5] memory regs,) = readings.meterState(meterB);
        for (uint256 k = 0; k < 4; ++k) assertEq(regs[k], b[k], "stored");
    }

    function test_manualEntryByConsumerAndOperator() public {
        uint64 manual = _registerMeter("M", false);
        _openAccount(manual, "LS-1");
        vm.prank(consumer);
        readings.submitManualReadings(manual, 1, abi.encodePacked(uint32(T0), uint8(0), uint48(1000)));
        vm.prank(grid);
        readings.submitManualReadings(manual, 1, abi.encodePacked(uint32(T0 + 1800), uint8(0), uint48(1200)));
        (uint32 end, uint48[5] memory regs,) = readings.meterState(manual);
        assertEq(end, T0 + 1800, "end");
        assertEq(regs[0], 1200, "T1");
    }

    // ------------------------------------------------------------------ bad input, one by one

    function test_revert_wrongSigner() public {
        IReadings.MeterReadings[] memory batch = _entry(meterA, 7, _rec3(T0 + 1800, 0, 101, 50, 10));
        bytes32 before = _state(meterA);
        bytes memory signature = _sign(0xE71, batch);
        vm.expectRevert(
            abi.encodeWithSelector(IReadings.ReadingsUnauthorizedDevice.selector, meterA, vm.addr(0xE71))
        );
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "state unchanged");
    }

    function test_revert_signatureOverOtherContent() public {
        IReadings.MeterReadings[] memory batch = _entry(meterA, 7, _rec3(T0 + 1800, 0, 101, 50, 10));
        bytes memory signature = _sign(DEVICE_KEY, batch);
        batch[0].records = _rec3(T0 + 1800, 0, 999, 50, 10); // the relayer alters a value
        bytes32 before = _state(meterA);
        (uint8 v, bytes32 r, bytes32 s) = _split(signature);
        address recovered = ecrecover(readings.batchDigest(batch), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsUnauthorizedDevice.selector, meterA, recovered));
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "state unchanged");
    }

    function test_revert_foreignMeter() public {
        IReadings.MeterReadings[] memory batch = new IReadings.MeterReadings[](2);
        batch[0] = IReadings.MeterReadings(meterA, 7, _rec3(T0 + 1800, 0, 101, 50, 10));
        batch[1] = IReadings.MeterReadings(foreignMeter, 7, _rec3(T0 + 1800, 0, 1, 1, 1));
        bytes32 before = _state(meterA);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsUnauthorizedDevice.selector, foreignMeter, device));
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "the valid entry was not kept either");
    }

    function test_revert_unregisteredMeter() public {
        IReadings.MeterReadings[] memory batch = _entry(999, 7, _rec3(T0 + 1800, 0, 1, 1, 1));
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsUnknownMeter.selector, uint64(999)));
        readings.submitReadings(batch, signature);
        assertEq(_state(999), _stateOfNothing(), "no state for the unknown meter");
    }

    function test_revert_revokedDevice() public {
        uint64[] memory ids = new uint64[](1);
        ids[0] = meterA;
        vm.prank(grid);
        readings.revokeDeviceKey(ids, device);
        IReadings.MeterReadings[] memory batch = _entry(meterA, 7, _rec3(T0 + 1800, 0, 101, 50, 10));
        bytes32 before = _state(meterA);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsDeviceKeyRevoked.selector, meterA, device));
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "state unchanged");
        // revocation is final
        vm.prank(grid);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsDeviceKeyRevoked.selector, meterA, device));
        readings.registerDeviceKey(ids, device);
    }

    function test_revert_decreasingRegister() public {
        bytes memory records = bytes.concat(_rec3(T0 + 1800, 0, 110, 50, 10), _rec3(T0 + 3600, 0, 120, 49, 10));
        bytes32 before = _state(meterA);
        IReadings.MeterReadings[] memory batch = _entry(meterA, 7, records);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReadings.ReadingsRegisterDecreased.selector, meterA, uint32(T0 + 3600), uint8(1), uint48(50), uint48(49)
            )
        );
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "state unchanged");
    }

    function test_revert_decreaseAgainstStoredValue() public {
        IReadings.MeterReadings[] memory batch = _entry(meterA, 7, _rec3(T0 + 1800, 0, 100, 50, 9));
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReadings.ReadingsRegisterDecreased.selector, meterA, uint32(T0 + 1800), uint8(2), uint48(10), uint48(9)
            )
        );
        readings.submitReadings(batch, signature);
    }

    function test_revert_conflictingReplayOfLastInterval() public {
        IReadings.MeterReadings[] memory batch = _entry(meterA, 7, _rec3(T0, 0, 100, 51, 10));
        bytes32 before = _state(meterA);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsConflictingReplay.selector, meterA, uint32(T0)));
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "state unchanged");
    }

    function test_revert_intervalNotAligned() public {
        IReadings.MeterReadings[] memory batch = _entry(meterA, 7, _rec3(T0 + 1801, 0, 101, 50, 10));
        bytes32 before = _state(meterA);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsIntervalNotAligned.selector, meterA, uint32(T0 + 1801)));
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "state unchanged");
    }

    function test_revert_intervalInFuture() public {
        uint256 future = (block.timestamp / 1800 + 1) * 1800;
        IReadings.MeterReadings[] memory batch = _entry(meterA, 7, _rec3(future, 0, 101, 50, 10));
        bytes32 before = _state(meterA);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReadings.ReadingsIntervalInFuture.selector, meterA, uint32(future), block.timestamp + 120
            )
        );
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "state unchanged");
    }

    function test_revert_recordsOutOfOrder() public {
        bytes memory records = bytes.concat(_rec3(T0 - 1800, 0, 90, 50, 10), _rec3(T0 - 3600, 0, 80, 50, 10));
        IReadings.MeterReadings[] memory batch = _entry(meterA, 7, records);
        bytes32 before = _state(meterA);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReadings.ReadingsRecordsOutOfOrder.selector, meterA, uint32(T0 - 1800), uint32(T0 - 3600)
            )
        );
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "state unchanged");
    }

    function test_revert_recordNotAfterAcceptedOne() public {
        bytes memory records = bytes.concat(_rec3(T0 + 3600, 0, 110, 50, 10), _rec3(T0 + 1800, 0, 120, 50, 10));
        IReadings.MeterReadings[] memory batch = _entry(meterA, 7, records);
        bytes32 before = _state(meterA);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReadings.ReadingsRecordsOutOfOrder.selector, meterA, uint32(T0 + 3600), uint32(T0 + 1800)
            )
        );
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "state unchanged");
    }

    function test_revert_emptyBatch() public {
        IReadings.MeterReadings[] memory batch = new IReadings.MeterReadings[](0);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsEmptyBatch.selector));
        readings.submitReadings(batch, signature);
    }

    function test_revert_emptyMeterEntry() public {
        // a valid entry for meterB first: it is not kept either
        IReadings.MeterReadings[] memory batch = new IReadings.MeterReadings[](2);
        batch[0] = IReadings.MeterReadings(meterB, 7, _rec3(T0 + 1800, 0, 101, 50, 10));
        batch[1] = IReadings.MeterReadings(meterA, 7, "");
        bytes32 beforeA = _state(meterA);
        bytes32 beforeB = _state(meterB);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsEmptyRecords.selector, meterA));
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), beforeA, "meterA unchanged");
        assertEq(_state(meterB), beforeB, "meterB unchanged");
    }

    function test_revert_tooManyMeters() public {
        IReadings.MeterReadings[] memory batch = new IReadings.MeterReadings[](257);
        for (uint256 i = 0; i < 257; ++i) batch[i] = IReadings.MeterReadings(meterA, 7, "");
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsTooManyMeters.selector, 257, 256));
        readings.submitReadings(batch, signature);
    }

    function test_revert_tooManyRecords() public {
        bytes memory records;
        for (uint256 i = 1; i <= 2001; ++i) {
            records = bytes.concat(records, abi.encodePacked(uint32(T0 + 1800 * i - 2001 * 1800), uint8(0), uint48(i)));
        }
        IReadings.MeterReadings[] memory batch = _entry(meterB, 1, records);
        bytes32 before = _state(meterB);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsTooManyRecords.selector, 2001, 2000));
        readings.submitReadings(batch, signature);
        assertEq(_state(meterB), before, "state unchanged");
    }

    function test_revert_malformedRecords() public {
        IReadings.MeterReadings[] memory batch = _entry(meterA, 7, bytes.concat(_rec3(T0 + 1800, 0, 101, 50, 10), hex"00"));
        bytes memory signature = _sign(DEVICE_KEY, batch);
        bytes32 before = _state(meterA);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsMalformedRecords.selector, meterA, 24, 23));
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "state unchanged");
    }

    function test_revert_invalidMaskAndStatus() public {
        IReadings.MeterReadings[] memory batch = _entry(meterA, 0, _rec3(T0 + 1800, 0, 101, 50, 10));
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsInvalidRegisterMask.selector, meterA, uint8(0)));
        readings.submitReadings(batch, signature);
        batch = _entry(meterA, 7, _rec3(T0 + 1800, 0x10, 101, 50, 10));
        signature = _sign(DEVICE_KEY, batch);
        bytes32 before = _state(meterA);
        vm.expectRevert(
            abi.encodeWithSelector(IReadings.ReadingsInvalidStatus.selector, meterA, uint32(T0 + 1800), uint8(0x10))
        );
        readings.submitReadings(batch, signature);
        assertEq(_state(meterA), before, "state unchanged");
    }

    function test_revert_manualEntryByStranger_andConsumerOnRemoteMeter() public {
        uint64 manual = _registerMeter("M", false);
        _openAccount(manual, "LS-1");
        bytes memory records = abi.encodePacked(uint32(T0), uint8(0), uint48(1000));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsUnauthorizedEntry.selector, manual, stranger));
        readings.submitManualReadings(manual, 1, records);
        _openAccountFor(meterB, "LS-2");
        vm.prank(consumer);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsRemoteMeter.selector, meterB));
        readings.submitManualReadings(meterB, 1, records);
        (uint32 end,,) = readings.meterState(manual);
        assertEq(end, 0, "nothing stored");
    }

    // ------------------------------------------------------------------ periods and snapshots

    function test_snapshotAtPeriodEnd() public {
        uint32 end1 = uint32((block.timestamp / 1800 + 2) * 1800);
        vm.prank(operator);
        readings.schedulePeriod(1, end1);
        vm.warp(end1 + 7200);
        bytes memory records = bytes.concat(
            _rec3(end1 - 1800, 0, 200, 60, 10), _rec3(end1, 0, 210, 60, 10), _rec3(end1 + 1800, 0, 230, 61, 10)
        );
        _submit(DEVICE_KEY, _entry(meterA, 7, records));
        (uint32 at, uint48[5] memory regs) = readings.snapshot(meterA, 1);
        assertEq(at, end1, "snapshot taken at the last record not after the period end");
        assertEq(regs[0], 210, "T1 at period end");
        (,, uint32 next) = readings.meterState(meterA);
        assertEq(next, 2, "next period to capture");
    }

    function test_snapshotForMeterReadBeforeThePeriodWasScheduled() public {
        // meterA has a reading at T0 from setUp, before any period exists
        uint32 end1 = uint32((block.timestamp / 1800 + 2) * 1800);
        vm.prank(operator);
        readings.schedulePeriod(1, end1);
        vm.warp(end1 + 7200);
        _submit(DEVICE_KEY, _entry(meterA, 7, _rec3(end1 + 1800, 0, 150, 60, 10)));
        (uint32 at, uint48[5] memory regs) = readings.snapshot(meterA, 1);
        assertEq(at, T0, "the last reading before the period end");
        assertEq(regs[0], 100, "T1 at period end");
    }

    function test_revert_periodSchedule() public {
        uint32 end1 = uint32((block.timestamp / 1800 + 2) * 1800);
        vm.startPrank(operator);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsInvalidPeriod.selector, uint32(2), end1));
        readings.schedulePeriod(2, end1);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsInvalidPeriod.selector, uint32(1), end1 + 1));
        readings.schedulePeriod(1, end1 + 1);
        uint32 past = uint32((block.timestamp / 1800) * 1800);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsInvalidPeriod.selector, uint32(1), past));
        readings.schedulePeriod(1, past);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsInvalidTolerance.selector, uint32(1801)));
        readings.setFutureTolerance(1801);
        vm.stopPrank();
        assertEq(readings.lastPeriodId(), 0, "no period scheduled");
        assertEq(readings.futureTolerance(), 120, "tolerance unchanged");
    }

    // ------------------------------------------------------------------ roles

    function test_revert_wrongCallers() public {
        uint64[] memory ids = new uint64[](1);
        ids[0] = meterA;
        bytes32 gridRole = readings.GRID_COMPANY_ROLE();
        bytes32 operatorRole = readings.OPERATOR_ROLE();
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, gridRole));
        readings.registerDeviceKey(ids, stranger);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, gridRole));
        readings.revokeDeviceKey(ids, device);
        vm.prank(grid);
        vm.expectRevert(_unauthorized(grid, operatorRole));
        readings.schedulePeriod(1, uint32((block.timestamp / 1800 + 2) * 1800));
        vm.prank(grid);
        vm.expectRevert(_unauthorized(grid, operatorRole));
        readings.setFutureTolerance(10);
        assertEq(readings.deviceKeyStatus(meterA, stranger), 0, "no key added");
        assertEq(readings.deviceKeyStatus(meterA, device), 1, "key still active");
    }

    function test_revert_keyForMeterOfAnotherGridCompany() public {
        address otherGrid = address(0x6E);
        vm.startPrank(operator);
        registry.grantRole(registry.GRID_COMPANY_ROLE(), otherGrid);
        readings.grantRole(readings.GRID_COMPANY_ROLE(), otherGrid);
        vm.stopPrank();
        uint64[] memory ids = new uint64[](1);
        ids[0] = meterA;
        vm.prank(otherGrid);
        vm.expectRevert(abi.encodeWithSelector(IReadings.ReadingsNotMeterOwner.selector, meterA, otherGrid));
        readings.registerDeviceKey(ids, stranger);
        assertEq(readings.deviceKeyStatus(meterA, stranger), 0, "no key added");
    }

    // ------------------------------------------------------------------ helpers

    function _openAccountFor(uint64 meterId, bytes32 number) internal {
        _openAccount(meterId, number);
    }

    function _stateOfNothing() internal pure returns (bytes32) {
        uint48[5] memory zero;
        return keccak256(abi.encode(uint32(0), zero, uint32(0)));
    }

    function _split(bytes memory signature) internal pure returns (uint8 v, bytes32 r, bytes32 s) {
        assembly {
            r := mload(add(signature, 32))
            s := mload(add(signature, 64))
            v := byte(0, mload(add(signature, 96)))
        }
    }
}
