// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {BillingMath} from "./BillingMath.sol";
import {BillingInvalidPenaltyTier, BillingLengthMismatch} from "./BillingTypes.sol";

/**
 * @title Penalties
 * @dev Late-payment penalties (пени) by tiers of the key rate. Mirrors domain/src/billing/penalties.
 */
library Penalties {
    /**
     * @dev Penalty on `debt` paid on `paidDay` after the due date `dueDay` (days since 1970-01-01;
     * overdue day 1 is the day after the due date, the payment day counts). Tier t charges
     * `rate / divisors[t]` per day from overdue day `fromDays[t]` until the next tier starts
     * (households: 31 → 1/300, 91 → 1/130; legal entities: 1 → 1/130). The sum is kept exact over
     * the product of the divisors and rounded half-up once. Mirrors `latePaymentPenalty`.
     *
     * Requirements:
     * - tiers start on ascending days ≥ 1 and have non-zero divisors.
     */
    function latePaymentPenalty(
        uint256 debt,
        uint32 dueDay,
        uint32 paidDay,
        uint256 rateBp,
        uint32[] memory fromDays,
        uint256[] memory divisors
    ) internal pure returns (uint256 overdueDays, uint256[] memory tierDays, uint256 penalty) {
        uint256 n = fromDays.length;
        if (divisors.length != n) revert BillingLengthMismatch(n, divisors.length);
        overdueDays = paidDay > dueDay ? paidDay - dueDay : 0;
        uint256 product = 1;
        uint256 previous;
        for (uint256 t = 0; t < n; ++t) {
            if (fromDays[t] <= previous || divisors[t] == 0) revert BillingInvalidPenaltyTier(t);
            previous = fromDays[t];
            product *= divisors[t];
        }
        tierDays = new uint256[](n);
        uint256 weighted;
        for (uint256 t = 0; t < n; ++t) {
            uint256 until = t + 1 < n ? uint256(fromDays[t + 1]) - 1 : type(uint256).max;
            uint256 last = overdueDays < until ? overdueDays : until;
            uint256 days_ = last + 1 > fromDays[t] ? last + 1 - fromDays[t] : 0;
            tierDays[t] = days_;
            weighted += days_ * (product / divisors[t]);
        }
        penalty = BillingMath.mulDiv(
            debt * rateBp, weighted, BillingMath.BASIS_POINTS * product, BillingMath.Rounding.HalfUp
        );
    }
}
