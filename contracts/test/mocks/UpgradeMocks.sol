// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Readings} from "../../src/readings/Readings.sol";
import {Settlement} from "../../src/invoices/Settlement.sol";
import {IBillingVolumes} from "../../src/interfaces/IBillingVolumes.sol";
import {IReadings} from "../../src/interfaces/IReadings.sol";
import {IRegistry} from "../../src/interfaces/IRegistry.sol";
import {ITariffs} from "../../src/interfaces/ITariffs.sol";

/// @dev A logic change for the upgrade test: new behaviour, appended state, same storage layout.
contract ReadingsV2Mock is Readings {
    uint256 private _upgradeMarker;

    function logicVersion() external pure override returns (uint256) {
        return 2;
    }

    function setUpgradeMarker(uint256 marker) external onlyRole(OPERATOR_ROLE) {
        _upgradeMarker = marker;
    }

    function upgradeMarker() external view returns (uint256) {
        return _upgradeMarker;
    }
}

contract SettlementV2Mock is Settlement {
    constructor(
        IRegistry registryAddress,
        IReadings readingsAddress,
        ITariffs tariffsAddress,
        IBillingVolumes billingVolumesAddress
    ) Settlement(registryAddress, readingsAddress, tariffsAddress, billingVolumesAddress) {}

    function logicVersion() external pure override returns (uint256) {
        return 2;
    }
}
