import { type Hex, keccak256, type PublicClient, type TransactionReceipt } from "viem";
import { RetryableError } from "../internal/errors.js";

export type SendWithRebroadcastParameters = {
  publicClient: PublicClient;
  /** The signed transaction, sent again as is when the node loses it. */
  serializedTransaction: Hex;
  /** The caller has sent it once already; only watch and re-send. Default: `false`. */
  alreadySent?: boolean;
  /** Default: 120 s. */
  timeoutMs?: number;
  /** Default: 250 ms. */
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
 */
export async function sendWithRebroadcast(
  parameters: SendWithRebroadcastParameters,
): Promise<TransactionReceipt> {
  const { publicClient, serializedTransaction } = parameters;
  const timeoutMs = parameters.timeoutMs ?? 120_000;
  const pollingIntervalMs = parameters.pollingIntervalMs ?? 250;
  const resendAfterMs = parameters.resendAfterMs ?? 2_000;
  const hash = parameters.alreadySent
    ? keccak256(serializedTransaction)
    : await publicClient.sendRawTransaction({ serializedTransaction });
  const deadline = Date.now() + timeoutMs;
  let lastSeen = Date.now();
  while (Date.now() < deadline) {
    const receipt = await publicClient.getTransactionReceipt({ hash }).catch(() => undefined);
    if (receipt) return receipt;
    const known = await publicClient.getTransaction({ hash }).catch(() => undefined);
    if (known) lastSeen = Date.now();
    else if (Date.now() - lastSeen >= resendAfterMs) {
      // "already known" / "nonce too low" mean the node has it or mined it: the next poll tells
      await publicClient.sendRawTransaction({ serializedTransaction }).catch(() => undefined);
      lastSeen = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, pollingIntervalMs));
  }
  throw new RetryableError(`Transaction ${hash} was not mined within ${Math.round(timeoutMs / 1000)} s`, {
    code: "CHAIN_UNAVAILABLE",
  });
}
