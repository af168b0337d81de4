// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {BillingDivisionByZero} from "./BillingTypes.sol";

/**
 * @title BillingMath
 * @dev The one rounding rule of the billing contracts, mirroring domain/src/units/rounding.ts:
 * every division that touches energy or money names its rounding. `HalfUp` rounds an exact half
 * away from zero (billing-rules §8 rule 5: `(a*b + d/2) / d` for non-negative values, symmetric
 * half-away-from-zero for credits and recalculations).
 */
library BillingMath {
    enum Rounding {
        Floor,
        Ceil,
        Trunc,
        Expand,
        HalfUp
    }

    /// @dev Wh per MWh: converts `Wh × kop/MWh` into kopecks. A unit conversion, not a regulated number.
    uint256 internal constant WH_PER_MWH = 1e6;
    /// @dev Basis points in one (percentages are stated in basis points: 22 % = 2 200).
    uint256 internal constant BASIS_POINTS = 10_000;

    /**
     * @dev `n / d` with an explicit rounding (non-negative operands: Floor = Trunc, Ceil = Expand).
     *
     * Requirements:
     * - `d` is not zero.
     */
    function divide(uint256 n, uint256 d, Rounding rounding) internal pure returns (uint256) {
        if (d == 0) revert BillingDivisionByZero();
        return _round(n / d, n % d, d, rounding, false);
    }

    /// @dev `x × y / d` with full 512-bit precision and one rounding at the end.
    function mulDiv(uint256 x, uint256 y, uint256 d, Rounding rounding) internal pure returns (uint256) {
        if (d == 0) revert BillingDivisionByZero();
        return _round(Math.mulDiv(x, y, d), mulmod(x, y, d), d, rounding, false);
    }

    /// @dev Signed `n / d`: Floor/Ceil toward −∞/+∞, Trunc/Expand toward/away from zero, HalfUp half away from zero.
    function divideSigned(int256 n, uint256 d, Rounding rounding) internal pure returns (int256) {
        if (d == 0) revert BillingDivisionByZero();
        bool negative = n < 0;
        uint256 magnitude = SignedMath.abs(n);
        uint256 rounded = _round(magnitude / d, magnitude % d, d, rounding, negative);
        return negative ? -SafeCast.toInt256(rounded) : SafeCast.toInt256(rounded);
    }

    /// @dev Cost of `wh` at `price` kop/MWh, rounded half-up to kopecks: one invoice line (§8).
    function energyCost(uint256 wh, uint256 price) internal pure returns (uint256) {
        return mulDiv(wh, price, WH_PER_MWH, Rounding.HalfUp);
    }

    /// @dev {energyCost} of a signed volume (a negative common-house share), half away from zero.
    function energyCostSigned(int256 wh, uint256 price) internal pure returns (int256) {
        uint256 amount = energyCost(SignedMath.abs(wh), price);
        return wh < 0 ? -SafeCast.toInt256(amount) : SafeCast.toInt256(amount);
    }

    /// @dev Rounds the magnitude `quotient` given the division's `remainder` and `divisor`.
    function _round(
        uint256 quotient,
        uint256 remainder,
        uint256 divisor,
        Rounding rounding,
        bool negative
    ) private pure returns (uint256) {
        if (remainder == 0) return quotient;
        bool up;
        if (rounding == Rounding.Expand) up = true;
        else if (rounding == Rounding.Floor) up = negative;
        else if (rounding == Rounding.Ceil) up = !negative;
        else if (rounding == Rounding.HalfUp) up = remainder >= divisor - remainder; // 2·rem ≥ d without overflow
        return up ? quotient + 1 : quotient;
    }
}
