// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/readings/Readings.sol)
pragma solidity ^0.8.27;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {GridLedgerBase} from "../access/GridLedgerBase.sol";
import {IReadings} from "../interfaces/IReadings.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";

/**
 * @dev Accepts half-hour meter readings signed at the edge (EIP-712, domain "GridLedger Readings" v1)
 * or entered by a consumer/operator, and keeps per meter only what the checks need:
 *
 * - one slot `_state[meterId]` = `lastIntervalEnd:32 | T1:48 | T2:48 | T3:48 | T4:48 | nextSnapshotPeriod:32`;
 * - one slot `_exportState[meterId]` = `export:48 << 176`, touched only for prosumers;
 * - the register values at each scheduled period end (`_snapshots`), the billing input.
 *
 * The readings themselves are carried by one {MeterReadingsRecorded} event per meter entry, holding
 * the accepted packed records verbatim (gas: performance-anchors.md).
 *
 * Rules: a record whose interval end is not after the meter's last accepted one is a replay and is
 * ignored (counted as a duplicate); for the last interval itself the values must match, otherwise
 * {ReadingsConflictingReplay}. A register that goes down reverts the whole batch
 * ({ReadingsRegisterDecreased}); nothing of a reverted batch is stored.
 */
contract Readings is GridLedgerBase, IReadings {
    bytes32 public constant METER_READINGS_TYPEHASH =
        keccak256("MeterReadings(uint64 meterId,uint8 registerMask,bytes records)");
    bytes32 public constant READING_BATCH_TYPEHASH =
        keccak256("ReadingBatch(MeterReadings[] meters)MeterReadings(uint64 meterId,uint8 registerMask,bytes records)");
    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant _NAME_HASH = keccak256("GridLedger Readings");
    bytes32 private constant _VERSION_HASH = keccak256("1");

    uint256 public constant MAX_RECORDS_PER_BATCH = 2000;
    uint256 public constant MAX_METERS_PER_BATCH = 256;
    uint256 public constant HALF_HOUR = 1800;

    uint8 private constant _KEY_ACTIVE = 1;
    uint8 private constant _KEY_REVOKED = 2;
    uint256 private constant _MASK48 = 0xffffffffffff;

    IRegistry private _registry;
    uint32 private _futureTolerance;
    uint32 private _lastPeriodId;
    mapping(uint32 periodId => uint32) private _periodEnds;
    mapping(uint256 meterAndKey => uint8) private _keys;
    mapping(uint64 meterId => uint256) private _state;
    mapping(uint64 meterId => uint256) private _exportState;
    mapping(uint64 meterId => mapping(uint32 periodId => uint256)) private _snapshots;
    mapping(uint64 meterId => mapping(uint32 periodId => uint256)) private _exportSnapshots;

    function initialize(address admin, IRegistry registryAddress) external initializer {
        __GridLedgerBase_init(admin);
        _registry = registryAddress;
        _futureTolerance = 120;
        emit FutureToleranceSet(120);
    }

    function registry() external view returns (IRegistry) {
        return _registry;
    }

    // ------------------------------------------------------------------ device keys

    /**
     * @dev Registers `key` as a device key of every meter in `meterIds`.
     *
     * Requirements: the caller has {GRID_COMPANY_ROLE} and owns every meter; the key is neither active
     * nor revoked for any of them.
     *
     * Emits a {DeviceKeyRegistered} event per meter.
     */
    function registerDeviceKey(uint64[] calldata meterIds, address key) external onlyRole(GRID_COMPANY_ROLE) {
        for (uint256 i = 0; i < meterIds.length; ++i) {
            uint64 meterId = meterIds[i];
            _requireMeterOwner(meterId);
            uint256 index = _keyIndex(meterId, key);
            uint8 status = _keys[index];
            if (status == _KEY_REVOKED) revert ReadingsDeviceKeyRevoked(meterId, key);
            if (status == _KEY_ACTIVE) revert ReadingsDeviceKeyExists(meterId, key);
            _keys[index] = _KEY_ACTIVE;
            emit DeviceKeyRegistered(meterId, key);
        }
    }

    /**
     * @dev Revokes `key` for every meter in `meterIds`. Revocation is final.
     *
     * Requirements: the caller has {GRID_COMPANY_ROLE} and owns every meter; the key is active.
     *
     * Emits a {DeviceKeyRevoked} event per meter.
     */
    function revokeDeviceKey(uint64[] calldata meterIds, address key) external onlyRole(GRID_COMPANY_ROLE) {
        for (uint256 i = 0; i < meterIds.length; ++i) {
            uint64 meterId = meterIds[i];
            _requireMeterOwner(meterId);
            uint256 index = _keyIndex(meterId, key);
            if (_keys[index] != _KEY_ACTIVE) revert ReadingsDeviceKeyNotActive(meterId, key);
            _keys[index] = _KEY_REVOKED;
            emit DeviceKeyRevoked(meterId, key);
        }
    }

    /// @dev 0 none, 1 active, 2 revoked.
    function deviceKeyStatus(uint64 meterId, address key) external view returns (uint8) {
        return _keys[_keyIndex(meterId, key)];
    }

    // ------------------------------------------------------------------ rule parameters

    /**
     * @dev Schedules the end of billing period `periodId` (Unix s, aligned to a half hour). The register
     * values at that instant are captured per meter as readings cross it.
     *
     * Requirements: the caller has {OPERATOR_ROLE}; `periodId` is the next id; the end is aligned,
     * after the previous period's end and in the future.
     *
     * Emits a {PeriodScheduled} event.
     */
    function schedulePeriod(uint32 periodId, uint32 end) external onlyRole(OPERATOR_ROLE) {
        uint32 last = _lastPeriodId;
        if (
            periodId != last + 1 || end % HALF_HOUR != 0 || end <= _periodEnds[last] || end <= block.timestamp
        ) revert ReadingsInvalidPeriod(periodId, end);
        _lastPeriodId = periodId;
        _periodEnds[periodId] = end;
        emit PeriodScheduled(periodId, end);
    }

    /**
     * @dev Sets how far (seconds) an interval end may lie after the block time (agent clock skew).
     *
     * Requirements: the caller has {OPERATOR_ROLE}; at most 1800.
     *
     * Emits a {FutureToleranceSet} event.
     */
    function setFutureTolerance(uint32 toleranceSeconds) external onlyRole(OPERATOR_ROLE) {
        if (toleranceSeconds > HALF_HOUR) revert ReadingsInvalidTolerance(toleranceSeconds);
        _futureTolerance = toleranceSeconds;
        emit FutureToleranceSet(toleranceSeconds);
    }

    function futureTolerance() external view returns (uint32) {
        return _futureTolerance;
    }

    function periodEnd(uint32 periodId) external view returns (uint32) {
        return _periodEnds[periodId];
    }

    function lastPeriodId() external view returns (uint32) {
        return _lastPeriodId;
    }

    /// @dev The first scheduled period whose end is not in the past; `lastPeriodId() + 1` if none.
    function currentPeriodId() public view returns (uint32 periodId) {
        periodId = _lastPeriodId;
        if (periodId == 0 || _periodEnds[periodId] < block.timestamp) return periodId + 1;
        while (periodId > 1 && _periodEnds[periodId - 1] >= block.timestamp) --periodId;
    }

    // ------------------------------------------------------------------ readings

    /// @dev The EIP-712 domain separator (verifying contract = this proxy).
    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(_DOMAIN_TYPEHASH, _NAME_HASH, _VERSION_HASH, block.chainid, address(this)));
    }

    /// @dev The EIP-712 digest a device signs for `batch`.
    function batchDigest(MeterReadings[] calldata batch) public view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), _hashBatch(batch)));
    }

    /**
     * @dev Records a batch signed by a device key registered for every meter in it. Returns the number
     * of accepted records and of ignored duplicates (replays).
     *
     * Requirements:
     * - 1-256 meter entries, at most 2000 records;
     * - `signature` recovers to a key active for every meter;
     * - every record aligned, strictly increasing, not in the future, registers not decreasing.
     *
     * Emits a {MeterReadingsRecorded} event per entry with accepted records, a {MeterSnapshotTaken}
     * event per period end crossed, and one {ReadingBatchRecorded} event.
     */
    function submitReadings(MeterReadings[] calldata batch, bytes calldata signature)
        external
        returns (uint256 accepted, uint256 duplicates)
    {
        uint256 meters = batch.length;
        if (meters == 0) revert ReadingsEmptyBatch();
        if (meters > MAX_METERS_PER_BATCH) revert ReadingsTooManyMeters(meters, MAX_METERS_PER_BATCH);
        bytes32 digest = batchDigest(batch);
        address signer = ECDSA.recoverCalldata(digest, signature);
        uint256 latest = block.timestamp + _futureTolerance;
        for (uint256 i = 0; i < meters; ++i) {
            MeterReadings calldata entry = batch[i];
            uint64 meterId = entry.meterId;
            if (_keys[_keyIndex(meterId, signer)] != _KEY_ACTIVE) _revertUnauthorized(meterId, signer);
            (uint256 a, uint256 d) = _recordEntry(meterId, entry.registerMask, entry.records, latest, ReadingSource.Device);
            unchecked {
                // bounded by MAX_RECORDS_PER_BATCH checked below
                accepted += a;
                duplicates += d;
            }
        }
        if (accepted + duplicates > MAX_RECORDS_PER_BATCH) {
            revert ReadingsTooManyRecords(accepted + duplicates, MAX_RECORDS_PER_BATCH);
        }
        emit ReadingBatchRecorded(signer, digest, ReadingSource.Device, accepted, duplicates);
    }

    /**
     * @dev Records readings typed in by the meter's consumer (meters without remote reading only) or by
     * the grid company / operator (any meter). Same record format and checks as {submitReadings}.
     *
     * Emits the same events, with source `Consumer` or `Operator` and the caller as signer.
     */
    function submitManualReadings(uint64 meterId, uint8 registerMask, bytes calldata records)
        external
        returns (uint256 accepted, uint256 duplicates)
    {
        ReadingSource source;
        if (hasRole(GRID_COMPANY_ROLE, msg.sender) || hasRole(OPERATOR_ROLE, msg.sender)) {
            if (!_registry.meterExists(meterId)) revert ReadingsUnknownMeter(meterId);
            source = ReadingSource.Operator;
        } else {
            (bool exists, bool remote, address consumer) = _registry.meterEntryInfo(meterId);
            if (!exists) revert ReadingsUnknownMeter(meterId);
            if (consumer != msg.sender) revert ReadingsUnauthorizedEntry(meterId, msg.sender);
            if (remote) revert ReadingsRemoteMeter(meterId);
            source = ReadingSource.Consumer;
        }
        if (records.length / 5 > MAX_RECORDS_PER_BATCH) {
            revert ReadingsTooManyRecords(records.length / 5, MAX_RECORDS_PER_BATCH);
        }
        (accepted, duplicates) =
            _recordEntry(meterId, registerMask, records, block.timestamp + _futureTolerance, source);
        emit ReadingBatchRecorded(msg.sender, keccak256(records), source, accepted, duplicates);
    }

    /// @dev Last accepted interval end, register values (T1-T4, export) and the next period to snapshot.
    function meterState(uint64 meterId)
        external
        view
        returns (uint32 lastIntervalEnd, uint48[5] memory registers, uint32 nextSnapshotPeriod)
    {
        uint256 state = _state[meterId];
        lastIntervalEnd = uint32(state >> 224);
        for (uint256 k = 0; k < 4; ++k) registers[k] = uint48(state >> (176 - 48 * k));
        registers[4] = uint48(_exportState[meterId] >> 176);
        nextSnapshotPeriod = uint32(state);
    }

    /// @dev Register values at the end of `periodId` (from the last record not after it).
    function snapshot(uint64 meterId, uint32 periodId)
        external
        view
        returns (uint32 lastIntervalEnd, uint48[5] memory registers)
    {
        uint256 word = _snapshots[meterId][periodId];
        lastIntervalEnd = uint32(word >> 224);
        for (uint256 k = 0; k < 4; ++k) registers[k] = uint48(word >> (176 - 48 * k));
        registers[4] = uint48(_exportSnapshots[meterId][periodId] >> 176);
    }

    /// @inheritdoc IReadings
    function billingSnapshots(uint64 meterId, uint32 periodId, bool withExport)
        external
        view
        returns (uint256 previous, uint256 current, uint256 previousExport, uint256 currentExport)
    {
        mapping(uint32 => uint256) storage snaps = _snapshots[meterId];
        previous = snaps[periodId - 1];
        current = snaps[periodId];
        if (withExport) {
            previousExport = _exportSnapshots[meterId][periodId - 1];
            currentExport = _exportSnapshots[meterId][periodId];
        }
    }

    // ------------------------------------------------------------------ internal

    /**
     * @dev The single place where readings change state: validates one meter entry against the
     * meter's state, skips the replayed prefix, captures period-end snapshots, stores the new state
     * and emits {MeterReadingsRecorded} with the accepted records.
     */
    function _recordEntry(
        uint64 meterId,
        uint8 mask,
        bytes calldata records,
        uint256 latest,
        ReadingSource source
    ) internal virtual returns (uint256 accepted, uint256 duplicates) {
        if (mask == 0 || mask > 31) revert ReadingsInvalidRegisterMask(meterId, mask);
        _Entry memory e;
        e.meterId = meterId;
        e.mask = mask;
        e.latest = latest;
        for (uint256 bit = 0; bit < 5; ++bit) {
            if (mask & (1 << bit) != 0) e.regs[e.n++] = bit;
        }
        e.size = 5 + 6 * e.n;
        if (records.length == 0) revert ReadingsEmptyRecords(meterId);
        if (records.length % e.size != 0) revert ReadingsMalformedRecords(meterId, records.length, e.size);

        uint256 state = _state[meterId];
        e.lastEnd = state >> 224;
        for (uint256 k = 0; k < 4; ++k) e.prev[k] = (state >> (176 - 48 * k)) & _MASK48;
        if (mask & 16 != 0) e.prev[4] = _exportState[meterId] >> 176;
        uint256 offset;
        assembly ("memory-safe") {
            offset := records.offset
        }
        e.nextPeriod = uint32(state);
        if (e.nextPeriod == 0) e.nextPeriod = _firstPeriodEndingAtOrAfter(_recordEnd(offset));
        e.boundary = _boundary(uint32(e.nextPeriod));

        (accepted, duplicates) = _scan(e, offset, offset + records.length);

        if (accepted != 0 || e.nextPeriod != uint32(state)) {
            uint256[5] memory prev = e.prev;
            _state[meterId] = (e.lastEnd << 224) | (prev[0] << 176) | (prev[1] << 128) | (prev[2] << 80)
                | (prev[3] << 32) | e.nextPeriod;
            if (mask & 16 != 0 && accepted != 0) _exportState[meterId] = prev[4] << 176;
        }
        if (accepted != 0) {
            emit MeterReadingsRecorded(meterId, mask, source, records[duplicates * e.size:]);
        }
    }

    /// @dev Per-entry working set, kept in memory to stay within the legacy code generator's stack.
    struct _Entry {
        uint256 meterId;
        uint256 mask;
        uint256 size;
        uint256 n;
        uint256 lastEnd;
        uint256 nextPeriod;
        uint256 boundary;
        uint256 latest;
        uint256[5] regs;
        uint256[5] prev;
    }

    /// @dev Validates the records in calldata [`offset`, `stop`) and advances `e`.
    function _scan(_Entry memory e, uint256 offset, uint256 stop)
        private
        returns (uint256 accepted, uint256 duplicates)
    {
        uint256 previousEnd;
        uint256 size = e.size;
        uint256 n = e.n;
        uint256[5] memory prev = e.prev;
        uint256[5] memory regs = e.regs;
        while (offset < stop) {
            uint256 word;
            assembly ("memory-safe") {
                word := calldataload(offset)
            }
            uint256 end = word >> 224;
            if (end % HALF_HOUR != 0) revert ReadingsIntervalNotAligned(uint64(e.meterId), uint32(end));
            if (end <= previousEnd) {
                revert ReadingsRecordsOutOfOrder(uint64(e.meterId), uint32(previousEnd), uint32(end));
            }
            if (end > e.latest) revert ReadingsIntervalInFuture(uint64(e.meterId), uint32(end), e.latest);
            if ((word >> 216) & 0xf0 != 0) {
                revert ReadingsInvalidStatus(uint64(e.meterId), uint32(end), uint8(word >> 216));
            }
            previousEnd = end;
            if (end <= e.lastEnd) {
                if (end == e.lastEnd) _checkReplay(uint64(e.meterId), uint32(end), offset, n, regs, prev);
                unchecked {
                    // bounded by the records' length
                    ++duplicates;
                    offset += size;
                }
                continue;
            }
            while (end > e.boundary) {
                _takeSnapshot(e);
                e.boundary = _boundary(uint32(++e.nextPeriod));
            }
            for (uint256 j = 0; j < n; ++j) {
                uint256 value;
                assembly ("memory-safe") {
                    value := shr(208, calldataload(add(offset, add(5, mul(6, j)))))
                }
                uint256 k = regs[j];
                if (value < prev[k]) {
                    revert ReadingsRegisterDecreased(
                        uint64(e.meterId), uint32(end), uint8(k), uint48(prev[k]), uint48(value)
                    );
                }
                prev[k] = value;
            }
            e.lastEnd = end;
            unchecked {
                // bounded by the records' length
                ++accepted;
                offset += size;
            }
        }
    }

    function _checkReplay(
        uint64 meterId,
        uint32 end,
        uint256 offset,
        uint256 n,
        uint256[5] memory regs,
        uint256[5] memory prev
    ) private pure {
        for (uint256 j = 0; j < n; ++j) {
            uint256 value;
            assembly ("memory-safe") {
                value := shr(208, calldataload(add(offset, add(5, mul(6, j)))))
            }
            if (value != prev[regs[j]]) revert ReadingsConflictingReplay(meterId, end);
        }
    }

    function _takeSnapshot(_Entry memory e) private {
        uint64 meterId = uint64(e.meterId);
        uint32 periodId = uint32(e.nextPeriod);
        uint256[5] memory prev = e.prev;
        _snapshots[meterId][periodId] =
            (e.lastEnd << 224) | (prev[0] << 176) | (prev[1] << 128) | (prev[2] << 80) | (prev[3] << 32);
        uint256 exportWord = e.mask & 16 != 0 ? prev[4] << 176 : _exportState[meterId];
        if (exportWord != 0) _exportSnapshots[meterId][periodId] = exportWord;
        emit MeterSnapshotTaken(meterId, periodId, uint32(e.lastEnd));
    }

    /// @dev End of `periodId`, or "never" when it is not scheduled.
    function _boundary(uint32 periodId) private view returns (uint256) {
        uint256 end = _periodEnds[periodId];
        return end == 0 ? type(uint256).max : end;
    }

    function _firstPeriodEndingAtOrAfter(uint256 time) private view returns (uint32 periodId) {
        periodId = _lastPeriodId;
        if (periodId == 0 || _periodEnds[periodId] < time) return 0;
        while (periodId > 1 && _periodEnds[periodId - 1] >= time) --periodId;
    }

    function _recordEnd(uint256 offset) private pure returns (uint256 end) {
        assembly ("memory-safe") {
            end := shr(224, calldataload(offset))
        }
    }

    function _hashBatch(MeterReadings[] calldata batch) private pure returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](batch.length);
        for (uint256 i = 0; i < batch.length; ++i) {
            MeterReadings calldata entry = batch[i];
            bytes calldata records = entry.records;
            bytes32 recordsHash;
            assembly ("memory-safe") {
                let ptr := mload(0x40)
                calldatacopy(ptr, records.offset, records.length)
                recordsHash := keccak256(ptr, records.length)
            }
            hashes[i] = keccak256(abi.encode(METER_READINGS_TYPEHASH, entry.meterId, entry.registerMask, recordsHash));
        }
        return keccak256(abi.encode(READING_BATCH_TYPEHASH, keccak256(abi.encodePacked(hashes))));
    }

    function _revertUnauthorized(uint64 meterId, address signer) private view {
        if (_keys[_keyIndex(meterId, signer)] == _KEY_REVOKED) revert ReadingsDeviceKeyRevoked(meterId, signer);
        if (!_registry.meterExists(meterId)) revert ReadingsUnknownMeter(meterId);
        revert ReadingsUnauthorizedDevice(meterId, signer);
    }

    function _requireMeterOwner(uint64 meterId) private view {
        IRegistry.Meter memory meter = _registry.getMeter(meterId);
        if (meter.gridCompany == address(0)) revert ReadingsUnknownMeter(meterId);
        if (meter.gridCompany != msg.sender) revert ReadingsNotMeterOwner(meterId, msg.sender);
    }

    function _keyIndex(uint64 meterId, address key) private pure returns (uint256) {
        return (uint256(meterId) << 160) | uint256(uint160(key));
    }
}
