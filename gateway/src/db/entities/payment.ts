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
 * `PrepaymentRecorded` (kind `prepayment`, credited to the account). Money in kopecks. On chain a
 * payment is identified by its source and the source's payment number (payments are idempotent by it).
 */
export interface PaymentRow extends ChainOrigin {
  source: string;
  paymentNumber: number;
  sourceId: number | null;
  /** The source's own reference (bank document id…), bytes32. */
  externalRef: string;
  kind: string;
  invoiceId: string | null;
  accountId: number;
  retailCompanyId: number | null;
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
    source: address({ primary: true }),
    paymentNumber: bigint({ primary: true, autoincrement: false }),
    sourceId: integer({ nullable: true }),
    externalRef: bytes32(),
    kind: text(16),
    invoiceId: text(80, { nullable: true, index: true }),
    accountId: bigint(),
    retailCompanyId: integer({ nullable: true }),
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
