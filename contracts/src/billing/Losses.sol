// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {BillingMath} from "./BillingMath.sol";
import {BillingLossExceedsVolume, BillingZeroParameter} from "./BillingTypes.sol";

/**
 * @title Losses
 * @dev Correction of the metered volume when the meter is not at the balance boundary (ОП 442 п. 144,
 * billing-rules §4). Mirrors domain/src/billing/losses.
 *
 * NOTE: the transformer and line formulas multiply W² by basis-point squares with checked arithmetic;
 * they revert (panic 0x11) beyond ~10³⁰ Wh·W, far above any real meter. The TypeScript mirror has no
 * such bound.
 */
library Losses {
    enum LossDirection {
        Add,
        Subtract
    }

    /// @dev Transformer data; see `TransformerLossParameters` in TypeScript for units.
    struct Transformer {
        uint256 meteredWh;
        uint256 hours_;
        uint256 hoursOn;
        uint256 powerFactorBp;
        uint256 ratedPowerVA;
        uint256 noLoadLossW;
        uint256 shortCircuitLossW;
        uint256 loadShapeBp;
    }

    /// @dev Line data; see `LineLossParameters` in TypeScript for units.
    struct Line {
        uint256 meteredWh;
        uint256 hours_;
        uint256 powerFactorBp;
        uint256 voltageV;
        uint256 resistanceMicroOhmPerM;
        uint256 lengthM;
        uint256 loadShapeBp;
    }

    /// @dev Contract-percentage losses `roundHalfUp(W × p / 10⁴)`. Mirrors `percentageLoss`.
    function percentageLoss(uint256 meteredWh, uint256 percentBp) internal pure returns (uint256) {
        return BillingMath.mulDiv(meteredWh, percentBp, BillingMath.BASIS_POINTS, BillingMath.Rounding.HalfUp);
    }

    /**
     * @dev Transformer losses `ΔP_xx × T_on + ΔP_kz × W² × k_f² / (T × cos²φ × S_nom²)` as one exact
     * fraction, rounded half-up to Wh. Mirrors `transformerLoss`.
     */
    function transformerLoss(Transformer memory t) internal pure returns (uint256) {
        if (t.hours_ == 0 || t.powerFactorBp == 0 || t.ratedPowerVA == 0) revert BillingZeroParameter();
        uint256 denominator = t.hours_ * t.powerFactorBp ** 2 * t.ratedPowerVA ** 2;
        uint256 numerator =
            t.noLoadLossW * t.hoursOn * denominator + t.shortCircuitLossW * t.meteredWh ** 2 * t.loadShapeBp ** 2;
        return BillingMath.divide(numerator, denominator, BillingMath.Rounding.HalfUp);
    }

    /// @dev Line losses `W² × r0 × L × k_f² / (T × cos²φ × U² × 10⁶)`, half-up to Wh. Mirrors `lineLoss`.
    function lineLoss(Line memory l) internal pure returns (uint256) {
        if (l.hours_ == 0 || l.powerFactorBp == 0 || l.voltageV == 0) revert BillingZeroParameter();
        return BillingMath.divide(
            l.meteredWh ** 2 * l.resistanceMicroOhmPerM * l.lengthM * l.loadShapeBp ** 2,
            l.hours_ * l.powerFactorBp ** 2 * l.voltageV ** 2 * 1e6,
            BillingMath.Rounding.HalfUp
        );
    }

    /**
     * @dev Transformer data from a meter's packed `lossParameters` (IRegistry.Meter), from the top byte:
     * `direction:8 | powerFactorBp:16 | loadShapeBp:16 | ratedPowerVA:40 | noLoadLossW:40 |
     * shortCircuitLossW:40`; the transformer is on for the whole period (`hoursOn = hours`).
     */
    function unpackTransformer(bytes32 packed, uint256 meteredWh, uint256 hours_)
        internal
        pure
        returns (Transformer memory t, LossDirection direction)
    {
        uint256 word = uint256(packed);
        direction = LossDirection(uint8(word >> 248));
        t = Transformer({
            meteredWh: meteredWh,
            hours_: hours_,
            hoursOn: hours_,
            powerFactorBp: uint16(word >> 232),
            ratedPowerVA: uint40(word >> 176),
            noLoadLossW: uint40(word >> 136),
            shortCircuitLossW: uint40(word >> 96),
            loadShapeBp: uint16(word >> 216)
        });
    }

    /**
     * @dev Line data from packed `lossParameters`, from the top byte: `direction:8 | powerFactorBp:16 |
     * loadShapeBp:16 | voltageV:32 | resistanceMicroOhmPerM:40 | lengthM:40`.
     */
    function unpackLine(bytes32 packed, uint256 meteredWh, uint256 hours_)
        internal
        pure
        returns (Line memory l, LossDirection direction)
    {
        uint256 word = uint256(packed);
        direction = LossDirection(uint8(word >> 248));
        l = Line({
            meteredWh: meteredWh,
            hours_: hours_,
            powerFactorBp: uint16(word >> 232),
            voltageV: uint32(word >> 184),
            resistanceMicroOhmPerM: uint40(word >> 144),
            lengthM: uint40(word >> 104),
            loadShapeBp: uint16(word >> 216)
        });
    }

    /// @dev Metered ± losses: add when the meter is downstream (consumer's network), subtract when upstream. Mirrors `applyLossCorrection`.
    function applyLossCorrection(uint256 meteredWh, uint256 lossWh, LossDirection direction) internal pure returns (uint256) {
        if (direction == LossDirection.Add) return meteredWh + lossWh;
        if (lossWh > meteredWh) revert BillingLossExceedsVolume(lossWh, meteredWh);
        return meteredWh - lossWh;
    }
}
