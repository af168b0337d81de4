import { type Hex, keccak256, toHex } from "viem";

const role = (name: string): Hex => keccak256(toHex(name));

/** Role identifiers, equal to the constants of contracts/src/access/Roles.sol. */
export const GRID_LEDGER_ROLES = {
  DEFAULT_ADMIN_ROLE: `0x${"00".repeat(32)}` as Hex,
  OPERATOR_ROLE: role("OPERATOR_ROLE"),
  UPGRADER_ROLE: role("UPGRADER_ROLE"),
  GRID_COMPANY_ROLE: role("GRID_COMPANY_ROLE"),
  RETAIL_COMPANY_ROLE: role("RETAIL_COMPANY_ROLE"),
  PAYMENT_SOURCE_ROLE: role("PAYMENT_SOURCE_ROLE"),
  METER_REPORTER_ROLE: role("METER_REPORTER_ROLE"),
  /** Held by the HourlyBilling module on Settlement: it records the ПЦК 3/4 invoices it computes. */
  BILLING_MODULE_ROLE: role("BILLING_MODULE_ROLE"),
  /** BillingVolumes only: granted to the Settlement proxy (the one caller that records substitution state). */
  SETTLEMENT_ROLE: role("SETTLEMENT_ROLE"),
  /** Registry only: granted to the BillingVolumes proxy (marks accounts with substitution state). */
  VOLUMES_MODULE_ROLE: role("VOLUMES_MODULE_ROLE"),
} as const;
export type GridLedgerRole = keyof typeof GRID_LEDGER_ROLES;

/** Registry.OrganisationKind. */
export const OrganisationKind = {
  None: 0,
  Operator: 1,
  GridCompany: 2,
  RetailCompany: 3,
  PaymentSource: 4,
} as const;
