// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/invoices/InvoiceBook.sol)
pragma solidity ^0.8.27;

import {GridLedgerBase} from "../access/GridLedgerBase.sol";
import {IInvoices} from "../interfaces/IInvoices.sol";
import {IReadings} from "../interfaces/IReadings.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";
import {ITariffs} from "../interfaces/ITariffs.sol";
import {InterimBilling} from "./InterimBilling.sol";

/**
 * @dev Period close and the invoice life cycle: computed on-chain from the meter's register
 * snapshots at the period's start and end (captured by {Readings}) and the plan the account chose
 * ({Tariffs}); issued by the retail company with its document hash; confirmed or disputed by the
 * consumer. Every line is emitted ({InvoiceLineComputed}).
 *
 * Storage per invoice: three slots when computed (header, components) and paid, one more when issued.
 */
abstract contract InvoiceBook is GridLedgerBase, IInvoices {
    struct _Stored {
        uint64 accountId;
        uint32 periodId;
        InvoiceStatus status;
        uint32 dueDate;
        uint64 total;
        uint56 exportCredit;
        uint64[4] components;
        uint64[4] paid;
        bytes32 documentHash;
    }

    IRegistry internal _registry;
    IReadings internal _readings;
    ITariffs internal _tariffs;
    mapping(uint256 invoiceId => _Stored) internal _invoices;
    mapping(uint64 accountId => uint256) internal _balances;

    function __InvoiceBook_init(IRegistry registryAddress, IReadings readingsAddress, ITariffs tariffsAddress)
        internal
        onlyInitializing
    {
        _registry = registryAddress;
        _readings = readingsAddress;
        _tariffs = tariffsAddress;
    }

    /// @dev `accountId << 32 | periodId`.
    function invoiceIdOf(uint64 accountId, uint32 periodId) public pure returns (uint256) {
        return (uint256(accountId) << 32) | periodId;
    }

    /**
     * @dev Closes `periodId` for `accountIds`: computes each account's invoice from the register
     * snapshots at the period's start and end and the plan in effect.
     *
     * Requirements:
     * - the caller has {RETAIL_COMPANY_ROLE} and serves every account; accounts are active;
     * - the period has ended; no invoice exists yet for an account and the period;
     * - both snapshots of each account's meter exist.
     *
     * Emits an {InvoiceComputed} event and one {InvoiceLineComputed} event per line, per account.
     */
    function closePeriod(uint32 periodId, uint64[] calldata accountIds) external onlyRole(RETAIL_COMPANY_ROLE) {
        uint32 end = _readings.periodEnd(periodId);
        if (end == 0 || end > block.timestamp) revert InvoicePeriodNotEnded(periodId, end);
        for (uint256 i = 0; i < accountIds.length; ++i) {
            _computeInvoice(accountIds[i], periodId, end);
        }
    }

    /**
     * @dev Issues a computed invoice with the hash of its document and a due date; an export credit
     * (prosumer) goes to the account's credit balance.
     *
     * Requirements: the caller has {RETAIL_COMPANY_ROLE} and serves the account; status `Computed`.
     *
     * Emits an {InvoiceIssued} event.
     */
    function issueInvoice(uint256 invoiceId, bytes32 documentHash, uint32 dueDate)
        external
        onlyRole(RETAIL_COMPANY_ROLE)
    {
        _Stored storage invoice = _requireStatus(invoiceId, InvoiceStatus.Computed);
        _requireRetailCompany(invoice.accountId);
        invoice.status = InvoiceStatus.Issued;
        invoice.documentHash = documentHash;
        invoice.dueDate = dueDate;
        emit InvoiceIssued(invoiceId, documentHash, dueDate);
        if (invoice.exportCredit != 0) _credit(invoice.accountId, invoice.exportCredit);
    }

    /**
     * @dev The consumer confirms an issued invoice. Emits an {InvoiceConfirmed} event.
     */
    function confirmInvoice(uint256 invoiceId) external {
        _Stored storage invoice = _requireStatus(invoiceId, InvoiceStatus.Issued);
        _requireConsumer(invoiceId, invoice.accountId);
        invoice.status = InvoiceStatus.Confirmed;
        emit InvoiceConfirmed(invoiceId, msg.sender);
    }

    /**
     * @dev The consumer disputes an issued invoice. Emits an {InvoiceDisputed} event.
     */
    function disputeInvoice(uint256 invoiceId, bytes32 reasonHash) external {
        _Stored storage invoice = _requireStatus(invoiceId, InvoiceStatus.Issued);
        _requireConsumer(invoiceId, invoice.accountId);
        invoice.status = InvoiceStatus.Disputed;
        emit InvoiceDisputed(invoiceId, msg.sender, reasonHash);
    }

    /**
     * @dev Cancels a computed or disputed invoice that has received no payment, so the period can be
     * closed again for the account (after a correction).
     *
     * Requirements: {RETAIL_COMPANY_ROLE}, serves the account; status `Computed` or `Disputed`; nothing paid.
     *
     * Emits an {InvoiceCancelled} event.
     */
    function cancelInvoice(uint256 invoiceId, bytes32 reasonHash) external onlyRole(RETAIL_COMPANY_ROLE) {
        _Stored storage invoice = _invoices[invoiceId];
        InvoiceStatus status = invoice.status;
        if (status == InvoiceStatus.None) revert InvoiceUnknown(invoiceId);
        _requireRetailCompany(invoice.accountId);
        uint64[4] storage paid = invoice.paid;
        if (
            (status != InvoiceStatus.Computed && status != InvoiceStatus.Disputed)
                || paid[0] + paid[1] + paid[2] + paid[3] != 0
        ) revert InvoiceInvalidStatus(invoiceId, status);
        delete _invoices[invoiceId];
        emit InvoiceCancelled(invoiceId, reasonHash);
    }

    function getInvoice(uint256 invoiceId) external view returns (Invoice memory invoice) {
        _Stored storage stored = _invoices[invoiceId];
        invoice = Invoice({
            accountId: stored.accountId,
            periodId: stored.periodId,
            status: stored.status,
            dueDate: stored.dueDate,
            total: stored.total,
            exportCredit: stored.exportCredit,
            components: stored.components,
            paid: stored.paid,
            documentHash: stored.documentHash
        });
    }

    /// @dev The account's credit balance (overpayments, prepayments, export credits), kopecks.
    function creditBalance(uint64 accountId) external view returns (uint256) {
        return _balances[accountId];
    }

    // ------------------------------------------------------------------ internal

    function _computeInvoice(uint64 accountId, uint32 periodId, uint32 end) internal {
        uint256 invoiceId = invoiceIdOf(accountId, periodId);
        if (_invoices[invoiceId].status != InvoiceStatus.None) revert InvoiceAlreadyExists(invoiceId);
        IRegistry.BillingInfo memory info = _registry.billingInfo(accountId);
        if (info.retailCompany != msg.sender) revert InvoiceNotRetailCompany(accountId, msg.sender);
        if (!info.active) revert InvoiceInactiveAccount(accountId);
        uint256[5] memory volumes = _periodVolumes(accountId, info, periodId);
        ITariffs.PlanData memory plan = _tariffs.planFor(accountId, periodId, end);
        (InvoiceLine[] memory lines, uint256[4] memory components, uint256 exportCredit) =
            _priceInvoice(plan, [volumes[0], volumes[1], volumes[2], volumes[3]], volumes[4]);
        _storeInvoice(invoiceId, accountId, periodId, components, exportCredit);
        emit InvoiceComputed(
            invoiceId,
            accountId,
            periodId,
            plan.planId,
            _invoices[invoiceId].total,
            _invoices[invoiceId].components,
            exportCredit,
            volumes
        );
        for (uint256 i = 0; i < lines.length; ++i) {
            InvoiceLine memory line = lines[i];
            emit InvoiceLineComputed(invoiceId, line.kind, line.zone, line.tier, line.volumeWh, line.price, line.amount);
        }
    }

    /// @dev Consumption per register T1-T4 and export over the period, from the two snapshots.
    function _periodVolumes(uint64 accountId, IRegistry.BillingInfo memory info, uint32 periodId)
        private
        view
        returns (uint256[5] memory volumes)
    {
        (uint256 previous, uint256 current, uint256 previousExport, uint256 currentExport) =
            _readings.billingSnapshots(info.meterId, periodId, info.exportCapable);
        if (previous == 0 || current == 0) revert InvoiceMissingSnapshot(accountId, info.meterId, periodId);
        for (uint256 k = 0; k < 4; ++k) {
            uint256 shift = 176 - 48 * k;
            volumes[k] = ((current >> shift) & 0xffffffffffff) - ((previous >> shift) & 0xffffffffffff);
        }
        volumes[4] = (currentExport >> 176) - (previousExport >> 176);
    }

    function _storeInvoice(
        uint256 invoiceId,
        uint64 accountId,
        uint32 periodId,
        uint256[4] memory components,
        uint256 exportCredit
    ) private {
        _Stored storage invoice = _invoices[invoiceId];
        invoice.accountId = accountId;
        invoice.periodId = periodId;
        invoice.status = InvoiceStatus.Computed;
        invoice.total = uint64(components[0] + components[1] + components[2] + components[3]);
        invoice.exportCredit = uint56(exportCredit);
        invoice.components =
            [uint64(components[0]), uint64(components[1]), uint64(components[2]), uint64(components[3])];
    }

    /**
     * @dev THE PRICING HOOK: the one place that turns volumes and a plan into invoice lines and
     * per-component amounts (kopecks). Today it calls {InterimBilling-price}; when the shared billing
     * libraries land in contracts/src/billing it will call them instead (one-line change).
     */
    function _priceInvoice(ITariffs.PlanData memory plan, uint256[4] memory importWh, uint256 exportWh)
        internal
        pure
        virtual
        returns (InvoiceLine[] memory lines, uint256[4] memory components, uint256 exportCredit)
    {
        return InterimBilling.price(plan, importWh, exportWh);
    }

    function _credit(uint64 accountId, uint256 amount) internal virtual;

    function _requireStatus(uint256 invoiceId, InvoiceStatus status) internal view returns (_Stored storage invoice) {
        invoice = _invoices[invoiceId];
        if (invoice.status == InvoiceStatus.None) revert InvoiceUnknown(invoiceId);
        if (invoice.status != status) revert InvoiceInvalidStatus(invoiceId, invoice.status);
    }

    function _requireRetailCompany(uint64 accountId) internal view {
        if (_registry.billingInfo(accountId).retailCompany != msg.sender) {
            revert InvoiceNotRetailCompany(accountId, msg.sender);
        }
    }

    function _requireConsumer(uint256 invoiceId, uint64 accountId) internal view {
        if (_registry.billingInfo(accountId).consumer != msg.sender) revert InvoiceNotConsumer(invoiceId, msg.sender);
    }
}
