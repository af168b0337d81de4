// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/proxy/GridLedgerProxy.sol)
pragma solidity ^0.8.27;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @dev The ERC-1967 proxy every GridLedger contract is deployed behind (UUPS: the upgrade logic is in the implementation).
contract GridLedgerProxy is ERC1967Proxy {
    constructor(address implementation, bytes memory data) payable ERC1967Proxy(implementation, data) {}
}
