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
import { isMethodNotFound } from "../chain/isMethodNotFound.js";
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
  const fees: RelayFees = parameters.zeroGasPrice ? { gasPrice: 0n, type: "legacy" } : {};
  const data = encodeFunctionData({ abi: readingsAbi, functionName: "submitReadings", args });
  const gasLimit = await gasLimitFor(parameters, data, args, fees, signer);
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
        // With every field known (the consortium's zero-price legacy transactions) nothing is asked of the node
        const request =
          fees.gasPrice !== undefined
            ? { to: readingsAddress, data, gas: gasLimit, nonce, chainId, ...fees }
            : await walletClient.prepareTransactionRequest({
                to: readingsAddress,
                data,
                account: relayer,
                chain: null,
                gas: gasLimit,
                nonce,
                ...fees,
              });
        serializedTransaction = await relayer.signTransaction(request as never);
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

/** Zero-price legacy transactions on the consortium chain; the node's fee market otherwise. */
type RelayFees = { gasPrice: bigint; type: "legacy" } | { gasPrice?: undefined; type?: undefined };

/**
 * The gas limit for the relay, from one execution of the exact transaction. `eth_createAccessList`
 * executes it and reports the gas used; `eth_estimateGas` (used before) searches for the limit by
 * executing it again and again — on anvil 38 ms of the node's CPU per 480-reading batch against
 * 2 ms, most of the chain's work under load (`npm run bench:ingest`). A transaction that reverts is
 * executed once more as an `eth_call` so the refusal carries the contract's custom error.
 */
async function gasLimitFor(
  parameters: RelayReadingBatchParameters,
  data: Hex,
  args: readonly [readonly ReadingBatch["meters"][number][], Hex],
  fees: RelayFees,
  signer: Address,
): Promise<bigint> {
  const { publicClient, relayer, readingsAddress } = parameters;
  const call = { address: readingsAddress, abi: readingsAbi, functionName: "submitReadings", args } as const;
  let gasUsed: bigint;
  try {
    ({ gasUsed } = await publicClient.createAccessList({
      account: relayer,
      to: readingsAddress,
      data,
      ...fees,
    }));
  } catch (cause) {
    if (!isMethodNotFound(cause)) {
      try {
        await publicClient.simulateContract({ ...call, account: relayer, ...fees });
      } catch (revert) {
        throw toRelayError(revert, signer);
      }
      throw toRelayError(cause, signer);
    }
    // a node without the method: its estimate (as many executions as finding the limit takes)
    try {
      gasUsed = await publicClient.estimateContractGas({ ...call, account: relayer, ...fees });
    } catch (estimateCause) {
      throw toRelayError(estimateCause, signer);
    }
  }
  // The access list is not sent, so cold slots cost up to 200 gas more each than in the measured run,
  // calls keep 1/64 of their gas back (EIP-150), and state may move before inclusion: 10 % + 30,000.
  return (gasUsed * 11n) / 10n + 30_000n;
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
