import { EntitySchema } from "@mikro-orm/core";
import { address, bytes32, type ChainOrigin, integer, originColumns, smallint } from "./columns.js";

/** Readings `ReadingBatchRecorded`: who signed a batch; its readings share `txHash`. */
export interface ReadingBatchRow extends ChainOrigin {
  signer: string;
  digest: string;
  source: number;
  accepted: number;
  duplicates: number;
}

export const ReadingBatch = new EntitySchema<ReadingBatchRow>({
  name: "ReadingBatch",
  tableName: "reading_batches",
  properties: {
    ...originColumns(true),
    signer: address({ index: true }),
    digest: bytes32(),
    source: smallint(),
    accepted: integer(),
    duplicates: integer(),
  },
  indexes: [{ properties: ["txHash"] }],
});
