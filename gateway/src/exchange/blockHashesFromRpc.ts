import type { PublicClient } from "viem";

/**
 * Block hashes by number from an RPC node, a few requests at a time, for {@link exportLedgerRecords}.
 */
export function blockHashesFromRpc(
  client: PublicClient,
  concurrency = 8,
): (blockNumbers: number[]) => Promise<Map<number, string>> {
  return async (blockNumbers) => {
    const hashes = new Map<number, string>();
    let next = 0;
    const worker = async () => {
      while (next < blockNumbers.length) {
        const blockNumber = blockNumbers[next++]!;
        const block = await client.getBlock({ blockNumber: BigInt(blockNumber) });
        hashes.set(blockNumber, block.hash.toLowerCase());
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, blockNumbers.length) }, worker));
    return hashes;
  };
}
