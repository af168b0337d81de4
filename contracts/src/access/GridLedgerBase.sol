// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/access/GridLedgerBase.sol)
pragma solidity ^0.8.27;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Roles} from "./Roles.sol";

/**
 * @dev Common base of every GridLedger contract: OpenZeppelin {AccessControl} (one choke point,
 * `_checkRole`) and UUPS upgrades authorised by {Roles-UPGRADER_ROLE}. Implementations are deployed
 * behind an ERC-1967 proxy; their constructor disables initializers.
 *
 * State lives in the proxy. An upgrade may append state variables but never reorder or remove them
 * (docs/contracts.md, "Upgrade procedure").
 */
abstract contract GridLedgerBase is Initializable, AccessControlUpgradeable, UUPSUpgradeable {
    bytes32 public constant OPERATOR_ROLE = Roles.OPERATOR_ROLE;
    bytes32 public constant UPGRADER_ROLE = Roles.UPGRADER_ROLE;
    bytes32 public constant GRID_COMPANY_ROLE = Roles.GRID_COMPANY_ROLE;
    bytes32 public constant RETAIL_COMPANY_ROLE = Roles.RETAIL_COMPANY_ROLE;
    bytes32 public constant PAYMENT_SOURCE_ROLE = Roles.PAYMENT_SOURCE_ROLE;
    bytes32 public constant METER_REPORTER_ROLE = Roles.METER_REPORTER_ROLE;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @dev Grants the admin, operator and upgrader roles to `admin`.
    function __GridLedgerBase_init(address admin) internal onlyInitializing {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, admin);
        _grantRole(UPGRADER_ROLE, admin);
    }

    /// @dev Version of the implementation's logic; upgrades bump it.
    function logicVersion() external pure virtual returns (uint256) {
        return 1;
    }

    /// @inheritdoc UUPSUpgradeable
    function _authorizeUpgrade(address) internal virtual override onlyRole(UPGRADER_ROLE) {}
}
