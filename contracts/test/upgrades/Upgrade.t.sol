// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IBillingVolumes} from "../../src/interfaces/IBillingVolumes.sol";
import {IInvoices} from "../../src/interfaces/IInvoices.sol";
import {IReadings} from "../../src/interfaces/IReadings.sol";
import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {ITariffs} from "../../src/interfaces/ITariffs.sol";
import {ReadingsV2Mock, SettlementV2Mock} from "../mocks/UpgradeMocks.sol";
import {SettlementTest} from "../invoices/Settlement.t.sol";

/// @dev A logic change keeps accounts, readings and invoices (UUPS, ERC-1967).
contract UpgradeTest is SettlementTest {
    /// @dev The implementation reads the contracts it was built for; initialize must name the same ones.
    function test_revert_settlementInitializedForOtherContracts() public {
        address implementation =
            address(new SettlementV2Mock(
                IRegistry(address(registry)),
                IReadings(address(readings)),
                ITariffs(address(tariffs)),
                IBillingVolumes(address(billingVolumes))
            ));
        vm.expectRevert(abi.encodeWithSelector(IInvoices.InvoiceWrongContract.selector, address(tariffs), stranger));
        _proxy(
            implementation,
            abi.encodeWithSignature(
                "initialize(address,address,address,address)", operator, address(registry), address(readings), stranger
            )
        );
    }

    function test_upgradeKeepsAccountsReadingsAndInvoices() public {
        _close(household);
        _issue(householdInvoice);
        uint64 meterId = _meterOf["H-1"];
        (uint32 endBefore, uint48[5] memory regsBefore,) = readings.meterState(meterId);
        (uint32 snapEnd,) = readings.snapshot(meterId, 2);

        address readingsV2 = address(new ReadingsV2Mock());
        address settlementV2 = address(new SettlementV2Mock(
                IRegistry(address(registry)),
                IReadings(address(readings)),
                ITariffs(address(tariffs)),
                IBillingVolumes(address(billingVolumes))
            ));
        vm.startPrank(operator);
        readings.upgradeToAndCall(readingsV2, "");
        settlement.upgradeToAndCall(settlementV2, "");
        ReadingsV2Mock(address(readings)).setUpgradeMarker(42);
        vm.stopPrank();

        assertEq(readings.logicVersion(), 2, "new readings logic");
        assertEq(settlement.logicVersion(), 2, "new settlement logic");
        assertEq(ReadingsV2Mock(address(readings)).upgradeMarker(), 42, "appended state works");
        (uint32 endAfter, uint48[5] memory regsAfter,) = readings.meterState(meterId);
        assertEq(endAfter, endBefore, "last interval kept");
        for (uint256 k = 0; k < 5; ++k) assertEq(regsAfter[k], regsBefore[k], "registers kept");
        (uint32 snapAfter,) = readings.snapshot(meterId, 2);
        assertEq(snapAfter, snapEnd, "snapshot kept");
        assertEq(readings.deviceKeyStatus(meterId, device), 1, "device key kept");
        IInvoices.Invoice memory invoice = settlement.getInvoice(householdInvoice);
        assertEq(invoice.total, 89_140, "invoice kept");
        assertEq(uint256(invoice.status), uint256(IInvoices.InvoiceStatus.Issued), "invoice status kept");
        assertEq(registry.getAccount(household).consumer, consumer, "account kept");

        // and the upgraded contracts keep working on the old state
        _submit(DEVICE_KEY, _entry(meterId, 7, _rec3(p2 + 3600, 0, 1_060_001, 590_000, 380_000)));
        (endAfter,,) = readings.meterState(meterId);
        assertEq(endAfter, p2 + 3600, "new readings accepted after the upgrade");
    }

    function test_revert_upgradeByNonUpgrader() public {
        bytes32 role = readings.UPGRADER_ROLE();
        address readingsV2 = address(new ReadingsV2Mock());
        vm.prank(grid);
        vm.expectRevert(_unauthorized(grid, role));
        readings.upgradeToAndCall(readingsV2, "");
        assertEq(readings.logicVersion(), 1, "still version 1");
    }

    function test_ruleParametersAreData() public {
        // a price change: a new dated plan version (see TariffsTest); a rule parameter: the tolerance
        vm.prank(operator);
        readings.setFutureTolerance(600);
        assertEq(readings.futureTolerance(), 600, "tolerance is data");
        ITariffs.PlanInput memory next = _nextPrice();
        vm.startPrank(retailA);
        uint64 groupId = tariffs.getChoice(household).groupId;
        uint64 current = tariffs.planVersions(groupId, ITariffs.TariffKind.ThreeZone)[0];
        tariffs.setPlanValidTo(current, next.validFrom);
        tariffs.addPlan(groupId, next);
        vm.stopPrank();
        assertEq(tariffs.planVersions(groupId, ITariffs.TariffKind.ThreeZone).length, 2, "two dated versions");
        assertEq(uint256(registry.getAccount(household).consumerType), uint256(IRegistry.ConsumerType.Household), "ok");
    }

    function _nextPrice() internal view returns (ITariffs.PlanInput memory p) {
        p.kind = ITariffs.TariffKind.ThreeZone;
        p.validFrom = uint40(block.timestamp + 10 days);
        p.vatBp = 2200;
        p.vatIncluded = true;
        p.zoneHours = new ITariffs.ZoneInterval[](3);
        p.zoneHours[0] = ITariffs.ZoneInterval(7, 17, 0);
        p.zoneHours[1] = ITariffs.ZoneInterval(17, 23, 1);
        p.zoneHours[2] = ITariffs.ZoneInterval(23, 7, 2);
        p.rates = new uint64[4][](3);
        p.rates[0] = [uint64(300_000), 150_000, 80_000, 272];
        p.rates[1] = [uint64(250_000), 120_000, 60_000, 272];
        p.rates[2] = [uint64(150_000), 90_000, 40_000, 272];
    }
}
