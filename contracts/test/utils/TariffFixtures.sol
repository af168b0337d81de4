// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {ITariffs} from "../../src/interfaces/ITariffs.sol";

/// @dev Plan builders for the forge tests.
library TariffFixtures {
    /// @dev Components in whole RUB/MWh (multiples of 1000 in 0.01 RUB/MWh): whole-kWh volumes price exactly.
    function row(uint64 total) internal pure returns (uint64[4] memory r) {
        uint64 transmission = total * 30 / 100 / 1000 * 1000;
        uint64 markup = total * 16 / 100 / 1000 * 1000;
        r = [total - transmission - markup - 1000, transmission, markup, 1000];
    }

    function threeZoneHours() internal pure returns (ITariffs.ZoneInterval[] memory z) {
        z = new ITariffs.ZoneInterval[](5);
        z[0] = ITariffs.ZoneInterval(7, 10, 0);
        z[1] = ITariffs.ZoneInterval(17, 21, 0);
        z[2] = ITariffs.ZoneInterval(10, 17, 1);
        z[3] = ITariffs.ZoneInterval(21, 23, 1);
        z[4] = ITariffs.ZoneInterval(23, 7, 2);
    }

    function singleRate(uint40 from, uint40 to, uint64 price) internal pure returns (ITariffs.PlanInput memory p) {
        p.kind = ITariffs.TariffKind.SingleRate;
        p.validFrom = from;
        p.validTo = to;
        p.vatBp = 2200;
        p.vatIncluded = true;
        p.rates = new uint64[4][](1);
        p.rates[0] = row(price);
    }

    function threeZone(uint40 from, uint40 to) internal pure returns (ITariffs.PlanInput memory p) {
        p.kind = ITariffs.TariffKind.ThreeZone;
        p.validFrom = from;
        p.validTo = to;
        p.vatBp = 2200;
        p.vatIncluded = true;
        p.zoneHours = threeZoneHours();
        p.rates = new uint64[4][](3);
        p.rates[0] = row(497_000);
        p.rates[1] = row(404_000);
        p.rates[2] = row(287_000);
    }
}
