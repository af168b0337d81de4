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
            (uint64 meterId, uint8 mask, bytes calldata records) = _entryAt(batch, i);
            if (_keys[_keyIndex(meterId, signer)] != _KEY_ACTIVE) _revertUnauthorized(meterId, signer);
            (uint256 a, uint256 d) = _recordEntry(meterId, mask, records, latest, ReadingSource.Device);
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
        // compact records are shorter than 5 bytes each: count them as recorded
        if (accepted + duplicates > MAX_RECORDS_PER_BATCH) {
            revert ReadingsTooManyRecords(accepted + duplicates, MAX_RECORDS_PER_BATCH);
        }
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
        if (_isCompact(records)) return _recordCompact(meterId, mask, records, latest, source);
        bool done;
        (done, accepted) = _recordFast(meterId, mask, records, latest, source);
        if (done) return (accepted, 0);
        if (mask == 0 || mask > 31) revert ReadingsInvalidRegisterMask(meterId, mask);
        _Entry memory e;
        e.meterId = meterId;
        e.mask = mask;
        e.latest = latest;
        e.n = (mask & 1) + ((mask >> 1) & 1) + ((mask >> 2) & 1) + ((mask >> 3) & 1) + (mask >> 4);
        e.size = 5 + 6 * e.n;
        if (records.length == 0) revert ReadingsEmptyRecords(meterId);
        if (records.length % e.size != 0) revert ReadingsMalformedRecords(meterId, records.length, e.size);
        _prepareLanes(e);

        uint256 state = _state[meterId];
        e.lastEnd = state >> 224;
        e.storedLastEnd = e.lastEnd;
        e.prevWord = _toRecordLayout(e, state, mask & 16 != 0 ? _exportState[meterId] : 0);
        uint256 offset;
        assembly ("memory-safe") {
            offset := records.offset
        }
        e.nextPeriod = uint32(state);
        // a meter without a period to capture yet: the first period ending at or after its last reading
        if (e.nextPeriod == 0) e.nextPeriod = _firstPeriodEndingAtOrAfter(e.lastEnd != 0 ? e.lastEnd : _recordEnd(offset));
        e.boundary = e.nextPeriod == 0 ? type(uint256).max : _boundary(uint32(e.nextPeriod));

        uint256 limit = offset + records.length;
        // the common case in one tight pass: no replay, no period end crossed, every record valid
        if (e.n > 4 || !_scanFast(e, offset, limit)) while (true) {
            uint256 code;
            (code, offset) = e.n > 4 ? _scan5(e, offset, limit) : _scan(e, offset, limit);
            if (code == _SCAN_DONE) break;
            if (code == _SCAN_BOUNDARY && _recordEnd(offset) <= e.latest) {
                _takeSnapshot(e);
                e.boundary = _boundary(uint32(++e.nextPeriod));
            } else {
                _revertRecord(e, code, offset);
            }
        }
        duplicates = e.duplicates;
        accepted = records.length / e.size - duplicates;
        e.accepted = accepted;

        if (accepted != 0 || e.nextPeriod != uint32(state)) _storeState(e, state);
        if (accepted != 0) {
            emit MeterReadingsRecorded(meterId, mask, source, records[duplicates * e.size:]);
        }
    }

    // ------------------------------------------------------------------ compact records

    /// @dev First byte of records in the compact layout (domain/src/readings/readingBatch.ts): a record of
    /// the fixed layout starts with the top byte of its interval end, below 0xFF until 2105.
    uint256 private constant _COMPACT_MARKER = 0xff;

    function _isCompact(bytes calldata records) private pure returns (bool compact) {
        assembly ("memory-safe") {
            compact := and(gt(records.length, 0), eq(byte(0, calldataload(records.offset)), _COMPACT_MARKER))
        }
    }

    /**
     * @dev {_recordEntry} for the compact layout: `0xFF | w | first record (fixed layout) | per further
     * record: steps (half hours, >= 1) | status | w-byte increase per register`. Interval ends are
     * aligned and increasing and registers cannot go down inside the entry by construction, so only the
     * first accepted record is compared with the meter's state. Same rules, errors and events as the
     * fixed layout; the event carries the accepted records in the compact layout (the records verbatim
     * when none is a replay).
     */
    function _recordCompact(
        uint64 meterId,
        uint8 mask,
        bytes calldata records,
        uint256 latest,
        ReadingSource source
    ) private returns (uint256 accepted, uint256 duplicates) {
        {
            bool done;
            (done, accepted) = _compactFast(meterId, mask, records, latest, source);
            if (done) return (accepted, 0);
        }
        if (mask == 0 || mask > 31) revert ReadingsInvalidRegisterMask(meterId, mask);
        _Compact memory c = _compactLayout(meterId, mask, records);
        c.state = _state[meterId];
        for (uint256 j = 0; j < c.n; ++j) {
            uint256 k = c.regs[j];
            c.stored[j] = k < 4 ? (c.state >> (176 - 48 * k)) & _MASK48 : _exportState[meterId] >> 176;
            c.last[j] = c.stored[j];
        }
        c.storedEnd = c.state >> 224;
        c.lastEnd = c.storedEnd;
        c.nextPeriod = uint32(c.state);
        uint256 offset;
        assembly ("memory-safe") {
            offset := add(records.offset, 2)
        }
        // a meter without a period to capture yet: the first period ending at or after its last reading
        if (c.nextPeriod == 0) {
            c.nextPeriod = _firstPeriodEndingAtOrAfter(c.storedEnd != 0 ? c.storedEnd : _recordEnd(offset));
        }
        c.boundary = c.nextPeriod == 0 ? type(uint256).max : _boundary(uint32(c.nextPeriod));
        for (uint256 i = 0; i < c.count; ++i) {
            offset = _compactRecord(c, i, offset);
            if (c.end <= c.storedEnd) {
                if (c.end == c.storedEnd) {
                    for (uint256 j = 0; j < c.n; ++j) {
                        if (c.values[j] != c.stored[j]) revert ReadingsConflictingReplay(meterId, uint32(c.end));
                    }
                }
                ++duplicates;
                continue;
            }
            _acceptCompact(c, latest, accepted == 0, offset);
            ++accepted;
        }
        if (accepted != 0 || c.nextPeriod != uint32(c.state)) {
            uint256 word = (c.lastEnd << 224) | (c.state & _REGISTERS_OF_STATE) | c.nextPeriod;
            for (uint256 j = 0; j < c.n; ++j) {
                uint256 k = c.regs[j];
                if (k < 4) word = (word & ~(_MASK48 << (176 - 48 * k))) | (c.last[j] << (176 - 48 * k));
                else if (accepted != 0) _exportState[meterId] = c.last[j] << 176;
            }
            _state[meterId] = word;
        }
        if (accepted == 0) return (accepted, duplicates);
        if (duplicates == 0) {
            _emitRecords(meterId, mask, source, records);
        } else {
            emit MeterReadingsRecorded(meterId, mask, source, _compactSuffix(c, records));
        }
    }

    /// @dev A new record of a compact entry (in `c.end`, `c.values`): checks, snapshots it passes, accepts.
    function _acceptCompact(_Compact memory c, uint256 latest, bool first, uint256 offset) private {
        uint64 meterId = c.meterId;
        uint256 end = c.end;
        if (end > latest) revert ReadingsIntervalInFuture(meterId, uint32(end), latest);
        for (uint256 j = 0; j < c.n; ++j) {
            if (c.values[j] > _MASK48) revert ReadingsRegisterOverflow(meterId, uint32(end), uint8(c.regs[j]));
        }
        while (end > c.boundary) {
            _compactSnapshot(c);
            c.boundary = _boundary(uint32(++c.nextPeriod));
        }
        if (first) {
            for (uint256 j = 0; j < c.n; ++j) {
                if (c.values[j] < c.last[j]) {
                    revert ReadingsRegisterDecreased(
                        meterId, uint32(end), uint8(c.regs[j]), uint48(c.last[j]), uint48(c.values[j])
                    );
                }
            }
            c.firstEnd = end;
            c.firstStatus = c.status;
            c.firstOffset = offset;
            for (uint256 j = 0; j < c.n; ++j) c.firstValues[j] = c.values[j];
        }
        for (uint256 j = 0; j < c.n; ++j) c.last[j] = c.values[j];
        c.lastEnd = end;
    }

    /**
     * @dev The common case of {_recordCompact}: a contiguous mask (1, 3, 7, 15), a meter with readings
     * already, at most 2,000 records, all new, valid, the last one neither after the next period end nor
     * after `latest`. One pass sums the steps and, per register, the increases (in 64-bit lanes of one
     * word: 2,000 increases below 2^48 cannot carry into the next lane); only the first record is
     * compared with the state. Returns `done = false` without any effect when the case does not apply.
     */
    function _compactFast(uint64 meterId, uint8 mask, bytes calldata records, uint256 latest, ReadingSource source)
        private
        returns (bool done, uint256 count)
    {
        (uint256 headSize,) = _fastLayout(mask);
        if (headSize == 0) return (false, 0);
        uint256 state = _state[meterId];
        if (state >> 224 == 0) return (false, 0);
        bool ok;
        (ok, state) = _compactAdvance(records, headSize, state, latest);
        if (!ok) return (false, 0);
        _state[meterId] = state;
        unchecked {
            count = 1 + (records.length - 2 - headSize) / (2 + ((headSize - 5) / 6) * uint8(records[1]));
        }
        _emitRecords(meterId, mask, source, records);
        return (true, count);
    }

    /**
     * @dev The pass of {_compactFast}: whether the entry is well formed, at most 2,000 records, every
     * record valid and the first after `lastEnd` and the last not after `stopAt`; the first record's
     * word, the register increases summed in 64-bit lanes (lane j from the top: register j; lanes beyond
     * the mask's registers hold sums of the following bytes, ignored) and the last interval end.
     */
    function _compactScan(bytes calldata records, uint256 headSize, uint256 lastEnd, uint256 stopAt)
        private
        pure
        returns (bool ok, uint256 head, uint256 sums, uint256 end)
    {
        assembly ("memory-safe") {
            let n := div(sub(headSize, 5), 6)
            let start := records.offset
            let width := byte(1, calldataload(start))
            let tail := add(2, mul(width, n))
            ok := and(and(gt(width, 0), lt(width, 7)), iszero(lt(records.length, add(2, headSize))))
            if ok {
                let rest := sub(records.length, add(2, headSize))
                ok := and(iszero(mod(rest, tail)), lt(div(rest, tail), 2000))
            }
            if ok {
                head := calldataload(add(start, 2))
                end := shr(224, head)
                // misaligned, not after the meter's last interval, or status bits above the four flags
                let bad := or(or(mod(end, 1800), iszero(gt(end, lastEnd))), and(head, shl(220, 0xf)))
                let right := sub(256, shl(3, width))
                let left := shl(3, width)
                let steps := 0
                let limit := add(start, records.length)
                for { let at := add(add(start, 2), headSize) } lt(at, limit) { at := add(at, tail) } {
                    let word := calldataload(at)
                    let step := byte(0, word)
                    steps := add(steps, step)
                    bad := or(bad, or(iszero(step), and(word, shl(244, 0xf))))
                    word := shl(16, word)
                    sums := add(
                        sums,
                        or(
                            or(shl(192, shr(right, word)), shl(128, shr(right, shl(left, word)))),
                            or(shl(64, shr(right, shl(add(left, left), word))), shr(right, shl(mul(3, left), word)))
                        )
                    )
                }
                end := add(end, mul(steps, 1800))
                ok := and(iszero(bad), iszero(gt(end, stopAt)))
            }
        }
    }

    /// @dev The meter's state word after the compact entry, if {_compactFast} applies.
    function _compactAdvance(bytes calldata records, uint256 headSize, uint256 state, uint256 latest)
        private
        view
        returns (bool ok, uint256 word)
    {
        (uint256 nextPeriod, uint256 stopAt) = _nextStop(state, latest);
        (bool scanned, uint256 head, uint256 sums, uint256 end) = _compactScan(records, headSize, state >> 224, stopAt);
        if (!scanned) return (false, 0);
        return _compactState(state, head, sums, (end << 224) | nextPeriod, headSize);
    }

    /**
     * @dev The state word after a compact entry scanned by {_compactScan}: `endAndPeriod` holds the new
     * last interval end and next period; false when the first record lies below a stored register or a
     * register would pass 2^48 - 1.
     */
    function _compactState(uint256 state, uint256 head, uint256 sums, uint256 endAndPeriod, uint256 headSize)
        private
        pure
        returns (bool ok, uint256 word)
    {
        unchecked {
            word = endAndPeriod | (state & _REGISTERS_OF_STATE);
            uint256 n = (headSize - 5) / 6;
            for (uint256 j = 0; j < n; ++j) {
                uint256 first = (head >> (168 - 48 * j)) & _MASK48;
                uint256 shift = 176 - 48 * j;
                if (first < (state >> shift) & _MASK48) return (false, 0);
                uint256 value = first + ((sums >> (192 - 64 * j)) & type(uint64).max);
                if (value > _MASK48) return (false, 0);
                word = (word & ~(_MASK48 << shift)) | (value << shift);
            }
            return (true, word);
        }
    }

    /// @dev Layout of one compact entry and, while it is walked, its first accepted record.
    struct _Compact {
        uint64 meterId;
        uint256 n;
        uint256 width;
        uint256 headSize;
        uint256 tailSize;
        uint256 count;
        uint256[5] regs;
        uint256 firstEnd;
        uint256 firstStatus;
        uint256 firstOffset;
        uint256[5] firstValues;
        uint256 state;
        uint256 storedEnd;
        uint256[5] stored;
        uint256 lastEnd;
        uint256[5] last;
        uint256 nextPeriod;
        uint256 boundary;
        uint256 end;
        uint256 status;
        uint256[5] values;
    }

    function _compactLayout(uint64 meterId, uint8 mask, bytes calldata records)
        private
        pure
        returns (_Compact memory c)
    {
        c.meterId = meterId;
        c.regs = _regs(mask);
        c.n = (mask & 1) + ((mask >> 1) & 1) + ((mask >> 2) & 1) + ((mask >> 3) & 1) + (mask >> 4);
        c.headSize = 5 + 6 * c.n;
        c.width = records.length > 1 ? uint8(records[1]) : 0;
        c.tailSize = 2 + c.width * c.n;
        if (
            c.width == 0 || c.width > 6 || records.length < 2 + c.headSize
                || (records.length - 2 - c.headSize) % c.tailSize != 0
        ) revert ReadingsMalformedRecords(meterId, records.length, c.tailSize);
        c.count = 1 + (records.length - 2 - c.headSize) / c.tailSize;
    }

    /**
     * @dev Record `i` of a compact entry at `offset` into `c.end`, `c.status` and `c.values`: the first in
     * full, the others as steps and increases over the previous one. Returns the offset after it.
     */
    function _compactRecord(_Compact memory c, uint256 i, uint256 offset) private pure returns (uint256) {
        uint256 word;
        assembly ("memory-safe") {
            word := calldataload(offset)
        }
        uint256 end;
        if (i == 0) {
            end = word >> 224;
            c.status = (word >> 216) & 0xff;
            if (end % HALF_HOUR != 0) revert ReadingsIntervalNotAligned(c.meterId, uint32(end));
            for (uint256 j = 0; j < c.n; ++j) c.values[j] = _value(word, offset, j);
            offset += c.headSize;
        } else {
            uint256 previous = c.end;
            end = previous + (word >> 248) * HALF_HOUR;
            c.status = (word >> 240) & 0xff;
            if (end == previous) revert ReadingsRecordsOutOfOrder(c.meterId, uint32(previous), uint32(end));
            uint256 shift = 256 - 8 * c.width;
            for (uint256 j = 0; j < c.n; ++j) c.values[j] += (word << (16 + 8 * c.width * j)) >> shift;
            offset += c.tailSize;
        }
        c.end = end;
        if (c.status > 0xF) revert ReadingsInvalidStatus(c.meterId, uint32(end), uint8(c.status));
        return offset;
    }

    /// @dev The snapshot of `c.nextPeriod`: this entry's registers as of its last accepted record, the
    /// others as stored.
    function _compactSnapshot(_Compact memory c) private {
        uint64 meterId = c.meterId;
        uint32 periodId = uint32(c.nextPeriod);
        uint256 word = (c.lastEnd << 224) | (c.state & _REGISTERS_OF_STATE);
        uint256 exported = _exportState[meterId] >> 176;
        for (uint256 j = 0; j < c.n; ++j) {
            uint256 k = c.regs[j];
            if (k < 4) word = (word & ~(_MASK48 << (176 - 48 * k))) | (c.last[j] << (176 - 48 * k));
            else exported = c.last[j];
        }
        _snapshots[meterId][periodId] = word;
        if (exported != 0) _exportSnapshots[meterId][periodId] = exported << 176;
        emit MeterSnapshotTaken(meterId, periodId, uint32(c.lastEnd));
    }

    /// @dev The accepted records in the compact layout: the first one in full, then the rest verbatim.
    function _compactSuffix(_Compact memory c, bytes calldata records) private pure returns (bytes memory out) {
        out = abi.encodePacked(bytes1(0xff), uint8(c.width), uint32(c.firstEnd), uint8(c.firstStatus));
        for (uint256 j = 0; j < c.n; ++j) out = bytes.concat(out, bytes6(uint48(c.firstValues[j])));
        uint256 base;
        assembly ("memory-safe") {
            base := records.offset
        }
        out = bytes.concat(out, records[c.firstOffset - base:]);
    }

    /**
     * @dev Per-entry working set (all words, fixed offsets for the assembly in {_scan}). Register j of a
     * record (j < 4) is the 48-bit lane at bits [168 - 48j, 216 - 48j) of the record's first word;
     * `prevWord` keeps the previous accepted values in that layout, `prev4` the fifth register.
     */
    struct _Entry {
        uint256 meterId; // 0x000
        uint256 mask; // 0x020
        uint256 size; // 0x040
        uint256 n; // 0x060
        uint256 lastEnd; // 0x080
        uint256 nextPeriod; // 0x0a0
        uint256 boundary; // 0x0c0
        uint256 latest; // 0x0e0
        uint256 prevWord; // 0x100
        uint256 prev4; // 0x120
        uint256 previousEnd; // 0x140
        uint256 accepted; // 0x160
        uint256 duplicates; // 0x180
        uint256 evenMask; // 0x1a0
        uint256 oddMask; // 0x1c0
        uint256 evenGuards; // 0x1e0
        uint256 oddGuards; // 0x200
        uint256 fieldMask; // 0x220
        uint256 scratchStopAt; // 0x240
        uint256 scratchLimit; // 0x260
        uint256 storedLastEnd; // 0x280
    }

    uint256 private constant _SCAN_DONE = 0;
    uint256 private constant _SCAN_BAD_RECORD = 1;
    uint256 private constant _SCAN_CONFLICT = 2;
    uint256 private constant _SCAN_BOUNDARY = 3;
    uint256 private constant _SCAN_DECREASE = 4;

    uint256 private constant _EVEN_LANES = (_MASK48 << 168) | (_MASK48 << 72);
    uint256 private constant _ODD_LANES = (_MASK48 << 120) | (_MASK48 << 24);

    /// @dev Lane masks for the borrow-detecting comparison of up to four registers.
    function _prepareLanes(_Entry memory e) private pure {
        uint256 lanes = e.n < 4 ? e.n : 4;
        uint256 fields = ((1 << (48 * lanes)) - 1) << (216 - 48 * lanes);
        e.fieldMask = fields;
        e.evenMask = fields & _EVEN_LANES;
        e.oddMask = fields & _ODD_LANES;
        e.evenGuards = (e.evenMask << 1) & ~e.evenMask;
        e.oddGuards = (e.oddMask << 1) & ~e.oddMask;
    }

    /// @dev Register bit of the j-th value of a record with `mask`.
    function _regs(uint256 mask) private pure returns (uint256[5] memory regs) {
        uint256 n;
        for (uint256 bit = 0; bit < 5; ++bit) {
            if (mask & (1 << bit) != 0) regs[n++] = bit;
        }
    }

    /// @dev Masks 1, 3, 7 and 15 put register k in record lane k: a shift converts between layouts.
    function _contiguous(uint256 mask) private pure returns (bool) {
        return mask == 1 || mask == 3 || mask == 7 || mask == 15;
    }

    /**
     * @dev Scans records from `offset` until the end, a record that needs a snapshot first, or a bad
     * record (records of at most four registers). Returns a `_SCAN_*` code and the offset of the record it
     * stopped at.
     *
     * Registers are checked for decrease all at once: per lane group, `(new | guards) - old` clears a
     * lane's guard bit exactly when that lane's new value is below the old one.
     */
    function _scan(_Entry memory e, uint256 offset, uint256 limit) private pure returns (uint256 code, uint256) {
        assembly ("memory-safe") {
            let size := mload(add(e, 0x40))
            let lastEnd := mload(add(e, 0x80))
            // 0x240: the first of the next period end and the latest allowed interval end
            mstore(add(e, 0x240), mload(add(e, 0xc0)))
            if lt(mload(add(e, 0xe0)), mload(add(e, 0x240))) { mstore(add(e, 0x240), mload(add(e, 0xe0))) }
            mstore(add(e, 0x260), limit)
            let prevWord := mload(add(e, 0x100))
            let evenMask := mload(add(e, 0x1a0))
            let oddMask := mload(add(e, 0x1c0))
            for {} lt(offset, mload(add(e, 0x260))) { offset := add(offset, size) } {
                let word := calldataload(offset)
                let end := shr(224, word)
                // misaligned, or status bits above the four defined flags
                if or(mod(end, 1800), and(word, shl(220, 0xf))) {
                    code := 1
                    break
                }
                if iszero(gt(end, lastEnd)) {
                    // a replay: ignored, but still strictly increasing among themselves
                    // (after an accepted record, any record not after the last one is out of order)
                    if or(iszero(gt(end, mload(add(e, 0x140)))), iszero(eq(lastEnd, mload(add(e, 0x280))))) {
                        code := 1
                        break
                    }
                    mstore(add(e, 0x140), end)
                    if eq(end, lastEnd) {
                        let fields := or(evenMask, oddMask)
                        if iszero(eq(and(word, fields), and(prevWord, fields))) {
                            code := 2
                            break
                        }
                    }
                    mstore(add(e, 0x180), add(mload(add(e, 0x180)), 1))
                    continue
                }
                // from here on `end` > every earlier record of the entry: order holds
                if gt(end, mload(add(e, 0x240))) {
                    code := 3
                    break
                }
                // guard bit just above each lane (0x1e0, 0x200): set before subtracting, cleared by a borrow
                let guards := mload(add(e, 0x1e0))
                let diff := sub(or(and(word, evenMask), guards), and(prevWord, evenMask))
                let ok := eq(and(diff, guards), guards)
                guards := mload(add(e, 0x200))
                diff := sub(or(and(word, oddMask), guards), and(prevWord, oddMask))
                if iszero(and(ok, eq(and(diff, guards), guards))) {
                    code := 4
                    break
                }
                prevWord := word
                lastEnd := end
            }
            mstore(add(e, 0x80), lastEnd)
            mstore(add(e, 0x100), prevWord)
        }
        return (code, offset);
    }

    /**
     * @dev The common case of {_recordEntry} without the working set: a contiguous mask (1, 3, 7, 15),
     * a meter with readings already, records that are all new, valid, and neither cross the next period
     * end nor lie beyond `latest` ({_fastLoop}). Stores the state once and emits the records as one
     * slice of calldata. Returns `done = false` without any effect when the case does not apply; the
     * general path then finds replays, period ends and the specific error.
     */
    function _recordFast(uint64 meterId, uint8 mask, bytes calldata records, uint256 latest, ReadingSource source)
        private
        returns (bool done, uint256 accepted)
    {
        (uint256 size, uint256 fields) = _fastLayout(mask);
        unchecked {
            if (size == 0 || records.length == 0 || records.length % size != 0) return (false, 0);
        }
        uint256 state = _state[meterId];
        if (state >> 224 == 0) return (false, 0);
        uint256 nextPeriod;
        uint256 last;
        {
            uint256 stopAt;
            (nextPeriod, stopAt) = _nextStop(state, latest);
            bool ok;
            (ok, last) = _fastLoop(records, size, stopAt, state >> 224, state >> 8, fields);
            if (!ok) return (false, 0);
        }
        _state[meterId] = _advance(state, last, fields, nextPeriod);
        _emitRecords(meterId, mask, source, records);
        unchecked {
            return (true, records.length / size);
        }
    }

    /// @dev Record size and register lanes of a contiguous mask (1, 3, 7, 15); zero for any other.
    function _fastLayout(uint8 mask) private pure returns (uint256 size, uint256 fields) {
        uint256 n;
        if (mask == 7) n = 3;
        else if (mask == 15) n = 4;
        else if (mask == 3) n = 2;
        else if (mask == 1) n = 1;
        else return (0, 0);
        unchecked {
            size = 5 + 6 * n;
            fields = ((1 << (48 * n)) - 1) << (216 - 48 * n);
        }
    }

    /// @dev The state word after records whose last first word is `last` (lanes `fields` of the record).
    function _advance(uint256 state, uint256 last, uint256 fields, uint256 nextPeriod) private pure returns (uint256) {
        uint256 lanes = fields << 8;
        return ((last >> 224) << 224) | ((last << 8) & lanes) | (state & ~lanes & _REGISTERS_OF_STATE) | nextPeriod;
    }

    /// @dev The meter's next period to capture (found when not known yet) and where a fast pass stops.
    function _nextStop(uint256 state, uint256 latest) private view returns (uint256 nextPeriod, uint256 stopAt) {
        nextPeriod = uint32(state);
        if (nextPeriod == 0) nextPeriod = _firstPeriodEndingAtOrAfter(state >> 224);
        stopAt = latest;
        if (nextPeriod != 0) {
            uint256 boundary = _periodEnds[uint32(nextPeriod)];
            if (boundary != 0 && boundary < stopAt) stopAt = boundary;
        }
    }

    /// @dev {MeterReadingsRecorded} with `records` copied once from calldata.
    function _emitRecords(uint64 meterId, uint8 mask, ReadingSource source, bytes calldata records) private {
        bytes32 topic = MeterReadingsRecorded.selector;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, mask)
            mstore(add(ptr, 0x20), source)
            mstore(add(ptr, 0x40), 0x60)
            mstore(add(ptr, 0x60), records.length)
            calldatacopy(add(ptr, 0x80), records.offset, records.length)
            mstore(add(add(ptr, 0x80), records.length), 0)
            log2(ptr, add(0x80, and(add(records.length, 31), not(31))), topic, meterId)
        }
    }

    /**
     * @dev The fast path of {_scan} (at most four registers): true when every record is new (after the
     * meter's last interval), aligned, with defined status bits, strictly increasing, registers not
     * decreasing, and the last one not after the next period end nor the latest allowed time. Then
     * `lastEnd` and `prevWord` advance to the last record; otherwise nothing changes and the caller
     * runs {_scan}, which finds the replays, the period end or the offending record.
     */
    function _scanFast(_Entry memory e, uint256 offset, uint256 limit) private pure returns (bool ok) {
        uint256 stopAt = e.boundary < e.latest ? e.boundary : e.latest;
        uint256 last;
        (ok, last) = _fastLoop(_slice(offset, limit), e.size, stopAt, e.lastEnd, e.prevWord, e.fieldMask);
        if (ok) {
            e.lastEnd = last >> 224;
            e.prevWord = last;
        }
    }

    /**
     * @dev One branch-free pass over records `[offset, limit)` of `size` bytes: errors are accumulated
     * and checked once after the loop. `prevWord` holds the previous register values in record layout
     * (lanes `fields`). Returns whether all records pass and the last record's first word.
     *
     * Registers are checked for decrease all at once: per lane group, `(new | guards) - old` clears a
     * lane's guard bit exactly when that lane's new value is below the old one.
     */
    function _fastLoop(
        bytes calldata records,
        uint256 size,
        uint256 stopAt,
        uint256 lastEnd,
        uint256 prevWord,
        uint256 fields
    ) private pure returns (bool ok, uint256 prev) {
        uint256 evenMask = fields & _EVEN_LANES;
        uint256 oddMask = fields & _ODD_LANES;
        assembly ("memory-safe") {
            // records [offset, limit) after `prev`; all errors or-ed into `bad`, guard bits and-ed into acc*
            function pass(offset, limit, step, prev_, evenMask_, oddMask_) -> bad, accE, accO, last {
                let gE := and(shl(1, evenMask_), not(evenMask_))
                let gO := and(shl(1, oddMask_), not(oddMask_))
                accE := gE
                accO := gO
                last := prev_
                // an odd count: the first record alone, then two per iteration
                if and(div(sub(limit, offset), step), 1) {
                    let word := calldataload(offset)
                    let end := shr(224, word)
                    // misaligned, not after the previous one, or status bits above the four flags
                    bad := or(or(mod(end, 1800), iszero(gt(end, shr(224, last)))), and(word, 0xf0000000000000000000000000000000000000000000000000000000))
                    accE := and(accE, sub(or(and(word, evenMask_), gE), and(last, evenMask_)))
                    accO := and(accO, sub(or(and(word, oddMask_), gO), and(last, oddMask_)))
                    last := word
                    offset := add(offset, step)
                }
                for {} lt(offset, limit) { offset := add(offset, add(step, step)) } {
                    let word := calldataload(offset)
                    let end := shr(224, word)
                    bad := or(bad, or(or(mod(end, 1800), iszero(gt(end, shr(224, last)))), and(word, 0xf0000000000000000000000000000000000000000000000000000000)))
                    accE := and(accE, sub(or(and(word, evenMask_), gE), and(last, evenMask_)))
                    accO := and(accO, sub(or(and(word, oddMask_), gO), and(last, oddMask_)))
                    last := calldataload(add(offset, step))
                    // the gap to the first record of the pair: a positive multiple of 1800 below 2^32
                    end := sub(shr(224, last), end)
                    bad := or(bad, or(or(mod(end, 1800), iszero(end)), or(shr(32, end), and(last, 0xf0000000000000000000000000000000000000000000000000000000))))
                    accE := and(accE, sub(or(and(last, evenMask_), gE), and(word, evenMask_)))
                    accO := and(accO, sub(or(and(last, oddMask_), gO), and(word, oddMask_)))
                }
                bad := or(bad, or(xor(accE, gE), xor(accO, gO)))
            }
            let offset := records.offset
            let limit := add(offset, records.length)
            // strictly increasing ends: the last one bounds them all
            if iszero(gt(shr(224, calldataload(sub(limit, size))), stopAt)) {
                let bad, accE, accO, last := pass(offset, limit, size, or(shl(224, lastEnd), and(prevWord, fields)), evenMask, oddMask)
                ok := iszero(bad)
                prev := last
            }
        }
    }

    /**
     * @dev {_scan} for records with all five registers: the fifth (export) lies beyond the first word
     * and is compared on its own.
     *
     * Registers are checked for decrease all at once: per lane group, `(new | guards) - old` clears a
     * lane's guard bit exactly when that lane's new value is below the old one.
     */
    function _scan5(_Entry memory e, uint256 offset, uint256 limit) private pure returns (uint256 code, uint256) {
        assembly ("memory-safe") {
            let size := mload(add(e, 0x40))
            let lastEnd := mload(add(e, 0x80))
            // 0x240: the first of the next period end and the latest allowed interval end
            mstore(add(e, 0x240), mload(add(e, 0xc0)))
            if lt(mload(add(e, 0xe0)), mload(add(e, 0x240))) { mstore(add(e, 0x240), mload(add(e, 0xe0))) }
            mstore(add(e, 0x260), limit)
            let prevWord := mload(add(e, 0x100))
            let evenMask := mload(add(e, 0x1a0))
            let oddMask := mload(add(e, 0x1c0))
            for {} lt(offset, mload(add(e, 0x260))) { offset := add(offset, size) } {
                let word := calldataload(offset)
                let end := shr(224, word)
                // misaligned, or status bits above the four defined flags
                if or(mod(end, 1800), and(word, shl(220, 0xf))) {
                    code := 1
                    break
                }
                if iszero(gt(end, lastEnd)) {
                    // a replay: ignored, but still strictly increasing among themselves
                    // (after an accepted record, any record not after the last one is out of order)
                    if or(iszero(gt(end, mload(add(e, 0x140)))), iszero(eq(lastEnd, mload(add(e, 0x280))))) {
                        code := 1
                        break
                    }
                    mstore(add(e, 0x140), end)
                    if eq(end, lastEnd) {
                        let fields := or(evenMask, oddMask)
                        let same := eq(and(word, fields), and(prevWord, fields))
                        if gt(mload(add(e, 0x60)), 4) {
                            same := and(same, eq(shr(208, calldataload(add(offset, 29))), mload(add(e, 0x120))))
                        }
                        if iszero(same) {
                            code := 2
                            break
                        }
                    }
                    mstore(add(e, 0x180), add(mload(add(e, 0x180)), 1))
                    continue
                }
                // from here on `end` > every earlier record of the entry: order holds
                if gt(end, mload(add(e, 0x240))) {
                    code := 3
                    break
                }
                // guard bit just above each lane: set before subtracting, cleared by a lane's borrow
                let guards := and(shl(1, evenMask), not(evenMask))
                let diff := sub(or(and(word, evenMask), guards), and(prevWord, evenMask))
                let ok := eq(and(diff, guards), guards)
                guards := and(shl(1, oddMask), not(oddMask))
                diff := sub(or(and(word, oddMask), guards), and(prevWord, oddMask))
                if iszero(and(ok, eq(and(diff, guards), guards))) {
                    code := 4
                    break
                }
                if gt(mload(add(e, 0x60)), 4) {
                    let value := shr(208, calldataload(add(offset, 29)))
                    if lt(value, mload(add(e, 0x120))) {
                        code := 4
                        break
                    }
                    mstore(add(e, 0x120), value)
                }
                prevWord := word
                lastEnd := end
            }
            mstore(add(e, 0x80), lastEnd)
            mstore(add(e, 0x100), prevWord)
        }
        return (code, offset);
    }

    /// @dev Reverts with the specific error for the record at `offset` that {_scan} stopped at.
    function _revertRecord(_Entry memory e, uint256 code, uint256 offset) private pure {
        uint64 meterId = uint64(e.meterId);
        uint256[5] memory regs = _regs(e.mask);
        uint256 word;
        assembly ("memory-safe") {
            word := calldataload(offset)
        }
        uint32 end = uint32(word >> 224);
        if (code == _SCAN_CONFLICT) revert ReadingsConflictingReplay(meterId, end);
        if (code == _SCAN_BOUNDARY) revert ReadingsIntervalInFuture(meterId, end, e.latest);
        if (code == _SCAN_DECREASE) {
            for (uint256 j = 0; j < e.n; ++j) {
                uint256 value = _value(word, offset, j);
                uint256 previous = j < 4 ? (e.prevWord >> (168 - 48 * j)) & _MASK48 : e.prev4;
                if (value < previous) {
                    revert ReadingsRegisterDecreased(meterId, end, uint8(regs[j]), uint48(previous), uint48(value));
                }
            }
        }
        if (end % HALF_HOUR != 0) revert ReadingsIntervalNotAligned(meterId, end);
        uint256 previousEnd = e.lastEnd != e.storedLastEnd ? e.lastEnd : e.previousEnd;
        if (end <= previousEnd) revert ReadingsRecordsOutOfOrder(meterId, uint32(previousEnd), end);
        if (end > e.latest) revert ReadingsIntervalInFuture(meterId, end, e.latest);
        revert ReadingsInvalidStatus(meterId, end, uint8(word >> 216));
    }

    function _value(uint256 word, uint256 offset, uint256 j) private pure returns (uint256 value) {
        if (j < 4) return (word >> (168 - 48 * j)) & _MASK48;
        assembly ("memory-safe") {
            value := shr(208, calldataload(add(offset, 29)))
        }
    }

    /// @dev Stored registers (by register bit) to the record layout of this entry's mask.
    function _toRecordLayout(_Entry memory e, uint256 state, uint256 exportWord) private pure returns (uint256 word) {
        if (_contiguous(e.mask)) return (state >> 8) & e.fieldMask;
        uint256[5] memory regs = _regs(e.mask);
        for (uint256 j = 0; j < e.n; ++j) {
            uint256 k = regs[j];
            uint256 value = k < 4 ? (state >> (176 - 48 * k)) & _MASK48 : exportWord >> 176;
            if (j < 4) word |= value << (168 - 48 * j);
            else e.prev4 = value;
        }
    }

    /// @dev Current register values by bit: this entry's from the record layout, the others as stored.
    function _fromRecordLayout(_Entry memory e, uint256 state, uint256 exportWord)
        private
        pure
        returns (uint256[5] memory values)
    {
        for (uint256 k = 0; k < 4; ++k) values[k] = (state >> (176 - 48 * k)) & _MASK48;
        values[4] = exportWord >> 176;
        uint256[5] memory regs = _regs(e.mask);
        for (uint256 j = 0; j < e.n; ++j) {
            values[regs[j]] = j < 4 ? (e.prevWord >> (168 - 48 * j)) & _MASK48 : e.prev4;
        }
    }

    function _storeState(_Entry memory e, uint256 state) private {
        uint64 meterId = uint64(e.meterId);
        if (_contiguous(e.mask)) {
            uint256 lanes = e.fieldMask << 8;
            _state[meterId] =
                (e.lastEnd << 224) | ((e.prevWord << 8) & lanes) | (state & ~lanes & _REGISTERS_OF_STATE) | e.nextPeriod;
            return;
        }
        uint256[5] memory values = _fromRecordLayout(e, state, 0);
        _state[meterId] = (e.lastEnd << 224) | (values[0] << 176) | (values[1] << 128) | (values[2] << 80)
            | (values[3] << 32) | e.nextPeriod;
        if (e.mask & 16 != 0 && e.accepted != 0) _exportState[meterId] = values[4] << 176;
    }

    /// @dev Bits [32, 224) of a state word: the four import registers.
    uint256 private constant _REGISTERS_OF_STATE = ((1 << 192) - 1) << 32;

    function _takeSnapshot(_Entry memory e) private {
        uint64 meterId = uint64(e.meterId);
        uint32 periodId = uint32(e.nextPeriod);
        uint256[5] memory values =
            _fromRecordLayout(e, _state[meterId], e.mask & 16 != 0 ? 0 : _exportState[meterId]);
        _snapshots[meterId][periodId] =
            (e.lastEnd << 224) | (values[0] << 176) | (values[1] << 128) | (values[2] << 80) | (values[3] << 32);
        if (values[4] != 0) _exportSnapshots[meterId][periodId] = values[4] << 176;
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

    /// @dev The calldata bytes `[offset, limit)`.
    function _slice(uint256 offset, uint256 limit) private pure returns (bytes calldata slice) {
        assembly ("memory-safe") {
            slice.offset := offset
            slice.length := sub(limit, offset)
        }
    }

    function _recordEnd(uint256 offset) private pure returns (uint256 end) {
        assembly ("memory-safe") {
            end := shr(224, calldataload(offset))
        }
    }

    /// @dev EIP-712 struct hash of the batch; each entry's records are hashed straight from calldata.
    function _hashBatch(MeterReadings[] calldata batch) private pure returns (bytes32 batchHash) {
        bytes32 entryTypehash = METER_READINGS_TYPEHASH;
        bytes32 batchTypehash = READING_BATCH_TYPEHASH;
        uint256 count = batch.length;
        uint256 hashes;
        assembly ("memory-safe") {
            hashes := mload(0x40)
            mstore(0x40, add(hashes, shl(5, count)))
        }
        for (uint256 i = 0; i < count; ++i) {
            MeterReadings calldata entry = batch[i];
            bytes calldata records = entry.records;
            uint64 meterId = entry.meterId;
            uint8 mask = entry.registerMask;
            assembly ("memory-safe") {
                let ptr := mload(0x40)
                calldatacopy(ptr, records.offset, records.length)
                let recordsHash := keccak256(ptr, records.length)
                mstore(ptr, entryTypehash)
                mstore(add(ptr, 0x20), meterId)
                mstore(add(ptr, 0x40), mask)
                mstore(add(ptr, 0x60), recordsHash)
                mstore(add(hashes, shl(5, i)), keccak256(ptr, 0x80))
            }
        }
        assembly ("memory-safe") {
            mstore(0, batchTypehash)
            mstore(0x20, keccak256(hashes, shl(5, count)))
            batchHash := keccak256(0, 0x40)
            mstore(0x40, hashes)
        }
    }

    /**
     * @dev Entry `i` of a batch whose encoding {_hashBatch} has already validated (every offset, length
     * and value range was checked by the ABI decoder there), read without decoding it again.
     */
    function _entryAt(MeterReadings[] calldata batch, uint256 i)
        private
        pure
        returns (uint64 meterId, uint8 mask, bytes calldata records)
    {
        assembly ("memory-safe") {
            let entry := add(batch.offset, calldataload(add(batch.offset, shl(5, i))))
            meterId := calldataload(entry)
            mask := calldataload(add(entry, 0x20))
            let ptr := add(entry, calldataload(add(entry, 0x40)))
            records.length := calldataload(ptr)
            records.offset := add(ptr, 0x20)
        }
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
