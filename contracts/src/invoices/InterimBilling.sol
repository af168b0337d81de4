// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/invoices/InterimBilling.sol)
pragma solidity ^0.8.27;

import {IInvoices} from "../interfaces/IInvoices.sol";
import {ITariffs} from "../interfaces/ITariffs.sol";

/**
 * @dev INTERIM billing math used by {InvoiceBook-_priceInvoice} and {PaymentBook-_splitPayment}
 * until the shared billing libraries (contracts/src/billing, mirroring domain/src/billing) land.
 * It follows billing-rules.md §8 for the cases it covers: energy lines per zone/tier/norm part,
 * `roundHalfUp(Wh * price / 10^6)` kopecks per line, VAT on the net total for net tariffs,
 * largest-remainder splits (ties to the lower component index). It does NOT do loss correction,
 * substitute volumes, common-house needs, hourly categories 3-4 or penalties.
 */
library InterimBilling {
    uint256 internal constant PRICE_SCALE = 1e6;

    /// @dev `roundHalfUp(a * b / d)` for non-negative values.
    function mulDivHalfUp(uint256 a, uint256 b, uint256 d) internal pure returns (uint256) {
        return (a * b + d / 2) / d;
    }

    /**
     * @dev Splits `amount` in proportion to `weights` with the largest-remainder (Hamilton) method.
     * Parts sum to `amount`; with `amount <= sum(weights)` no part exceeds its weight.
     */
    function allocate(uint256 amount, uint256[4] memory weights) internal pure returns (uint256[4] memory parts) {
        uint256 total = weights[0] + weights[1] + weights[2] + weights[3];
        if (total == 0 || amount == 0) return parts;
        uint256[4] memory remainders;
        uint256 given;
        for (uint256 k = 0; k < 4; ++k) {
            uint256 product = amount * weights[k];
            parts[k] = product / total;
            remainders[k] = product % total;
            given += parts[k];
        }
        // at most 3 kopecks are left: each floor loses less than one
        for (uint256 left = amount - given; left > 0; --left) {
            uint256 best;
            for (uint256 k = 1; k < 4; ++k) {
                if (remainders[k] > remainders[best]) best = k;
            }
            parts[best] += 1;
            remainders[best] = 0;
        }
    }

    /// @dev Lines priced so far and their per-component sums.
    struct Accumulator {
        IInvoices.InvoiceLine[] lines;
        uint256 count;
        uint256[4] components;
    }

    /**
     * @dev Prices one account-period: `importWh` per register T1-T4 (register z is zone z; registers
     * beyond the plan's zones count in its last zone), `exportWh` for prosumers.
     */
    function price(ITariffs.PlanData memory data, uint256[4] memory importWh, uint256 exportWh)
        internal
        pure
        returns (IInvoices.InvoiceLine[] memory lines, uint256[4] memory components, uint256 exportCredit)
    {
        Accumulator memory acc = _energyLines(data, importWh);
        exportCredit = _vatAndExport(acc, data.plan, exportWh);
        components = acc.components;
        lines = acc.lines;
        uint256 count = acc.count;
        assembly ("memory-safe") {
            mstore(lines, count)
        }
    }

    function _energyLines(ITariffs.PlanData memory data, uint256[4] memory importWh)
        private
        pure
        returns (Accumulator memory acc)
    {
        ITariffs.TariffKind kind = data.plan.kind;
        acc.lines = new IInvoices.InvoiceLine[](9);
        uint256 zones = kind == ITariffs.TariffKind.SocialNorm ? data.rates.length / 2 : data.plan.zones;
        uint256[4] memory zoneWh;
        uint256 totalWh;
        for (uint256 r = 0; r < 4; ++r) {
            zoneWh[r < zones ? r : zones - 1] += importWh[r];
            totalWh += importWh[r];
        }
        if (kind == ITariffs.TariffKind.VolumeRange) {
            _volumeRanges(acc, data, totalWh);
        } else if (kind == ITariffs.TariffKind.SocialNorm) {
            _socialNorm(acc, data, zones, zoneWh, totalWh);
        } else if (kind != ITariffs.TariffKind.None) {
            for (uint256 z = 0; z < zones; ++z) _line(acc, uint8(z), 0, zoneWh[z], data.rates[z]);
        } else {
            revert IInvoices.InvoiceUnsupportedTariff(uint8(kind));
        }
    }

    function _vatAndExport(Accumulator memory acc, ITariffs.Plan memory plan, uint256 exportWh)
        private
        pure
        returns (uint256 exportCredit)
    {
        uint256[4] memory components = acc.components;
        if (!plan.vatIncluded && plan.vatBp != 0) {
            uint256 vat = mulDivHalfUp(components[0] + components[1] + components[2] + components[3], plan.vatBp, 10_000);
            uint256[4] memory vatParts = allocate(vat, components);
            for (uint256 k = 0; k < 4; ++k) components[k] += vatParts[k];
            acc.lines[acc.count++] = IInvoices.InvoiceLine(IInvoices.LineKind.Vat, 0, 0, 0, plan.vatBp, uint64(vat));
        }
        if (exportWh != 0 && plan.exportPrice != 0) {
            exportCredit = mulDivHalfUp(exportWh, plan.exportPrice, PRICE_SCALE);
            acc.lines[acc.count++] = IInvoices.InvoiceLine(
                IInvoices.LineKind.ExportCredit, 0, 0, uint64(exportWh), plan.exportPrice, uint64(exportCredit)
            );
        }
    }

    /// @dev Marginal volume ranges: rates[t] between threshold t and t+1.
    function _volumeRanges(Accumulator memory acc, ITariffs.PlanData memory data, uint256 totalWh) private pure {
        uint256 tiers = data.rates.length;
        uint256 lower;
        for (uint256 t = 0; t < tiers; ++t) {
            uint256 upper = t + 1 == tiers ? type(uint256).max : t == 0 ? data.plan.threshold1 : data.plan.threshold2;
            uint256 volume = totalWh > upper ? upper - lower : totalWh > lower ? totalWh - lower : 0;
            _line(acc, 0, uint8(t), volume, data.rates[t]);
            lower = upper;
        }
    }

    /// @dev Social norm: in-norm volume split over zones in proportion to their shares (floor, last takes the rest).
    function _socialNorm(
        Accumulator memory acc,
        ITariffs.PlanData memory data,
        uint256 zones,
        uint256[4] memory zoneWh,
        uint256 totalWh
    ) private pure {
        uint256 norm = data.plan.threshold1;
        uint256 inNormLeft = totalWh < norm ? totalWh : norm;
        for (uint256 z = 0; z < zones; ++z) {
            uint256 inNorm = totalWh <= norm ? zoneWh[z] : z + 1 == zones ? inNormLeft : norm * zoneWh[z] / totalWh;
            inNormLeft -= inNorm;
            _line(acc, uint8(z), 0, inNorm, data.rates[z]);
            _line(acc, uint8(z), 1, zoneWh[z] - inNorm, data.rates[zones + z]);
        }
    }

    function _line(Accumulator memory acc, uint8 zone, uint8 tier, uint256 volumeWh, uint64[4] memory row)
        private
        pure
    {
        if (volumeWh == 0) return;
        uint256[4] memory weights = [uint256(row[0]), row[1], row[2], row[3]];
        uint256 linePrice = weights[0] + weights[1] + weights[2] + weights[3];
        uint256 amount = mulDivHalfUp(volumeWh, linePrice, PRICE_SCALE);
        uint256[4] memory parts = allocate(amount, weights);
        for (uint256 k = 0; k < 4; ++k) acc.components[k] += parts[k];
        acc.lines[acc.count++] = IInvoices.InvoiceLine(
            IInvoices.LineKind.Energy, zone, tier, uint64(volumeWh), uint64(linePrice), uint64(amount)
        );
    }
}
