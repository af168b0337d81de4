// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {BillingMath} from "./BillingMath.sol";
import {PaymentSplit} from "./PaymentSplit.sol";
import {TariffMath} from "./TariffMath.sol";
import {
    BillingEmptyInput,
    BillingLengthMismatch,
    BillingNoValueInForce,
    BillingScheduleNotAscending,
    Component,
    InvoiceLine,
    LineKind,
    PriceComponents,
    VatMode
} from "./BillingTypes.sol";

/**
 * @title InvoiceMath
 * @dev Invoice arithmetic: VAT by date, ПЦК 3/4 hourly and capacity charges, and the whole invoice
 * (lines, totals, VAT per component, prosumer offset). Mirrors domain/src/billing/invoice.
 */
library InvoiceMath {
    /// @dev Everything an invoice needs, in the shape `planSchedule` produces (see `computeInvoice` in TypeScript).
    struct InvoiceInput {
        uint256[] zoneVolumes;
        uint256[] rangeUpperBounds;
        uint256 thresholdNumerator;
        uint256 thresholdDenominator;
        PriceComponents[] prices;
        uint256[] hourlyVolumes;
        uint256[] hourlyPrices;
        uint256[] capacityDailyVolumes;
        uint256 capacityRate;
        uint256[] networkDailyMaxima;
        uint256 maintenanceRate;
        uint256 lossRate;
        uint256 exportVolume;
        uint256 exportPrice;
        VatMode vatMode;
        uint256 vatRateBp;
    }

    /// @dev The computed invoice; per-component arrays have 4 entries in {Component} order.
    struct Invoice {
        InvoiceLine[] lines;
        uint256[] componentNet;
        uint256 netTotal;
        uint256 vat;
        uint256[] vatByComponent;
        uint256[] grossByComponent;
        uint256 grossTotal;
        uint256 vatIncluded;
        uint256 exportCredit;
        uint256[] payableByComponent;
        int256 payableTotal;
    }

    /**
     * @dev The value of a dated parameter on `day` (days since 1970-01-01): each value is in force from
     * its day until the next. Mirrors `datedValueAt`.
     *
     * Requirements:
     * - `fromDays` ascend strictly and one of them is on or before `day`.
     */
    function datedValueAt(uint32[] memory fromDays, uint256[] memory values, uint32 day) internal pure returns (uint256 value) {
        if (fromDays.length != values.length) revert BillingLengthMismatch(fromDays.length, values.length);
        bool found;
        for (uint256 i = 0; i < fromDays.length; ++i) {
            if (i > 0 && fromDays[i] <= fromDays[i - 1]) revert BillingScheduleNotAscending(i);
            if (fromDays[i] <= day) {
                value = values[i];
                found = true;
            }
        }
        if (!found) revert BillingNoValueInForce(day);
    }

    /// @dev The VAT rate (bp) in force on `day`, picked by the supply period. Mirrors `vatRateAt`.
    function vatRateAt(uint32[] memory fromDays, uint256[] memory ratesBp, uint32 day) internal pure returns (uint256) {
        return datedValueAt(fromDays, ratesBp, day);
    }

    /**
     * @dev Capacity-type charge: `P = Σ W_d / N`, amount `roundHalfUp(Σ W_d × rate / (N × 10⁶))` with the
     * numerator exact. Returns P rounded half-up to W for display. Mirrors `averagePowerCharge`.
     */
    function averagePowerCharge(
        uint256[] memory dailyVolumesWh,
        uint256 rate
    ) internal pure returns (uint256 powerW, uint256 amount) {
        uint256 days_ = dailyVolumesWh.length;
        if (days_ == 0) revert BillingEmptyInput();
        uint256 sum;
        for (uint256 d = 0; d < days_; ++d) sum += dailyVolumesWh[d];
        powerW = BillingMath.divide(sum, days_, BillingMath.Rounding.HalfUp);
        amount = BillingMath.mulDiv(sum, rate, days_ * BillingMath.WH_PER_MWH, BillingMath.Rounding.HalfUp);
    }

    /// @dev `Σ W_h × ЦЭ_h` summed exactly, rounded half-up once. Mirrors `hourlyEnergyCharge`.
    function hourlyEnergyCharge(
        uint256[] memory volumesWh,
        uint256[] memory prices
    ) internal pure returns (uint256 volumeWh, uint256 amount) {
        if (volumesWh.length != prices.length) revert BillingLengthMismatch(volumesWh.length, prices.length);
        uint256 numerator;
        for (uint256 h = 0; h < volumesWh.length; ++h) {
            volumeWh += volumesWh[h];
            numerator += volumesWh[h] * prices[h];
        }
        amount = BillingMath.divide(numerator, BillingMath.WH_PER_MWH, BillingMath.Rounding.HalfUp);
    }

    /**
     * @dev Computes an invoice: energy lines (ranges × zones × components), then the hourly energy,
     * capacity, network maintenance, network loss and export lines; net per component; VAT once on the
     * net total, allocated to components by largest remainder; gross; the export credit offset from the
     * components in index order. Every line is rounded on its own; totals are sums of lines.
     * Mirrors `computeInvoice`.
     */
    function computeInvoice(InvoiceInput memory input) internal pure returns (Invoice memory invoice) {
        uint256[] memory bounds =
            TariffMath.scaleThresholds(input.rangeUpperBounds, input.thresholdNumerator, input.thresholdDenominator);
        InvoiceLine[] memory energy = TariffMath.energyLines(input.zoneVolumes, bounds, input.prices);
        InvoiceLine[] memory lines = new InvoiceLine[](energy.length + 5);
        uint256 count;
        for (; count < energy.length; ++count) lines[count] = energy[count];

        if (input.hourlyVolumes.length > 0) {
            (uint256 volume, uint256 amount) = hourlyEnergyCharge(input.hourlyVolumes, input.hourlyPrices);
            lines[count++] = _line(LineKind.HourlyEnergy, Component.Energy, volume, 0, amount);
        }
        if (input.capacityRate > 0) {
            (uint256 power, uint256 amount) = averagePowerCharge(input.capacityDailyVolumes, input.capacityRate);
            lines[count++] = _line(LineKind.Capacity, Component.Energy, power, input.capacityRate, amount);
        }
        if (input.maintenanceRate > 0) {
            (uint256 power, uint256 amount) = averagePowerCharge(input.networkDailyMaxima, input.maintenanceRate);
            lines[count++] = _line(LineKind.NetworkMaintenance, Component.Transmission, power, input.maintenanceRate, amount);
        }
        if (input.lossRate > 0) {
            uint256 total;
            for (uint256 z = 0; z < input.zoneVolumes.length; ++z) total += input.zoneVolumes[z];
            lines[count++] = _line(
                LineKind.NetworkLosses, Component.Transmission, total, input.lossRate, BillingMath.energyCost(total, input.lossRate)
            );
        }
        if (input.exportVolume > 0 && input.exportPrice > 0) {
            invoice.exportCredit = BillingMath.energyCost(input.exportVolume, input.exportPrice);
            lines[count++] =
                _line(LineKind.Export, Component.Energy, input.exportVolume, input.exportPrice, invoice.exportCredit);
        }
        // Shrink to the lines written. Memory-safe: the new length is not larger than the allocated one.
        assembly ("memory-safe") {
            mstore(lines, count)
        }
        invoice.lines = lines;
        _totals(invoice, input.vatMode, input.vatRateBp);
    }

    /**
     * @dev Fast path of {computeInvoice} for the household zone plans (single-rate, two- and three-zone):
     * `zones` zone volumes (Wh, each below 2^64), one price row per zone, no ranges, no hourly, capacity,
     * network or export lines. Equal, field by field, to {computeInvoice} with `zoneVolumes` = the first
     * `zones` volumes, `prices`, threshold 1/1 and nothing else (test/billing/InvoiceFastPath.t.sol):
     * the same lines in the same order, each `roundHalfUp(volume × rate / 10⁶)` in plain arithmetic
     * (no overflow below 2^64 × 2^64), the same VAT and largest-remainder split.
     */
    function computeZoneInvoice(
        uint256[4] memory zoneVolumes,
        uint256 zones,
        PriceComponents[] memory prices,
        VatMode vatMode,
        uint256 vatRateBp
    ) internal pure returns (Invoice memory invoice) {
        if (prices.length != zones) revert BillingLengthMismatch(zones, prices.length);
        InvoiceLine[] memory lines = new InvoiceLine[](zones * 4);
        uint256[] memory net = new uint256[](4);
        uint256 count;
        for (uint256 z = 0; z < zones; ++z) {
            uint256 volume = zoneVolumes[z];
            if (volume == 0) continue;
            PriceComponents memory row = prices[z];
            uint256[4] memory rates = [row.energy, row.transmission, row.retailMarkup, row.infrastructure];
            for (uint256 c = 0; c < 4; ++c) {
                uint256 rate = rates[c];
                if (rate == 0) continue;
                uint256 amount = (volume * rate + BillingMath.WH_PER_MWH / 2) / BillingMath.WH_PER_MWH;
                lines[count++] = InvoiceLine({
                    kind: LineKind.Energy,
                    zone: uint8(z),
                    range: 0,
                    component: Component(c),
                    quantity: volume,
                    rate: rate,
                    amount: amount
                });
                net[c] += amount;
            }
        }
        assembly ("memory-safe") {
            mstore(lines, count)
        }
        invoice.lines = lines;
        uint256 netTotal = net[0] + net[1] + net[2] + net[3];
        if (vatMode == VatMode.Added) {
            invoice.vat = (netTotal * vatRateBp * 2 + BillingMath.BASIS_POINTS) / (2 * BillingMath.BASIS_POINTS);
        } else if (vatMode == VatMode.Included) {
            invoice.vatIncluded = BillingMath.mulDiv(
                netTotal, vatRateBp, BillingMath.BASIS_POINTS + vatRateBp, BillingMath.Rounding.HalfUp
            );
        }
        invoice.componentNet = net;
        invoice.netTotal = netTotal;
        invoice.vatByComponent =
            invoice.vat == 0 ? new uint256[](4) : PaymentSplit.splitByLargestRemainder(invoice.vat, net);
        uint256[] memory gross = new uint256[](4);
        for (uint256 c = 0; c < 4; ++c) gross[c] = net[c] + invoice.vatByComponent[c];
        invoice.grossByComponent = gross;
        invoice.payableByComponent = gross;
        invoice.grossTotal = netTotal + invoice.vat;
        invoice.payableTotal = SafeCast.toInt256(invoice.grossTotal);
    }

    /// @dev {computeZoneInvoiceWords}' result: the invoice without line structs.
    struct ZoneInvoice {
        /// @dev One word per line: `kind:8 | zone:8 | range:8 | component:8 | quantity:64 | rate:64 | amount:64`
        /// from the top bit (the layout of the `InvoiceLinesComputed` event); kind Energy, range 0.
        uint256[] lineWords;
        uint256[] payableByComponent;
        uint256 netTotal;
        uint256 vat;
        uint256 vatIncluded;
        uint256 grossTotal;
    }

    /**
     * @dev {computeZoneInvoice} with the lines emitted as packed words instead of {InvoiceLine} structs
     * and the rates as stored by Tariffs (rows of [energy, transmission, retail markup, infrastructure]).
     * Requires volumes below 2^64 (they are differences of 48-bit meter registers). Equal to {computeInvoice} on the same
     * input, lines packed (test/billing/InvoiceFastPath.t.sol).
     */
    function computeZoneInvoiceWords(
        uint256[4] memory zoneVolumes,
        uint256 zones,
        uint64[4][] memory rates,
        VatMode vatMode,
        uint256 vatRateBp
    ) internal pure returns (ZoneInvoice memory invoice) {
        if (rates.length != zones) revert BillingLengthMismatch(zones, rates.length);
        uint256[] memory words = new uint256[](zones * 4);
        uint256[] memory net = new uint256[](4);
        uint256 count;
        unchecked {
            // volume < 2^64 and rate < 2^64: no product overflows, sums stay far below 2^256
            for (uint256 z = 0; z < zones; ++z) {
                uint256 volume = zoneVolumes[z];
                if (volume == 0) continue;
                uint64[4] memory row = rates[z];
                // per component with a rate: amount = roundHalfUp(volume × rate / 10⁶), one line word
                assembly ("memory-safe") {
                    for { let c := 0 } lt(c, 4) { c := add(c, 1) } {
                        let rate := mload(add(row, shl(5, c)))
                        if rate {
                            let amount := div(add(mul(volume, rate), 500000), 1000000)
                            mstore(
                                add(add(words, 0x20), shl(5, count)),
                                or(
                                    or(or(shl(240, z), shl(224, c)), or(shl(160, volume), shl(96, rate))),
                                    shl(32, and(amount, 0xffffffffffffffff))
                                )
                            )
                            count := add(count, 1)
                            let total := add(add(net, 0x20), shl(5, c))
                            mstore(total, add(mload(total), amount))
                        }
                    }
                }
            }
        }
        assembly ("memory-safe") {
            mstore(words, count)
        }
        invoice.lineWords = words;
        uint256 netTotal = net[0] + net[1] + net[2] + net[3];
        invoice.netTotal = netTotal;
        if (vatMode == VatMode.Added) {
            invoice.vat = BillingMath.mulDiv(netTotal, vatRateBp, BillingMath.BASIS_POINTS, BillingMath.Rounding.HalfUp);
            uint256[] memory split = PaymentSplit.splitByLargestRemainder(invoice.vat, net);
            for (uint256 c = 0; c < 4; ++c) net[c] += split[c];
        } else if (vatMode == VatMode.Included) {
            invoice.vatIncluded = BillingMath.mulDiv(
                netTotal, vatRateBp, BillingMath.BASIS_POINTS + vatRateBp, BillingMath.Rounding.HalfUp
            );
        }
        // no export credit: payable = gross = net + VAT share
        invoice.payableByComponent = net;
        invoice.grossTotal = netTotal + invoice.vat;
    }

    function _totals(Invoice memory invoice, VatMode vatMode, uint256 vatRateBp) private pure {
        uint256[] memory net = new uint256[](4);
        for (uint256 i = 0; i < invoice.lines.length; ++i) {
            InvoiceLine memory line = invoice.lines[i];
            if (line.kind != LineKind.Export) net[uint8(line.component)] += line.amount;
        }
        uint256 netTotal = net[0] + net[1] + net[2] + net[3];
        if (vatMode == VatMode.Added) {
            invoice.vat = BillingMath.mulDiv(netTotal, vatRateBp, BillingMath.BASIS_POINTS, BillingMath.Rounding.HalfUp);
        } else if (vatMode == VatMode.Included) {
            invoice.vatIncluded =
                BillingMath.mulDiv(netTotal, vatRateBp, BillingMath.BASIS_POINTS + vatRateBp, BillingMath.Rounding.HalfUp);
        }
        invoice.componentNet = net;
        invoice.netTotal = netTotal;
        invoice.vatByComponent = PaymentSplit.splitByLargestRemainder(invoice.vat, net);
        invoice.grossByComponent = new uint256[](4);
        invoice.payableByComponent = new uint256[](4);
        uint256 toOffset = invoice.exportCredit;
        for (uint256 c = 0; c < 4; ++c) {
            uint256 gross = net[c] + invoice.vatByComponent[c];
            invoice.grossByComponent[c] = gross;
            uint256 taken = toOffset < gross ? toOffset : gross;
            toOffset -= taken;
            invoice.payableByComponent[c] = gross - taken;
        }
        invoice.grossTotal = netTotal + invoice.vat;
        invoice.payableTotal = SafeCast.toInt256(invoice.grossTotal) - SafeCast.toInt256(invoice.exportCredit);
    }

    function _line(
        LineKind kind,
        Component component,
        uint256 quantity,
        uint256 rate,
        uint256 amount
    ) private pure returns (InvoiceLine memory) {
        return InvoiceLine({kind: kind, zone: 0, range: 0, component: component, quantity: quantity, rate: rate, amount: amount});
    }
}
