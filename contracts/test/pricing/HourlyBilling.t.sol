// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Roles} from "../../src/access/Roles.sol";
import {HourlyBilling} from "../../src/pricing/HourlyBilling.sol";
import {IHourlyBilling} from "../../src/interfaces/IHourlyBilling.sol";
import {IInvoices} from "../../src/interfaces/IInvoices.sol";
import {IPayments} from "../../src/interfaces/IPayments.sol";
import {IReadings} from "../../src/interfaces/IReadings.sol";
import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {ITariffs} from "../../src/interfaces/ITariffs.sol";
import {LedgerTest} from "../utils/LedgerTest.sol";
import {LedgerVm} from "../utils/LedgerVm.sol";

/**
 * @dev ПЦК 3/4 billed on chain through the HourlyBilling module, with the figures of billing-rules TV-14
 * (ПЦК 3) and TV-14 + TV-14b (ПЦК 4), the same as domain/vectors/billing.json TV-14 and TV-14b/full.
 *
 * The month: 30 days = 720 hours. Each day 8 hours of 100 kWh at 2 500 RUB/MWh, then 16 hours of 250 kWh
 * at 4 200 RUB/MWh (144 MWh), except on day 0 one hour of 240 kWh (the АТС peak hour that day) and one of
 * 260 kWh, so that the АТС-hour volumes are 250 kWh on 20 working days and 240 kWh on one (TV-14) while
 * the energy total stays 564 000.00. 21 working days; each day's planned peak window is hours 8-11 of
 * the day (maximum 250 kWh every day, TV-14b).
 */
