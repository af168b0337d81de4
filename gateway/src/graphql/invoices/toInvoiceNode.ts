import type { InvoiceLineRow, InvoiceRow } from "../../db/entities/index.js";
import { chainRef } from "../common/chainRef.type.js";
import type { InvoiceLineNode, InvoiceNode, InvoiceStatus } from "./invoice.type.js";
import { COMMON_HOUSE_PERIOD } from "./invoiceVolumeEvent.type.js";

const LINE_KINDS = ["ENERGY", "HOURLY_ENERGY", "CAPACITY", "NETWORK_MAINTENANCE", "LOSSES", "EXPORT"];
const COMPONENTS = ["ENERGY", "TRANSMISSION", "RETAIL_MARKUP", "INFRASTRUCTURE"];

export function toInvoiceNode(row: InvoiceRow): InvoiceNode {
  const debt = row.total - row.paidTotal;
  return {
    id: row.id,
    accountId: String(row.accountId),
    periodId: row.periodId,
    // period ids stay below 2^31 (the index keeps them as signed 32-bit integers): `%` is the bit test
    billingPeriodId: row.periodId % COMMON_HOUSE_PERIOD,
    isCommonHouseShare: row.periodId >= COMMON_HOUSE_PERIOD,
    planId: String(row.planId),
    status: row.status as InvoiceStatus,
    total: String(row.total),
    components: {
      energy: String(row.energy),
      transmission: String(row.transmission),
      retailMarkup: String(row.retailMarkup),
      infrastructure: String(row.infrastructure),
    },
    vat: String(row.vat),
    exportCredit: String(row.exportCredit),
    volumesWh: row.volumesWh.map((volume) => String(volume)),
    paidTotal: String(row.paidTotal),
    paid: {
      energy: String(row.paidEnergy),
      transmission: String(row.paidTransmission),
      retailMarkup: String(row.paidRetailMarkup),
      infrastructure: String(row.paidInfrastructure),
    },
    debt: String(row.status === "cancelled" || debt < 0 ? 0 : debt),
    documentHash: row.documentHash,
    dueDate: row.dueDate,
    confirmedBy: row.confirmedBy,
    reasonHash: row.reasonHash,
    computedAt: row.computedAt,
    chain: chainRef(row),
    lastChange: chainRef({
      blockNumber: row.updatedBlock,
      txHash: row.updatedTxHash,
      logIndex: row.updatedLogIndex,
    }),
    retailCompanyId: row.retailCompanyId,
  };
}

export function toInvoiceLineNode(row: InvoiceLineRow): InvoiceLineNode {
  return {
    lineNo: row.lineNo,
    kind: row.kind,
    kindName: LINE_KINDS[row.kind] ?? `KIND_${row.kind}`,
    zone: row.zone,
    range: row.range,
    component: row.component,
    componentName: COMPONENTS[row.component] ?? `COMPONENT_${row.component}`,
    quantity: String(row.quantity),
    rate: String(row.rate),
    amount: String(row.amount),
  };
}
