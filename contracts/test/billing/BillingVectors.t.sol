// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {BillingTest} from "./BillingTest.sol";
import {BillingCalculator} from "../../src/billing/BillingCalculator.sol";
import {BillingMath} from "../../src/billing/BillingMath.sol";
import {CommonHouse} from "../../src/billing/CommonHouse.sol";
import {InvoiceMath} from "../../src/billing/InvoiceMath.sol";
import {Losses} from "../../src/billing/Losses.sol";
import {PaymentSplit} from "../../src/billing/PaymentSplit.sol";
import {Penalties} from "../../src/billing/Penalties.sol";
import {SubstituteVolumes} from "../../src/billing/SubstituteVolumes.sol";
import {TariffMath} from "../../src/billing/TariffMath.sol";
import {
    BillingRegisterDecreased,
    BillingZoneHoursIncomplete,
    BillingZoneHoursOverlap,
    InvoiceLine,
    PriceComponents,
    VatMode,
    ZoneWindow
} from "../../src/billing/BillingTypes.sol";

/**
 * @dev Worked examples of billing-rules.md §11 checked in Solidity alone (a selection; the complete
 * file domain/vectors/billing.json runs through BillingCalculator in contracts/ts/billing and
 * `npm run vectors`). Expected kopecks are the reference's figures.
 */
