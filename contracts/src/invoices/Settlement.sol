// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/invoices/Settlement.sol)
pragma solidity ^0.8.27;

import {IBillingVolumes} from "../interfaces/IBillingVolumes.sol";
import {IReadings} from "../interfaces/IReadings.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";
import {ITariffs} from "../interfaces/ITariffs.sol";
import {InvoiceBook} from "./InvoiceBook.sol";
import {PaymentBook} from "../payments/PaymentBook.sol";

/**
 * @dev The deployable settlement contract: invoices ({InvoiceBook}) and payments ({PaymentBook}) in
 * one contract, so that a payment reads and updates its invoice without an external call.
 *
 * The Registry, Readings, Tariffs and BillingVolumes proxies are constructor arguments (immutables of
 * the implementation); `initialize` must name the same first three. An upgrade deploys the new
 * implementation with the same four addresses (`upgradeGridLedgerContract` does).
 */
contract Settlement is PaymentBook {
    /// @custom:oz-upgrades-unsafe-allow constructor state-variable-immutable
    constructor(
        IRegistry registryAddress,
        IReadings readingsAddress,
        ITariffs tariffsAddress,
        IBillingVolumes billingVolumesAddress
    ) InvoiceBook(registryAddress, readingsAddress, tariffsAddress, billingVolumesAddress) {}

    function initialize(address admin, IRegistry registryAddress, IReadings readingsAddress, ITariffs tariffsAddress)
        external
        initializer
    {
        __GridLedgerBase_init(admin);
        __InvoiceBook_init(registryAddress, readingsAddress, tariffsAddress);
    }
}
