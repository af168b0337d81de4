import { readingsAbi } from "@gridledger/contracts";
import {
  countBatchReadings,
  DomainError,
  decodeMeterRecords,
  type ReadingBatch,
  readingBatchTypedData,
} from "@gridledger/domain";
import {
  type Address,
  encodeFunctionData,
  type Hex,
  isHex,
  type LocalAccount,
  type PublicClient,
  parseEventLogs,
  recoverTypedDataAddress,
  type TransactionReceipt,
  type WalletClient,
} from "viem";
import { executionGasLimit, type TransactionFees } from "../chain/executionGasLimit.js";
import { signTransactionRequest } from "../chain/signTransactionRequest.js";
import { GatewayError, NonRetryableError, RetryableError } from "../internal/errors.js";
import { findContractRevert, READINGS_ERROR_CODES } from "./readingErrors.js";
import { sendWithRebroadcast } from "./sendWithRebroadcast.js";

export type RelayReadingBatchParameters = {
  publicClient: PublicClient;
  walletClient: WalletClient;
  /** The gateway's relayer key: it pays nothing (zero gas price) and proves nothing — the device signature does. */
  relayer: LocalAccount;
  readingsAddress: Address;
  chainId: number;
  batch: ReadingBatch;
  signature: Hex;
  /** Legacy zero-price transactions for the Besu network (zero base fee, min gas price 0). */
  zeroGasPrice: boolean;
  /**
   * Sends the relay transaction and returns its hash, for callers that number the relayer's
   * transactions themselves (the demo seed keeps each meter's batches in order). Default: sign
   * with `relayer` (its nonce manager numbers it) and send with {@link sendWithRebroadcast}.
   */
  submit?:
    | ((transaction: { to: Address; data: Hex; gas: bigint; signature: Hex }) => Promise<Hex>)
    | undefined;
};

export type RelayReadingBatchReturnType = {
  transactionHash: Hex;
  blockNumber: bigint;
  signer: Address;
  accepted: number;
  duplicates: number;
};

/**
 * Verifies a device-signed reading batch and relays it to the Readings contract. The gateway checks
 * everything it can before spending a transaction — the packed records decode, the EIP-712 signature
 * recovers, and an `eth_call` of the exact transaction succeeds — so a bad batch is refused with a
 * specific code and nothing reaches the chain. The contract checks everything again.
 *
 * @throws NonRetryableError with codes INVALID_BATCH, BAD_SIGNATURE, UNKNOWN_METER, UNAUTHORIZED_DEVICE,
 *   REVOKED_DEVICE, DECREASING_REGISTER, … (see READINGS_ERROR_CODES)
 * @throws RetryableError CHAIN_UNAVAILABLE when the RPC node does not answer
 */