contract HourlyBillingTest is LedgerTest {
    uint256 internal constant HOURS = 720;

    HourlyBilling internal hourly;
    uint32 internal p1;
    uint32 internal p2;
    uint64 internal group3;
    uint64 internal group4;
    uint64 internal plan3;
    uint64 internal plan4;
    uint64 internal meterId;
    uint64 internal account3;
    uint64 internal meter4;
    uint64 internal account4;

    function setUp() public override {
        super.setUp();
        hourly = HourlyBilling(
            _proxy(
                address(new HourlyBilling()),
                abi.encodeCall(
                    HourlyBilling.initialize,
                    (
                        operator,
                        IRegistry(address(registry)),
                        IReadings(address(readings)),
                        ITariffs(address(tariffs)),
                        IInvoices(address(settlement))
                    )
                )
            )
        );
        p1 = uint32((block.timestamp / 3600 + 2) * 3600);
        p2 = uint32(p1 + HOURS * 3600);
        vm.startPrank(operator);
        readings.schedulePeriod(1, p1);
        readings.schedulePeriod(2, p2);
        settlement.grantRole(Roles.BILLING_MODULE_ROLE, address(hourly));
        hourly.grantRole(Roles.RETAIL_COMPANY_ROLE, retailA);
        hourly.grantRole(Roles.RETAIL_COMPANY_ROLE, retailB);
        hourly.grantRole(Roles.GRID_COMPANY_ROLE, grid);
        vm.stopPrank();

        vm.startPrank(retailA);
        group3 = tariffs.createGroup("PCK3", IRegistry.ConsumerType.LegalEntity, 3);
        group4 = tariffs.createGroup("PCK4", IRegistry.ConsumerType.LegalEntity, 4);
        plan3 = tariffs.addPlan(group3, _hourlyPlan(ITariffs.TariffKind.PriceCategory3, [uint64(0), 0, 0, 0]));
        plan4 = tariffs.addPlan(group4, _hourlyPlan(ITariffs.TariffKind.PriceCategory4, [uint64(0), 0, 0, 0]));
        vm.stopPrank();
        (meterId, account3) = _hourlyAccount("H3", "LS-3", 3, group3, ITariffs.TariffKind.PriceCategory3);
        (meter4, account4) = _hourlyAccount("H4", "LS-4", 4, group4, ITariffs.TariffKind.PriceCategory4);
        vm.warp(p2 + 7200);
        _meterReadings(meterId, 144_000_000);
        _meterReadings(meter4, 144_000_000);
    }

    // ------------------------------------------------------------------ fixtures

    function _hourlyPlan(ITariffs.TariffKind kind, uint64[4] memory adders)
        internal
        view
        returns (ITariffs.PlanInput memory p)
    {
        p.kind = kind;
        p.validFrom = uint40(block.timestamp - 1 days);
        p.vatBp = 2200;
        p.rates = new uint64[4][](1);
        p.rates[0] = adders;
    }

    function _hourlyAccount(bytes32 serial, bytes32 number, uint8 category, uint64 group, ITariffs.TariffKind kind)
        internal
        returns (uint64 meter, uint64 accountId)
    {
        meter = _registerMeter(serial, true);
        _registerKey(meter, device);
        IRegistry.ConsumerAccount memory a = _account(meter, number);
        a.consumerType = IRegistry.ConsumerType.LegalEntity;
        a.priceCategory = category;
        vm.startPrank(retailA);
        accountId = registry.openAccount(a);
        tariffs.assignTariff(accountId, group, kind);
        vm.stopPrank();
    }

    /// @dev `wh` consumed on T1 between the ends of periods 1 and 2.
    function _meterReadings(uint64 meter, uint48 wh) internal {
        bytes memory records = bytes.concat(
            _rec3(p1, 0, 1_000_000, 0, 0), _rec3(p2, 0, 1_000_000 + wh, 0, 0), _rec3(p2 + 1800, 0, 1_000_000 + wh, 0, 0)
        );
        _submit(DEVICE_KEY, _entry(meter, 7, records));
    }

    /// @dev Working days: Monday-Friday of a month starting on a Monday (22) less day 1, a holiday: 21.
    function _workingDays() internal pure returns (uint256[] memory days_) {
        days_ = new uint256[](21);
        uint256 n;
        for (uint256 d = 0; d < 30; ++d) {
            if (d % 7 < 5 && d != 1) days_[n++] = d;
        }
    }

    function _volumes() internal pure returns (uint256[] memory volumes) {
        volumes = new uint256[](HOURS);
        for (uint256 h = 0; h < HOURS; ++h) volumes[h] = h % 24 < 8 ? 100_000 : 250_000;
        volumes[12] = 240_000; // day 0's АТС peak hour
        volumes[20] = 260_000; // outside the peak hour and window: the total stays 144 MWh
    }

    function _prices(bool pck4) internal pure returns (IHourlyBilling.HourlyPrices memory data) {
        data.prices = new uint256[](HOURS);
        for (uint256 h = 0; h < HOURS; ++h) data.prices[h] = h % 24 < 8 ? 250_000 : 420_000;
        data.capacityRate = 105_000_000; // 1 050 000 RUB/MW per month
        uint256[] memory workingDays = _workingDays();
        data.capacityHours = new uint256[](21);
        for (uint256 i = 0; i < 21; ++i) data.capacityHours[i] = workingDays[i] * 24 + 12;
        if (pck4) {
            data.maintenanceRate = 219_598_996; // 2 195 989.96 RUB/MW per month
            data.lossRate = 59_310; // 593.10 RUB/MWh
            data.networkWindows = new uint256[](21);
            for (uint256 i = 0; i < 21; ++i) data.networkWindows[i] = ((workingDays[i] * 24 + 8) << 8) | 4;
        }
    }

    function _publish(uint64 planId, IHourlyBilling.HourlyPrices memory data) internal returns (bytes32) {
        vm.prank(retailA);
        return hourly.publishHourlyPrices(planId, 2, data);
    }

    function _bill(uint64 accountId, IHourlyBilling.HourlyPrices memory data, uint256[] memory volumes)
        internal
        returns (uint256 invoiceId, uint256 gasUsed)
    {
        vm.prank(retailA);
        uint256 before = gasleft();
        invoiceId = hourly.billHourly(accountId, 2, data, volumes);
        gasUsed = before - gasleft();
    }

    /// @dev The InvoiceComputed and InvoiceLinesComputed of the recorded logs.
    function _invoiceEvents(LedgerVm.Log[] memory logs)
        internal
        view
        returns (uint256 total, uint64[4] memory components, uint256 vat, uint256[] memory lines)
    {
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter != address(settlement)) continue;
            if (logs[i].topics[0] == IInvoices.InvoiceComputed.selector) {
                (, total, components, vat,,) =
                    abi.decode(logs[i].data, (uint64, uint256, uint64[4], uint256, uint256, uint256[5]));
            }
            if (logs[i].topics[0] == IInvoices.InvoiceLinesComputed.selector) {
                lines = abi.decode(logs[i].data, (uint256[]));
            }
        }
    }

    function _checkLine(uint256 word, uint256 kind, uint256 component, uint256 quantity, uint256 rate, uint256 amount)
        internal
        pure
    {
        assertEq(word >> 248, kind, "line kind");
        assertEq((word >> 224) & 0xff, component, "line component");
        assertEq(uint64(word >> 160), quantity, "line quantity");
        assertEq(uint64(word >> 96), rate, "line rate");
        assertEq(uint64(word >> 32), amount, "line amount");
    }

    // ------------------------------------------------------------------ worked examples

    /// @dev TV-14: 564 000.00 + 262 000.00 = 826 000.00 net, VAT 181 720.00, 1 007 720.00; paid in full.
    function test_priceCategory3_TV14() public {
        IHourlyBilling.HourlyPrices memory data = _prices(false);
        bytes32 hash = _publish(plan3, data);
        assertEq(hash, keccak256(abi.encode(data)), "the stored hash is keccak(abi.encode(data))");
        assertEq(hourly.pricesHash(plan3, 2), hash, "stored");
        vm.recordLogs();
        (uint256 invoiceId,) = _bill(account3, data, _volumes());
        (uint256 total, uint64[4] memory components, uint256 vat, uint256[] memory lines) =
            _invoiceEvents(vm.getRecordedLogs());
        assertEq(invoiceId, settlement.invoiceIdOf(account3, 2), "invoice id");
        assertEq(lines.length, 2, "hourly energy and capacity");
        _checkLine(lines[0], 1, 0, 144_000_000, 0, 56_400_000);
        _checkLine(lines[1], 2, 0, 249_524, 105_000_000, 26_200_000);
        assertEq(vat, 18_172_000, "VAT 181 720.00");
        assertEq(total, 100_772_000, "1 007 720.00");
        assertEq(components[0], 100_772_000, "all energy: the hourly price includes T1, SN and I");

        // Settlement treats it like any invoice: issue, pay, closed
        vm.prank(retailA);
        settlement.issueInvoice(invoiceId, bytes32("doc"), uint32(block.timestamp + 10 days));
        vm.prank(bank);
        settlement.recordPayment(invoiceId, 100_772_000, IPayments.PaymentMethod(0), 1, bytes32("ref"));
        IInvoices.Invoice memory stored = settlement.getInvoice(invoiceId);
        assertEq(stored.total, 100_772_000, "stored total");
        assertEq(stored.paid[0], 100_772_000, "paid to the energy provider");
    }

    /// @dev A 720-hour ПЦК 3 invoice (hash check, sum check, pricing, Settlement's storage and events);
    /// `forge test -vv` prints the figure.
    function test_gasOfPriceCategory3Invoice() public {
        IHourlyBilling.HourlyPrices memory data = _prices(false);
        _publish(plan3, data);
        (, uint256 gasUsed) = _bill(account3, data, _volumes());
        emit log_named_uint("billHourly gas, 720 hours (execution, without calldata)", gasUsed);
        assertTrue(gasUsed < 1_100_000, "under 1.1 M gas");
    }

    event log_named_uint(string key, uint256 val);

    /// @dev TV-14 + TV-14b: + maintenance 548 997.49 + losses 85 406.40 = 1 460 403.89 net.
    function test_priceCategory4_TV14b() public {
        IHourlyBilling.HourlyPrices memory data = _prices(true);
        _publish(plan4, data);
        vm.recordLogs();
        _bill(account4, data, _volumes());
        (uint256 total, uint64[4] memory components, uint256 vat, uint256[] memory lines) =
            _invoiceEvents(vm.getRecordedLogs());
        assertEq(lines.length, 4, "hourly energy, capacity, maintenance, losses");
        _checkLine(lines[0], 1, 0, 144_000_000, 0, 56_400_000);
        _checkLine(lines[1], 2, 0, 249_524, 105_000_000, 26_200_000);
        _checkLine(lines[2], 3, 1, 250_000, 219_598_996, 54_899_749);
        _checkLine(lines[3], 4, 1, 144_000_000, 59_310, 8_540_640);
        // VAT = roundHalfUp(146 040 389 × 0.22) = 32 128 885.58 → 32 128 886 kopecks
        assertEq(vat, 32_128_886, "VAT 321 288.86");
        assertEq(total, 146_040_389 + 32_128_886, "1 781 692.75");
        // VAT by largest remainder of 82 600 000 / 63 440 389: 18 172 000 / 13 956 885.58 → …886
        assertEq(components[0], 82_600_000 + 18_172_000, "energy gross");
        assertEq(components[1], 63_440_389 + 13_956_886, "transmission gross");
    }

    /// @dev Per-MWh adders (transmission, markup, infrastructure of TV-12) outside the hourly price give
    /// the other components their lines, so the payment split (F-CHAIN-05) works.
    function test_addersAreSeparateComponents() public {
        vm.startPrank(retailA);
        uint64 group = tariffs.createGroup("PCK3 adders", IRegistry.ConsumerType.LegalEntity, 3);
        uint64 plan =
            tariffs.addPlan(group, _hourlyPlan(ITariffs.TariffKind.PriceCategory3, [uint64(0), 209_143, 6_953, 272]));
        vm.stopPrank();
        (uint64 meter, uint64 accountId) = _hourlyAccount("H5", "LS-5", 3, group, ITariffs.TariffKind.PriceCategory3);
        _meterReadings(meter, 144_000_000);
        IHourlyBilling.HourlyPrices memory data = _prices(false);
        _publish(plan, data);
        vm.recordLogs();
        _bill(accountId, data, _volumes());
        (uint256 total, uint64[4] memory components, uint256 vat, uint256[] memory lines) =
            _invoiceEvents(vm.getRecordedLogs());
        assertEq(lines.length, 5, "three adder lines, hourly energy, capacity");
        _checkLine(lines[0], 0, 1, 144_000_000, 209_143, 30_116_592);
        _checkLine(lines[1], 0, 2, 144_000_000, 6_953, 1_001_232);
        _checkLine(lines[2], 0, 3, 144_000_000, 272, 39_168);
        _checkLine(lines[3], 1, 0, 144_000_000, 0, 56_400_000);
        _checkLine(lines[4], 2, 0, 249_524, 105_000_000, 26_200_000);
        // net 113 756 992; VAT 25 026 538.24 -> 25 026 538, by largest remainder (infrastructure's .96 wins)
        assertEq(vat, 25_026_538, "VAT");
        assertEq(components[0], 100_772_000, "energy");
        assertEq(components[1], 36_742_242, "transmission");
        assertEq(components[2], 1_221_503, "retail markup");
        assertEq(components[3], 47_785, "infrastructure");
        assertEq(total, 113_756_992 + 25_026_538, "gross");
    }

    /// @dev The grid company attests the hourly profile: a vector with the same total but volume moved
    /// between hours is refused, the attested one is billed; with attestation required, none is refused.
    function test_gridCompanyAttestation() public {
        IHourlyBilling.HourlyPrices memory data = _prices(false);
        _publish(plan3, data);
        uint256[] memory volumes = _volumes();
        bytes32 attested = keccak256(abi.encodePacked(volumes));
        uint256 invoiceId = settlement.invoiceIdOf(account3, 2);

        vm.prank(operator);
        hourly.setAttestationRequired(true);
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(
                IHourlyBilling.HourlyBillingVolumesNotAttested.selector, account3, uint32(2), bytes32(0), attested
            )
        );
        hourly.billHourly(account3, 2, data, volumes);

        vm.prank(grid);
        hourly.attestHourlyVolumes(account3, 2, attested);
        (bytes32 stored, bool required) = hourly.attestation(invoiceId);
        assertEq(stored, attested, "attested hash");
        assertTrue(required, "required");
        // the same total, 1 kWh moved from a cheap night hour to a day hour
        uint256[] memory shifted = _volumes();
        shifted[2] -= 1_000;
        shifted[10] += 1_000;
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(
                IHourlyBilling.HourlyBillingVolumesNotAttested.selector,
                account3,
                uint32(2),
                attested,
                keccak256(abi.encodePacked(shifted))
            )
        );
        hourly.billHourly(account3, 2, data, shifted);

        vm.recordLogs();
        _bill(account3, data, volumes);
        LedgerVm.Log[] memory logs = vm.getRecordedLogs();
        bool seen;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != IHourlyBilling.HourlyVolumesBilled.selector) continue;
            (, bool wasAttested, uint256[] memory emitted) = abi.decode(logs[i].data, (bytes32, bool, uint256[]));
            assertTrue(wasAttested, "billed as attested");
            assertEq(keccak256(abi.encodePacked(emitted)), attested, "the attested vector is emitted");
            seen = true;
        }
        assertTrue(seen, "HourlyVolumesBilled emitted");
    }

    function test_revert_attestationCallers() public {
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, Roles.GRID_COMPANY_ROLE));
        hourly.attestHourlyVolumes(account3, 2, bytes32("h"));
        address otherGrid = address(0x6E);
        vm.prank(operator);
        hourly.grantRole(Roles.GRID_COMPANY_ROLE, otherGrid);
        vm.prank(otherGrid);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingNotMeterOwner.selector, account3, otherGrid));
        hourly.attestHourlyVolumes(account3, 2, bytes32("h"));
        vm.prank(grid);
        vm.expectRevert(_unauthorized(grid, Roles.OPERATOR_ROLE));
        hourly.setAttestationRequired(true);
    }

    // ------------------------------------------------------------------ refusals

    function test_revert_publishRules() public {
        IHourlyBilling.HourlyPrices memory data = _prices(false);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, Roles.RETAIL_COMPANY_ROLE));
        hourly.publishHourlyPrices(plan3, 2, data);
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingNotPlanOwner.selector, plan3, retailB));
        hourly.publishHourlyPrices(plan3, 2, data);

        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(IHourlyBilling.HourlyBillingNotHourlyPlan.selector, uint64(99), ITariffs.TariffKind.None)
        );
        hourly.publishHourlyPrices(99, 2, data);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingPeriodNotScheduled.selector, uint32(3)));
        hourly.publishHourlyPrices(plan3, 3, data);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingPeriodNotScheduled.selector, uint32(1)));
        hourly.publishHourlyPrices(plan3, 1, data);

        IHourlyBilling.HourlyPrices memory short_ = _prices(false);
        short_.prices = new uint256[](HOURS - 1);
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(IHourlyBilling.HourlyBillingWrongHourCount.selector, uint32(2), HOURS, HOURS - 1)
        );
        hourly.publishHourlyPrices(plan3, 2, short_);

        IHourlyBilling.HourlyPrices memory pck4Rates = _prices(true);
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(
                IHourlyBilling.HourlyBillingInvalidRates.selector,
                ITariffs.TariffKind.PriceCategory3,
                pck4Rates.capacityRate,
                pck4Rates.maintenanceRate,
                pck4Rates.lossRate
            )
        );
        hourly.publishHourlyPrices(plan3, 2, pck4Rates);

        IHourlyBilling.HourlyPrices memory noHours = _prices(false);
        noHours.capacityHours = new uint256[](0);
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(
                IHourlyBilling.HourlyBillingInvalidRates.selector, ITariffs.TariffKind.PriceCategory3, 105_000_000, 0, 0
            )
        );
        hourly.publishHourlyPrices(plan3, 2, noHours);

        IHourlyBilling.HourlyPrices memory late = _prices(false);
        late.capacityHours[3] = HOURS;
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingHourOutOfRange.selector, 3, HOURS, HOURS));
        hourly.publishHourlyPrices(plan3, 2, late);

        IHourlyBilling.HourlyPrices memory window = _prices(true);
        window.networkWindows[20] = ((HOURS - 2) << 8) | 3;
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(IHourlyBilling.HourlyBillingHourOutOfRange.selector, 20, ((HOURS - 2) << 8) | 3, HOURS)
        );
        hourly.publishHourlyPrices(plan4, 2, window);

        _publish(plan3, data);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingAlreadyPublished.selector, plan3, uint32(2)));
        hourly.publishHourlyPrices(plan3, 2, data);
    }

    /// @dev A version starting after the period's end is not the one billing picks for it.
    function test_revert_publishForAPlanNotInEffect() public {
        vm.startPrank(retailA);
        uint64 group = tariffs.createGroup("PCK3 later", IRegistry.ConsumerType.LegalEntity, 3);
        ITariffs.PlanInput memory later = _hourlyPlan(ITariffs.TariffKind.PriceCategory3, [uint64(0), 0, 0, 0]);
        later.validFrom = p2;
        uint64 plan = tariffs.addPlan(group, later);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingPlanNotInEffect.selector, plan, uint32(2), p2));
        hourly.publishHourlyPrices(plan, 2, _prices(false));
        vm.stopPrank();
    }

    function test_revert_billRules() public {
        IHourlyBilling.HourlyPrices memory data = _prices(false);
        uint256[] memory volumes = _volumes();
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, Roles.RETAIL_COMPANY_ROLE));
        hourly.billHourly(account3, 2, data, volumes);
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingNotRetailCompany.selector, account3, retailB));
        hourly.billHourly(account3, 2, data, volumes);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingNotPublished.selector, plan3, uint32(2)));
        hourly.billHourly(account3, 2, data, volumes);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingPeriodNotEnded.selector, uint32(3), uint32(0)));
        hourly.billHourly(account3, 3, data, volumes);

        bytes32 hash = _publish(plan3, data);
        IHourlyBilling.HourlyPrices memory cheaper = _prices(false);
        cheaper.prices[100] -= 1;
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(
                IHourlyBilling.HourlyBillingPricesMismatch.selector, plan3, uint32(2), hash, keccak256(abi.encode(cheaper))
            )
        );
        hourly.billHourly(account3, 2, cheaper, volumes);

        // the hourly volumes must add up to the meter's snapshots (144 MWh)
        volumes[30] += 1;
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(
                IHourlyBilling.HourlyBillingVolumeMismatch.selector, account3, uint32(2), 144_000_000, 144_000_001
            )
        );
        hourly.billHourly(account3, 2, data, volumes);
        uint256[] memory tooFew = new uint256[](HOURS - 1);
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(IHourlyBilling.HourlyBillingWrongHourCount.selector, uint32(2), HOURS, HOURS - 1)
        );
        hourly.billHourly(account3, 2, data, tooFew);

        (uint256 invoiceId,) = _bill(account3, data, _volumes());
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceAlreadyExists.selector, invoiceId));
        hourly.billHourly(account3, 2, data, _volumes());
    }

    /// @dev The account and meter checks: meter off the balance boundary, replaced meter, inactive, no snapshots.
    function test_revert_accountAndMeterRules() public {
        IHourlyBilling.HourlyPrices memory data = _prices(false);
        _publish(plan3, data);
        IRegistry.Meter memory meter = registry.getMeter(meterId);
        meter.atBalanceBoundary = false;
        vm.prank(grid);
        registry.updateMeter(meterId, meter);
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(IHourlyBilling.HourlyBillingVolumesNotPlain.selector, account3, meterId)
        );
        hourly.billHourly(account3, 2, data, _volumes());

        // a replacement during the period: the account's meter did not measure all of it
        meter.atBalanceBoundary = true;
        vm.prank(grid);
        registry.updateMeter(meterId, meter);
        uint64 newMeter = _registerMeter("H3-new", true);
        uint32 replacedAt = p1 + 100 * 3600;
        vm.prank(grid);
        registry.replaceMeter(account3, newMeter, replacedAt, [uint48(5_000_000), 0, 0, 0, 0], [uint48(0), 0, 0, 0, 0]);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingMeterReplaced.selector, account3, replacedAt));
        hourly.billHourly(account3, 2, data, _volumes());

        vm.prank(retailA);
        registry.updateAccount(account3, consumer, IRegistry.ConsumerType.LegalEntity, 3, "site", "addr", false);
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingInactiveAccount.selector, account3));
        hourly.billHourly(account3, 2, data, _volumes());

        (uint64 silent, uint64 silentAccount) = _hourlyAccount("H6", "LS-6", 3, group3, ITariffs.TariffKind.PriceCategory3);
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(IHourlyBilling.HourlyBillingMissingSnapshot.selector, silentAccount, silent, uint32(2))
        );
        hourly.billHourly(silentAccount, 2, data, _volumes());
    }

    /// @dev A household-plan account cannot be billed hourly; an hourly-plan account cannot be closed.
    /// @dev A replacement in an earlier period routes the account to BillingVolumes until a period after it is
    /// closed there, which never happens for ПЦК 3/4: billing a later period hourly is still allowed (the new
    /// meter measured all of it), while substitution state keeps refusing it.
    function test_replacementInAnEarlierPeriod_billsNormally() public {
        IHourlyBilling.HourlyPrices memory data = _prices(false);
        _publish(plan3, data);
        uint64 newMeter = _registerMeter("H3-new", true);
        _registerKey(newMeter, device);
        _meterReadings(newMeter, 144_000_000);
        vm.prank(grid);
        registry.replaceMeter(
            account3, newMeter, p1 - 3600, [uint48(1_000_000), 0, 0, 0, 0], [uint48(900_000), 0, 0, 0, 0]
        );
        (,,,, bool viaModule) = registry.settlementState(account3);
        assertTrue(viaModule, "the replacement routes period close to BillingVolumes");
        vm.recordLogs();
        _bill(account3, data, _volumes());
        (uint256 total,,,) = _invoiceEvents(vm.getRecordedLogs());
        assertEq(total, 100_772_000, "TV-14 1 007 720.00 from the new meter");

        // substitution state (the BillingVolumes flag) still refuses hourly billing
        (uint64 other, uint64 otherAccount) = _hourlyAccount("H5", "LS-5", 3, group3, ITariffs.TariffKind.PriceCategory3);
        _meterReadings(other, 144_000_000);
        vm.startPrank(operator);
        registry.grantRole(registry.VOLUMES_MODULE_ROLE(), operator);
        registry.setVolumesFlag(otherAccount, true);
        vm.stopPrank();
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IHourlyBilling.HourlyBillingVolumesNotPlain.selector, otherAccount, other));
        hourly.billHourly(otherAccount, 2, data, _volumes());
    }

    function test_revert_wrongPathForThePlan() public {
        uint64[] memory ids = new uint64[](1);
        ids[0] = account3;
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceHourlyPlan.selector, plan3));
        settlement.closePeriod(2, ids);

        vm.startPrank(retailA);
        uint64 pck1 = tariffs.createGroup("PCK1", IRegistry.ConsumerType.LegalEntity, 1);
        ITariffs.PlanInput memory single = _hourlyPlan(ITariffs.TariffKind.SingleRate, [uint64(404_000), 0, 0, 0]);
        uint64 singlePlan = tariffs.addPlan(pck1, single);
        vm.stopPrank();
        (uint64 meter1, uint64 account1) = _hourlyAccount("H1", "LS-1", 1, pck1, ITariffs.TariffKind.SingleRate);
        _meterReadings(meter1, 144_000_000);
        vm.prank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(
                IHourlyBilling.HourlyBillingNotHourlyPlan.selector, singlePlan, ITariffs.TariffKind.SingleRate
            )
        );
        hourly.billHourly(account1, 2, _prices(false), _volumes());
    }

    function test_revert_recordModuleInvoiceOnlyByTheModule() public {
        uint256[] memory payable_ = new uint256[](4);
        uint256[5] memory volumes;
        vm.prank(retailA);
        vm.expectRevert(_unauthorized(retailA, Roles.BILLING_MODULE_ROLE));
        settlement.recordModuleInvoice(account3, 2, plan3, payable_, 0, volumes, new uint256[](0));
    }

    function test_revert_initializeAndUpgradeCallers() public {
        vm.expectRevert(abi.encodeWithSignature("InvalidInitialization()"));
        hourly.initialize(
            stranger,
            IRegistry(address(registry)),
            IReadings(address(readings)),
            ITariffs(address(tariffs)),
            IInvoices(address(settlement))
        );
        address implementation = address(new HourlyBilling());
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, Roles.UPGRADER_ROLE));
        hourly.upgradeToAndCall(implementation, "");
    }

    // ------------------------------------------------------------------ plans

    function test_revert_hourlyPlanRules() public {
        vm.startPrank(retailA);
        vm.expectRevert(
            abi.encodeWithSelector(ITariffs.TariffKindNotInCategory.selector, group3, 3, ITariffs.TariffKind.PriceCategory4)
        );
        tariffs.addPlan(group3, _hourlyPlan(ITariffs.TariffKind.PriceCategory4, [uint64(0), 0, 0, 0]));

        ITariffs.PlanInput memory twoRows = _hourlyPlan(ITariffs.TariffKind.PriceCategory3, [uint64(0), 0, 0, 0]);
        twoRows.rates = new uint64[4][](2);
        vm.expectRevert(
            abi.encodeWithSelector(ITariffs.TariffInvalidHourlyPlan.selector, ITariffs.TariffKind.PriceCategory3, 2, false, 0)
        );
        tariffs.addPlan(group3, twoRows);

        ITariffs.PlanInput memory withVat = _hourlyPlan(ITariffs.TariffKind.PriceCategory3, [uint64(0), 0, 0, 0]);
        withVat.vatIncluded = true;
        vm.expectRevert(
            abi.encodeWithSelector(ITariffs.TariffInvalidHourlyPlan.selector, ITariffs.TariffKind.PriceCategory3, 1, true, 0)
        );
        tariffs.addPlan(group3, withVat);

        vm.expectRevert(
            abi.encodeWithSelector(
                ITariffs.TariffInvalidHourlyPlan.selector, ITariffs.TariffKind.PriceCategory4, 1, false, 209_143
            )
        );
        tariffs.addPlan(group4, _hourlyPlan(ITariffs.TariffKind.PriceCategory4, [uint64(0), 209_143, 0, 0]));
        vm.stopPrank();
    }
}
