import {
  type CreateIndexerParameters,
  createIndexer,
  type IndexerProgress,
  type RunParameters,
} from "./createIndexer.js";

/**
 * Rebuilds the whole index from the chain: empties every chain table and the checkpoint, then
 * indexes from the deployment block to the head (and on, with `follow`). Gateway-own tables
 * (users, …) are kept. A crash during the rebuild is safe: with no checkpoint, the next run starts
 * over from the deployment block.
 */
export async function reindex(
  parameters: CreateIndexerParameters,
  run: RunParameters = {},
): Promise<IndexerProgress> {
  const indexer = createIndexer(parameters);
  parameters.logger?.warn("reindex: emptying the chain tables and rebuilding them from the deployment block");
  await indexer.clear();
  return indexer.run(run);
}
