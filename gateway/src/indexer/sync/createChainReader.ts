import {
  createPublicClient,
  type Hex,
  HttpRequestError,
  http,
  type PublicClient,
  ResponseBodyTooLargeError,
  RpcRequestError,
  TimeoutError,
} from "viem";
import { ChainRpcError } from "../errors.js";
import type { RpcLog } from "../indexing/decodeLogs.js";

/** Besu's default `--rpc-max-logs-range` (besu-qbft.md §6). */
export const BESU_MAX_LOGS_RANGE = 5000;

export type BlockHeader = { number: number; hash: string; parentHash: string; timestamp: number };

export type LogRange = {
  fromBlock: number;
  /** May be below the requested end when the range had to shrink. */
  toBlock: number;
  logs: RpcLog[];
};

export type ChainReader = {
  chainId(): Promise<number>;
  head(): Promise<number>;
  /** Headers by number, in one JSON-RPC batch. */
  headers(numbers: number[]): Promise<Map<number, BlockHeader>>;
  /**
   * Logs of `addresses` from `fromBlock` up to at most `toBlock`, in a range the node accepts: at most
   * the current range size (starting at `maxRange`), halved whenever the node refuses the range or the
   * response is larger than `maxResponseBytes`, grown back after successes.
   */
  logs(fromBlock: number, toBlock: number): Promise<LogRange>;
  /** Current range size (for progress and tests). */
  rangeSize(): number;
};

export type CreateChainReaderParameters = {
  rpcUrl: string;
  addresses: Hex[];
  /** Default: {@link BESU_MAX_LOGS_RANGE}. */
  maxRange?: number | undefined;
  /** Responses above this are refused by viem and the range shrinks. Default: 10 MiB (viem's). */
  maxResponseBytes?: number | undefined;
  /** Per request. Default: `30_000`. */
  timeoutMs?: number | undefined;
};

const RANGE_REFUSED = /range|limit|too many|exceed|more than|too large|query returned/i;

/**
 * The sync stage's view of the chain: heads, headers and logs over plain JSON-RPC (viem's HTTP
 * transport, results left raw so decoding happens once, in the indexing stage).
 */
export function createChainReader(parameters: CreateChainReaderParameters): ChainReader {
  const maxRange = parameters.maxRange ?? BESU_MAX_LOGS_RANGE;
  const client: PublicClient = createPublicClient({
    transport: http(parameters.rpcUrl, {
      timeout: parameters.timeoutMs ?? 30_000,
      retryCount: 0,
      batch: false,
      maxResponseBodySize: parameters.maxResponseBytes,
    }),
  });
  const batched: PublicClient = createPublicClient({
    transport: http(parameters.rpcUrl, {
      timeout: parameters.timeoutMs ?? 30_000,
      retryCount: 0,
      batch: { batchSize: 100, wait: 0 },
    }),
  });
  let range = maxRange;
  let successes = 0;

  const rpc = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw new ChainRpcError(`${what} failed`, error);
    }
  };

  return {
    chainId: () => rpc("eth_chainId", () => client.getChainId()),
    head: async () => Number(await rpc("eth_blockNumber", () => client.getBlockNumber({ cacheTime: 0 }))),
    async headers(numbers) {
      const unique = [...new Set(numbers)];
      const blocks = await rpc("eth_getBlockByNumber", () =>
        Promise.all(
          unique.map((number) =>
            batched.request({ method: "eth_getBlockByNumber", params: [`0x${number.toString(16)}`, false] }),
          ),
        ),
      );
      const result = new Map<number, BlockHeader>();
      blocks.forEach((block, index) => {
        if (!block) throw new ChainRpcError(`Block ${unique[index]} is not on the chain yet`, undefined);
        result.set(unique[index]!, {
          number: Number(block.number),
          hash: block.hash!.toLowerCase(),
          parentHash: block.parentHash.toLowerCase(),
          timestamp: Number(block.timestamp),
        });
      });
      return result;
    },
    async logs(fromBlock, toBlock) {
      for (;;) {
        const end = Math.min(toBlock, fromBlock + range - 1);
        try {
          const logs = (await client.request({
            method: "eth_getLogs",
            params: [
              {
                address: parameters.addresses,
                fromBlock: `0x${fromBlock.toString(16)}`,
                toBlock: `0x${end.toString(16)}`,
              },
            ],
          })) as unknown as RpcLog[];
          if (++successes >= 4 && range < maxRange) {
            range = Math.min(maxRange, range * 2);
            successes = 0;
          }
          return { fromBlock, toBlock: end, logs };
        } catch (error) {
          const tooLarge =
            error instanceof ResponseBodyTooLargeError ||
            (error as { walk?: (f: (e: unknown) => boolean) => unknown }).walk?.(
              (e) => e instanceof ResponseBodyTooLargeError,
            );
          const refused =
            error instanceof RpcRequestError ||
            (!(error instanceof HttpRequestError) && !(error instanceof TimeoutError))
              ? RANGE_REFUSED.test((error as Error).message)
              : false;
          if ((tooLarge || refused) && end > fromBlock) {
            range = Math.max(1, Math.floor((end - fromBlock + 1) / 2));
            successes = 0;
            continue;
          }
          throw new ChainRpcError(`eth_getLogs ${fromBlock}-${end} failed`, error);
        }
      }
    },
    rangeSize: () => range,
  };
}
