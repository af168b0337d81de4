import { type Hash, type Hex, keccak256, type PublicClient, type TransactionReceipt } from "viem";
import { isMethodNotFound } from "../chain/isMethodNotFound.js";
import { RetryableError } from "../internal/errors.js";

export type SendWithRebroadcastParameters = {
  publicClient: PublicClient;
  /** The signed transaction, sent again as is when the node loses it. */
  serializedTransaction: Hex;
  /** The caller has sent it once already; only watch and re-send. Default: `false`. */
  alreadySent?: boolean;
  /** Default: 120 s. */
  timeoutMs?: number;
  /** How often the shared watcher asks for new blocks while someone waits. Default: 100 ms (the first caller's value holds). */
  pollingIntervalMs?: number;
  /** How long a transaction may be unknown to the node before it is sent again. Default: 2 s. */
  resendAfterMs?: number;
};

/**
 * Sends a signed transaction and waits for its receipt, sending the same bytes again whenever the
 * node no longer knows the transaction. Under load a node may drop a pending transaction (anvil
 * drops one that does not fit a full block); with consecutive nonces from one relayer key a lost
 * transaction would leave a nonce gap that stalls every later one, so it is re-sent — same nonce,
 * same signature, so it can never be included twice.
 *
 * Every wait on one client shares one {@link ReceiptWatcher}: it reads each new block's transaction
 * hashes once and, when the block holds a transaction someone waits for, its receipts in one call. Polling a receipt
 * per waiting request would cost the node two calls per request per poll — under a hundred
 * concurrent relays, most of its work.
 */
export async function sendWithRebroadcast(
  parameters: SendWithRebroadcastParameters,
): Promise<TransactionReceipt> {
  const { publicClient, serializedTransaction } = parameters;
  const timeoutMs = parameters.timeoutMs ?? 120_000;
  const hash = parameters.alreadySent
    ? keccak256(serializedTransaction)
    : await publicClient.sendRawTransaction({ serializedTransaction });
  return watcherOf(publicClient, parameters.pollingIntervalMs ?? 100).wait({
    hash,
    serializedTransaction,
    timeoutMs,
    resendAfterMs: parameters.resendAfterMs ?? 2_000,
  });
}

type Waiter = {
  serializedTransaction: Hex;
  deadline: number;
  resendAfterMs: number;
  lastSeen: number;
  resolve(receipt: TransactionReceipt): void;
  reject(error: Error): void;
};

/** Resolves receipt waits for one client from one block-following loop. */
export type ReceiptWatcher = {
  wait(request: {
    hash: Hash;
    serializedTransaction: Hex;
    timeoutMs: number;
    resendAfterMs: number;
  }): Promise<TransactionReceipt>;
};

const watchers = new WeakMap<PublicClient, ReceiptWatcher>();

function watcherOf(publicClient: PublicClient, pollingIntervalMs: number): ReceiptWatcher {
  let watcher = watchers.get(publicClient);
  if (!watcher) {
    watcher = createReceiptWatcher(publicClient, pollingIntervalMs);
    watchers.set(publicClient, watcher);
  }
  return watcher;
}

