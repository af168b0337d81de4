import type { IndexStatus } from "../graphql/context.js";

export type WaitForIndexedBlockParameters = {
  indexStatus: () => Promise<IndexStatus>;
  blockNumber: bigint;
  /** Default: 30 s. */
  timeoutMs?: number | undefined;
  /** Default: 100 ms. */
  pollingIntervalMs?: number | undefined;
};

/**
 * Waits until the indexer's checkpoint has reached `blockNumber`, so that the query a client sends
 * after a mutation already sees its effect. Resolves `false` when the index does not get there in
 * time (the transaction happened all the same; `_meta` tells the lag).
 */
export async function waitForIndexedBlock(parameters: WaitForIndexedBlockParameters): Promise<boolean> {
  const timeoutMs = parameters.timeoutMs ?? 30_000;
  const pollingIntervalMs = parameters.pollingIntervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { indexedBlock } = await parameters.indexStatus().catch(() => ({ indexedBlock: undefined }));
    if (indexedBlock !== undefined && indexedBlock >= parameters.blockNumber) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollingIntervalMs));
  }
}
