// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Vm, VM_ADDRESS} from "../utils/Vm.sol";

/// @dev Assertion failed: `actual` differs from `expected` (argument values appear in the forge trace).
error AssertionFailed(string what, uint256 actual, uint256 expected);
error AssertionFailedSigned(string what, int256 actual, int256 expected);

/// @dev Minimal base for the billing forge tests: the cheatcodes and equality assertions.
abstract contract BillingTest {
    Vm internal constant vm = Vm(VM_ADDRESS);

    function assertEq(uint256 actual, uint256 expected, string memory what) internal pure {
        if (actual != expected) revert AssertionFailed(what, actual, expected);
    }

    function assertEq(int256 actual, int256 expected, string memory what) internal pure {
        if (actual != expected) revert AssertionFailedSigned(what, actual, expected);
    }

    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert AssertionFailed(what, 0, 1);
    }
}
