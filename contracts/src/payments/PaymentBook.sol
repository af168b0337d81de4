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
    /// @dev Payment numbers used per source, 256 to a word (a source numbers its payments 0, 1, 2, ...).
    mapping(address source => mapping(uint256 word => uint256 bits)) private _paymentNumbers;
    mapping(uint64 accountId => mapping(address source => uint64)) private _mandates;

    /**
     * @dev Records a payment of `amount` kopecks received by the calling payment source for `invoiceId`.
     * `paymentNumber` is the source's own sequence number of the payment (idempotency: each number once
     * per source); `externalRef` is its external reference (bank document id), kept in the event.
     *
     * Requirements:
     * - the caller has {PAYMENT_SOURCE_ROLE}; `paymentNumber` unused; `amount` > 0; `method` is not `DirectDebit`;
     * - the invoice is issued or confirmed.
     *
     * Emits a {PaymentRecorded} event (and {CreditBalanceChanged} when part of it is credited).
     */
    function recordPayment(
        uint256 invoiceId,
        uint256 amount,
        PaymentMethod method,
        uint64 paymentNumber,
        bytes32 externalRef
    ) external onlyRole(PAYMENT_SOURCE_ROLE) {
        if (method == PaymentMethod.DirectDebit) revert PaymentInvalidMethod(method);
        _pay(invoiceId, amount, method, paymentNumber, externalRef, false);
    }

    /**
     * @dev Records money received for an account in advance; it goes to the credit balance.
     *
     * Requirements: {PAYMENT_SOURCE_ROLE}; unused `paymentNumber`; `amount` > 0; the account exists.
     *
     * Emits {PrepaymentRecorded} and {CreditBalanceChanged} events.
     */
    function recordPrepayment(uint64 accountId, uint256 amount, uint64 paymentNumber, bytes32 externalRef)
        external
        onlyRole(PAYMENT_SOURCE_ROLE)
    {
        if (amount == 0) revert PaymentZeroAmount();
        _usePaymentNumber(paymentNumber);
        _registry.billingInfo(accountId);
        emit PrepaymentRecorded(accountId, msg.sender, paymentNumber, externalRef, amount);
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
     * <= the debt and <= the balance; unused `paymentNumber`; the invoice is issued or confirmed.
     *
     * Emits {PaymentRecorded} and {CreditBalanceChanged} events.
     */
    function directDebit(uint256 invoiceId, uint256 amount, uint64 paymentNumber, bytes32 externalRef)
        external
        onlyRole(PAYMENT_SOURCE_ROLE)
    {
        _pay(invoiceId, amount, PaymentMethod.DirectDebit, paymentNumber, externalRef, true);
    }

    /// @dev Whether `source` has used `paymentNumber`.
    function isPaymentRecorded(address source, uint64 paymentNumber) external view returns (bool) {
        return _paymentNumbers[source][paymentNumber >> 8] & (1 << (paymentNumber & 0xff)) != 0;
    }

    // ------------------------------------------------------------------ internal

    function _pay(
        uint256 invoiceId,
        uint256 amount,
        PaymentMethod method,
        uint64 paymentNumber,
        bytes32 externalRef,
        bool fromBalance
    ) internal {
        if (amount == 0) revert PaymentZeroAmount();
        _Stored storage invoice = _invoices[invoiceId];
        if (invoice.status != InvoiceStatus.Issued && invoice.status != InvoiceStatus.Confirmed) {
            revert PaymentInvoiceNotPayable(invoiceId, uint8(invoice.status));
        }
        (uint256[4] memory remaining, uint256 debt) = _remaining(invoice);
        if (fromBalance) _debitBalance(invoiceId, _accountOf(invoiceId), amount, debt);
        _usePaymentNumber(paymentNumber);
        uint256 applied = amount < debt ? amount : debt;
        _emitPayment(invoiceId, paymentNumber, externalRef, method, amount, applied, _applySplit(invoice, applied, remaining));
        if (amount > applied) _credit(_accountOf(invoiceId), amount - applied);
    }

    function _emitPayment(
        uint256 invoiceId,
        uint64 paymentNumber,
        bytes32 externalRef,
        PaymentMethod method,
        uint256 amount,
        uint256 applied,
        uint64[4] memory split
    ) private {
        emit PaymentRecorded(
            invoiceId, msg.sender, paymentNumber, externalRef, method, amount, applied, amount - applied, split
        );
    }

    function _remaining(_Stored storage invoice) private view returns (uint256[4] memory remaining, uint256 debt) {
        uint64[4] memory components = _componentsOf(invoice);
        uint64[4] memory paid = _unpackPaid(invoice.paidWord);
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
        uint256 paidWord = invoice.paidWord;
        for (uint256 k = 0; k < 4; ++k) {
            split[k] = uint64(parts[k]);
            // cannot overflow its lane: paid never exceeds the component (a uint64 below 2^56 in practice)
            paidWord += parts[k] << (200 - 56 * k);
        }
        invoice.paidWord = paidWord;
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

    function _usePaymentNumber(uint64 paymentNumber) private {
        mapping(uint256 => uint256) storage words = _paymentNumbers[msg.sender];
        uint256 bit = 1 << (paymentNumber & 0xff);
        uint256 word = words[paymentNumber >> 8];
        if (word & bit != 0) revert PaymentAlreadyRecorded(msg.sender, paymentNumber);
        words[paymentNumber >> 8] = word | bit;
    }
}