function createReceiptWatcher(publicClient: PublicClient, pollingIntervalMs: number): ReceiptWatcher {
  const waiters = new Map<Hash, Waiter>();
  /** The last block whose transactions were checked; blocks before a wait began cannot hold it unseen. */
  let checkedBlock: bigint | undefined;
  let running = false;

  const deliver = (receipt: TransactionReceipt) => {
    const waiter = waiters.get(receipt.transactionHash);
    if (!waiter) return;
    waiters.delete(receipt.transactionHash);
    waiter.resolve(receipt);
  };
  const settle = async (hash: Hash) => {
    const receipt = await publicClient.getTransactionReceipt({ hash }).catch(() => undefined);
    if (receipt) deliver(receipt);
    return receipt !== undefined;
  };

  const scanNewBlocks = async () => {
    const head = await publicClient.getBlockNumber({ cacheTime: 0 });
    // a fresh loop looks two blocks back: a transaction sent just before it started may be there
    const from = checkedBlock === undefined ? (head > 2n ? head - 2n : 0n) : checkedBlock + 1n;
    for (let number = from; number <= head && waiters.size > 0; number++) {
      const block = await publicClient.getBlock({ blockNumber: number, includeTransactions: false });
      const waited = block.transactions.filter((hash) => waiters.has(hash));
      if (waited.length > 0) await settleBlock(number, waited);
      checkedBlock = number;
    }
  };

  /** Every waited transaction of one block: one `eth_getBlockReceipts` (Besu and anvil have it) rather than one call each. */
  let blockReceiptsSupported = true;
  const settleBlock = async (blockNumber: bigint, hashes: Hash[]) => {
    if (blockReceiptsSupported) {
      try {
        for (const receipt of await publicClient.getBlockReceipts({ blockNumber })) deliver(receipt);
        return;
      } catch (error) {
        // a node without the method: one receipt call per transaction from now on
        if (!isMethodNotFound(error)) throw error;
        blockReceiptsSupported = false;
      }
    }
    await Promise.all(hashes.map(settle));
  };

  const pass = async () => {
    // a node that does not answer is retried on the next pass; deadlines are enforced regardless
    await scanNewBlocks().catch(() => undefined);
    const now = Date.now();
    for (const [hash, waiter] of waiters) {
      if (now >= waiter.deadline) {
        // one last direct look before giving up: the block scan may have missed a reorged-in block
        if (await settle(hash)) continue;
        waiters.delete(hash);
        waiter.reject(
          new RetryableError(`Transaction ${hash} was not mined within the timeout`, {
            code: "CHAIN_UNAVAILABLE",
          }),
        );
        continue;
      }
      if (now - waiter.lastSeen < waiter.resendAfterMs) continue;
      const known = await publicClient.getTransaction({ hash }).catch(() => undefined);
      if (known?.blockNumber != null) {
        // mined in a block this loop checked before the wait was registered
        await settle(hash);
      } else if (known) {
        waiter.lastSeen = Date.now();
      } else {
        // "already known" / "nonce too low" mean the node has it or mined it: the next pass tells
        await publicClient
          .sendRawTransaction({ serializedTransaction: waiter.serializedTransaction })
          .catch(() => undefined);
        waiter.lastSeen = Date.now();
      }
    }
  };

  const loop = async () => {
    running = true;
    try {
      while (waiters.size > 0) {
        await pass().catch(() => undefined);
        if (waiters.size > 0) await new Promise((resolve) => setTimeout(resolve, pollingIntervalMs));
      }
    } finally {
      running = false;
      checkedBlock = undefined;
    }
  };

  return {
    wait({ hash, serializedTransaction, timeoutMs, resendAfterMs }) {
      return new Promise<TransactionReceipt>((resolve, reject) => {
        const now = Date.now();
        const existing = waiters.get(hash);
        if (existing) {
          // the same bytes waited for twice (a client retry): both get the one receipt
          const first = { resolve: existing.resolve, reject: existing.reject };
          existing.resolve = (receipt) => {
            first.resolve(receipt);
            resolve(receipt);
          };
          existing.reject = (error) => {
            first.reject(error);
            reject(error);
          };
          existing.deadline = Math.max(existing.deadline, now + timeoutMs);
          return;
        }
        waiters.set(hash, {
          serializedTransaction,
          deadline: now + timeoutMs,
          resendAfterMs,
          lastSeen: now,
          resolve,
          reject,
        });
        // A transaction mined before the loop's first look at the head would be missed by the block
        // scan; the resend check's getTransaction (blockNumber set) catches it within resendAfterMs.
        if (!running) void loop();
      });
    },
  };
}
