import {
  type Abi,
  type Address,
  encodeFunctionData,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
} from "viem";

/**
 * Concurrent sending for the demo seed: each sender numbers its own transactions (the nonce is taken
 * synchronously when a call is queued, so the chain executes one sender's calls in the order they
 * were queued), gas is estimated concurrently, and receipts are collected block by block.
 */

export type ContractCall = {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /** Fixed gas limit: for calls whose estimate depends on earlier calls of the same phase. */
  gas?: bigint | undefined;
  /** Value in wei (funding transfers use `to` + `value` with empty data). */
  value?: bigint | undefined;
};

export type SentTx = { hash: Hex; label: string; sender: Address };

/**
 * Re-sends signed transactions the node dropped from its pool before mining them. Under load the dev
 * chain (anvil) drops a transaction that does not fit the rest of a full block instead of keeping it
 * for the next one; the same signed bytes (same nonce) are simply sent again.
 */
export class Rebroadcaster {
  private readonly tracked = new Map<Hex, Hex>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  resent = 0;

  constructor(private readonly client: PublicClient) {}

  track(hash: Hex, serialized: Hex): void {
    this.tracked.set(hash, serialized);
    this.timer ??= setInterval(() => void this.check(), 1000).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.tracked.clear();
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await Promise.all(
        [...this.tracked].map(async ([hash, serialized]) => {
          const tx = await this.client.getTransaction({ hash }).catch(() => undefined);
          if (tx?.blockNumber) this.tracked.delete(hash);
          else if (!tx) {
            this.resent++;
            await this.client
              .sendRawTransaction({ serializedTransaction: serialized })
              .catch(() => undefined);
          }
        }),
      );
    } finally {
      this.checking = false;
    }
  }
}

/** Runs `tasks` with at most `limit` in flight, in order of start; rejects at the first failure. */
export function runLimited<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const results: T[] = new Array(tasks.length);
    let next = 0;
    let finished = 0;
    let failed = false;
    const start = () => {
      if (failed || next >= tasks.length) return;
      const index = next++;
      tasks[index]!().then(
        (value) => {
          results[index] = value;
          if (++finished === tasks.length) resolve(results);
          else start();
        },
        (error: unknown) => {
          failed = true;
          reject(error);
        },
      );
    };
    if (tasks.length === 0) resolve(results);
    for (let i = 0; i < Math.min(limit, tasks.length); i++) start();
  });
}

export class Sender {
  private nextNonce: number | undefined;
  private readonly pending: Promise<SentTx>[] = [];

  constructor(
    private readonly client: PublicClient,
    readonly account: LocalAccount,
    private readonly chainId: number,
    private readonly gasPrice: bigint,
    private readonly rebroadcaster: Rebroadcaster,
  ) {}

  get address(): Address {
    return this.account.address;
  }

  async init(): Promise<void> {
    this.nextNonce ??= await this.client.getTransactionCount({ address: this.address, blockTag: "pending" });
  }

  /** Queues a contract call with the next nonce; resolves when the node has it. */
  call(call: ContractCall, label = call.functionName): Promise<SentTx> {
    if (this.nextNonce === undefined) throw new Error(`Sender ${this.address} not initialised`);
    const nonce = this.nextNonce++;
    const data = encodeFunctionData({
      abi: call.abi,
      functionName: call.functionName,
      args: call.args,
    } as never);
    const promise = this.sendRaw({ to: call.address, data, nonce, gas: call.gas, value: call.value, label });
    this.pending.push(promise);
    return promise;
  }

  /** Queues a plain transfer. */
  transfer(to: Address, value: bigint, label = "transfer"): Promise<SentTx> {
    if (this.nextNonce === undefined) throw new Error(`Sender ${this.address} not initialised`);
    const nonce = this.nextNonce++;
    const promise = this.sendRaw({ to, data: "0x", nonce, gas: 21_000n, value, label });
    this.pending.push(promise);
    return promise;
  }

  /** Everything queued so far, sent. */
  drain(): Promise<SentTx[]> {
    const all = this.pending.splice(0);
    return Promise.all(all);
  }

