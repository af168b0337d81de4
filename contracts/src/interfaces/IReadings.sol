// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/interfaces/IReadings.sol)
pragma solidity ^0.8.27;

/**
 * @dev Signed half-hour readings (issue 3 part 2). The batch format is fixed by
 * domain/src/readings/readingBatch.ts and typedData.ts.
 */
interface IReadings {
    /// @dev Who produced a reading.
    enum ReadingSource {
        Device,
        Consumer,
        Operator
    }

    /// @dev One meter's records in a batch: packed big-endian records of
    /// `uint32 intervalEnd | uint8 status | uint48 register...` (one register per bit of `registerMask`).
    struct MeterReadings {
        uint64 meterId;
        uint8 registerMask;
        bytes records;
    }

    event DeviceKeyRegistered(uint64 indexed meterId, address indexed key);
    event DeviceKeyRevoked(uint64 indexed meterId, address indexed key);
    /**
     * @dev The records of one meter entry that were accepted (duplicates removed), exactly as signed:
     * decode them with domain's `decodeMeterRecords(registerMask, records)`. The signer is in the
     * {ReadingBatchRecorded} event of the same transaction.
     */
    event MeterReadingsRecorded(uint64 indexed meterId, uint8 registerMask, ReadingSource source, bytes records);
    /// @dev One per batch: `signer` is the device key (or the caller for manual entry).
    event ReadingBatchRecorded(
        address indexed signer, bytes32 indexed digest, ReadingSource source, uint256 accepted, uint256 duplicates
    );
    /// @dev The register values at the end of `periodId` were captured for `meterId` (billing input).
    event MeterSnapshotTaken(uint64 indexed meterId, uint32 indexed periodId, uint32 lastIntervalEnd);
    event PeriodScheduled(uint32 indexed periodId, uint32 periodEnd);
    event FutureToleranceSet(uint32 toleranceSeconds);

    /// @dev The batch has no meter entries.
    error ReadingsEmptyBatch();
    /// @dev More than `max` meter entries.
    error ReadingsTooManyMeters(uint256 meters, uint256 max);
    /// @dev More than `max` records in the batch.
    error ReadingsTooManyRecords(uint256 records, uint256 max);
    /// @dev A meter entry with no records.
    error ReadingsEmptyRecords(uint64 meterId);
    /// @dev The mask is zero or has bits above 4.
    error ReadingsInvalidRegisterMask(uint64 meterId, uint8 registerMask);
    /// @dev `length` is not a multiple of `recordSize`.
    error ReadingsMalformedRecords(uint64 meterId, uint256 length, uint256 recordSize);
    /// @dev No meter `meterId` in the registry.
    error ReadingsUnknownMeter(uint64 meterId);
    /// @dev `signer` is not a registered device key of `meterId`.
    error ReadingsUnauthorizedDevice(uint64 meterId, address signer);
    /// @dev `key` was revoked for `meterId`; revocation is final.
    error ReadingsDeviceKeyRevoked(uint64 meterId, address key);
    /// @dev `key` is already registered for `meterId`.
    error ReadingsDeviceKeyExists(uint64 meterId, address key);
    /// @dev `key` is not an active key of `meterId`.
    error ReadingsDeviceKeyNotActive(uint64 meterId, address key);
    /// @dev `caller` is not the grid company that owns `meterId`.
    error ReadingsNotMeterOwner(uint64 meterId, address caller);
    /// @dev The interval end is not a multiple of 1800 s.
    error ReadingsIntervalNotAligned(uint64 meterId, uint32 intervalEnd);
    /// @dev The interval ends after the block time plus the tolerance.
    error ReadingsIntervalInFuture(uint64 meterId, uint32 intervalEnd, uint256 latestAllowed);
    /// @dev Records of one entry must have strictly increasing interval ends.
    error ReadingsRecordsOutOfOrder(uint64 meterId, uint32 previousEnd, uint32 intervalEnd);
    /// @dev Unknown status bits.
    error ReadingsInvalidStatus(uint64 meterId, uint32 intervalEnd, uint8 status);
    /// @dev A cumulative register went down from `previous` to `value`.
    error ReadingsRegisterDecreased(uint64 meterId, uint32 intervalEnd, uint8 register, uint48 previous, uint48 value);
    /// @dev In compact records, a register's increases carry it beyond 2^48 - 1 Wh.
    error ReadingsRegisterOverflow(uint64 meterId, uint32 intervalEnd, uint8 register);
    /// @dev A record for the last accepted interval carries different register values.
    error ReadingsConflictingReplay(uint64 meterId, uint32 intervalEnd);
    /// @dev `caller` may not enter readings for `meterId` (not its consumer nor an operator).
    error ReadingsUnauthorizedEntry(uint64 meterId, address caller);
    /// @dev Consumers enter readings only for meters with no remote reading.
    error ReadingsRemoteMeter(uint64 meterId);
    /// @dev Periods are scheduled in order, aligned to half hours, in the future.
    error ReadingsInvalidPeriod(uint32 periodId, uint32 periodEnd);
    /// @dev The tolerance must not exceed 1800 s.
    error ReadingsInvalidTolerance(uint32 toleranceSeconds);

    function periodEnd(uint32 periodId) external view returns (uint32);
    function currentPeriodId() external view returns (uint32);
    /// @dev Raw snapshot words of `periodId - 1` and `periodId`: `end << 224 | r0 << 176 | r1 << 128 | r2 << 80 | r3 << 32`;
    /// export words: `value << 176`.
    function billingSnapshots(uint64 meterId, uint32 periodId, bool withExport)
        external
        view
        returns (uint256 previous, uint256 current, uint256 previousExport, uint256 currentExport);
}
