import type { PaymentRow } from "../../db/entities/index.js";
import { chainRef } from "../common/chainRef.type.js";
import type { PaymentNode } from "./payment.type.js";

export function toPaymentNode(row: PaymentRow): PaymentNode {
  return {
    source: row.source,
    paymentNumber: String(row.paymentNumber),
    kind: row.kind,
    invoiceId: row.invoiceId,
    accountId: String(row.accountId),
    method: row.method,
    amount: String(row.amount),
    applied: String(row.applied),
    credited: String(row.credited),
    split: {
      energy: String(row.splitEnergy),
      transmission: String(row.splitTransmission),
      retailMarkup: String(row.splitRetailMarkup),
      infrastructure: String(row.splitInfrastructure),
    },
    paidAt: row.paidAt,
    chain: chainRef(row),
  };
}