  private async sendRaw(tx: {
    to: Address;
    data: Hex;
    nonce: number;
    gas: bigint | undefined;
    value: bigint | undefined;
    label: string;
  }): Promise<SentTx> {
    let gas = tx.gas;
    if (gas === undefined) {
      try {
        const estimate = await this.client.estimateGas({
          account: this.account.address,
          gasPrice: this.gasPrice,
          to: tx.to,
          data: tx.data,
          value: tx.value,
        });
        gas = (estimate * 3n) / 2n + 60_000n;
      } catch (cause) {
        throw new DemoSeedError(`${tx.label} from ${this.address} would fail`, cause);
      }
    }
    const serialized = await this.account.signTransaction({
      type: "legacy",
      chainId: this.chainId,
      to: tx.to,
      data: tx.data,
      nonce: tx.nonce,
      gas,
      gasPrice: this.gasPrice,
      value: tx.value ?? 0n,
    });
    const hash = await this.client.sendRawTransaction({ serializedTransaction: serialized });
    this.rebroadcaster.track(hash, serialized);
    return { hash, label: tx.label, sender: this.address };
  }
}

export class DemoSeedError extends Error {
  constructor(message: string, cause?: unknown) {
    const detail =
      cause instanceof Error ? `: ${(cause as { shortMessage?: string }).shortMessage ?? cause.message}` : "";
    super(`${message}${detail}`, { cause });
    this.name = "DemoSeedError";
  }
}

/**
 * Waits until every transaction is mined, reading whole blocks' receipts from `fromBlock` on, and
 * fails if any reverted.
 */
export async function waitForReceipts(
  client: PublicClient,
  sent: readonly SentTx[],
  fromBlock: bigint,
  timeoutMs = 180_000,
): Promise<Map<Hex, TransactionReceipt>> {
  const wanted = new Map(sent.map((tx) => [tx.hash.toLowerCase() as Hex, tx]));
  const found = new Map<Hex, TransactionReceipt>();
  let block = fromBlock;
  const deadline = Date.now() + timeoutMs;
  while (found.size < wanted.size) {
    const head = await client.getBlockNumber({ cacheTime: 0 });
    while (block <= head) {
      const receipts = await client.getBlockReceipts({ blockNumber: block });
      for (const receipt of receipts) {
        const key = receipt.transactionHash.toLowerCase() as Hex;
        const tx = wanted.get(key);
        if (!tx) continue;
        if (receipt.status !== "success") {
          throw new DemoSeedError(`${tx.label} from ${tx.sender} reverted in ${receipt.transactionHash}`);
        }
        found.set(key, receipt);
      }
      block++;
    }
    if (found.size >= wanted.size) break;
    if (Date.now() > deadline) {
      throw new DemoSeedError(
        `${wanted.size - found.size} demo transactions were not mined in ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return found;
}

/**
 * Hands out consecutive nonces to calls that arrive in any order, in the order of their sequence
 * numbers: the call with sequence `i` waits until `i - 1` has been sent. Used to keep one relayer's
 * reading batches in order (a meter's batches must reach the chain oldest first).
 */
export class NonceSequencer {
  private sent = 0;
  private readonly waiters = new Map<number, () => void>();
  private failure: unknown;
  private readonly rejecters = new Set<(error: unknown) => void>();

  constructor(private readonly firstNonce: number) {}

  /** Waits for the turn of `sequence`; returns its nonce. */
  async turn(sequence: number): Promise<number> {
    if (this.failure !== undefined) throw this.failure;
    if (sequence > this.sent) {
      await new Promise<void>((resolve, reject) => {
        this.waiters.set(sequence, resolve);
        this.rejecters.add(reject);
      });
    }
    if (this.failure !== undefined) throw this.failure;
    return this.firstNonce + sequence;
  }

  /** Marks `sequence` as sent: the next one may go. */
  done(sequence: number): void {
    this.sent = sequence + 1;
    const next = this.waiters.get(this.sent);
    if (next) {
      this.waiters.delete(this.sent);
      next();
    }
  }

  /** Fails every waiting call (an earlier one failed, so their nonces can never be used in order). */
  abort(error: unknown): void {
    this.failure ??= error;
    for (const reject of this.rejecters) reject(error);
    this.rejecters.clear();
    this.waiters.clear();
  }
}