contract BillingVectorsTest is BillingTest {
    BillingCalculator internal calculator;

    function setUp() public {
        calculator = new BillingCalculator();
    }

    function _price(uint256 energy) internal pure returns (PriceComponents memory) {
        return PriceComponents(energy, 0, 0, 0);
    }

    function _input(uint256[] memory zoneVolumes, PriceComponents[] memory prices, VatMode vatMode)
        internal
        pure
        returns (InvoiceMath.InvoiceInput memory input)
    {
        input.zoneVolumes = zoneVolumes;
        input.prices = prices;
        input.thresholdNumerator = 1;
        input.thresholdDenominator = 1;
        input.vatMode = vatMode;
        input.vatRateBp = 2200;
    }

    function _three() internal pure returns (ZoneWindow[] memory w) {
        w = new ZoneWindow[](5);
        w[0] = ZoneWindow(0, 420, 600);
        w[1] = ZoneWindow(0, 1020, 1260);
        w[2] = ZoneWindow(1, 600, 1020);
        w[3] = ZoneWindow(1, 1260, 1380);
        w[4] = ZoneWindow(2, 1380, 420);
    }

    function test_TV01_singleRateFromRegisters() public pure {
        uint256[] memory previous = new uint256[](1);
        uint256[] memory current = new uint256[](1);
        previous[0] = 12_345_000;
        current[0] = 12_532_000;
        uint256[] memory volumes = TariffMath.zoneVolumesFromRegisters(previous, current);
        PriceComponents[] memory prices = new PriceComponents[](1);
        prices[0] = _price(404_000);
        InvoiceMath.Invoice memory invoice = InvoiceMath.computeInvoice(_input(volumes, prices, VatMode.Included));
        assertEq(invoice.netTotal, 75_548, "TV-01 total");
        assertEq(invoice.vatIncluded, 13_623, "TV-01 VAT inside");
    }

    function test_TV03_threeZoneHoursAndLines() public pure {
        uint8[48] memory slots = TariffMath.zoneSlots(_three(), 3);
        uint256[3] memory covered;
        for (uint256 i = 0; i < 48; ++i) covered[slots[i]] += 30;
        assertEq(covered[0], 420, "peak 7 h");
        assertEq(covered[1], 540, "half-peak 9 h");
        assertEq(covered[2], 480, "night 8 h");
        uint256[] memory volumes = new uint256[](3);
        (volumes[0], volumes[1], volumes[2]) = (60_000, 90_000, 80_000);
        PriceComponents[] memory prices = new PriceComponents[](3);
        (prices[0], prices[1], prices[2]) = (_price(497_000), _price(404_000), _price(287_000));
        assertEq(InvoiceMath.computeInvoice(_input(volumes, prices, VatMode.Included)).netTotal, 89_140, "TV-03");
    }

    function test_zoneHoursIncompleteRevertsWithCoveredMinutes() public {
        ZoneWindow[] memory w = _three();
        w[3] = ZoneWindow(1, 1260, 1320); // 22:00–23:00 left without a zone
        vm.expectRevert(abi.encodeWithSelector(BillingZoneHoursIncomplete.selector, uint16(1380)));
        calculator.zoneSlots(w, 3);
    }

    function test_zoneHoursOverlapRevertsWithMinute() public {
        ZoneWindow[] memory w = _three();
        w[0] = ZoneWindow(0, 420, 630); // peak claims 10:00–10:30 of half-peak
        vm.expectRevert(abi.encodeWithSelector(BillingZoneHoursOverlap.selector, uint16(600)));
        calculator.zoneSlots(w, 3);
    }

    function test_registerGoingDownReverts() public {
        uint256[] memory previous = new uint256[](1);
        uint256[] memory current = new uint256[](1);
        previous[0] = 2;
        current[0] = 1;
        vm.expectRevert(abi.encodeWithSelector(BillingRegisterDecreased.selector, uint256(0), uint256(2), uint256(1)));
        calculator.zoneVolumesFromRegisters(previous, current);
    }

    function test_TV04_volumeRanges() public pure {
        uint256[] memory volumes = new uint256[](1);
        volumes[0] = 7_200_000;
        PriceComponents[] memory prices = new PriceComponents[](3);
        (prices[0], prices[1], prices[2]) = (_price(178_000), _price(331_000), _price(650_000));
        InvoiceMath.InvoiceInput memory input = _input(volumes, prices, VatMode.Included);
        input.rangeUpperBounds = new uint256[](2);
        (input.rangeUpperBounds[0], input.rangeUpperBounds[1]) = (3_900_000, 6_000_000);
        assertEq(InvoiceMath.computeInvoice(input).netTotal, 2_169_300, "TV-04");
    }

    function test_TV05_socialNormTwoZones() public pure {
        uint256[] memory volumes = new uint256[](2);
        (volumes[0], volumes[1]) = (130_000, 60_000);
        uint256[] memory bounds = new uint256[](1);
        bounds[0] = 150_000;
        PriceComponents[] memory prices = new PriceComponents[](4);
        (prices[0], prices[1], prices[2], prices[3]) = (_price(300_000), _price(180_000), _price(380_000), _price(230_000));
        InvoiceLine[] memory lines = TariffMath.energyLines(volumes, bounds, prices);
        assertEq(lines[0].quantity, 102_631, "in-norm day");
        assertEq(lines[1].quantity, 47_369, "in-norm night");
        assertEq(lines[2].quantity, 27_369, "above-norm day");
        assertEq(lines[3].quantity, 12_631, "above-norm night");
        assertEq(lines[0].amount + lines[1].amount + lines[2].amount + lines[3].amount, 52_620, "TV-05 total");
    }

    function test_TV06_averageAndRecalculation() public pure {
        SubstituteVolumes.HouseholdInput memory input;
        input.history = new uint256[](6);
        (input.history[0], input.history[1], input.history[2]) = (210_000, 190_000, 180_000);
        (input.history[3], input.history[4], input.history[5]) = (170_000, 200_000, 230_000);
        (input.averagingWindow, input.minimumHistory, input.periodsWithoutReadings, input.maxAveragePeriods) = (6, 3, 1, 6);
        (input.refusedAccessDenominator, input.tamperingDenominator) = (2, 1);
        (, uint256 volume,,) = SubstituteVolumes.householdSubstituteVolume(input);
        assertEq(volume, 196_667, "average to Wh");
        assertEq(BillingMath.energyCost(volume, 404_000), 79_453, "TV-06 month");
        uint256[] memory billed = new uint256[](2);
        (billed[0], billed[1]) = (79_453, 79_453);
        (,, int256 adjustment) = SubstituteVolumes.recalculationCharge(410_000, 404_000, billed);
        assertEq(adjustment, int256(6_734), "TV-06 additional charge");
    }

    function test_TV07_tampering() public pure {
        SubstituteVolumes.HouseholdInput memory input;
        input.reason = SubstituteVolumes.HouseholdReason.Tampering;
        (input.residents, input.normPerPersonWh) = (3, 46_000);
        (input.refusedAccessNumerator, input.refusedAccessDenominator) = (3, 2);
        (input.tamperingNumerator, input.tamperingDenominator, input.tamperingMonths, input.tamperingMaxMonths) = (10, 1, 3, 3);
        (,,, uint256 total) = SubstituteVolumes.householdSubstituteVolume(input);
        assertEq(BillingMath.energyCost(total, 404_000), 1_672_560, "TV-07 tampering");
    }

    function test_TV08_cableAndMaxPower() public pure {
        assertEq(SubstituteVolumes.cableCapacityVolume(3, 220, 100, 9000, 720), 42_768_000, "TV-08 cable");
        assertEq(SubstituteVolumes.cableCapacityVolume(1, 220, 36, 9000, 1944), 13_856_832, "TV-08 source");
        assertEq(BillingMath.energyCost(150_000 * 720, 366_265), 39_556_620, "TV-08 P_max x T priced");
    }

    function test_TV10_losses() public pure {
        assertEq(Losses.percentageLoss(50_000_000, 300), 1_500_000, "TV-10a");
        assertEq(
            Losses.transformerLoss(Losses.Transformer(120_000_000, 720, 720, 9000, 400_000, 830, 5500, 10_000)),
            1_446_365,
            "TV-10b"
        );
        assertEq(Losses.lineLoss(Losses.Line(20_000_000, 720, 9000, 400, 206, 150, 10_000)), 132_459, "TV-10c");
    }

    function test_TV11_commonHouse() public pure {
        CommonHouse.Result memory r = CommonHouse.commonHouseShare(
            CommonHouse.Input(true, 12_000_000, 10_500_000, 600_000, 450_000, 60_000, 5400, 1130, true, false)
        );
        assertEq(r.shareWh, int256(8136), "TV-11 share");
        assertEq(r.borneByManagerWh, 222_000, "TV-11 managing company");
        assertEq(BillingMath.energyCostSigned(r.shareWh, 404_000), int256(3287), "TV-11 amount");
    }

    function test_TV12_vatAllocationAndPartialPayment() public pure {
        uint256[] memory volumes = new uint256[](1);
        volumes[0] = 25_000_000;
        PriceComponents[] memory prices = new PriceComponents[](1);
        prices[0] = PriceComponents(149_897, 209_143, 6953, 272);
        InvoiceMath.Invoice memory invoice = InvoiceMath.computeInvoice(_input(volumes, prices, VatMode.Added));
        assertEq(invoice.netTotal, 9_156_625, "net");
        assertEq(invoice.vat, 2_014_458, "VAT");
        assertEq(invoice.vatByComponent[0], 824_434, "VAT generation");
        assertEq(invoice.vatByComponent[1], 1_150_287, "VAT grid");
        assertEq(invoice.vatByComponent[2], 38_241, "VAT supplier");
        assertEq(invoice.vatByComponent[3], 1496, "VAT infrastructure");
        (uint256[] memory parts,, uint256 credit) = PaymentSplit.applyPayment(invoice.payableByComponent, 5_000_000);
        assertEq(parts[0], 2_046_292, "paid generation");
        assertEq(parts[1], 2_855_078, "paid grid");
        assertEq(parts[2], 94_917, "paid supplier");
        assertEq(parts[3], 3713, "paid infrastructure");
        assertEq(credit, 0, "no credit");
    }

    function test_TV14_capacityAndTV14b_maintenance() public pure {
        uint256[] memory days_ = new uint256[](21);
        for (uint256 d = 0; d < 21; ++d) days_[d] = d < 20 ? 250_000 : 240_000;
        (, uint256 capacity) = InvoiceMath.averagePowerCharge(days_, 105_000_000);
        assertEq(capacity, 26_200_000, "TV-14 capacity");
        for (uint256 d = 0; d < 21; ++d) days_[d] = 250_000;
        (, uint256 maintenance) = InvoiceMath.averagePowerCharge(days_, 219_598_996);
        assertEq(maintenance, 54_899_749, "TV-14b maintenance");
        assertEq(BillingMath.energyCost(144_000_000, 59_310), 8_540_640, "TV-14b losses");
    }

    function test_TV15_prosumerOffset() public pure {
        uint256[] memory volumes = new uint256[](1);
        volumes[0] = 310_000;
        PriceComponents[] memory prices = new PriceComponents[](1);
        prices[0] = _price(620_000);
        InvoiceMath.InvoiceInput memory input = _input(volumes, prices, VatMode.Included);
        (input.exportVolume, input.exportPrice) = (420_000, 285_040);
        InvoiceMath.Invoice memory invoice = InvoiceMath.computeInvoice(input);
        assertEq(invoice.exportCredit, 119_717, "TV-15 export");
        assertEq(invoice.payableTotal, int256(72_483), "TV-15 payable");
    }

    function test_TV16_householdPenalty() public pure {
        uint32[] memory fromDays = new uint32[](2);
        (fromDays[0], fromDays[1]) = (31, 91);
        uint256[] memory divisors = new uint256[](2);
        (divisors[0], divisors[1]) = (300, 130);
        // 2026-04-15 and 2026-07-30 as days since 1970-01-01
        (uint256 overdue,, uint256 penalty) = Penalties.latePaymentPenalty(200_000, 20_558, 20_664, 950, fromDays, divisors);
        assertEq(overdue, 106, "TV-16 days");
        assertEq(penalty, 6138, "TV-16 penalty");
    }
}