export async function relayReadingBatch(
  parameters: RelayReadingBatchParameters,
): Promise<RelayReadingBatchReturnType> {
  const { publicClient, walletClient, relayer, readingsAddress, chainId, batch, signature } = parameters;
  validateBatch(batch);
  if (!isHex(signature) || signature.length !== 132) {
    throw new NonRetryableError("The signature is not 65 bytes of hex", { code: "BAD_SIGNATURE" });
  }
  let signer: Address;
  try {
    signer = await recoverTypedDataAddress({
      ...readingBatchTypedData({ chainId, verifyingContract: readingsAddress, batch }),
      signature,
    });
  } catch (cause) {
    throw new NonRetryableError("The signature does not recover to any key", {
      code: "BAD_SIGNATURE",
      cause,
    });
  }

  const args = [batch.meters.map((entry) => ({ ...entry })), signature] as const;
  const fees: TransactionFees = parameters.zeroGasPrice ? { gasPrice: 0n, type: "legacy" } : {};
  const data = encodeFunctionData({ abi: readingsAbi, functionName: "submitReadings", args });
  let gasLimit: bigint;
  try {
    gasLimit = await executionGasLimit({
      publicClient,
      account: relayer,
      address: readingsAddress,
      abi: readingsAbi,
      functionName: "submitReadings",
      args,
      data,
      fees,
    });
  } catch (cause) {
    throw toRelayError(cause, signer);
  }
  let receipt: TransactionReceipt;
  try {
    if (parameters.submit) {
      const hash = await parameters.submit({ to: readingsAddress, data, gas: gasLimit, signature });
      receipt = await publicClient.waitForTransactionReceipt({
        hash,
        pollingInterval: 200,
        timeout: 120_000,
      });
    } else {
      // Numbered explicitly: viem's prepareTransactionRequest does not consult the nonce manager
      // without a chain object, and concurrent relays would then share a nonce.
      const nonce = relayer.nonceManager
        ? await relayer.nonceManager.consume({ address: relayer.address, chainId, client: publicClient })
        : await publicClient.getTransactionCount({ address: relayer.address, blockTag: "pending" });
      let serializedTransaction: Hex;
      try {
        serializedTransaction = await signTransactionRequest({
          walletClient,
          account: relayer,
          to: readingsAddress,
          data,
          gas: gasLimit,
          nonce,
          chainId,
          fees,
        });
        await publicClient.sendRawTransaction({ serializedTransaction });
      } catch (cause) {
        // A nonce taken but never sent would leave a gap that stalls every later relay: forget the
        // counter so the next relay numbers from the node's pending count again.
        relayer.nonceManager?.reset({ address: relayer.address, chainId });
        throw cause;
      }
      receipt = await sendWithRebroadcast({ publicClient, serializedTransaction, alreadySent: true });
    }
  } catch (cause) {
    if (cause instanceof GatewayError) throw cause;
    throw toRelayError(cause, signer);
  }
  const transactionHash = receipt.transactionHash;
  if (receipt.status !== "success") {
    // Another batch for the same meters landed first (e.g. a retry raced the original): the caller retries and gets duplicates.
    throw new RetryableError(`The batch transaction ${transactionHash} reverted on inclusion`, {
      code: "REVERTED",
    });
  }
  const [recorded] = parseEventLogs({
    abi: readingsAbi,
    logs: receipt.logs,
    eventName: "ReadingBatchRecorded",
  }).filter((log) => log.address.toLowerCase() === readingsAddress.toLowerCase());
  if (recorded) {
    return {
      transactionHash,
      blockNumber: receipt.blockNumber,
      signer,
      accepted: Number(recorded.args.accepted),
      duplicates: Number(recorded.args.duplicates),
    };
  }
  // The transaction succeeded but its summary event is missing: the readings may well be on chain,
  // so the client must retry (it will be told "duplicates"), never drop them.
  throw new RetryableError(`No ReadingBatchRecorded event in ${transactionHash}`, { code: "INTERNAL" });
}

function validateBatch(batch: ReadingBatch): void {
  try {
    for (const entry of batch.meters) decodeMeterRecords(entry.registerMask, entry.records);
    if (batch.meters.length === 0 || countBatchReadings(batch) === 0) {
      throw new NonRetryableError("A reading batch must not be empty", { code: "EMPTY_BATCH" });
    }
  } catch (error) {
    if (error instanceof DomainError) {
      throw new NonRetryableError(error.shortMessage, { code: "INVALID_BATCH", details: error.details });
    }
    throw error;
  }
}

function toRelayError(cause: unknown, signer: Address): GatewayError {
  const revert = findContractRevert(cause);
  if (revert) {
    const code = READINGS_ERROR_CODES[revert.errorName] ?? "REJECTED_BY_CONTRACT";
    const args = revert.args.map((value) => String(value)).join(", ");
    return new NonRetryableError(`The Readings contract refused the batch: ${revert.errorName}(${args})`, {
      code,
      details: `signer ${signer}`,
      cause,
    });
  }
  if (process.env.GRIDLEDGER_DEBUG_ERRORS === "1") console.error(cause);
  return new RetryableError("The chain RPC did not accept the request", { code: "CHAIN_UNAVAILABLE", cause });
}
