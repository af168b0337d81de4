import { EntitySchema } from "@mikro-orm/core";
import { bigint, bytes32, integer, text } from "./columns.js";

/**
 * How far the indexer got: every block up to `blockNumber` is in the database. Written in the same
 * transaction as the rows of the range it closes, so a crash resumes with no gap and no duplicate.
 * `deployment` identifies the chain and contracts the rows came from; a different one is refused.
 */
export interface IndexerCheckpointRow {
  id: string;
  chainId: number;
  deployment: string;
  deployedAtBlock: number;
  blockNumber: number;
  blockHash: string;
  updatedAt: number;
}

export const IndexerCheckpoint = new EntitySchema<IndexerCheckpointRow>({
  name: "IndexerCheckpoint",
  tableName: "indexer_checkpoints",
  properties: {
    id: text(32, { primary: true }),
    chainId: integer(),
    deployment: text(255),
    deployedAtBlock: bigint(),
    blockNumber: bigint(),
    blockHash: bytes32(),
    updatedAt: bigint(),
  },
});
