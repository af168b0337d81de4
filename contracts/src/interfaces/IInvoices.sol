// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/interfaces/IInvoices.sol)
pragma solidity ^0.8.27;

/**
 * @dev Period close, invoices and their confirmation (issue 3 parts 4-5, F-CHAIN-02, F-CHAIN-04).
 * Money in kopecks; an invoice id is `accountId << 32 | periodId`.
 */
interface IInvoices {
    enum InvoiceStatus {
        None,
        Computed,
        Issued,
        Confirmed,
        Disputed
    }


    struct Invoice {
        uint64 accountId;
        uint32 periodId;
        InvoiceStatus status;
        uint32 dueDate;
        uint64 total;
        uint56 exportCredit;
        /// @dev Amount per provider component: energy, transmission, retail markup, infrastructure.
        uint64[4] components;
        uint64[4] paid;
        bytes32 documentHash;
    }

    event InvoiceComputed(
        uint256 indexed invoiceId,
        uint64 indexed accountId,
        uint32 indexed periodId,
        uint64 planId,
        uint256 total,
        uint64[4] components,
        uint256 vat,
        uint256 exportCredit,
        uint256[5] volumesWh
    );
    /**
     * @dev Every line of the invoice, one word each (billing-rules §8: one line per zone x range x
     * component, rounded on its own): `kind:8 | zone:8 | range:8 | component:8 | quantity:64 | rate:64 |
     * amount:64` from the top bit down (LineKind and Component of contracts/src/billing/BillingTypes.sol;
     * quantity in Wh or W, rate in kop/MWh, amount in kopecks). VAT is `vat` of {InvoiceComputed}.
     */
    event InvoiceLinesComputed(uint256 indexed invoiceId, uint256[] lines);
    /**
     * @dev The meter is not at the balance boundary: `meteredWh` (all import registers) was corrected by
     * `lossWh` (added, or subtracted when `subtracted`) with `method` (IRegistry.LossMethod) before
     * pricing; the volumes of {InvoiceComputed} are the corrected ones.
     */
    event InvoiceLossCorrected(
        uint256 indexed invoiceId, uint8 method, uint256 meteredWh, uint256 lossWh, bool subtracted
    );
    event InvoiceIssued(uint256 indexed invoiceId, bytes32 documentHash, uint32 dueDate);
    event InvoiceConfirmed(uint256 indexed invoiceId, address consumer);
    event InvoiceDisputed(uint256 indexed invoiceId, address consumer, bytes32 reasonHash);
    event InvoiceCancelled(uint256 indexed invoiceId, bytes32 reasonHash);

    /// @dev The period is not scheduled or has not ended at `periodEnd`.
    /// @dev `initialize` named another contract than the implementation was built for.
    error InvoiceWrongContract(address expected, address given);
    error InvoicePeriodNotEnded(uint32 periodId, uint32 periodEnd);
    /// @dev `caller` is not the retail company serving `accountId`.
    error InvoiceNotRetailCompany(uint64 accountId, address caller);
    /// @dev `caller` is not the consumer of the invoice's account.
    error InvoiceNotConsumer(uint256 invoiceId, address caller);
    /// @dev An invoice for this account and period exists.
    error InvoiceAlreadyExists(uint256 invoiceId);
    /// @dev No invoice `invoiceId`.
    error InvoiceUnknown(uint256 invoiceId);
    /// @dev The register snapshot at the start or end of the period is missing for the account's meter.
    error InvoiceMissingSnapshot(uint64 accountId, uint64 meterId, uint32 periodId);
    /// @dev The account is inactive.
    error InvoiceInactiveAccount(uint64 accountId);
    /// @dev The operation is not allowed in `status`.
    error InvoiceInvalidStatus(uint256 invoiceId, InvoiceStatus status);
    /// @dev The account's plan is ПЦК 3/4: its invoice is computed by the HourlyBilling module, not `closePeriod`.
    error InvoiceHourlyPlan(uint64 planId);

    function getInvoice(uint256 invoiceId) external view returns (Invoice memory);

    /**
     * @dev Stores an invoice computed by a billing module (BILLING_MODULE_ROLE; the module checks the
     * caller, the account and the period) and emits {InvoiceComputed} and {InvoiceLinesComputed} as
     * `closePeriod` does. `payableByComponent` has four entries; `packedLines` the event's line words.
     */
    function recordModuleInvoice(
        uint64 accountId,
        uint32 periodId,
        uint64 planId,
        uint256[] memory payableByComponent,
        uint256 vat,
        uint256[5] memory volumes,
        uint256[] memory packedLines
    ) external;

    /// @dev What is still owed of an issued invoice and its due day (days since 1970-01-01).
    function outstandingDebt(uint256 invoiceId) external view returns (uint256 debt, uint32 dueDay);
}
