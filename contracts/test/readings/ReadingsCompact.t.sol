// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IReadings} from "../../src/interfaces/IReadings.sol";
import {LedgerTest} from "../utils/LedgerTest.sol";
import {LedgerVm} from "../utils/LedgerVm.sol";

/**
 * @dev The compact record layout (domain/src/readings/readingBatch.ts): `0xFF | width | first record in
 * the fixed layout | per further record: steps | status | width-byte increase per register`. Same rules
 * as the fixed layout; each bad input reverts with its own error and leaves the meter's state as it was.
 */
contract ReadingsCompactTest is LedgerTest {
    uint64 internal meterA;
    uint64 internal meterB;

    function setUp() public override {
        super.setUp();
        meterA = _registerMeter("A", true);
        meterB = _registerMeter("B", true);
        _registerKey(meterA, device);
        _registerKey(meterB, device);
        _submit(DEVICE_KEY, _entry(meterA, 7, _rec3(T0, 0, 100, 50, 10)));
        _submit(DEVICE_KEY, _entry(meterB, 7, _rec3(T0, 0, 100, 50, 10)));
    }

    /// @dev Three-register records `ends[i], statuses[i], values[i]` in the compact layout of `width`.
    function _pack3(uint8 width, uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values)
        internal
        pure
        returns (bytes memory out)
    {
        out = bytes.concat(bytes1(0xff), bytes1(width), _rec3(ends[0], statuses[0], values[0][0], values[0][1], values[0][2]));
        for (uint256 i = 1; i < ends.length; ++i) {
            out = bytes.concat(out, bytes1(uint8((ends[i] - ends[i - 1]) / 1800)), bytes1(statuses[i]));
            for (uint256 j = 0; j < 3; ++j) {
                uint256 delta = values[i][j] - values[i - 1][j];
                for (uint256 b = width; b > 0; --b) out = bytes.concat(out, bytes1(uint8(delta >> (8 * (b - 1)))));
            }
        }
    }

    function _run(uint256 count, uint256 firstEnd, uint48 firstT1)
        internal
        pure
        returns (uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values)
    {
        ends = new uint256[](count);
        statuses = new uint8[](count);
        values = new uint48[3][](count);
        for (uint256 i = 0; i < count; ++i) {
            ends[i] = firstEnd + 1800 * i;
            statuses[i] = uint8(i % 3 == 2 ? 2 : 0);
            values[i] = [firstT1 + uint48(300 * i), uint48(50 + 7 * i), uint48(10 + i * i)];
        }
    }

    function _fixed3(uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values)
        internal
        pure
        returns (bytes memory out)
    {
        for (uint256 i = 0; i < ends.length; ++i) {
            out = bytes.concat(out, _rec3(ends[i], statuses[i], values[i][0], values[i][1], values[i][2]));
        }
    }

    function _stateHash(uint64 meterId) internal view returns (bytes32) {
        (uint32 end, uint48[5] memory regs, uint32 next) = readings.meterState(meterId);
        return keccak256(abi.encode(end, regs, next));
    }

    function _lastRecordsEvent() internal returns (bytes memory records) {
        LedgerVm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == IReadings.MeterReadingsRecorded.selector) {
                (,, records) = abi.decode(logs[i].data, (uint8, IReadings.ReadingSource, bytes));
            }
        }
    }

    function test_compactRunEqualsFixedRun_andEventCarriesTheRecords() public {
        (uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values) = _run(48, T0 + 1800, 120);
        bytes memory compact = _pack3(2, ends, statuses, values);
        assertEq(compact.length, 2 + 23 + 47 * 8, "compact size");
        vm.recordLogs();
        (uint256 accepted, uint256 duplicates) = _submit(DEVICE_KEY, _entry(meterB, 7, compact));
        assertEq(accepted, 48, "accepted");
        assertEq(duplicates, 0, "duplicates");
        assertEq(keccak256(_lastRecordsEvent()), keccak256(compact), "event carries the records verbatim");
        _submit(DEVICE_KEY, _entry(meterA, 7, _fixed3(ends, statuses, values)));
        assertEq(_stateHash(meterB), _stateHash(meterA), "same state as the fixed layout");
        (uint32 end, uint48[5] memory regs,) = readings.meterState(meterB);
        assertEq(end, ends[47], "last end");
        assertEq(regs[0], values[47][0], "T1");
        assertEq(regs[2], values[47][2], "T3");
    }

    function testFuzz_compactEqualsFixed(uint8 count, uint8 width, uint256 seed) public {
        uint256 n = 2 + (uint256(count) % 60);
        uint8 w = uint8(1 + (uint256(width) % 6));
        uint256[] memory ends = new uint256[](n);
        uint8[] memory statuses = new uint8[](n);
        uint48[3][] memory values = new uint48[3][](n);
        ends[0] = T0 + 1800;
        values[0] = [uint48(100 + (seed % 1000)), uint48(50), uint48(10)];
        uint256 limit = w == 6 ? type(uint40).max : (uint256(1) << (8 * w)) - 1;
        for (uint256 i = 1; i < n; ++i) {
            seed = uint256(keccak256(abi.encode(seed, i)));
            ends[i] = ends[i - 1] + 1800 * (1 + (seed % 5));
            statuses[i] = uint8((seed >> 8) % 16);
            for (uint256 j = 0; j < 3; ++j) values[i][j] = values[i - 1][j] + uint48((seed >> (16 + 40 * j)) % (limit + 1));
        }
        vm.warp(ends[n - 1]);
        (uint256 accepted,) = _submit(DEVICE_KEY, _entry(meterB, 7, _pack3(w, ends, statuses, values)));
        assertEq(accepted, n, "accepted");
        _submit(DEVICE_KEY, _entry(meterA, 7, _fixed3(ends, statuses, values)));
        assertEq(_stateHash(meterB), _stateHash(meterA), "same state as the fixed layout");
    }

    function test_replayedPrefix_isCounted_andTheEventStartsAtTheFirstNewRecord() public {
        (uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values) = _run(5, T0, 100);
        // records 0 (= the stored T0 reading) .. 4; the first two again after accepting them
        (uint256 accepted, uint256 duplicates) = _submit(DEVICE_KEY, _entry(meterB, 7, _pack3(2, ends, statuses, values)));
        assertEq(accepted, 4, "accepted");
        assertEq(duplicates, 1, "the stored interval is a duplicate");
        (uint256[] memory ends2, uint8[] memory statuses2, uint48[3][] memory values2) = _run(8, T0, 100);
        vm.recordLogs();
        (accepted, duplicates) = _submit(DEVICE_KEY, _entry(meterB, 7, _pack3(2, ends2, statuses2, values2)));
        assertEq(accepted, 3, "accepted after the replay");
        assertEq(duplicates, 5, "duplicates");
        uint256[] memory ends3 = new uint256[](3);
        uint8[] memory statuses3 = new uint8[](3);
        uint48[3][] memory values3 = new uint48[3][](3);
        for (uint256 i = 0; i < 3; ++i) {
            ends3[i] = ends2[5 + i];
            statuses3[i] = statuses2[5 + i];
            values3[i] = values2[5 + i];
        }
        assertEq(keccak256(_lastRecordsEvent()), keccak256(_pack3(2, ends3, statuses3, values3)), "accepted suffix");
        (uint32 end, uint48[5] memory regs,) = readings.meterState(meterB);
        assertEq(end, ends2[7], "last end");
        assertEq(regs[0], values2[7][0], "T1");
    }

    function test_snapshotInsideACompactEntry() public {
        uint32 end1 = uint32((block.timestamp / 1800 + 2) * 1800);
        vm.prank(operator);
        readings.schedulePeriod(1, end1);
        vm.warp(end1 + 7200);
        (uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values) = _run(4, end1 - 3600, 200);
        _submit(DEVICE_KEY, _entry(meterB, 7, _pack3(2, ends, statuses, values)));
        (uint32 at, uint48[5] memory regs) = readings.snapshot(meterB, 1);
        assertEq(at, end1, "snapshot at the last record not after the period end");
        assertEq(regs[0], values[2][0], "T1 at the period end");
        assertEq(regs[2], values[2][2], "T3 at the period end");
        (,, uint32 next) = readings.meterState(meterB);
        assertEq(next, 2, "next period to capture");
    }

    function test_exportRegister_generalPath() public {
        // T1 + export (mask 0b10001): first record in full, then +5 / +2 in one-byte steps
        bytes memory records = bytes.concat(
            bytes1(0xff), bytes1(uint8(1)), abi.encodePacked(uint32(T0 + 1800), uint8(0), uint48(107), uint48(3)),
            hex"0100" hex"05" hex"02", hex"0204" hex"01" hex"00"
        );
        (uint256 accepted,) = _submit(DEVICE_KEY, _entry(meterB, 17, records));
        assertEq(accepted, 3, "accepted");
        (uint32 end, uint48[5] memory regs,) = readings.meterState(meterB);
        assertEq(end, T0 + 1800 * 4, "last end: steps 1 and 2");
        assertEq(regs[0], 113, "T1");
        assertEq(regs[4], 5, "export");
        assertEq(regs[1], 50, "T2 untouched");
    }

    // ------------------------------------------------------------------ bad input

    function _expectUnchanged(bytes memory records, bytes memory error) internal {
        bytes32 before = _stateHash(meterB);
        IReadings.MeterReadings[] memory batch = _entry(meterB, 7, records);
        bytes memory signature = _sign(DEVICE_KEY, batch);
        vm.expectRevert(error);
        vm.prank(relayer);
        readings.submitReadings(batch, signature);
        assertEq(_stateHash(meterB), before, "state unchanged");
    }

    function test_revert_firstRecordBelowStoredRegister() public {
        (uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values) = _run(3, T0 + 1800, 120);
        values[0][1] = 49;
        values[1][1] = 49;
        values[2][1] = 49;
        _expectUnchanged(
            _pack3(1, ends, statuses, values),
            abi.encodeWithSelector(IReadings.ReadingsRegisterDecreased.selector, meterB, uint32(T0 + 1800), uint8(1), uint48(50), uint48(49))
        );
    }

    function test_revert_zeroStep() public {
        (uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values) = _run(3, T0 + 1800, 120);
        ends[2] = ends[1];
        _expectUnchanged(
            _pack3(2, ends, statuses, values),
            abi.encodeWithSelector(IReadings.ReadingsRecordsOutOfOrder.selector, meterB, uint32(ends[1]), uint32(ends[1]))
        );
    }

    function test_revert_statusBits() public {
        (uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values) = _run(3, T0 + 1800, 120);
        statuses[1] = 0x10;
        _expectUnchanged(
            _pack3(2, ends, statuses, values),
            abi.encodeWithSelector(IReadings.ReadingsInvalidStatus.selector, meterB, uint32(ends[1]), uint8(0x10))
        );
    }

    function test_revert_firstRecordNotAligned() public {
        (uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values) = _run(3, T0 + 1801, 120);
        _expectUnchanged(
            _pack3(2, ends, statuses, values),
            abi.encodeWithSelector(IReadings.ReadingsIntervalNotAligned.selector, meterB, uint32(T0 + 1801))
        );
    }

    function test_revert_lastRecordInFuture() public {
        uint256 now_ = block.timestamp / 1800 * 1800;
        (uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values) = _run(3, now_, 120);
        _expectUnchanged(
            _pack3(2, ends, statuses, values),
            abi.encodeWithSelector(
                IReadings.ReadingsIntervalInFuture.selector, meterB, uint32(now_ + 1800), block.timestamp + readings.futureTolerance()
            )
        );
    }

    function test_revert_conflictingReplayOfLastInterval() public {
        (uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values) = _run(3, T0, 101);
        _expectUnchanged(
            _pack3(2, ends, statuses, values),
            abi.encodeWithSelector(IReadings.ReadingsConflictingReplay.selector, meterB, uint32(T0))
        );
    }

    function test_revert_malformed() public {
        (uint256[] memory ends, uint8[] memory statuses, uint48[3][] memory values) = _run(3, T0 + 1800, 120);
        bytes memory records = _pack3(2, ends, statuses, values);
        _expectUnchanged(
            bytes.concat(records, hex"00"),
            abi.encodeWithSelector(IReadings.ReadingsMalformedRecords.selector, meterB, records.length + 1, 8)
        );
        records[1] = bytes1(uint8(7));
        _expectUnchanged(
            records, abi.encodeWithSelector(IReadings.ReadingsMalformedRecords.selector, meterB, records.length, 23)
        );
        records[1] = bytes1(uint8(0));
        _expectUnchanged(
            records, abi.encodeWithSelector(IReadings.ReadingsMalformedRecords.selector, meterB, records.length, 2)
        );
        _expectUnchanged(hex"ff02", abi.encodeWithSelector(IReadings.ReadingsMalformedRecords.selector, meterB, 2, 8));
    }

    function test_revert_registerOverflow() public {
        // the first record at 2^48 - 2, then +3 in T1
        bytes memory records = bytes.concat(
            bytes1(0xff), bytes1(uint8(1)), _rec3(T0 + 1800, 0, type(uint48).max - 1, 50, 10), hex"0100" hex"03" hex"00" hex"00"
        );
        _expectUnchanged(
            records,
            abi.encodeWithSelector(IReadings.ReadingsRegisterOverflow.selector, meterB, uint32(T0 + 3600), uint8(0))
        );
    }
}
