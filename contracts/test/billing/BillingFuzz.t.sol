// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {BillingTest} from "./BillingTest.sol";
import {BillingMath} from "../../src/billing/BillingMath.sol";
import {PaymentSplit} from "../../src/billing/PaymentSplit.sol";
import {Penalties} from "../../src/billing/Penalties.sol";
import {TariffMath} from "../../src/billing/TariffMath.sol";

/**
 * @dev Fuzz tests of the billing libraries against reference formulas (billing-rules §8) and their
 * invariants. The TypeScript property tests (contracts/ts/billing/billingParity.test.ts) compare
 * the same functions with the domain implementation on random inputs.
 */
contract BillingFuzzTest is BillingTest {
    /// §8 rule 5: half-up is `(a·b + d/2) / d` for non-negative values.
    function testFuzz_mulDivHalfUpMatchesSpecFormula(uint128 a, uint128 b, uint128 d) public pure {
        vm.assume(d > 0);
        uint256 reference_ = (uint256(a) * b + d / 2) / d;
        assertEq(BillingMath.mulDiv(a, b, d, BillingMath.Rounding.HalfUp), reference_, "half-up");
    }

    function testFuzz_energyCostIsOneHalfUpLine(uint64 wh, uint64 price) public pure {
        assertEq(BillingMath.energyCost(wh, price), (uint256(wh) * price + 500_000) / 1_000_000, "energy line");
    }

    /// Credits round symmetrically: half away from zero.
    function testFuzz_divideSignedHalfUpIsSymmetric(int128 n, uint128 d) public pure {
        vm.assume(d > 0);
        int256 positive = BillingMath.divideSigned(n, d, BillingMath.Rounding.HalfUp);
        int256 negative = BillingMath.divideSigned(-int256(n), d, BillingMath.Rounding.HalfUp);
        assertEq(negative, -positive, "symmetric");
    }

    function testFuzz_floorAndCeilBracketTheQuotient(uint128 n, uint128 d) public pure {
        vm.assume(d > 0);
        uint256 floor = BillingMath.divide(n, d, BillingMath.Rounding.Floor);
        uint256 ceil = BillingMath.divide(n, d, BillingMath.Rounding.Ceil);
        assertTrue(floor * d <= n && n <= ceil * d && ceil - floor <= 1, "bracket");
    }

    function testFuzz_largestRemainderSumsExactlyWithinOneKopeck(uint64 amount, uint64[4] memory w) public pure {
        uint256[] memory weights = new uint256[](4);
        uint256 total;
        for (uint256 i = 0; i < 4; ++i) {
            weights[i] = w[i];
            total += w[i];
        }
        vm.assume(total > 0);
        uint256[] memory parts = PaymentSplit.splitByLargestRemainder(amount, weights);
        uint256 sum;
        for (uint256 i = 0; i < 4; ++i) {
            uint256 floor = uint256(amount) * weights[i] / total;
            assertTrue(parts[i] == floor || parts[i] == floor + 1, "within one kopeck of pro rata");
            sum += parts[i];
        }
        assertEq(sum, amount, "parts sum to the amount");
    }

    function testFuzz_applyPaymentConservesMoney(uint64 amount, uint64[4] memory o) public pure {
        uint256[] memory outstanding = new uint256[](4);
        for (uint256 i = 0; i < 4; ++i) outstanding[i] = o[i];
        (uint256[] memory parts, uint256[] memory after_, uint256 credit) = PaymentSplit.applyPayment(outstanding, amount);
        uint256 paid;
        for (uint256 i = 0; i < 4; ++i) {
            assertEq(parts[i] + after_[i], outstanding[i], "part + rest = owed");
            paid += parts[i];
        }
        assertEq(paid + credit, amount, "paid + credit = payment");
    }

    /// Every part is non-negative (an underflow would revert), rows sum to ranges, columns to zones.
    function testFuzz_splitRangesAcrossZonesIsExact(uint32[3] memory z, uint32 b1, uint32 b2) public pure {
        uint256[] memory zones = new uint256[](3);
        uint256 total;
        for (uint256 i = 0; i < 3; ++i) {
            zones[i] = z[i];
            total += z[i];
        }
        vm.assume(b1 > 0 && b2 > b1);
        uint256[] memory bounds = new uint256[](2);
        (bounds[0], bounds[1]) = (b1, b2);
        uint256[] memory ranges = TariffMath.rangeVolumes(total, bounds);
        assertEq(ranges[0] + ranges[1] + ranges[2], total, "ranges sum to total");
        uint256[] memory parts = TariffMath.splitRangesAcrossZones(zones, ranges);
        for (uint256 k = 0; k < 3; ++k) {
            assertEq(parts[k * 3] + parts[k * 3 + 1] + parts[k * 3 + 2], ranges[k], "row");
        }
        for (uint256 i = 0; i < 3; ++i) assertEq(parts[i] + parts[3 + i] + parts[6 + i], zones[i], "column");
    }

    function testFuzz_householdPenaltyDaysFollowTheThresholds(uint16 overdue) public pure {
        uint32[] memory fromDays = new uint32[](2);
        (fromDays[0], fromDays[1]) = (31, 91);
        uint256[] memory divisors = new uint256[](2);
        (divisors[0], divisors[1]) = (300, 130);
        (, uint256[] memory tierDays, uint256 penalty) =
            Penalties.latePaymentPenalty(1_000_000, 20_000, 20_000 + uint32(overdue), 950, fromDays, divisors);
        assertEq(tierDays[0] + tierDays[1], overdue > 30 ? overdue - 30 : 0, "charged days");
        assertTrue(tierDays[0] <= 60, "1/300 tier is days 31-90");
        uint256 reference_ = (uint256(1_000_000) * 950 * (tierDays[0] * 130 + tierDays[1] * 300) * 2 + 10_000 * 39_000)
            / (2 * 10_000 * 39_000);
        assertEq(penalty, reference_, "one half-up rounding");
    }
}
