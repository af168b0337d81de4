// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {BillingMath} from "./BillingMath.sol";
import {BillingZeroWeights} from "./BillingTypes.sol";

/**
 * @title PaymentSplit
 * @dev Largest-remainder (Hamilton) money splits in kopecks: VAT per component and payments per
 * provider (billing-rules §8 rule 4). Mirrors domain/src/billing/payments.
 */
library PaymentSplit {
    /**
     * @dev Splits `amount` in proportion to `weights` so that the parts sum to `amount` exactly: floors
     * first, then one kopeck each to the largest remainders; ties go to the LOWER index (component
     * order). Mirrors `splitByLargestRemainder`.
     *
     * Requirements:
     * - some weight is non-zero, unless `amount` is zero.
     */
    function splitByLargestRemainder(
        uint256 amount,
        uint256[] memory weights
    ) internal pure returns (uint256[] memory parts) {
        uint256 n = weights.length;
        parts = new uint256[](n);
        uint256 total;
        for (uint256 i = 0; i < n; ++i) total += weights[i];
        if (total == 0) {
            if (amount == 0) return parts;
            revert BillingZeroWeights(amount);
        }
        uint256[] memory remainders = new uint256[](n);
        uint256 given;
        for (uint256 i = 0; i < n; ++i) {
            parts[i] = BillingMath.mulDiv(amount, weights[i], total, BillingMath.Rounding.Floor);
            remainders[i] = mulmod(amount, weights[i], total);
            given += parts[i];
        }
        // Fewer kopecks are left than parts with a non-zero remainder, so each part gets at most one.
        bool[] memory taken = new bool[](n);
        for (uint256 left = amount - given; left > 0; --left) {
            uint256 best = type(uint256).max;
            for (uint256 i = 0; i < n; ++i) {
                if (taken[i]) continue;
                if (best == type(uint256).max || remainders[i] > remainders[best]) best = i;
            }
            parts[best] += 1;
            taken[best] = true;
        }
    }

    /**
     * @dev Applies a payment to what each provider is still owed: a payment covering everything pays
     * all in full and the rest is a credit carried forward; a partial payment is split pro rata to
     * the outstanding amounts. Mirrors `applyPayment`.
     */
    function applyPayment(
        uint256[] memory outstanding,
        uint256 amount
    ) internal pure returns (uint256[] memory parts, uint256[] memory outstandingAfter, uint256 credit) {
        uint256 due;
        for (uint256 i = 0; i < outstanding.length; ++i) due += outstanding[i];
        outstandingAfter = new uint256[](outstanding.length);
        if (amount >= due) {
            parts = new uint256[](outstanding.length);
            for (uint256 i = 0; i < outstanding.length; ++i) parts[i] = outstanding[i];
            return (parts, outstandingAfter, amount - due);
        }
        parts = splitByLargestRemainder(amount, outstanding);
        for (uint256 i = 0; i < outstanding.length; ++i) outstandingAfter[i] = outstanding[i] - parts[i];
    }
}
