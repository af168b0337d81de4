// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {GridLedgerProxy} from "../../src/proxy/GridLedgerProxy.sol";
import {Readings} from "../../src/readings/Readings.sol";
import {Reconciliation} from "../../src/reconciliation/Reconciliation.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {Settlement} from "../../src/invoices/Settlement.sol";
import {Tariffs} from "../../src/tariffs/Tariffs.sol";
import {BillingVolumes} from "../../src/volumes/BillingVolumes.sol";
import {CommonHouseBilling} from "../../src/volumes/CommonHouseBilling.sol";
import {IBillingVolumes} from "../../src/interfaces/IBillingVolumes.sol";
import {IInvoices} from "../../src/interfaces/IInvoices.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IReadings} from "../../src/interfaces/IReadings.sol";
import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {ITariffs} from "../../src/interfaces/ITariffs.sol";
import {LedgerVm} from "./LedgerVm.sol";

error LedgerAssertionFailed(string what, uint256 actual, uint256 expected);
error LedgerAssertionFailedBytes(string what, bytes32 actual, bytes32 expected);

/**
 * @dev Base of the ledger forge tests: deploys every contract behind its proxy as the deployment
 * script does, grants the roles, registers the organisations and offers fixtures (meters, accounts,
 * tariffs, signed batches).
 */
