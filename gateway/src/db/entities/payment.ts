import { EntitySchema } from "@mikro-orm/core";
import {
  address,
  bigint,
  bytes32,
  type ChainOrigin,
  integer,
  originColumns,
  smallint,
  text,
} from "./columns.js";

/**
 * Settlement `PaymentRecorded` (kind `payment`, with its split among the four providers) and
 * `PrepaymentRecorded` (kind `prepayment`, credited to the account). Money in kopecks. The payment
 * reference is unique on chain (payments are idempotent by it).
 */
export interface PaymentRow extends ChainOrigin {
  paymentRef: string;
  kind: string;
  invoiceId: string | null;
  accountId: number;
  retailCompanyId: number | null;
  source: string;
  sourceId: number | null;
  /** IPayments.PaymentMethod: 0 bank transfer, 1 card, 2 cash desk, 3 direct debit; null for prepayments. */
  method: number | null;
  amount: number;
  applied: number;
  credited: number;
  splitEnergy: number;
  splitTransmission: number;
  splitRetailMarkup: number;
  splitInfrastructure: number;
  /** Block time, Unix seconds. */
  paidAt: number;
}

export const Payment = new EntitySchema<PaymentRow>({
  name: "Payment",
  tableName: "payments",
  properties: {
    paymentRef: bytes32({ primary: true }),
    kind: text(16),
    invoiceId: text(80, { nullable: true, index: true }),
    accountId: bigint(),
    retailCompanyId: integer({ nullable: true }),
    source: address(),
    sourceId: integer({ nullable: true }),
    method: smallint({ nullable: true }),
    amount: bigint(),
    applied: bigint(),
    credited: bigint(),
    splitEnergy: bigint(),
    splitTransmission: bigint(),
    splitRetailMarkup: bigint(),
    splitInfrastructure: bigint(),
    paidAt: bigint({ index: true }),
    ...originColumns(),
  },
  indexes: [
    { properties: ["accountId", "paidAt"] },
    { properties: ["sourceId", "paidAt"] },
    { properties: ["retailCompanyId", "paidAt"] },
  ],
});
