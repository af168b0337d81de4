// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {BillingMath} from "./BillingMath.sol";
import {BillingAreaExceedsTotal, BillingZeroParameter} from "./BillingTypes.sol";

/**
 * @title CommonHouse
 * @dev Common-house needs (ОДН / КР на СОИ) charged to one premises by floor area, capped at the
 * common-property norm (billing-rules §5). Mirrors domain/src/billing/commonHouse.
 */
library CommonHouse {
    /// @dev Inputs; areas in dm² (0.01 m²), norm in Wh per m² per month. `hasCommonMeter` = false means no ОДПУ.
    struct Input {
        bool hasCommonMeter;
        uint256 commonMeterWh;
        uint256 residentialWh;
        uint256 nonResidentialWh;
        uint256 totalAreaDm2;
        uint256 commonAreaDm2;
        uint256 premisesAreaDm2;
        uint256 normWhPerM2;
        bool capAtNorm;
        bool distributeNegative;
    }

    struct Result {
        int256 commonVolumeWh;
        uint256 capWh;
        int256 distributableWh;
        uint256 borneByManagerWh;
        int256 shareWh;
    }

    /**
     * @dev `V_ОДН = V_ОДПУ − Σ residential − Σ non-residential`; cap `N_СОИ × S_МОП`; distributable =
     * min(V_ОДН, cap) (or V_ОДН without the cap; 0 or the negative volume when V_ОДН ≤ 0; the cap
     * without a meter); share = distributable × S_i / S_об, half away from zero. Mirrors `commonHouseShare`.
     */
    function commonHouseShare(Input memory input) internal pure returns (Result memory r) {
        if (input.totalAreaDm2 == 0) revert BillingZeroParameter();
        if (input.premisesAreaDm2 > input.totalAreaDm2) {
            revert BillingAreaExceedsTotal(input.premisesAreaDm2, input.totalAreaDm2);
        }
        r.capWh = BillingMath.mulDiv(input.normWhPerM2, input.commonAreaDm2, 100, BillingMath.Rounding.HalfUp);
        int256 cap = SafeCast.toInt256(r.capWh);
        if (!input.hasCommonMeter) {
            r.commonVolumeWh = cap;
            r.distributableWh = cap;
        } else {
            r.commonVolumeWh = SafeCast.toInt256(input.commonMeterWh) - SafeCast.toInt256(input.residentialWh)
                - SafeCast.toInt256(input.nonResidentialWh);
            if (r.commonVolumeWh <= 0) r.distributableWh = input.distributeNegative ? r.commonVolumeWh : int256(0);
            else r.distributableWh = input.capAtNorm && r.commonVolumeWh > cap ? cap : r.commonVolumeWh;
        }
        r.borneByManagerWh =
            r.commonVolumeWh > r.distributableWh ? uint256(r.commonVolumeWh - r.distributableWh) : 0;
        r.shareWh = BillingMath.divideSigned(
            r.distributableWh * SafeCast.toInt256(input.premisesAreaDm2), input.totalAreaDm2, BillingMath.Rounding.HalfUp
        );
    }
}
