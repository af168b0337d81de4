// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/bench/NaiveReadingsBaseline.sol)
pragma solidity ^0.8.27;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/**
 * @dev BENCHMARK BASELINE ONLY (scripts/benchGas.ts): the naive design GridLedger's {Readings} is
 * compared with: one transaction per reading, a signature per reading, one storage slot and one event
 * per reading. Not deployed by the deployment scripts.
 */
contract NaiveReadingsBaseline {
    mapping(uint64 meterId => mapping(address key => bool)) private _keys;
    mapping(uint64 meterId => mapping(uint32 intervalEnd => uint256)) private _readings;
    mapping(uint64 meterId => uint32) private _lastEnd;

    event ReadingRecorded(uint64 indexed meterId, uint32 indexed intervalEnd, uint48 t1, uint48 t2, uint48 t3, uint8 status);

    error NaiveUnauthorized(address signer);
    error NaiveOutOfOrder(uint32 intervalEnd);

    function registerDeviceKey(uint64 meterId, address key) external {
        _keys[meterId][key] = true;
    }

    function submitReading(
        uint64 meterId,
        uint32 intervalEnd,
        uint8 status,
        uint48 t1,
        uint48 t2,
        uint48 t3,
        bytes calldata signature
    ) external {
        bytes32 digest = MessageHashUtils.toEthSignedMessageHash(
            keccak256(abi.encode(address(this), meterId, intervalEnd, status, t1, t2, t3))
        );
        address signer = ECDSA.recoverCalldata(digest, signature);
        if (!_keys[meterId][signer]) revert NaiveUnauthorized(signer);
        if (intervalEnd <= _lastEnd[meterId] || intervalEnd % 1800 != 0) revert NaiveOutOfOrder(intervalEnd);
        _lastEnd[meterId] = intervalEnd;
        _readings[meterId][intervalEnd] = (uint256(status) << 144) | (uint256(t1) << 96) | (uint256(t2) << 48) | t3;
        emit ReadingRecorded(meterId, intervalEnd, t1, t2, t3, status);
    }
}