abstract contract LedgerTest {
    LedgerVm internal constant vm = LedgerVm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    uint256 internal constant DEVICE_KEY = 0xD1CE;
    uint256 internal constant OTHER_DEVICE_KEY = 0xBAD;
    uint256 internal constant T0 = 1_767_225_600; // 2026-01-01T00:00:00Z, a half-hour boundary

    address internal operator = address(0x0A);
    address internal grid = address(0x6D);
    address internal retailA = address(0xA1);
    address internal retailB = address(0xB1);
    address internal bank = address(0xBA);
    address internal consumer = address(0xC0);
    address internal stranger = address(0x57);
    address internal relayer = address(0x7E);
    address internal device;
    address internal otherDevice;

    Registry internal registry;
    Readings internal readings;
    Tariffs internal tariffs;
    Settlement internal settlement;
    Reconciliation internal reconciliation;
    BillingVolumes internal billingVolumes;
    CommonHouseBilling internal commonHouse;

    function setUp() public virtual {
        vm.warp(T0 + 10 days);
        device = vm.addr(DEVICE_KEY);
        otherDevice = vm.addr(OTHER_DEVICE_KEY);
        registry = Registry(_proxy(address(new Registry()), abi.encodeCall(Registry.initialize, (operator))));
        readings = Readings(
            _proxy(address(new Readings()), abi.encodeCall(Readings.initialize, (operator, IRegistry(address(registry)))))
        );
        tariffs = Tariffs(
            _proxy(
                address(new Tariffs()),
                abi.encodeCall(Tariffs.initialize, (operator, IRegistry(address(registry)), IReadings(address(readings))))
            )
        );
        billingVolumes = BillingVolumes(
            _proxy(
                address(new BillingVolumes(IRegistry(address(registry)), IReadings(address(readings)))),
                abi.encodeCall(BillingVolumes.initialize, (operator))
            )
        );
        settlement = Settlement(
            _proxy(
                address(
                    new Settlement(
                        IRegistry(address(registry)),
                        IReadings(address(readings)),
                        ITariffs(address(tariffs)),
                        IBillingVolumes(address(billingVolumes))
                    )
                ),
                abi.encodeCall(
                    Settlement.initialize,
                    (
                        operator,
                        IRegistry(address(registry)),
                        IReadings(address(readings)),
                        ITariffs(address(tariffs))
                    )
                )
            )
        );
        commonHouse = CommonHouseBilling(
            _proxy(
                address(
                    new CommonHouseBilling(
                        IRegistry(address(registry)),
                        IReadings(address(readings)),
                        ITariffs(address(tariffs)),
                        IBillingVolumes(address(billingVolumes))
                    )
                ),
                abi.encodeCall(CommonHouseBilling.initialize, (operator))
            )
        );
        reconciliation =
            Reconciliation(_proxy(address(new Reconciliation()), abi.encodeCall(Reconciliation.initialize, (operator))));

        vm.startPrank(operator);
        registry.grantRole(registry.GRID_COMPANY_ROLE(), grid);
        registry.grantRole(registry.METER_REPORTER_ROLE(), grid);
        readings.grantRole(readings.GRID_COMPANY_ROLE(), grid);
        billingVolumes.grantRole(billingVolumes.GRID_COMPANY_ROLE(), grid);
        reconciliation.grantRole(reconciliation.GRID_COMPANY_ROLE(), grid);
        for (uint256 i = 0; i < 2; ++i) {
            address retail = i == 0 ? retailA : retailB;
            registry.grantRole(registry.RETAIL_COMPANY_ROLE(), retail);
            billingVolumes.grantRole(billingVolumes.RETAIL_COMPANY_ROLE(), retail);
            tariffs.grantRole(tariffs.RETAIL_COMPANY_ROLE(), retail);
            settlement.grantRole(settlement.RETAIL_COMPANY_ROLE(), retail);
            reconciliation.grantRole(reconciliation.RETAIL_COMPANY_ROLE(), retail);
            registry.registerOrganisation(retail, IRegistry.OrganisationKind.RetailCompany, bytes32("profile"), bytes32(i));
        }
        settlement.grantRole(settlement.PAYMENT_SOURCE_ROLE(), bank);
        billingVolumes.grantRole(billingVolumes.SETTLEMENT_ROLE(), address(settlement));
        registry.grantRole(registry.VOLUMES_MODULE_ROLE(), address(billingVolumes));
        settlement.grantRole(keccak256("BILLING_MODULE_ROLE"), address(commonHouse));
        commonHouse.setSettlement(IInvoices(address(settlement)));
        commonHouse.grantRole(commonHouse.RETAIL_COMPANY_ROLE(), retailA);
        commonHouse.grantRole(commonHouse.RETAIL_COMPANY_ROLE(), retailB);
        registry.registerOrganisation(grid, IRegistry.OrganisationKind.GridCompany, bytes32("grid"), bytes32("inn"));
        registry.registerOrganisation(bank, IRegistry.OrganisationKind.PaymentSource, bytes32("bank"), bytes32("bik"));
        vm.stopPrank();
    }

    function _proxy(address implementation, bytes memory data) internal returns (address) {
        return address(new GridLedgerProxy(implementation, data));
    }

    // ------------------------------------------------------------------ fixtures

    function _meter(bytes32 serial, uint8 zones, bool remote, bool exportCapable)
        internal
        pure
        returns (IRegistry.Meter memory meter)
    {
        meter.meterType = 1;
        meter.tariffZones = zones;
        meter.meteringScheme = 1;
        meter.remoteReading = remote;
        meter.exportCapable = exportCapable;
        meter.atBalanceBoundary = true;
        meter.serial = serial;
        meter.model = bytes32("Mercury 234");
    }

    function _registerMeter(bytes32 serial, bool remote) internal returns (uint64 meterId) {
        vm.prank(grid);
        meterId = registry.registerMeter(_meter(serial, 3, remote, true));
    }

    function _registerKey(uint64 meterId, address key) internal {
        uint64[] memory ids = new uint64[](1);
        ids[0] = meterId;
        vm.prank(grid);
        readings.registerDeviceKey(ids, key);
    }

    function _account(uint64 meterId, bytes32 number) internal pure returns (IRegistry.ConsumerAccount memory a) {
        a.consumer = address(0xC0);
        a.meterId = meterId;
        a.consumerType = IRegistry.ConsumerType.Household;
        a.gridCompany = address(0x6D);
        a.accountNumber = number;
        a.siteId = bytes32("site");
        a.addressRef = bytes32("addr");
    }

    function _openAccount(uint64 meterId, bytes32 number) internal returns (uint64 accountId) {
        vm.prank(retailA);
        accountId = registry.openAccount(_account(meterId, number));
    }

    /// @dev One packed record with three import registers (mask 0b111).
    function _rec3(uint256 end, uint8 status, uint48 t1, uint48 t2, uint48 t3) internal pure returns (bytes memory) {
        return abi.encodePacked(uint32(end), status, t1, t2, t3);
    }

    function _entry(uint64 meterId, uint8 mask, bytes memory records)
        internal
        pure
        returns (IReadings.MeterReadings[] memory batch)
    {
        batch = new IReadings.MeterReadings[](1);
        batch[0] = IReadings.MeterReadings(meterId, mask, records);
    }

    function _sign(uint256 key, IReadings.MeterReadings[] memory batch) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, readings.batchDigest(batch));
        return abi.encodePacked(r, s, v);
    }

    function _submit(uint256 key, IReadings.MeterReadings[] memory batch) internal returns (uint256, uint256) {
        bytes memory signature = _sign(key, batch);
        vm.prank(relayer);
        return readings.submitReadings(batch, signature);
    }

    function _unauthorized(address account, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role);
    }

    // ------------------------------------------------------------------ assertions

    function assertEq(uint256 actual, uint256 expected, string memory what) internal pure {
        if (actual != expected) revert LedgerAssertionFailed(what, actual, expected);
    }

    function assertEq(bytes32 actual, bytes32 expected, string memory what) internal pure {
        if (actual != expected) revert LedgerAssertionFailedBytes(what, actual, expected);
    }

    function assertEq(address actual, address expected, string memory what) internal pure {
        if (actual != expected) revert LedgerAssertionFailed(what, uint160(actual), uint160(expected));
    }

    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert LedgerAssertionFailed(what, 0, 1);
    }
}
