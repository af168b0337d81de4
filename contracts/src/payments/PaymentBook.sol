// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/payments/PaymentBook.sol)
pragma solidity ^0.8.27;

import {PaymentSplit} from "../billing/PaymentSplit.sol";
import {InvoiceBook} from "../invoices/InvoiceBook.sol";
import {IPayments} from "../interfaces/IPayments.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";

/**
 * @dev Payment confirmation (F-CHAIN-05) and the split of each payment among the providers by the
 * invoice's components (F-CHAIN-12): every payment is split over the components' remaining debt
 * with the largest-remainder method, so partial payments add up exactly to the components once the
 * invoice is paid.
 *
 * Overpayment rule: a payment from outside (bank, card, cash desk) larger than the debt is accepted;
 * the excess is credited to the account's balance and carried forward. A direct debit from that
 * balance ({directDebit}) is refused above the debt ({PaymentExceedsDebt}), above the balance and
 * above the mandate's limit: it must never move more than is owed.
 */
abstract contract PaymentBook is InvoiceBook, IPayments {
    mapping(bytes32 paymentRef => bool) private _paymentRefs;
    mapping(uint64 accountId => mapping(address source => uint64)) private _mandates;

    /**
     * @dev Records a payment of `amount` kopecks received by the calling payment source for `invoiceId`.
     *
     * Requirements:
     * - the caller has {PAYMENT_SOURCE_ROLE}; `paymentRef` is new; `amount` > 0; `method` is not `DirectDebit`;
     * - the invoice is issued or confirmed.
     *
     * Emits a {PaymentRecorded} event (and {CreditBalanceChanged} when part of it is credited).
     */
    function recordPayment(uint256 invoiceId, uint256 amount, PaymentMethod method, bytes32 paymentRef)
        external
        onlyRole(PAYMENT_SOURCE_ROLE)
    {
        if (method == PaymentMethod.DirectDebit) revert PaymentInvalidMethod(method);
        _pay(invoiceId, amount, method, paymentRef, false);
    }

    /**
     * @dev Records money received for an account in advance; it goes to the credit balance.
     *
     * Requirements: {PAYMENT_SOURCE_ROLE}; new `paymentRef`; `amount` > 0; the account exists.
     *
     * Emits {PrepaymentRecorded} and {CreditBalanceChanged} events.
     */
    function recordPrepayment(uint64 accountId, uint256 amount, bytes32 paymentRef)
        external
        onlyRole(PAYMENT_SOURCE_ROLE)
    {
        if (amount == 0) revert PaymentZeroAmount();
        _useRef(paymentRef);
        _registry.billingInfo(accountId);
        emit PrepaymentRecorded(accountId, msg.sender, paymentRef, amount);
        _credit(accountId, amount);
    }

    /**
     * @dev The consumer allows `source` to debit the account's credit balance for its invoices, up to
     * `limitPerDebit` kopecks each time (0 revokes).
     *
     * Requirements: the caller is the account's consumer.
     *
     * Emits a {DebitMandateSet} event.
     */
    function setDebitMandate(uint64 accountId, address source, uint64 limitPerDebit) external {
        if (_registry.billingInfo(accountId).consumer != msg.sender) revert PaymentNotConsumer(accountId, msg.sender);
        _mandates[accountId][source] = limitPerDebit;
        emit DebitMandateSet(accountId, source, limitPerDebit);
    }

    function debitMandate(uint64 accountId, address source) external view returns (uint64) {
        return _mandates[accountId][source];
    }

    /**
     * @dev Pays `amount` of `invoiceId` from the account's credit balance under the consumer's mandate.
     *
     * Requirements: {PAYMENT_SOURCE_ROLE}; a mandate to the caller with a limit >= `amount`; `amount`
     * <= the debt and <= the balance; new `paymentRef`; the invoice is issued or confirmed.
     *
     * Emits {PaymentRecorded} and {CreditBalanceChanged} events.
     */
    function directDebit(uint256 invoiceId, uint256 amount, bytes32 paymentRef) external onlyRole(PAYMENT_SOURCE_ROLE) {
        _pay(invoiceId, amount, PaymentMethod.DirectDebit, paymentRef, true);
    }

    function isPaymentRecorded(bytes32 paymentRef) external view returns (bool) {
        return _paymentRefs[paymentRef];
    }

    // ------------------------------------------------------------------ internal

    function _pay(uint256 invoiceId, uint256 amount, PaymentMethod method, bytes32 paymentRef, bool fromBalance)
        internal
    {
        if (amount == 0) revert PaymentZeroAmount();
        _Stored storage invoice = _invoices[invoiceId];
        if (invoice.status != InvoiceStatus.Issued && invoice.status != InvoiceStatus.Confirmed) {
            revert PaymentInvoiceNotPayable(invoiceId, uint8(invoice.status));
        }
        (uint256[4] memory remaining, uint256 debt) = _remaining(invoice);
        if (fromBalance) _debitBalance(invoiceId, invoice.accountId, amount, debt);
        _useRef(paymentRef);
        uint256 applied = amount < debt ? amount : debt;
        _emitPayment(invoiceId, paymentRef, method, amount, applied, _applySplit(invoice, applied, remaining));
        if (amount > applied) _credit(invoice.accountId, amount - applied);
    }

    function _emitPayment(
        uint256 invoiceId,
        bytes32 paymentRef,
        PaymentMethod method,
        uint256 amount,
        uint256 applied,
        uint64[4] memory split
    ) private {
        emit PaymentRecorded(invoiceId, msg.sender, paymentRef, method, amount, applied, amount - applied, split);
    }

    function _remaining(_Stored storage invoice) private view returns (uint256[4] memory remaining, uint256 debt) {
        uint64[4] memory components = invoice.components;
        uint64[4] memory paid = invoice.paid;
        for (uint256 k = 0; k < 4; ++k) {
            remaining[k] = components[k] - paid[k];
            debt += remaining[k];
        }
    }

    function _debitBalance(uint256 invoiceId, uint64 accountId, uint256 amount, uint256 debt) private {
        uint256 limit = _mandates[accountId][msg.sender];
        if (limit == 0) revert PaymentNoMandate(accountId, msg.sender);
        if (amount > limit) revert PaymentMandateLimitExceeded(accountId, amount, limit);
        if (amount > debt) revert PaymentExceedsDebt(invoiceId, amount, debt);
        uint256 balance = _balances[accountId];
        if (amount > balance) revert PaymentInsufficientBalance(accountId, amount, balance);
        _balances[accountId] = balance - amount;
        emit CreditBalanceChanged(accountId, balance - amount);
    }

    function _applySplit(_Stored storage invoice, uint256 applied, uint256[4] memory remaining)
        private
        returns (uint64[4] memory split)
    {
        if (applied == 0) return split;
        uint256[4] memory parts = _splitPayment(applied, remaining);
        uint64[4] memory paid = invoice.paid;
        for (uint256 k = 0; k < 4; ++k) {
            split[k] = uint64(parts[k]);
            paid[k] += split[k];
        }
        invoice.paid = paid;
    }

    /**
     * @dev THE SPLIT HOOK: divides `amount` (<= the sum of `remaining`) among the provider components
     * with the shared {PaymentSplit-splitByLargestRemainder} (mirrors domain's payment split).
     */
    function _splitPayment(uint256 amount, uint256[4] memory remaining)
        internal
        pure
        virtual
        returns (uint256[4] memory parts)
    {
        uint256[] memory weights = new uint256[](4);
        for (uint256 k = 0; k < 4; ++k) weights[k] = remaining[k];
        uint256[] memory split = PaymentSplit.splitByLargestRemainder(amount, weights);
        for (uint256 k = 0; k < 4; ++k) parts[k] = split[k];
    }

    function _credit(uint64 accountId, uint256 amount) internal virtual override {
        uint256 balance = _balances[accountId] + amount;
        _balances[accountId] = balance;
        emit CreditBalanceChanged(accountId, balance);
    }

    function _useRef(bytes32 paymentRef) private {
        if (_paymentRefs[paymentRef]) revert PaymentAlreadyRecorded(paymentRef);
        _paymentRefs[paymentRef] = true;
    }
}
