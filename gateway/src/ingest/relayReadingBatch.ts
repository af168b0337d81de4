import { readingsAbi } from "@gridledger/contracts";
import {
  countBatchReadings,
  DomainError,
  decodeMeterRecords,
  type ReadingBatch,
  readingBatchTypedData,
} from "@gridledger/domain";
import {
  type Account,
  type Address,
  type Hex,
  isHex,
  type PublicClient,
  parseEventLogs,
  recoverTypedDataAddress,
  type WalletClient,
} from "viem";
import { GatewayError, NonRetryableError, RetryableError } from "../internal/errors.js";
import { findContractRevert, READINGS_ERROR_CODES } from "./readingErrors.js";

export type RelayReadingBatchParameters = {
  publicClient: PublicClient;
  walletClient: WalletClient;
  /** The gateway's relayer key: it pays nothing (zero gas price) and proves nothing — the device signature does. */
  relayer: Account;
  readingsAddress: Address;
  chainId: number;
  batch: ReadingBatch;
  signature: Hex;
  /** Legacy zero-price transactions for the Besu network (zero base fee, min gas price 0). */
  zeroGasPrice: boolean;
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
  const fees = parameters.zeroGasPrice ? ({ gasPrice: 0n, type: "legacy" } as const) : {};
  let gas: bigint;
  try {
    // eth_estimateGas executes the exact transaction: a revert comes back with the contract's custom error
    gas = await publicClient.estimateContractGas({
      address: readingsAddress,
      abi: readingsAbi,
      functionName: "submitReadings",
      args,
      account: relayer,
      ...fees,
    });
  } catch (cause) {
    throw toRelayError(cause, signer);
  }

  let transactionHash: Hex;
  try {
    transactionHash = await walletClient.writeContract({
      address: readingsAddress,
      abi: readingsAbi,
      functionName: "submitReadings",
      args,
      account: relayer,
      chain: null,
      // headroom over the estimate: state may move between the simulation and inclusion
      gas: (gas * 12n) / 10n + 50_000n,
      ...fees,
    });
  } catch (cause) {
    throw toRelayError(cause, signer);
  }
  const receipt = await publicClient.waitForTransactionReceipt({
    hash: transactionHash,
    pollingInterval: 200,
    timeout: 120_000,
  });
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
  throw new GatewayError(`No ReadingBatchRecorded event in ${transactionHash}`, { code: "INTERNAL" });
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
  return new RetryableError("The chain RPC did not accept the request", { code: "CHAIN_UNAVAILABLE", cause });
}
