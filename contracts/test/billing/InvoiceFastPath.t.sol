// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {BillingTest} from "./BillingTest.sol";
import {InvoiceMath} from "../../src/billing/InvoiceMath.sol";
import {InvoiceLine, PriceComponents, VatMode} from "../../src/billing/BillingTypes.sol";

/**
 * @dev The household fast paths {InvoiceMath-computeZoneInvoice} and {InvoiceMath-computeZoneInvoiceWords}
 * (the one Settlement uses: lines as event words) equal the general
 * {InvoiceMath-computeInvoice} field by field (lines, totals, VAT split, payable) on random zone plans:
 * 1-3 zones, volumes and the four price components of each zone row, zero components and zero
 * volumes included, every VAT mode. The general path is the one checked against domain/src/billing
 * (vectors and the TypeScript property tests), so the fast path agrees with the domain to the kopeck.
 */
contract InvoiceFastPathTest is BillingTest {
    function testFuzz_zoneFastPathEqualsGeneralPath(
        uint8 zoneSeed,
        uint48[3] memory volumes,
        uint64[12] memory rates,
        uint8 vatSeed,
        uint16 vatBp,
        uint8 zeroMask
    ) public pure {
        uint256 zones = 1 + (zoneSeed % 3);
        VatMode mode = VatMode(vatSeed % 3);
        uint256 bp = mode == VatMode.None ? 0 : uint256(vatBp) % 5001;
        uint256[4] memory fast;
        InvoiceMath.InvoiceInput memory input;
        input.zoneVolumes = new uint256[](zones);
        input.prices = new PriceComponents[](zones);
        for (uint256 z = 0; z < zones; ++z) {
            // some zones without consumption, some components without a price
            uint256 volume = zeroMask & (1 << z) != 0 ? 0 : volumes[z];
            fast[z] = volume;
            input.zoneVolumes[z] = volume;
            uint256[4] memory row;
            for (uint256 c = 0; c < 4; ++c) {
                row[c] = zeroMask & (1 << (3 + ((z + c) % 5))) != 0 ? 0 : rates[4 * z + c] % 10_000_000_000;
            }
            input.prices[z] = PriceComponents(row[0], row[1], row[2], row[3]);
        }
        input.thresholdNumerator = 1;
        input.thresholdDenominator = 1;
        input.vatMode = mode;
        input.vatRateBp = bp;
        InvoiceMath.Invoice memory general = InvoiceMath.computeInvoice(input);
        _assertSame(InvoiceMath.computeZoneInvoice(fast, zones, input.prices, mode, bp), general);
        uint64[4][] memory rows = new uint64[4][](zones);
        for (uint256 z = 0; z < zones; ++z) {
            PriceComponents memory p = input.prices[z];
            rows[z] = [uint64(p.energy), uint64(p.transmission), uint64(p.retailMarkup), uint64(p.infrastructure)];
        }
        _assertSameWords(InvoiceMath.computeZoneInvoiceWords(fast, zones, rows, mode, bp), general);
    }

    /// The packed-word path against the general path, lines packed as the InvoiceLinesComputed event does.
    function _assertSameWords(InvoiceMath.ZoneInvoice memory a, InvoiceMath.Invoice memory b) private pure {
        assertEq(a.lineWords.length, b.lines.length, "word count");
        for (uint256 i = 0; i < a.lineWords.length; ++i) {
            InvoiceLine memory y = b.lines[i];
            uint256 word = (uint256(uint8(y.kind)) << 248) | (uint256(y.zone) << 240) | (uint256(y.range) << 232)
                | (uint256(uint8(y.component)) << 224) | (uint256(uint64(y.quantity)) << 160)
                | (uint256(uint64(y.rate)) << 96) | (uint256(uint64(y.amount)) << 32);
            assertEq(a.lineWords[i], word, "line word");
        }
        for (uint256 c = 0; c < 4; ++c) assertEq(a.payableByComponent[c], b.payableByComponent[c], "payable");
        assertEq(a.netTotal, b.netTotal, "net total");
        assertEq(a.vat, b.vat, "vat");
        assertEq(a.vatIncluded, b.vatIncluded, "vat included");
        assertEq(a.grossTotal, b.grossTotal, "gross total");
        assertEq(int256(a.grossTotal), b.payableTotal, "payable total");
    }

    /// The billing-rules vectors of the household plans (TV-01..03) and a legal entity with VAT added (TV-13).
    function test_zoneFastPathOnVectorVolumes() public pure {
        uint256[4] memory volumes = [uint256(60_000), 90_000, 80_000, 0];
        PriceComponents[] memory prices = new PriceComponents[](3);
        prices[0] = PriceComponents(268_000, 149_000, 79_000, 1_000);
        prices[1] = PriceComponents(217_000, 121_000, 65_000, 1_000);
        prices[2] = PriceComponents(154_000, 86_000, 46_000, 1_000);
        for (uint256 m = 0; m < 3; ++m) {
            InvoiceMath.InvoiceInput memory input;
            input.zoneVolumes = new uint256[](3);
            for (uint256 z = 0; z < 3; ++z) input.zoneVolumes[z] = volumes[z];
            input.prices = prices;
            input.thresholdNumerator = 1;
            input.thresholdDenominator = 1;
            input.vatMode = VatMode(m);
            input.vatRateBp = m == 0 ? 0 : 2200;
            _assertSame(
                InvoiceMath.computeZoneInvoice(volumes, 3, prices, VatMode(m), input.vatRateBp),
                InvoiceMath.computeInvoice(input)
            );
        }
    }

    function _assertSame(InvoiceMath.Invoice memory a, InvoiceMath.Invoice memory b) private pure {
        assertEq(a.lines.length, b.lines.length, "line count");
        for (uint256 i = 0; i < a.lines.length; ++i) {
            InvoiceLine memory x = a.lines[i];
            InvoiceLine memory y = b.lines[i];
            assertEq(uint8(x.kind), uint8(y.kind), "kind");
            assertEq(x.zone, y.zone, "zone");
            assertEq(x.range, y.range, "range");
            assertEq(uint8(x.component), uint8(y.component), "component");
            assertEq(x.quantity, y.quantity, "quantity");
            assertEq(x.rate, y.rate, "rate");
            assertEq(x.amount, y.amount, "amount");
        }
        for (uint256 c = 0; c < 4; ++c) {
            assertEq(a.componentNet[c], b.componentNet[c], "net");
            assertEq(a.vatByComponent[c], b.vatByComponent[c], "vat split");
            assertEq(a.grossByComponent[c], b.grossByComponent[c], "gross");
            assertEq(a.payableByComponent[c], b.payableByComponent[c], "payable");
        }
        assertEq(a.netTotal, b.netTotal, "net total");
        assertEq(a.vat, b.vat, "vat");
        assertEq(a.vatIncluded, b.vatIncluded, "vat included");
        assertEq(a.grossTotal, b.grossTotal, "gross total");
        assertEq(a.exportCredit, b.exportCredit, "export credit");
        assertEq(a.payableTotal, b.payableTotal, "payable total");
    }
}
