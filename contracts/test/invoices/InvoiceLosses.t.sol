// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IInvoices} from "../../src/interfaces/IInvoices.sol";
import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {LedgerTest} from "../utils/LedgerTest.sol";
import {LedgerVm} from "../utils/LedgerVm.sol";
import {TariffFixtures} from "../utils/TariffFixtures.sol";
import {ITariffs} from "../../src/interfaces/ITariffs.sol";

/**
 * @dev Loss correction in the on-chain invoice flow (F-CHAIN-02) with the figures of billing-rules TV-10:
 * a meter not at the balance boundary has its period volume corrected before pricing, and the
 * correction is emitted ({IInvoices-InvoiceLossCorrected}).
 */
contract InvoiceLossesTest is LedgerTest {
    uint64 internal meterId;
    uint64 internal accountId;
    uint32 internal p1;
    uint32 internal p2;

    function setUp() public override {
        super.setUp();
        // a 720-hour period 2, as in TV-10 (T = 720 h)
        p1 = uint32((block.timestamp / 1800 + 2) * 1800);
        p2 = p1 + 720 * 3600;
        vm.startPrank(operator);
        readings.schedulePeriod(1, p1);
        readings.schedulePeriod(2, p2);
        vm.stopPrank();
        vm.startPrank(retailA);
        uint64 group = tariffs.createGroup("PCK1", IRegistry.ConsumerType.LegalEntity, 1);
        ITariffs.PlanInput memory pck1 = TariffFixtures.singleRate(uint40(block.timestamp - 1 days), 0, 404_000);
        pck1.rates[0] = [uint64(149_897), 209_143, 6_953, 272];
        pck1.vatIncluded = false;
        tariffs.addPlan(group, pck1);
        vm.stopPrank();
        meterId = _registerMeter("L-1", true);
        _registerKey(meterId, device);
        IRegistry.ConsumerAccount memory a = _account(meterId, "LS-L");
        a.consumerType = IRegistry.ConsumerType.LegalEntity;
        a.priceCategory = 1;
        vm.startPrank(retailA);
        accountId = registry.openAccount(a);
        tariffs.assignTariff(accountId, group, ITariffs.TariffKind.SingleRate);
        vm.stopPrank();
    }

    function _meterWithLosses(IRegistry.LossMethod method, int32 ppm, bytes32 parameters) internal {
        IRegistry.Meter memory meter = registry.getMeter(meterId);
        meter.atBalanceBoundary = false;
        meter.lossMethod = method;
        meter.lossPpm = ppm;
        meter.lossParameters = parameters;
        vm.prank(grid);
        registry.updateMeter(meterId, meter);
    }

    /// @dev Metered `wh` in period 2, closed; returns the billed T1 volume and the loss event's figures.
    function _closeWith(uint48 wh) internal returns (uint256 billed, uint256 metered, uint256 loss, bool subtracted) {
        vm.warp(p2 + 7200);
        bytes memory records = bytes.concat(
            _rec3(p1, 0, 1_000_000, 0, 0), _rec3(p2, 0, 1_000_000 + wh, 0, 0), _rec3(p2 + 1800, 0, 1_000_000 + wh, 0, 0)
        );
        _submit(DEVICE_KEY, _entry(meterId, 7, records));
        uint64[] memory ids = new uint64[](1);
        ids[0] = accountId;
        vm.recordLogs();
        vm.prank(retailA);
        settlement.closePeriod(2, ids);
        LedgerVm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == IInvoices.InvoiceLossCorrected.selector) {
                (, metered, loss, subtracted) = abi.decode(logs[i].data, (uint8, uint256, uint256, bool));
            }
            if (logs[i].topics[0] == IInvoices.InvoiceComputed.selector) {
                (,,,,, uint256[5] memory volumes) =
                    abi.decode(logs[i].data, (uint64, uint256, uint64[4], uint256, uint256, uint256[5]));
                billed = volumes[0];
            }
        }
    }

    function test_contractPercentage_TV10a() public {
        _meterWithLosses(IRegistry.LossMethod.ContractPercentage, 30_000, bytes32(0));
        (uint256 billed, uint256 metered, uint256 loss, bool subtracted) = _closeWith(50_000_000);
        assertEq(metered, 50_000_000, "metered 50 000 kWh");
        assertEq(loss, 1_500_000, "+3 %");
        assertTrue(!subtracted, "added: meter downstream");
        assertEq(billed, 51_500_000, "billed 51 500 kWh");
    }

    function test_contractPercentageUpstream_subtracts() public {
        _meterWithLosses(IRegistry.LossMethod.ContractPercentage, -30_000, bytes32(0));
        (uint256 billed,, uint256 loss, bool subtracted) = _closeWith(50_000_000);
        assertEq(loss, 1_500_000, "3 %");
        assertTrue(subtracted, "subtracted: meter upstream");
        assertEq(billed, 48_500_000, "billed 48 500 kWh");
    }

    function test_transformer_TV10b() public {
        // direction add | cos phi 0.9 | k_f 1 | S_nom 400 kVA | dP_xx 0.83 kW | dP_kz 5.5 kW
        bytes32 packed = bytes32(
            (uint256(0) << 248) | (uint256(9000) << 232) | (uint256(10_000) << 216) | (uint256(400_000) << 176)
                | (uint256(830) << 136) | (uint256(5500) << 96)
        );
        _meterWithLosses(IRegistry.LossMethod.Transformer, 0, packed);
        (uint256 billed, uint256 metered, uint256 loss,) = _closeWith(120_000_000);
        assertEq(metered, 120_000_000, "metered 120 000 kWh");
        assertEq(loss, 1_446_365, "1 446.365 kWh");
        assertEq(billed, 121_446_365, "billed 121 446.365 kWh");
    }

    function test_line_TV10c_andUpstream() public {
        // direction | cos phi 0.9 | k_f 1 | 400 V | r0 0.206 Ohm/km = 206 uOhm/m | 150 m
        uint256 body = (uint256(9000) << 232) | (uint256(10_000) << 216) | (uint256(400) << 184)
            | (uint256(206) << 144) | (uint256(150) << 104);
        _meterWithLosses(IRegistry.LossMethod.Line, 0, bytes32((uint256(1) << 248) | body));
        (uint256 billed,, uint256 loss, bool subtracted) = _closeWith(20_000_000);
        assertEq(loss, 132_459, "132.459 kWh");
        assertTrue(subtracted, "the grid company's line upstream: subtracted");
        assertEq(billed, 20_000_000 - 132_459, "billed");
    }

    function test_atBoundary_noCorrection() public {
        (uint256 billed, uint256 metered,,) = _closeWith(50_000_000);
        assertEq(billed, 50_000_000, "billed as metered");
        assertEq(metered, 0, "no loss event");
    }
}
