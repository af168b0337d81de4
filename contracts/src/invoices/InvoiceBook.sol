// SPDX-License-Identifier: Apache-2.0
// GridLedger Contracts (src/invoices/InvoiceBook.sol)
pragma solidity ^0.8.27;

import {GridLedgerBase} from "../access/GridLedgerBase.sol";
import {Roles} from "../access/Roles.sol";
import {IBillingVolumes, IBillingVolumesErrors} from "../interfaces/IBillingVolumes.sol";
import {IInvoices} from "../interfaces/IInvoices.sol";
import {IReadings} from "../interfaces/IReadings.sol";
import {IRegistry} from "../interfaces/IRegistry.sol";
import {ITariffs} from "../interfaces/ITariffs.sol";
import {InvoiceMath} from "../billing/InvoiceMath.sol";
import {InvoiceLine, PriceComponents, VatMode} from "../billing/BillingTypes.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/**
 * @dev Period close and the invoice life cycle: computed on-chain from the meter's register
 * snapshots at the period's start and end (captured by {Readings}) and the plan the account chose
 * ({Tariffs}); issued by the retail company with its document hash; confirmed or disputed by the
 * consumer. Every line is emitted ({InvoiceLinesComputed}, one word per line).
 *
 * Storage per invoice: one slot when computed (status and the four components; the account and
 * period are the invoice id, the total is the components' sum), one more only for a prosumer's export
 * credit, two more when issued (paid amounts with the due date, document hash), so that payments only
 * update existing slots.
 */
abstract contract InvoiceBook is GridLedgerBase, IInvoices, IBillingVolumesErrors {
    /// @dev Slot 0 status and components (4 x uint56); slot 1 the export credit (prosumers only); slot 2
    /// `paidWord` = paid per component (4 x uint56, from the top) | due date (low 32 bits), written at
    /// issue so that payments update a non-empty slot; slot 3 the document hash.
    struct _Stored {
        InvoiceStatus status;
        uint56 component0;
        uint56 component1;
        uint56 component2;
        uint56 component3;
        uint56 exportCredit;
        uint256 paidWord;
        bytes32 documentHash;
    }

    // The three contract addresses as first stored; kept for the storage layout. The code reads the
    // implementation's immutables below (three cold storage reads less per invoice and payment).
    IRegistry private _registryStored;
    IReadings private _readingsStored;
    ITariffs private _tariffsStored;
    mapping(uint256 invoiceId => _Stored) internal _invoices;
    mapping(uint64 accountId => uint256) internal _balances;

    IRegistry internal immutable _registry;
    IReadings internal immutable _readings;
    ITariffs internal immutable _tariffs;
    /// @dev Where an invoice's volumes come from (meter difference, meter replacement, substitutes).
    IBillingVolumes internal immutable _billingVolumes;

    /// @dev The proxies of the contracts settlement reads; an implementation is deployed for them.
    constructor(
        IRegistry registryAddress,
        IReadings readingsAddress,
        ITariffs tariffsAddress,
        IBillingVolumes billingVolumesAddress
    ) {
        _registry = registryAddress;
        _readings = readingsAddress;
        _tariffs = tariffsAddress;
        _billingVolumes = billingVolumesAddress;
    }

    function __InvoiceBook_init(IRegistry registryAddress, IReadings readingsAddress, ITariffs tariffsAddress)
        internal
        onlyInitializing
    {
        // the implementation reads its immutables; the stored copies only record what was initialised
        _requireSame(address(registryAddress), address(_registry));
        _requireSame(address(readingsAddress), address(_readings));
        _requireSame(address(tariffsAddress), address(_tariffs));
        _registryStored = registryAddress;
        _readingsStored = readingsAddress;
        _tariffsStored = tariffsAddress;
    }

    function _requireSame(address given, address expected) private pure {
        if (given != expected) revert InvoiceWrongContract(expected, given);
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
     * Emits an {InvoiceComputed} and an {InvoiceLinesComputed} event per account.
     */
    function closePeriod(uint32 periodId, uint64[] calldata accountIds) external onlyRole(RETAIL_COMPANY_ROLE) {
        uint32 end = _readings.periodEnd(periodId);
        if (end == 0 || end > block.timestamp) revert InvoicePeriodNotEnded(periodId, end);
        for (uint256 i = 0; i < accountIds.length; ++i) {
            _computeInvoice(accountIds[i], periodId, end);
        }
    }

    /**
     * @dev Stores an invoice computed by a billing module (ПЦК 3/4: `HourlyBilling`), which has checked
     * the retail company, the account, the period and the volumes; emits the events of {closePeriod}, so
     * that issue, payment, split and indexing treat it like any other invoice.
     *
     * Requirements: the caller has {Roles-BILLING_MODULE_ROLE}; no invoice exists for the account and period.
     *
     * Emits an {InvoiceComputed} and an {InvoiceLinesComputed} event.
     */
    function recordModuleInvoice(
        uint64 accountId,
        uint32 periodId,
        uint64 planId,
        uint256[] memory payableByComponent,
        uint256 vat,
        uint256[5] memory volumes,
        uint256[] memory packedLines
    ) external onlyRole(Roles.BILLING_MODULE_ROLE) {
        uint256 invoiceId = invoiceIdOf(accountId, periodId);
        if (_invoices[invoiceId].status != InvoiceStatus.None) revert InvoiceAlreadyExists(invoiceId);
        // payable total 0: a module offsets no export credit
        _recordInvoice(invoiceId, accountId, periodId, planId, payableByComponent, 0, vat, volumes, packedLines);
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
        uint64 accountId = _accountOf(invoiceId);
        _requireRetailCompany(accountId);
        invoice.status = InvoiceStatus.Issued;
        invoice.documentHash = documentHash;
        invoice.paidWord = dueDate;
        emit InvoiceIssued(invoiceId, documentHash, dueDate);
        uint256 exportCredit = invoice.exportCredit;
        if (exportCredit != 0) _credit(accountId, exportCredit);
    }

    /**
     * @dev The consumer confirms an issued invoice. Emits an {InvoiceConfirmed} event.
     */
    function confirmInvoice(uint256 invoiceId) external {
        _Stored storage invoice = _requireStatus(invoiceId, InvoiceStatus.Issued);
        _requireConsumer(invoiceId, _accountOf(invoiceId));
        invoice.status = InvoiceStatus.Confirmed;
        emit InvoiceConfirmed(invoiceId, msg.sender);
    }

    /**
     * @dev The consumer disputes an issued invoice. Emits an {InvoiceDisputed} event.
     */
    function disputeInvoice(uint256 invoiceId, bytes32 reasonHash) external {
        _Stored storage invoice = _requireStatus(invoiceId, InvoiceStatus.Issued);
        _requireConsumer(invoiceId, _accountOf(invoiceId));
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
        _requireRetailCompany(_accountOf(invoiceId));
        if (
            (status != InvoiceStatus.Computed && status != InvoiceStatus.Disputed)
                || invoice.paidWord >> 32 != 0
        ) revert InvoiceInvalidStatus(invoiceId, status);
        delete _invoices[invoiceId];
        emit InvoiceCancelled(invoiceId, reasonHash);
    }

    function getInvoice(uint256 invoiceId) external view returns (Invoice memory invoice) {
        _Stored storage stored = _invoices[invoiceId];
        if (stored.status == InvoiceStatus.None) return invoice;
        uint64[4] memory components = _componentsOf(stored);
        invoice = Invoice({
            accountId: _accountOf(invoiceId),
            periodId: uint32(invoiceId),
            status: stored.status,
            dueDate: uint32(stored.paidWord),
            total: components[0] + components[1] + components[2] + components[3],
            exportCredit: stored.exportCredit,
            components: components,
            paid: _unpackPaid(stored.paidWord),
            documentHash: stored.documentHash
        });
    }

    /**
     * @dev What is still owed of an issued invoice (Issued, Confirmed or Disputed) and its due day
     * (days since 1970-01-01): the input of its late-payment penalty, which
     * `BillingCalculator.invoiceLatePaymentPenalty` computes from here (kept out of this contract for
     * its size).
     */
    function outstandingDebt(uint256 invoiceId) external view returns (uint256 debt, uint32 dueDay) {
        _Stored storage invoice = _invoices[invoiceId];
        InvoiceStatus status = invoice.status;
        if (status == InvoiceStatus.None) revert InvoiceUnknown(invoiceId);
        if (status == InvoiceStatus.Computed) revert InvoiceInvalidStatus(invoiceId, status);
        uint64[4] memory components = _componentsOf(invoice);
        uint256 paidWord = invoice.paidWord;
        uint64[4] memory paid = _unpackPaid(paidWord);
        for (uint256 k = 0; k < 4; ++k) debt += components[k] - paid[k];
        dueDay = uint32(paidWord) / 86_400;
    }

    /// @dev The account's credit balance (overpayments, prepayments, export credits), kopecks.
    function creditBalance(uint64 accountId) external view returns (uint256) {
        return _balances[accountId];
    }

    // ------------------------------------------------------------------ internal

    function _computeInvoice(uint64 accountId, uint32 periodId, uint32 end) internal {
        uint256 invoiceId = invoiceIdOf(accountId, periodId);
        if (_invoices[invoiceId].status != InvoiceStatus.None) revert InvoiceAlreadyExists(invoiceId);
        uint256[5] memory volumes = _billedVolumes(accountId, periodId, end);
        ITariffs.PlanData memory plan = _tariffs.billingPlanFor(accountId, periodId, end, volumes[4] != 0);
        if (_isZonePlan(plan, volumes)) {
            // the household fast path: lines straight to their event words (same figures, tested)
            InvoiceMath.ZoneInvoice memory zoned = InvoiceMath.computeZoneInvoiceWords(
                _zoneVolumes(volumes, plan.plan.zones), plan.plan.zones, plan.rates, _vatMode(plan.plan), plan.plan.vatBp
            );
            _recordInvoice(
                invoiceId,
                accountId,
                periodId,
                plan.planId,
                zoned.payableByComponent,
                SafeCast.toInt256(zoned.grossTotal),
                zoned.vat,
                volumes,
                zoned.lineWords
            );
            return;
        }
        InvoiceMath.Invoice memory priced = _priceInvoice(plan, volumes);
        _recordInvoice(
            invoiceId,
            accountId,
            periodId,
            plan.planId,
            priced.payableByComponent,
            priced.payableTotal,
            priced.vat,
            volumes,
            _packLines(priced)
        );
    }

    /// @dev Stores a computed invoice and emits {InvoiceComputed} and {InvoiceLinesComputed} (every path
    /// that computes an invoice ends here).
    function _recordInvoice(
        uint256 invoiceId,
        uint64 accountId,
        uint32 periodId,
        uint64 planId,
        uint256[] memory payable_,
        int256 payableTotal,
        uint256 vat,
        uint256[5] memory volumes,
        uint256[] memory lineWords
    ) private {
        (uint256 credit, uint64 total, uint64[4] memory components) = _storeInvoice(invoiceId, payable_, payableTotal);
        emit InvoiceComputed(invoiceId, accountId, periodId, planId, total, components, vat, credit, volumes);
        emit InvoiceLinesComputed(invoiceId, lineWords);
    }

    /// @dev The period's volumes per register: the meter's snapshot difference while the Registry says the
    /// account needs nothing else ({IRegistry-settlementState}) and both snapshots exist; otherwise
    /// {IBillingVolumes-periodVolumes} (meter replacement, substitutes, loss correction at the boundary).
    function _billedVolumes(uint64 accountId, uint32 periodId, uint32 end) private returns (uint256[5] memory volumes) {
        (address retailCompany, uint64 meterId, bool active, bool exportCapable, bool viaModule) =
            _registry.settlementState(accountId);
        if (retailCompany != msg.sender) revert InvoiceNotRetailCompany(accountId, msg.sender);
        if (!active) revert InvoiceInactiveAccount(accountId);
        bool found;
        if (!viaModule) (found, volumes) = _snapshotVolumes(meterId, periodId, exportCapable);
        if (!found) volumes = _billingVolumes.periodVolumes(msg.sender, accountId, periodId, end);
    }

    /// @dev Consumption per register T1-T4 and export over the period from the two snapshots, if both exist.
    function _snapshotVolumes(uint64 meterId, uint32 periodId, bool exportCapable)
        private
        view
        returns (bool found, uint256[5] memory volumes)
    {
        (uint256 previous, uint256 current, uint256 previousExport, uint256 currentExport) =
            _readings.billingSnapshots(meterId, periodId, exportCapable);
        if (previous == 0 || current == 0) return (false, volumes);
        for (uint256 k = 0; k < 4; ++k) {
            uint256 shift = 176 - 48 * k;
            volumes[k] = ((current >> shift) & 0xffffffffffff) - ((previous >> shift) & 0xffffffffffff);
        }
        volumes[4] = (currentExport >> 176) - (previousExport >> 176);
        found = true;
    }

    /// @dev Single-rate, two- or three-zone plan with no export to buy back: {InvoiceMath-computeZoneInvoiceWords}.
    function _isZonePlan(ITariffs.PlanData memory data, uint256[5] memory volumes) private pure returns (bool) {
        ITariffs.TariffKind kind = data.plan.kind;
        return (kind == ITariffs.TariffKind.SingleRate || kind == ITariffs.TariffKind.TwoZone
                || kind == ITariffs.TariffKind.ThreeZone) && (volumes[4] == 0 || data.plan.exportPrice == 0);
    }

    /// @dev Register z counts in zone z; registers beyond the plan's zones in its last zone.
    function _zoneVolumes(uint256[5] memory volumes, uint256 zones) private pure returns (uint256[4] memory zoneVolumes) {
        for (uint256 r = 0; r < 4; ++r) zoneVolumes[r < zones ? r : zones - 1] += volumes[r];
    }

    function _vatMode(ITariffs.Plan memory plan) private pure returns (VatMode) {
        return plan.vatIncluded ? VatMode.Included : plan.vatBp == 0 ? VatMode.None : VatMode.Added;
    }

    /// @dev One word per line (see {InvoiceLinesComputed}).
    function _packLines(InvoiceMath.Invoice memory priced) private pure returns (uint256[] memory packed) {
        InvoiceLine[] memory lines = priced.lines;
        uint256 count = lines.length;
        packed = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            InvoiceLine memory line = lines[i];
            packed[i] = (uint256(uint8(line.kind)) << 248) | (uint256(line.zone) << 240) | (uint256(line.range) << 232)
                | (uint256(uint8(line.component)) << 224) | (uint256(uint64(line.quantity)) << 160)
                | (uint256(uint64(line.rate)) << 96) | (uint256(uint64(line.amount)) << 32);
        }
    }

    /// @dev Stores the payable amounts; a prosumer's export credit above the invoice is returned (to the balance at issue).
    function _storeInvoice(uint256 invoiceId, uint256[] memory payable_, int256 payableTotal)
        private
        returns (uint256 credit, uint64 total, uint64[4] memory components)
    {
        _Stored storage invoice = _invoices[invoiceId];
        credit = payableTotal < 0 ? uint256(-payableTotal) : 0;
        // one slot write: status (bits 0-7) and the four components (56 bits each, from bit 8)
        uint256 head = uint256(uint8(InvoiceStatus.Computed)) | (uint256(SafeCast.toUint56(payable_[0])) << 8)
            | (uint256(SafeCast.toUint56(payable_[1])) << 64) | (uint256(SafeCast.toUint56(payable_[2])) << 120)
            | (uint256(SafeCast.toUint56(payable_[3])) << 176);
        assembly ("memory-safe") {
            sstore(invoice.slot, head)
        }
        if (credit != 0) invoice.exportCredit = SafeCast.toUint56(credit);
        components = [uint64(payable_[0]), uint64(payable_[1]), uint64(payable_[2]), uint64(payable_[3])];
        total = components[0] + components[1] + components[2] + components[3];
    }

    /// @dev The account of `invoiceId` (`accountId << 32 | periodId`).
    function _accountOf(uint256 invoiceId) internal pure returns (uint64) {
        return uint64(invoiceId >> 32);
    }

    /// @dev The four payable components of a stored invoice.
    function _componentsOf(_Stored storage invoice) internal view returns (uint64[4] memory components) {
        components = [
            uint64(invoice.component0),
            uint64(invoice.component1),
            uint64(invoice.component2),
            uint64(invoice.component3)
        ];
    }

    /**
     * @dev THE PRICING HOOK: the one place that turns a plan and the period's volumes into the invoice.
     * It calls the shared billing library {InvoiceMath-computeInvoice} (contracts/src/billing, mirroring
     * domain/src/billing): lines per zone x range x component rounded half-up, VAT once on the net
     * total (tariffs with VAT added) split by largest remainder, export credit offset from the
     * components. Register z is zone z; registers beyond the plan's zones count in its last zone.
     */
    function _priceInvoice(ITariffs.PlanData memory data, uint256[5] memory volumes)
        internal
        pure
        virtual
        returns (InvoiceMath.Invoice memory)
    {
        ITariffs.Plan memory plan = data.plan;
        if (plan.kind >= ITariffs.TariffKind.PriceCategory3) revert InvoiceHourlyPlan(data.planId);
        VatMode vatMode = _vatMode(plan);
        InvoiceMath.InvoiceInput memory input;
        uint256 zones = plan.kind == ITariffs.TariffKind.SocialNorm ? data.rates.length / 2 : plan.zones;
        input.zoneVolumes = new uint256[](zones);
        for (uint256 r = 0; r < 4; ++r) input.zoneVolumes[r < zones ? r : zones - 1] += volumes[r];
        if (plan.kind == ITariffs.TariffKind.VolumeRange) {
            input.rangeUpperBounds = new uint256[](data.rates.length - 1);
            if (data.rates.length > 1) input.rangeUpperBounds[0] = plan.threshold1;
            if (data.rates.length > 2) input.rangeUpperBounds[1] = plan.threshold2;
        } else if (plan.kind == ITariffs.TariffKind.SocialNorm) {
            input.rangeUpperBounds = new uint256[](1);
            input.rangeUpperBounds[0] = plan.threshold1;
        }
        input.thresholdNumerator = 1;
        input.thresholdDenominator = 1;
        input.prices = new PriceComponents[](data.rates.length);
        for (uint256 i = 0; i < data.rates.length; ++i) {
            uint64[4] memory row = data.rates[i];
            input.prices[i] = PriceComponents(row[0], row[1], row[2], row[3]);
        }
        input.exportVolume = volumes[4];
        input.exportPrice = plan.exportPrice;
        input.vatMode = vatMode;
        input.vatRateBp = plan.vatBp;
        return InvoiceMath.computeInvoice(input);
    }

    function _credit(uint64 accountId, uint256 amount) internal virtual;

    /// @dev Paid amounts per component from `paidWord` (component k at bits [200 - 56k, 256 - 56k)).
    function _unpackPaid(uint256 paidWord) internal pure returns (uint64[4] memory paid) {
        for (uint256 k = 0; k < 4; ++k) paid[k] = uint64((paidWord >> (200 - 56 * k)) & type(uint56).max);
    }

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
