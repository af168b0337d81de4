import { EntitySchema } from "@mikro-orm/core";
import { address, bigint, bytes32, type ChainUpdate, integer, json, text, updateColumns } from "./columns.js";

/**
 * Settlement `InvoiceComputed` and the status events after it (issued, confirmed, disputed,
 * cancelled); `paid*` add up the split of every payment applied to it. Money in kopecks. The id is the
 * chain's uint256 `accountId << 32 | periodId` in decimal.
 */
export interface InvoiceRow extends ChainUpdate {
  id: string;
  accountId: number;
  periodId: number;
  retailCompanyId: number | null;
  planId: number;
  /** `computed`, `issued`, `confirmed`, `disputed`, `cancelled`. */
  status: string;
  total: number;
  energy: number;
  transmission: number;
  retailMarkup: number;
  infrastructure: number;
  /** VAT added on top of the components (legal entities), kopecks. */
  vat: number;
  exportCredit: number;
  /** Volumes in Wh as emitted (uint256[5]). */
  volumesWh: number[];
  documentHash: string | null;
  dueDate: number | null;
  confirmedBy: string | null;
  reasonHash: string | null;
  paidTotal: number;
  paidEnergy: number;
  paidTransmission: number;
  paidRetailMarkup: number;
  paidInfrastructure: number;
  computedAt: number;
}

export const Invoice = new EntitySchema<InvoiceRow>({
  name: "Invoice",
  tableName: "invoices",
  properties: {
    id: text(80, { primary: true }),
    accountId: bigint(),
    periodId: integer(),
    retailCompanyId: integer({ nullable: true }),
    planId: bigint(),
    status: text(16),
    total: bigint(),
    energy: bigint(),
    transmission: bigint(),
    retailMarkup: bigint(),
    infrastructure: bigint(),
    vat: bigint(),
    exportCredit: bigint(),
    volumesWh: json(),
    documentHash: bytes32({ nullable: true }),
    dueDate: bigint({ nullable: true }),
    confirmedBy: address({ nullable: true }),
    reasonHash: bytes32({ nullable: true }),
    paidTotal: bigint(),
    paidEnergy: bigint(),
    paidTransmission: bigint(),
    paidRetailMarkup: bigint(),
    paidInfrastructure: bigint(),
    computedAt: bigint(),
    ...updateColumns(),
  },
  indexes: [
    { properties: ["accountId", "periodId"] },
    { properties: ["retailCompanyId", "periodId"] },
    { properties: ["status", "periodId"] },
  ],
});
