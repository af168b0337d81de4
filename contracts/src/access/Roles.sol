// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/access/Roles.sol)
pragma solidity ^0.8.27;

/**
 * @dev Role identifiers shared by every GridLedger contract. Each contract keeps its own
 * OpenZeppelin {AccessControl} table, so a role is granted per contract (the deployment script does
 * it for the initial participants; see docs/contracts.md for the matrix).
 */
library Roles {
    /// @dev The consortium operator: registers organisations, schedules periods, sets rule parameters.
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @dev May upgrade the implementation behind a UUPS proxy.
    bytes32 internal constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");
    /// @dev The grid company: meters, device keys, meter state, operator-entered readings, volumes.
    bytes32 internal constant GRID_COMPANY_ROLE = keccak256("GRID_COMPANY_ROLE");
    /// @dev A retail company (guaranteeing supplier): accounts, tariffs, invoices, volumes.
    bytes32 internal constant RETAIL_COMPANY_ROLE = keccak256("RETAIL_COMPANY_ROLE");
    /// @dev A payment source (bank, card acquirer, cash desk): records payments.
    bytes32 internal constant PAYMENT_SOURCE_ROLE = keccak256("PAYMENT_SOURCE_ROLE");
    /// @dev May record meter state events (tamper, firmware, clock drift) relayed from the agent.
    bytes32 internal constant METER_REPORTER_ROLE = keccak256("METER_REPORTER_ROLE");
    /// @dev A billing module contract (HourlyBilling) that computes invoices Settlement stores and emits.
    bytes32 internal constant BILLING_MODULE_ROLE = keccak256("BILLING_MODULE_ROLE");
}
