// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {ITariffs} from "../../src/interfaces/ITariffs.sol";
import {LedgerTest} from "../utils/LedgerTest.sol";
import {TariffFixtures} from "../utils/TariffFixtures.sol";

contract TariffsTest is LedgerTest {
    uint64 internal group;
    uint64 internal accountId;
    uint40 internal from;

    function setUp() public override {
        super.setUp();
        from = uint40(block.timestamp - 1 days);
        vm.prank(retailA);
        group = tariffs.createGroup("Urban", IRegistry.ConsumerType.Household, 0);
        accountId = _openAccount(_registerMeter("S-1", true), "LS-1");
    }

    function test_priceChangeIsANewDatedPlan() public {
        uint40 change = uint40(block.timestamp + 30 days);
        vm.startPrank(retailA);
        uint64 first = tariffs.addPlan(group, TariffFixtures.singleRate(from, 0, 404_000));
        tariffs.setPlanValidTo(first, change);
        uint64 second = tariffs.addPlan(group, TariffFixtures.singleRate(change, 0, 441_000));
        tariffs.assignTariff(accountId, group, ITariffs.TariffKind.SingleRate);
        vm.stopPrank();
        assertEq(tariffs.planFor(accountId, 1, block.timestamp).planId, first, "old price before the change");
        assertEq(tariffs.planFor(accountId, 2, change + 1).planId, second, "new price after the change");
    }

    /// @dev The lean lookup of period close returns what planFor returns (thresholds and the export
    /// price of zone plans only when asked for).
    function test_billingPlanForEqualsPlanFor() public {
        vm.startPrank(retailA);
        ITariffs.PlanInput memory input = TariffFixtures.threeZone(from, uint40(block.timestamp + 90 days));
        input.exportPrice = 285_040;
        input.threshold1 = 7;
        tariffs.addPlan(group, input);
        tariffs.assignTariff(accountId, group, ITariffs.TariffKind.ThreeZone);
        vm.stopPrank();
        ITariffs.PlanData memory full = tariffs.planFor(accountId, 1, block.timestamp);
        ITariffs.PlanData memory lean = tariffs.billingPlanFor(accountId, 1, block.timestamp, true);
        assertEq(keccak256(abi.encode(lean)), keccak256(abi.encode(full)), "with export: identical");
        lean = tariffs.billingPlanFor(accountId, 1, block.timestamp, false);
        assertEq(lean.plan.exportPrice, 0, "no export price unless asked for");
        lean.plan.exportPrice = full.plan.exportPrice;
        lean.plan.threshold1 = full.plan.threshold1;
        assertEq(keccak256(abi.encode(lean)), keccak256(abi.encode(full)), "otherwise identical");
        assertEq(lean.rates.length, 3, "one row per zone");
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffNoPlanInEffect.selector, group, ITariffs.TariffKind.ThreeZone, block.timestamp + 91 days));
        tariffs.billingPlanFor(accountId, 1, block.timestamp + 91 days, false);
        (address retail, uint64 meterId, bool active, bool exportCapable, bool atBoundary,,) =
            registry.settlementInfo(accountId);
        IRegistry.BillingInfo memory info = registry.billingInfo(accountId);
        assertEq(retail, info.retailCompany, "retail company");
        assertEq(meterId, info.meterId, "meter");
        assertTrue(active == info.active && exportCapable == info.exportCapable && atBoundary, "flags");
    }

    /// @dev A three-zone meter on a two-zone plan (and a two-zone meter on a three-zone plan) is refused;
    /// single-rate suits any meter. Nothing changes on a refusal.
    function test_revert_zonePlanForMeterWithOtherZones() public {
        vm.startPrank(retailA);
        ITariffs.PlanInput memory two = TariffFixtures.threeZone(from, 0);
        two.kind = ITariffs.TariffKind.TwoZone;
        two.zoneHours = new ITariffs.ZoneInterval[](2);
        two.zoneHours[0] = ITariffs.ZoneInterval(7, 23, 0);
        two.zoneHours[1] = ITariffs.ZoneInterval(23, 7, 1);
        two.rates = new uint64[4][](2);
        two.rates[0] = TariffFixtures.row(441_000);
        two.rates[1] = TariffFixtures.row(287_000);
        tariffs.addPlan(group, two);
        tariffs.addPlan(group, TariffFixtures.threeZone(from, 0));
        tariffs.addPlan(group, TariffFixtures.singleRate(from, 0, 404_000));
        // accountId's meter has three zones
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffMeterZonesMismatch.selector, accountId, uint8(3), uint8(2)));
        tariffs.assignTariff(accountId, group, ITariffs.TariffKind.TwoZone);
        assertEq(tariffs.getChoice(accountId).groupId, 0, "no choice recorded");
        assertTrue(!tariffs.isOpenTo(accountId, group, ITariffs.TariffKind.TwoZone), "two-zone not open");
        tariffs.assignTariff(accountId, group, ITariffs.TariffKind.SingleRate);
        vm.stopPrank();
        vm.prank(grid);
        uint64 twoZoneMeter = registry.registerMeter(_meter("S-2", 2, true, false));
        uint64 other = _openAccount(twoZoneMeter, "LS-2");
        vm.prank(consumer);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffMeterZonesMismatch.selector, other, uint8(2), uint8(3)));
        tariffs.chooseTariff(other, group, ITariffs.TariffKind.ThreeZone);
        vm.prank(retailA);
        tariffs.assignTariff(other, group, ITariffs.TariffKind.TwoZone);
        assertTrue(tariffs.isOpenTo(other, group, ITariffs.TariffKind.TwoZone), "two-zone open to a two-zone meter");
        assertTrue(tariffs.isOpenTo(other, group, ITariffs.TariffKind.SingleRate), "single-rate open to any meter");
    }

    function test_consumerChoiceAppliesFromNextPeriod() public {
        vm.startPrank(retailA);
        uint64 single = tariffs.addPlan(group, TariffFixtures.singleRate(from, 0, 404_000));
        uint64 zoned = tariffs.addPlan(group, TariffFixtures.threeZone(from, 0));
        tariffs.assignTariff(accountId, group, ITariffs.TariffKind.SingleRate);
        vm.stopPrank();
        uint32 end1 = uint32((block.timestamp / 1800 + 2) * 1800);
        vm.prank(operator);
        readings.schedulePeriod(1, end1);
        assertEq(readings.currentPeriodId(), 1, "period 1 is current");
        vm.prank(consumer);
        tariffs.chooseTariff(accountId, group, ITariffs.TariffKind.ThreeZone);
        assertEq(tariffs.planFor(accountId, 1, end1).planId, single, "current period keeps the old tariff");
        assertEq(tariffs.planFor(accountId, 2, end1 + 30 days).planId, zoned, "next period uses the choice");
        assertTrue(tariffs.isOpenTo(accountId, group, ITariffs.TariffKind.ThreeZone), "open");
    }

    function test_deleteGroupAndPlanBeforeTheyApply() public {
        vm.startPrank(retailA);
        uint64 later = tariffs.createGroup("Later", IRegistry.ConsumerType.Household, 0);
        uint64 planId = tariffs.addPlan(later, TariffFixtures.singleRate(uint40(block.timestamp + 1 days), 0, 404_000));
        tariffs.editGroup(later, "Renamed");
        tariffs.deletePlan(planId);
        tariffs.deleteGroup(later);
        vm.stopPrank();
        assertTrue(tariffs.getGroup(later).deleted, "deleted");
        assertEq(tariffs.planVersions(later, ITariffs.TariffKind.SingleRate).length, 0, "no versions");
    }

    // ------------------------------------------------------------------ bad input, one by one

    function test_revert_overlappingValidity() public {
        vm.startPrank(retailA);
        uint64 first = tariffs.addPlan(group, TariffFixtures.singleRate(from, 0, 404_000));
        ITariffs.PlanInput memory input = TariffFixtures.singleRate(from + 10 days, 0, 441_000);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITariffs.TariffOverlappingValidity.selector,
                group,
                ITariffs.TariffKind.SingleRate,
                first,
                from + 10 days,
                uint40(0)
            )
        );
        tariffs.addPlan(group, input);
        vm.stopPrank();
        assertEq(tariffs.planVersions(group, ITariffs.TariffKind.SingleRate).length, 1, "state unchanged");
    }

    function test_revert_zoneHoursNotCovering24h() public {
        ITariffs.PlanInput memory input = TariffFixtures.threeZone(from, 0);
        ITariffs.ZoneInterval[] memory hoursMissing = new ITariffs.ZoneInterval[](4);
        for (uint256 i = 0; i < 4; ++i) hoursMissing[i] = input.zoneHours[i];
        input.zoneHours = hoursMissing; // night 23-07 missing
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffZoneHoursIncomplete.selector, uint24(0x7fff80)));
        tariffs.addPlan(group, input);
        assertEq(tariffs.planVersions(group, ITariffs.TariffKind.ThreeZone).length, 0, "state unchanged");
    }

    function test_revert_zoneHoursOverlap() public {
        ITariffs.PlanInput memory input = TariffFixtures.threeZone(from, 0);
        input.zoneHours[4] = ITariffs.ZoneInterval(22, 7, 2); // 22 is half-peak already
        vm.prank(retailA);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffZoneHoursOverlap.selector, uint8(22)));
        tariffs.addPlan(group, input);
        assertEq(tariffs.planVersions(group, ITariffs.TariffKind.ThreeZone).length, 0, "state unchanged");
    }

    function test_revert_invalidPlanData() public {
        vm.startPrank(retailA);
        ITariffs.PlanInput memory input = TariffFixtures.singleRate(from, 0, 404_000);
        input.rates = new uint64[4][](2);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffInvalidRates.selector, ITariffs.TariffKind.SingleRate, 2));
        tariffs.addPlan(group, input);
        input = TariffFixtures.singleRate(from, from, 404_000);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffInvalidValidity.selector, from, from));
        tariffs.addPlan(group, input);
        input = TariffFixtures.singleRate(from, 0, 404_000);
        input.kind = ITariffs.TariffKind.SocialNorm;
        input.rates = new uint64[4][](2);
        input.rates[0] = TariffFixtures.row(300_000);
        input.rates[1] = TariffFixtures.row(380_000);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITariffs.TariffInvalidParameters.selector, ITariffs.TariffKind.SocialNorm, uint64(0), uint64(0), uint16(2200)
            )
        );
        tariffs.addPlan(group, input);
        vm.expectRevert(
            abi.encodeWithSelector(ITariffs.TariffInvalidCategory.selector, IRegistry.ConsumerType.Household, uint8(1))
        );
        tariffs.createGroup("x", IRegistry.ConsumerType.Household, 1);
        vm.stopPrank();
        assertEq(tariffs.planVersions(group, ITariffs.TariffKind.SingleRate).length, 0, "state unchanged");
    }

    function test_revert_notOpenAndNotInEffect() public {
        vm.startPrank(retailA);
        uint64 planId = tariffs.addPlan(group, TariffFixtures.singleRate(from, 0, 404_000));
        uint64 legal = tariffs.createGroup("Legal", IRegistry.ConsumerType.LegalEntity, 1);
        tariffs.addPlan(legal, TariffFixtures.singleRate(from, 0, 404_000));
        vm.expectRevert(
            abi.encodeWithSelector(
                ITariffs.TariffNotOpenToAccount.selector, accountId, legal, ITariffs.TariffKind.SingleRate
            )
        );
        tariffs.assignTariff(accountId, legal, ITariffs.TariffKind.SingleRate);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffInEffect.selector, planId));
        tariffs.deletePlan(planId);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffInEffect.selector, group));
        tariffs.deleteGroup(group);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffNoChoice.selector, accountId));
        tariffs.planFor(accountId, 1, block.timestamp);
        assertEq(tariffs.getChoice(accountId).groupId, 0, "no choice recorded");
        assertTrue(!tariffs.getGroup(group).deleted, "group kept");
    }

    function test_revert_wrongCallers() public {
        bytes32 retailRole = tariffs.RETAIL_COMPANY_ROLE();
        vm.prank(retailA);
        uint64 planId = tariffs.addPlan(group, TariffFixtures.singleRate(from, 0, 404_000));
        ITariffs.PlanInput memory input = TariffFixtures.singleRate(uint40(block.timestamp + 90 days), 0, 404_000);

        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, retailRole));
        tariffs.createGroup("x", IRegistry.ConsumerType.Household, 0);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, retailRole));
        tariffs.addPlan(group, input);
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffNotOwner.selector, group, retailB));
        tariffs.addPlan(group, input);
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffNotOwner.selector, group, retailB));
        tariffs.editGroup(group, "hijack");
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffNotOwner.selector, group, retailB));
        tariffs.deleteGroup(group);
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffNotOwner.selector, planId, retailB));
        tariffs.setPlanValidTo(planId, uint40(block.timestamp + 1 days));
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffNotOwner.selector, planId, retailB));
        tariffs.deletePlan(planId);
        vm.prank(retailB);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffNotOwner.selector, accountId, retailB));
        tariffs.assignTariff(accountId, group, ITariffs.TariffKind.SingleRate);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ITariffs.TariffNotOwner.selector, accountId, stranger));
        tariffs.chooseTariff(accountId, group, ITariffs.TariffKind.SingleRate);

        assertEq(tariffs.getGroup(group).name, bytes32("Urban"), "name unchanged");
        (ITariffs.Plan memory plan,) = tariffs.getPlan(planId);
        assertEq(plan.validTo, 0, "validity unchanged");
        assertEq(tariffs.getChoice(accountId).groupId, 0, "no choice");
    }
}
