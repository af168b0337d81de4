// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {BillingCalculator} from "../../src/billing/BillingCalculator.sol";
import {IInvoices} from "../../src/interfaces/IInvoices.sol";
import {IPayments} from "../../src/interfaces/IPayments.sol";
import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {ITariffs} from "../../src/interfaces/ITariffs.sol";
import {LedgerTest} from "../utils/LedgerTest.sol";
import {LedgerVm} from "../utils/LedgerVm.sol";
import {TariffFixtures} from "../utils/TariffFixtures.sol";

contract SettlementTest is LedgerTest {
    uint32 internal p1;
    uint32 internal p2;
    uint64 internal household;
    uint64 internal legal;
    uint256 internal householdInvoice;
    uint256 internal legalInvoice;

    function setUp() public override {
        super.setUp();
        p1 = uint32((block.timestamp / 1800 + 2) * 1800);
        p2 = p1 + 3600;
        vm.startPrank(operator);
        readings.schedulePeriod(1, p1);
        readings.schedulePeriod(2, p2);
        vm.stopPrank();
        uint40 from = uint40(block.timestamp - 1 days);

        // TV-03: three-zone household, peak 60 kWh x 4.97, half-peak 90 x 4.04, night 80 x 2.87 = 891.40
        vm.startPrank(retailA);
        uint64 householdGroup = tariffs.createGroup("Urban", IRegistry.ConsumerType.Household, 0);
        tariffs.addPlan(householdGroup, TariffFixtures.threeZone(from, 0));
        // TV-12: legal entity, price category 1, components 1498.97 / 2091.43 / 69.53 / 2.72 RUB/MWh, +22 % VAT
        uint64 legalGroup = tariffs.createGroup("PCK1", IRegistry.ConsumerType.LegalEntity, 1);
        ITariffs.PlanInput memory pck1 = TariffFixtures.singleRate(from, 0, 404_000);
        pck1.rates[0] = [uint64(149_897), 209_143, 6_953, 272];
        pck1.vatIncluded = false;
        tariffs.addPlan(legalGroup, pck1);
        vm.stopPrank();

        household = _billedAccount("H-1", "LS-H", IRegistry.ConsumerType.Household, 0, householdGroup, ITariffs.TariffKind.ThreeZone);
        legal = _billedAccount("L-1", "LS-L", IRegistry.ConsumerType.LegalEntity, 1, legalGroup, ITariffs.TariffKind.SingleRate);

        vm.warp(p2 + 7200);
        _readings("H-1", [uint48(1_000_000), 500_000, 300_000], [uint48(1_060_000), 590_000, 380_000]);
        _readings("L-1", [uint48(7_000_000), 0, 0], [uint48(32_000_000), 0, 0]);
        householdInvoice = settlement.invoiceIdOf(household, 2);
        legalInvoice = settlement.invoiceIdOf(legal, 2);
    }

    mapping(bytes32 => uint64) internal _meterOf;

    /// @dev The packed lines of `InvoiceLinesComputed`: `count` lines whose amounts add up to `total`.
    function _checkLineWords(LedgerVm.Log[] memory logs, uint256 count, uint256 total) internal pure {
        bytes32 topic = keccak256("InvoiceLinesComputed(uint256,uint256[])");
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != topic) continue;
            uint256[] memory words = abi.decode(logs[i].data, (uint256[]));
            assertEq(words.length, count, "one line per zone x component");
            uint256 sum;
            for (uint256 j = 0; j < words.length; ++j) {
                assertEq(words[j] >> 248, 0, "energy lines");
                assertEq((words[j] >> 240) & 0xff, j / 4, "zone");
                assertEq((words[j] >> 224) & 0xff, j % 4, "component");
                sum += uint64(words[j] >> 32);
            }
            assertEq(sum, total, "line amounts add up to the total");
            return;
        }
        revert("no InvoiceLinesComputed event");
    }

    function _billedAccount(
        bytes32 serial,
        bytes32 number,
        IRegistry.ConsumerType consumerType,
        uint8 category,
        uint64 group,
        ITariffs.TariffKind kind
    ) internal returns (uint64 accountId) {
        uint64 meterId = _registerMeter(serial, true);
        _meterOf[serial] = meterId;
        _registerKey(meterId, device);
        IRegistry.ConsumerAccount memory a = _account(meterId, number);
        a.consumerType = consumerType;
        a.priceCategory = category;
        vm.startPrank(retailA);
        accountId = registry.openAccount(a);
        tariffs.assignTariff(accountId, group, kind);
        vm.stopPrank();
    }

    function _readings(bytes32 serial, uint48[3] memory atP1, uint48[3] memory atP2) internal {
        bytes memory records = bytes.concat(
            _rec3(p1, 0, atP1[0], atP1[1], atP1[2]),
            _rec3(p2, 0, atP2[0], atP2[1], atP2[2]),
            _rec3(p2 + 1800, 0, atP2[0], atP2[1], atP2[2])
        );
        _submit(DEVICE_KEY, _entry(_meterOf[serial], 7, records));
    }

    function _close(uint64 accountId) internal {
        uint64[] memory ids = new uint64[](1);
        ids[0] = accountId;
        vm.prank(retailA);
        settlement.closePeriod(2, ids);
    }

    function _issue(uint256 invoiceId) internal {
        vm.prank(retailA);
        settlement.issueInvoice(invoiceId, keccak256("invoice.pdf"), p2 + 15 days);
    }

    function _paid(uint256 invoiceId) internal view returns (uint256 sum) {
        uint64[4] memory paid = settlement.getInvoice(invoiceId).paid;
        sum = uint256(paid[0]) + paid[1] + paid[2] + paid[3];
    }

    // ------------------------------------------------------------------ flow

    function test_threeZoneHouseholdInvoice_TV03() public {
        vm.recordLogs();
        _close(household);
        _checkLineWords(vm.getRecordedLogs(), 12, 89_140);
        IInvoices.Invoice memory invoice = settlement.getInvoice(householdInvoice);
        assertEq(invoice.total, 89_140, "891.40 RUB");
        assertEq(uint256(invoice.status), uint256(IInvoices.InvoiceStatus.Computed), "computed");
        assertEq(
            uint256(invoice.components[0]) + invoice.components[1] + invoice.components[2] + invoice.components[3],
            89_140,
            "components add up"
        );
    }

    function test_legalEntityInvoiceAndPartialPayment_TV12() public {
        _close(legal);
        IInvoices.Invoice memory invoice = settlement.getInvoice(legalInvoice);
        assertEq(invoice.total, 11_171_083, "111 710.83 RUB gross");
        assertEq(invoice.components[0], 4_571_859, "generation 45 718.59");
        assertEq(invoice.components[1], 6_378_862, "grid 63 788.62");
        assertEq(invoice.components[2], 212_066, "retail 2 120.66");
        assertEq(invoice.components[3], 8_296, "infrastructure 82.96");
        _issue(legalInvoice);
        vm.prank(bank);
        settlement.recordPayment(legalInvoice, 5_000_000, IPayments.PaymentMethod.BankTransfer, 1, "pay-1");
        uint64[4] memory paid = settlement.getInvoice(legalInvoice).paid;
        assertEq(paid[0], 2_046_292, "20 462.92");
        assertEq(paid[1], 2_855_078, "28 550.78");
        assertEq(paid[2], 94_917, "949.17");
        assertEq(paid[3], 3_713, "37.13");
    }

    function test_confirmPayInPartsOverpayCreditAndDirectDebit() public {
        _close(household);
        _issue(householdInvoice);
        vm.prank(consumer);
        settlement.confirmInvoice(householdInvoice);
        vm.startPrank(bank);
        settlement.recordPayment(householdInvoice, 40_000, IPayments.PaymentMethod.Card, 1, "p-1");
        settlement.recordPayment(householdInvoice, 60_000, IPayments.PaymentMethod.CashDesk, 2, "p-2");
        vm.stopPrank();
        IInvoices.Invoice memory invoice = settlement.getInvoice(householdInvoice);
        for (uint256 k = 0; k < 4; ++k) assertEq(invoice.paid[k], invoice.components[k], "every provider paid in full");
        assertEq(settlement.creditBalance(household), 10_860, "overpayment carried forward");

        // the credit pays another invoice by direct debit under the consumer's mandate
        _close(legal);
        // (the legal account's consumer is the same test consumer)
        vm.prank(consumer);
        settlement.setDebitMandate(legal, bank, 1_000_000);
        vm.prank(bank);
        settlement.recordPrepayment(legal, 10_000, 3, "pre-1");
        _issue(legalInvoice);
        vm.prank(bank);
        settlement.directDebit(legalInvoice, 10_000, 4, "dd-1");
        assertEq(settlement.creditBalance(legal), 0, "balance used");
        assertEq(_paid(legalInvoice), 10_000, "debited");
    }

    function test_disputeAndCancelAllowRecompute() public {
        _close(household);
        _issue(householdInvoice);
        vm.prank(consumer);
        settlement.disputeInvoice(householdInvoice, "wrong zone");
        vm.prank(retailA);
        settlement.cancelInvoice(householdInvoice, "corrected");
        assertEq(uint256(settlement.getInvoice(householdInvoice).status), 0, "cancelled");
        _close(household);
        assertEq(settlement.getInvoice(householdInvoice).total, 89_140, "recomputed");
    }

    function test_prosumerExportOffset_TV15() public {
        // import 310 kWh at 6.20 RUB/kWh = 1 922.00; export 420 kWh at 2 850.40 RUB/MWh = 1 197.17; net 724.83
        vm.startPrank(retailA);
        uint64 group = tariffs.createGroup("Prosumers", IRegistry.ConsumerType.Household, 0);
        ITariffs.PlanInput memory plan = TariffFixtures.singleRate(uint40(block.timestamp - 30 days), 0, 620_000);
        plan.exportPrice = 285_040;
        tariffs.addPlan(group, plan);
        vm.stopPrank();
        uint64 prosumer = _billedAccount("P-1", "LS-P", IRegistry.ConsumerType.Household, 0, group, ITariffs.TariffKind.SingleRate);
        bytes memory records = bytes.concat(
            abi.encodePacked(uint32(p1), uint8(0), uint48(5_000_000), uint48(1_000_000)),
            abi.encodePacked(uint32(p2), uint8(0), uint48(5_310_000), uint48(1_420_000)),
            abi.encodePacked(uint32(p2 + 1800), uint8(0), uint48(5_310_000), uint48(1_420_000))
        );
        _submit(DEVICE_KEY, _entry(_meterOf["P-1"], 17, records));
        _close(prosumer);
        IInvoices.Invoice memory invoice = settlement.getInvoice(settlement.invoiceIdOf(prosumer, 2));
        assertEq(invoice.total, 72_483, "724.83 payable after the export offset");
        assertEq(invoice.components[0], 0, "export offset from the energy component first");
        assertEq(invoice.exportCredit, 0, "no credit beyond the invoice");
    }

    /// @dev TV-16's rule on the household invoice: due 15.04.2026, paid 30.07.2026, 9.5 %: 106 overdue days,
    /// 60 at 1/300 and 16 at 1/130; a partial payment lowers the debt it is charged on.
    function test_latePaymentPenalty_householdTiers() public {
        BillingCalculator calculator = new BillingCalculator();
        _close(household);
        uint32 due = 20_558 * 86_400; // 2026-04-15
        vm.prank(retailA);
        settlement.issueInvoice(householdInvoice, keccak256("invoice.pdf"), due);
        uint32[] memory fromDays = new uint32[](2);
        fromDays[0] = 31;
        fromDays[1] = 91;
        uint256[] memory divisors = new uint256[](2);
        divisors[0] = 300;
        divisors[1] = 130;
        uint32 paidOn = 20_664 * 86_400 + 3600; // 2026-07-30
        (uint256 debt, uint256 overdue, uint256[] memory tierDays, uint256 penalty) =
            calculator.invoiceLatePaymentPenalty(settlement, householdInvoice, paidOn, 950, fromDays, divisors);
        assertEq(debt, 89_140, "debt");
        assertEq(overdue, 106, "overdue days");
        assertEq(tierDays[0], 60, "days at 1/300");
        assertEq(tierDays[1], 16, "days at 1/130");
        // 89 140 x 9.5 % x (60/300 + 16/130) = 2 735.91 -> 2 736 kopecks
        assertEq(penalty, 2_736, "penalty");
        vm.prank(bank);
        settlement.recordPayment(householdInvoice, 49_140, IPayments.PaymentMethod.BankTransfer, 1, "p");
        (debt,,, penalty) = calculator.invoiceLatePaymentPenalty(settlement, householdInvoice, paidOn, 950, fromDays, divisors);
        assertEq(debt, 40_000, "debt after the partial payment");
        // 40 000 x 950 x 12 600 / (10^4 x 39 000) = 1 227.69 -> 1 228
        assertEq(penalty, 1_228, "penalty on the rest");
        (,,, penalty) = calculator.invoiceLatePaymentPenalty(settlement, householdInvoice, due + 30 * 86_400, 950, fromDays, divisors);
        assertEq(penalty, 0, "no penalty in the first 30 days");
    }

    function test_revert_latePaymentPenaltyOfUnissuedInvoice() public {
        BillingCalculator calculator = new BillingCalculator();
        _close(household);
        vm.expectRevert(
            abi.encodeWithSelector(IInvoices.InvoiceInvalidStatus.selector, householdInvoice, IInvoices.InvoiceStatus.Computed)
        );
        calculator.invoiceLatePaymentPenalty(settlement, householdInvoice, p2, 950, new uint32[](0), new uint256[](0));
    }

    /// @dev Net (legal-entity) prices take the VAT rate of the operator's dated schedule in force on the
    /// first day of the period; VAT-inclusive household prices are untouched.
    function test_vatScheduleAppliesToNetPrices() public {
        uint32[] memory fromDays = new uint32[](2);
        fromDays[0] = 17_897; // 2019-01-01
        fromDays[1] = uint32(p1 / 86_400); // a rate change on the first day of period 2
        uint256[] memory rates = new uint256[](2);
        rates[0] = 2200;
        rates[1] = 2000;
        vm.prank(operator);
        tariffs.setVatSchedule(fromDays, rates);
        _close(legal);
        _close(household);
        // TV-12 net 91 566.25 + 20 % VAT 18 313.25 = 109 879.50
        assertEq(settlement.getInvoice(legalInvoice).total, 10_987_950, "VAT 20 % from the schedule");
        assertEq(settlement.getInvoice(householdInvoice).total, 89_140, "VAT-inclusive prices unchanged");
    }

    function test_revert_vatSchedule() public {
        uint32[] memory fromDays = new uint32[](2);
        fromDays[0] = 20_454;
        fromDays[1] = 20_454;
        uint256[] memory rates = new uint256[](2);
        rates[0] = 2000;
        rates[1] = 2200;
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffInvalidVatSchedule.selector, 1));
        tariffs.setVatSchedule(fromDays, rates);
        fromDays[1] = 20_455;
        bytes32 operatorRole = tariffs.OPERATOR_ROLE();
        vm.prank(retailA);
        vm.expectRevert(_unauthorized(retailA, operatorRole));
        tariffs.setVatSchedule(fromDays, rates);
        (uint32[] memory days_,) = tariffs.vatSchedule();
        assertEq(days_.length, 0, "no schedule stored");
        _close(legal);
        assertEq(settlement.getInvoice(legalInvoice).total, 11_171_083, "the plan's own 22 %");
    }

    // ------------------------------------------------------------------ bad input, one by one

    function test_revert_paymentByNonPaymentSource() public {
        bytes32 role = settlement.PAYMENT_SOURCE_ROLE();
        _close(household);
        _issue(householdInvoice);
        vm.prank(retailA);
        vm.expectRevert(_unauthorized(retailA, role));
        settlement.recordPayment(householdInvoice, 1_000, IPayments.PaymentMethod.BankTransfer, 7, "p");
        vm.prank(consumer);
        vm.expectRevert(_unauthorized(consumer, role));
        settlement.directDebit(householdInvoice, 1_000, 7, "p");
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, role));
        settlement.recordPrepayment(household, 1_000, 7, "p");
        assertEq(_paid(householdInvoice), 0, "nothing paid");
        assertTrue(!settlement.isPaymentRecorded(bank, 7), "number unused");
    }

    function test_revert_directDebitAboveDebt() public {
        _close(household);
        _issue(householdInvoice);
        vm.prank(consumer);
        settlement.setDebitMandate(household, bank, 1_000_000);
        vm.startPrank(bank);
        settlement.recordPrepayment(household, 200_000, 1, "pre");
        vm.expectRevert(abi.encodeWithSelector(IPayments.PaymentExceedsDebt.selector, householdInvoice, 89_141, 89_140));
        settlement.directDebit(householdInvoice, 89_141, 2, "dd");
        vm.stopPrank();
        assertEq(settlement.creditBalance(household), 200_000, "balance unchanged");
        assertEq(_paid(householdInvoice), 0, "nothing paid");
    }

    function test_revert_directDebitWithoutMandateOrBalance() public {
        _close(household);
        _issue(householdInvoice);
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IPayments.PaymentNoMandate.selector, household, bank));
        settlement.directDebit(householdInvoice, 100, 2, "dd");
        vm.prank(consumer);
        settlement.setDebitMandate(household, bank, 500);
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IPayments.PaymentMandateLimitExceeded.selector, household, 600, 500));
        settlement.directDebit(householdInvoice, 600, 2, "dd");
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IPayments.PaymentInsufficientBalance.selector, household, 100, 0));
        settlement.directDebit(householdInvoice, 100, 2, "dd");
        assertEq(_paid(householdInvoice), 0, "nothing paid");
        assertTrue(!settlement.isPaymentRecorded(bank, 2), "number unused");
    }

    function test_revert_paymentRules() public {
        _close(household);
        vm.startPrank(bank);
        vm.expectRevert(abi.encodeWithSelector(IPayments.PaymentInvoiceNotPayable.selector, householdInvoice, uint8(1)));
        settlement.recordPayment(householdInvoice, 100, IPayments.PaymentMethod.BankTransfer, 9, "p");
        vm.stopPrank();
        _issue(householdInvoice);
        vm.startPrank(bank);
        vm.expectRevert(abi.encodeWithSelector(IPayments.PaymentZeroAmount.selector));
        settlement.recordPayment(householdInvoice, 0, IPayments.PaymentMethod.BankTransfer, 9, "p");
        vm.expectRevert(
            abi.encodeWithSelector(IPayments.PaymentInvalidMethod.selector, IPayments.PaymentMethod.DirectDebit)
        );
        settlement.recordPayment(householdInvoice, 100, IPayments.PaymentMethod.DirectDebit, 9, "p");
        settlement.recordPayment(householdInvoice, 100, IPayments.PaymentMethod.BankTransfer, 9, "p");
        vm.expectRevert(abi.encodeWithSelector(IPayments.PaymentAlreadyRecorded.selector, bank, uint64(9)));
        settlement.recordPayment(householdInvoice, 100, IPayments.PaymentMethod.BankTransfer, 9, "p");
        vm.stopPrank();
        assertEq(_paid(householdInvoice), 100, "only the first payment counted");
    }

    function test_revert_invoiceRules() public {
        uint64[] memory ids = new uint64[](1);
        ids[0] = household;
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceNotRetailCompany.selector, household, retailB));
        settlement.closePeriod(2, ids);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoicePeriodNotEnded.selector, uint32(3), uint32(0)));
        settlement.closePeriod(3, ids);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceMissingSnapshot.selector, household, _meterOf["H-1"], uint32(1)));
        settlement.closePeriod(1, ids); // no snapshot before period 1
        _close(household);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceAlreadyExists.selector, householdInvoice));
        settlement.closePeriod(2, ids);
        vm.prank(consumer);
        vm.expectRevert(
            abi.encodeWithSelector(IInvoices.InvoiceInvalidStatus.selector, householdInvoice, IInvoices.InvoiceStatus.Computed)
        );
        settlement.confirmInvoice(householdInvoice);
        _issue(householdInvoice);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceNotConsumer.selector, householdInvoice, stranger));
        settlement.confirmInvoice(householdInvoice);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceNotConsumer.selector, householdInvoice, stranger));
        settlement.disputeInvoice(householdInvoice, "x");
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceNotRetailCompany.selector, household, retailB));
        settlement.cancelInvoice(householdInvoice, "x");
        _close(legal);
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceNotRetailCompany.selector, legal, retailB));
        settlement.issueInvoice(legalInvoice, "doc", 0);
        assertEq(uint256(settlement.getInvoice(legalInvoice).status), uint256(IInvoices.InvoiceStatus.Computed), "not issued");
        assertEq(uint256(settlement.getInvoice(householdInvoice).status), uint256(IInvoices.InvoiceStatus.Issued), "still issued");
    }

    function test_revert_wrongCallersOfRetailFunctions() public {
        bytes32 role = settlement.RETAIL_COMPANY_ROLE();
        uint64[] memory ids = new uint64[](1);
        ids[0] = household;
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, role));
        settlement.closePeriod(2, ids);
        _close(household);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, role));
        settlement.issueInvoice(householdInvoice, "doc", 0);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, role));
        settlement.cancelInvoice(householdInvoice, "x");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPayments.PaymentNotConsumer.selector, household, stranger));
        settlement.setDebitMandate(household, stranger, 1);
        assertEq(uint256(settlement.getInvoice(householdInvoice).status), uint256(IInvoices.InvoiceStatus.Computed), "unchanged");
        assertEq(settlement.debitMandate(household, stranger), 0, "no mandate");
    }
}
