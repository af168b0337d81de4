import { READINGS_ERROR_CODES } from "../ingest/readingErrors.js";

/**
 * The stable API code of every custom error the GridLedger contracts revert with, for the actions
 * the gateway sends on its users' behalf (tariffs, invoices, payments, registry, manual readings).
 * Ownership errors become `FORBIDDEN`: the contract is the last word on who may change what.
 * An error not listed falls back to `REJECTED_BY_CONTRACT`.
 */
export const CONTRACT_ERROR_CODES: Readonly<Record<string, string>> = {
  ...READINGS_ERROR_CODES,
  // OpenZeppelin AccessControl: the signer's key has no role on this contract
  AccessControlUnauthorizedAccount: "MISSING_CHAIN_ROLE",
  // Registry
  RegistryOrganisationExists: "ORGANISATION_EXISTS",
  RegistryInvalidOrganisation: "UNKNOWN_ORGANISATION",
  RegistryInvalidArgument: "BAD_USER_INPUT",
  RegistryUnknownMeter: "UNKNOWN_METER",
  RegistryUnknownAccount: "UNKNOWN_ACCOUNT",
  RegistryNotOwner: "FORBIDDEN",
  RegistryDuplicateMeter: "DUPLICATE_METER",
  RegistryDuplicateAccount: "DUPLICATE_ACCOUNT",
  RegistryMeterInUse: "METER_IN_USE",
  RegistryInvalidMeterOrCategory: "INVALID_PRICE_CATEGORY",
  // Readings (beyond the ingest path's)
  ReadingsNotMeterOwner: "FORBIDDEN",
  ReadingsRegisterOverflow: "INVALID_READING",
  ReadingsDeviceKeyExists: "DEVICE_KEY_EXISTS",
  ReadingsDeviceKeyNotActive: "DEVICE_KEY_NOT_ACTIVE",
  ReadingsInvalidPeriod: "INVALID_PERIOD",
  ReadingsInvalidTolerance: "BAD_USER_INPUT",
  // Tariffs
  TariffUnknownGroup: "TARIFF_GROUP_NOT_FOUND",
  TariffUnknownPlan: "TARIFF_PLAN_NOT_FOUND",
  TariffNotOwner: "FORBIDDEN",
  TariffInvalidCategory: "INVALID_PRICE_CATEGORY",
  TariffInvalidRates: "INVALID_RATES",
  TariffInvalidParameters: "INVALID_TARIFF_PARAMETERS",
  TariffInvalidValidity: "INVALID_VALIDITY",
  TariffOverlappingValidity: "OVERLAPPING_VALIDITY",
  TariffZoneHoursOverlap: "ZONE_HOURS_OVERLAP",
  TariffZoneHoursIncomplete: "ZONE_HOURS_INCOMPLETE",
  TariffInvalidZoneInterval: "INVALID_ZONE_INTERVAL",
  TariffInEffect: "TARIFF_IN_EFFECT",
  TariffNotOpenToAccount: "TARIFF_NOT_OPEN",
  TariffNoChoice: "NO_TARIFF_CHOICE",
  TariffNoPlanInEffect: "NO_PLAN_IN_EFFECT",
  TariffMeterZonesMismatch: "TARIFF_METER_ZONES_MISMATCH",
  TariffInvalidVatSchedule: "INVALID_VAT_SCHEDULE",
  // Invoices
  InvoicePeriodNotEnded: "PERIOD_NOT_ENDED",
  InvoiceNotRetailCompany: "FORBIDDEN",
  InvoiceNotConsumer: "FORBIDDEN",
  InvoiceAlreadyExists: "INVOICE_EXISTS",
  InvoiceUnknown: "INVOICE_NOT_FOUND",
  InvoiceMissingSnapshot: "MISSING_SNAPSHOT",
  InvoiceInactiveAccount: "INACTIVE_ACCOUNT",
  InvoiceInvalidStatus: "INVOICE_INVALID_STATUS",
  InvoiceWrongContract: "REJECTED_BY_CONTRACT",
  // Payments
  PaymentAlreadyRecorded: "PAYMENT_ALREADY_RECORDED",
  PaymentZeroAmount: "ZERO_AMOUNT",
  PaymentInvoiceNotPayable: "INVOICE_NOT_PAYABLE",
  PaymentInvalidMethod: "INVALID_PAYMENT_METHOD",
  PaymentExceedsDebt: "EXCEEDS_DEBT",
  PaymentInsufficientBalance: "INSUFFICIENT_BALANCE",
  PaymentNoMandate: "NO_DEBIT_MANDATE",
  PaymentMandateLimitExceeded: "MANDATE_LIMIT_EXCEEDED",
  PaymentNotConsumer: "FORBIDDEN",
};
