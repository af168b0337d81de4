// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {BillingMath} from "./BillingMath.sol";
import {
    BillingIntervalMisaligned,
    BillingLengthMismatch,
    BillingRangeBoundsNotAscending,
    BillingRegisterDecreased,
    BillingEmptyInput,
    BillingInvalidCount,
    BillingInvalidRatio,
    BillingVolumeMismatch,
    BillingZoneHoursIncomplete,
    BillingZoneHoursOverlap,
    BillingZoneIndexOutOfRange,
    BillingZoneWindowMisaligned,
    Component,
    InvoiceLine,
    LineKind,
    PriceComponents,
    ZoneWindow
} from "./BillingTypes.sol";

/**
 * @title TariffMath
 * @dev Zones, ranges and energy lines of a tariff plan. Each function mirrors the TypeScript function
 * named in its NatSpec (domain/src/billing); the shared vectors (domain/vectors/billing.json) and the
 * parity tests (contracts/ts/billing) hold them to the same kopeck.
 */
library TariffMath {
    uint256 internal constant SLOTS_PER_DAY = 48;
    uint256 private constant _ALL_SLOTS = (1 << 48) - 1;

    /**
     * @dev Validates zone hours and returns the zone of each local half hour (slot i = minutes
     * [30i, 30i+30)). Mirrors `zoneHoursToSlots`.
     *
     * Requirements:
     * - `zoneCount` is at least 1 and every window's zone is below it;
     * - bounds are multiples of 30 within 0–1440;
     * - no half hour is claimed twice ({BillingZoneHoursOverlap}) and all 48 are claimed ({BillingZoneHoursIncomplete}).
     */
    function zoneSlots(ZoneWindow[] memory windows, uint8 zoneCount) internal pure returns (uint8[48] memory slots) {
        if (zoneCount == 0) revert BillingZoneIndexOutOfRange(0, 0);
        uint256 claimed;
        for (uint256 w = 0; w < windows.length; ++w) {
            ZoneWindow memory window = windows[w];
            if (window.zone >= zoneCount) revert BillingZoneIndexOutOfRange(window.zone, zoneCount);
            _checkBound(window.startMinute);
            _checkBound(window.endMinute);
            uint256 start = window.startMinute / 30;
            uint256 end = window.endMinute / 30;
            uint256 length = end > start ? end - start : end + SLOTS_PER_DAY - start;
            for (uint256 step = 0; step < length; ++step) {
                uint256 slot = (start + step) % SLOTS_PER_DAY;
                if (claimed & (1 << slot) != 0) revert BillingZoneHoursOverlap(uint16(slot * 30));
                claimed |= 1 << slot;
                slots[slot] = window.zone;
            }
        }
        if (claimed != _ALL_SLOTS) {
            uint256 covered;
            for (uint256 slot = 0; slot < SLOTS_PER_DAY; ++slot) if (claimed & (1 << slot) != 0) ++covered;
            revert BillingZoneHoursIncomplete(uint16(covered * 30));
        }
    }

    /**
     * @dev The zone of a half-hour interval: the zone of its local START (end − 30 min + UTC offset).
     * Mirrors `intervalZone`, which takes the IANA zone name and finds the offset itself.
     */
    function intervalZone(uint64 intervalEnd, int32 utcOffsetMinutes, uint8[48] memory slots) internal pure returns (uint8) {
        if (intervalEnd % 1800 != 0) revert BillingIntervalMisaligned(intervalEnd);
        int256 localStart = int256(uint256(intervalEnd)) - 1800 + int256(utcOffsetMinutes) * 60;
        int256 secondOfDay = ((localStart % 86_400) + 86_400) % 86_400;
        return slots[uint256(secondOfDay) / 1800];
    }

    /// @dev Sums half-hour interval energies into zone volumes. Mirrors `zoneVolumesFromIntervals`.
    function zoneVolumesFromIntervals(
        uint64[] memory intervalEnds,
        uint256[] memory energiesWh,
        int32 utcOffsetMinutes,
        uint8[48] memory slots,
        uint8 zoneCount
    ) internal pure returns (uint256[] memory volumes) {
        if (intervalEnds.length != energiesWh.length) revert BillingLengthMismatch(intervalEnds.length, energiesWh.length);
        volumes = new uint256[](zoneCount);
        for (uint256 i = 0; i < intervalEnds.length; ++i) {
            uint8 zone = intervalZone(intervalEnds[i], utcOffsetMinutes, slots);
            if (zone >= zoneCount) revert BillingZoneIndexOutOfRange(zone, zoneCount);
            volumes[zone] += energiesWh[i];
        }
    }

    /// @dev Zone volumes from two register snapshots, `current − previous`; a register going down reverts. Mirrors `zoneVolumesFromRegisters`.
    function zoneVolumesFromRegisters(
        uint256[] memory previous,
        uint256[] memory current
    ) internal pure returns (uint256[] memory volumes) {
        if (previous.length != current.length || previous.length == 0) {
            revert BillingLengthMismatch(previous.length, current.length);
        }
        volumes = new uint256[](current.length);
        for (uint256 i = 0; i < current.length; ++i) {
            if (current[i] < previous[i]) revert BillingRegisterDecreased(i, previous[i], current[i]);
            volumes[i] = current[i] - previous[i];
        }
    }

    /// @dev Sums a half-hour profile (starting on a whole hour) into hours. Mirrors `hourlyFromHalfHours`.
    function hourlyFromHalfHours(uint256[] memory halfHoursWh) internal pure returns (uint256[] memory hours_) {
        if (halfHoursWh.length % 2 != 0) revert BillingInvalidCount(halfHoursWh.length);
        hours_ = new uint256[](halfHoursWh.length / 2);
        for (uint256 h = 0; h < hours_.length; ++h) hours_[h] = halfHoursWh[2 * h] + halfHoursWh[2 * h + 1];
    }

    /// @dev Range thresholds × a seasonal multiplier, each rounded half-up to Wh. Mirrors `scaleRangeThresholds`.
    function scaleThresholds(
        uint256[] memory upperBounds,
        uint256 numerator,
        uint256 denominator
    ) internal pure returns (uint256[] memory scaled) {
        if (numerator == 0 || denominator == 0) revert BillingInvalidRatio(numerator, denominator);
        scaled = new uint256[](upperBounds.length);
        for (uint256 i = 0; i < upperBounds.length; ++i) {
            scaled[i] = BillingMath.mulDiv(upperBounds[i], numerator, denominator, BillingMath.Rounding.HalfUp);
        }
    }

    /// @dev Marginal split of a volume into ranges: `clamp(V − L_{k−1}, 0, L_k − L_{k−1})`. Mirrors `rangeVolumes`.
    function rangeVolumes(uint256 totalWh, uint256[] memory upperBounds) internal pure returns (uint256[] memory volumes) {
        volumes = new uint256[](upperBounds.length + 1);
        uint256 lower;
        for (uint256 k = 0; k < upperBounds.length; ++k) {
            uint256 upper = upperBounds[k];
            if (upper <= lower) revert BillingRangeBoundsNotAscending(k, upper);
            volumes[k] = totalWh <= lower ? 0 : (totalWh < upper ? totalWh : upper) - lower;
            lower = upper;
        }
        volumes[upperBounds.length] = totalWh > lower ? totalWh - lower : 0;
    }

    /**
     * @dev Splits range volumes across zones in proportion to the zone volumes not yet used by earlier
     * ranges; floors everywhere, the residual goes to the last zone with room (then the one before).
     * Returns `parts[range * zoneCount + zone]`. Mirrors `splitRangesAcrossZones`.
     */
    function splitRangesAcrossZones(
        uint256[] memory zoneVolumes,
        uint256[] memory ranges
    ) internal pure returns (uint256[] memory parts) {
        uint256 zoneCount = zoneVolumes.length;
        if (zoneCount == 0 || ranges.length == 0) revert BillingEmptyInput();
        uint256 total;
        for (uint256 z = 0; z < zoneCount; ++z) total += zoneVolumes[z];
        uint256 rangesTotal;
        for (uint256 k = 0; k < ranges.length; ++k) rangesTotal += ranges[k];
        if (rangesTotal != total) revert BillingVolumeMismatch(rangesTotal, total);

        uint256[] memory left = new uint256[](zoneCount);
        for (uint256 z = 0; z < zoneCount; ++z) left[z] = zoneVolumes[z];
        parts = new uint256[](ranges.length * zoneCount);
        uint256 leftTotal = total;
        for (uint256 k = 0; k < ranges.length; ++k) {
            uint256 range = ranges[k];
            uint256 offset = k * zoneCount;
            uint256 given;
            for (uint256 z = 0; z < zoneCount; ++z) {
                uint256 part = leftTotal == 0 ? 0 : BillingMath.mulDiv(range, left[z], leftTotal, BillingMath.Rounding.Floor);
                parts[offset + z] = part;
                given += part;
            }
            uint256 residual = range - given;
            for (uint256 z = zoneCount; z > 0 && residual > 0; --z) {
                uint256 room = left[z - 1] - parts[offset + z - 1];
                uint256 take = room < residual ? room : residual;
                parts[offset + z - 1] += take;
                residual -= take;
            }
            for (uint256 z = 0; z < zoneCount; ++z) left[z] -= parts[offset + z];
            leftTotal -= range;
        }
    }

    /**
     * @dev Energy lines: ranges (marginal) × zones × price components, each rounded half-up to kopecks;
     * lines with zero volume or zero component price are left out. Order: range, zone, component.
     * Mirrors `energyLines`.
     */
    function energyLines(
        uint256[] memory zoneVolumes,
        uint256[] memory rangeUpperBounds,
        PriceComponents[] memory prices
    ) internal pure returns (InvoiceLine[] memory lines) {
        uint256 zoneCount = zoneVolumes.length;
        uint256 rangeCount = rangeUpperBounds.length + 1;
        // Lines carry zone and range as uint8.
        if (zoneCount > 255 || rangeCount > 255) revert BillingZoneIndexOutOfRange(zoneCount > rangeCount ? zoneCount : rangeCount, 255);
        if (prices.length != zoneCount * rangeCount) revert BillingLengthMismatch(zoneCount * rangeCount, prices.length);
        uint256 total;
        for (uint256 z = 0; z < zoneCount; ++z) total += zoneVolumes[z];
        uint256[] memory parts = splitRangesAcrossZones(zoneVolumes, rangeVolumes(total, rangeUpperBounds));

        lines = new InvoiceLine[](parts.length * 4);
        uint256 count;
        for (uint256 index = 0; index < parts.length; ++index) {
            uint256 volume = parts[index];
            if (volume == 0) continue;
            uint256[4] memory rates = _components(prices[index]);
            for (uint256 c = 0; c < 4; ++c) {
                if (rates[c] == 0) continue;
                lines[count++] = InvoiceLine({
                    kind: LineKind.Energy,
                    zone: uint8(index % zoneCount),
                    range: uint8(index / zoneCount),
                    component: Component(c),
                    quantity: volume,
                    rate: rates[c],
                    amount: BillingMath.energyCost(volume, rates[c])
                });
            }
        }
        // Shrink the array in place to the lines written. Memory-safe: the new length is not larger
        // than the allocated one, so the array stays inside memory it already owns.
        assembly ("memory-safe") {
            mstore(lines, count)
        }
    }

    function _components(PriceComponents memory price) private pure returns (uint256[4] memory) {
        return [price.energy, price.transmission, price.retailMarkup, price.infrastructure];
    }

    function _checkBound(uint16 minute) private pure {
        if (minute > 1440 || minute % 30 != 0) revert BillingZoneWindowMisaligned(minute);
    }
}
