// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/interfaces/IPayments.sol)
pragma solidity ^0.8.27;

/**
 * @dev Payments recorded by payment sources and split among providers (issue 3 part 5, F-CHAIN-05,
 * F-CHAIN-12). An external payment above the debt is accepted: the excess becomes the account's
 * credit balance (carried forward). A direct debit moves money from that balance to an invoice under
 * the consumer's mandate and may never exceed the debt, the balance or the mandate's limit.
 */
interface IPayments {
    enum PaymentMethod {
        BankTransfer,
        Card,
        CashDesk,
        DirectDebit
    }

    event PaymentRecorded(
        uint256 indexed invoiceId,
        address indexed source,
        uint64 indexed paymentNumber,
        bytes32 externalRef,
        PaymentMethod method,
        uint256 amount,
        uint256 applied,
        uint256 credited,
        uint64[4] split
    );
    event PrepaymentRecorded(
        uint64 indexed accountId, address indexed source, uint64 indexed paymentNumber, bytes32 externalRef, uint256 amount
    );
    event CreditBalanceChanged(uint64 indexed accountId, uint256 balance);
    event DebitMandateSet(uint64 indexed accountId, address indexed source, uint64 limitPerDebit);

    /// @dev `source` used `paymentNumber` before (payments are idempotent by the source's number).
    error PaymentAlreadyRecorded(address source, uint64 paymentNumber);
    /// @dev Zero amount.
    error PaymentZeroAmount();
    /// @dev The invoice cannot be paid in `status` (only issued or confirmed invoices can).
    error PaymentInvoiceNotPayable(uint256 invoiceId, uint8 status);
    /// @dev Direct debits use {directDebit}.
    error PaymentInvalidMethod(PaymentMethod method);
    /// @dev A direct debit of `amount` exceeds the invoice's remaining `debt`.
    error PaymentExceedsDebt(uint256 invoiceId, uint256 amount, uint256 debt);
    /// @dev A direct debit of `amount` exceeds the account's credit `balance`.
    error PaymentInsufficientBalance(uint64 accountId, uint256 amount, uint256 balance);
    /// @dev The consumer gave `source` no mandate.
    error PaymentNoMandate(uint64 accountId, address source);
    /// @dev `amount` exceeds the mandate's per-debit `limit`.
    error PaymentMandateLimitExceeded(uint64 accountId, uint256 amount, uint256 limit);
    /// @dev `caller` is not the consumer of `accountId`.
    error PaymentNotConsumer(uint64 accountId, address caller);
}
