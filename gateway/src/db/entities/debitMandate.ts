import { EntitySchema } from "@mikro-orm/core";
import { address, bigint, type ChainUpdate, updateColumns } from "./columns.js";

/** Settlement `DebitMandateSet`: a consumer's mandate for a payment source (0 = withdrawn). */
export interface DebitMandateRow extends ChainUpdate {
  accountId: number;
  source: string;
  limitPerDebit: number;
}

export const DebitMandate = new EntitySchema<DebitMandateRow>({
  name: "DebitMandate",
  tableName: "debit_mandates",
  properties: {
    accountId: bigint({ primary: true, autoincrement: false }),
    source: address({ primary: true }),
    limitPerDebit: bigint(),
    ...updateColumns(),
  },
});
