import {
  type Abi,
  type Address,
  encodeFunctionData,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
} from "viem";
import { findContractRevert } from "../ingest/readingErrors.js";
import { sendWithRebroadcast } from "../ingest/sendWithRebroadcast.js";
import { GatewayError, NonRetryableError, RetryableError } from "../internal/errors.js";
import { CONTRACT_ERROR_CODES } from "./contractErrorCodes.js";
import { executionGasLimit, type TransactionFees } from "./executionGasLimit.js";
import { signTransactionRequest } from "./signTransactionRequest.js";

export type SendContractTransactionParameters = {
  publicClient: PublicClient;
  walletClient: WalletClient;
  chainId: number;
  /** Legacy zero-price transactions (Besu: zero base fee, min gas price 0; the embedded chain too). */
  zeroGasPrice: boolean;
  /** The author's own key (an organisation's or a consumer's), from the signer service. */
  account: LocalAccount;
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /** Names the contract in error messages. */
  contractName: string;
};

export type SendContractTransactionReturnType = {
  transactionHash: Hex;
  blockNumber: bigint;
  sender: Address;
  receipt: TransactionReceipt;
};

/** One queue per sender: nonces are taken and transactions sent in the same order. */
const sendQueues = new Map<string, Promise<unknown>>();

function inSenderQueue<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = sendQueues.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => undefined);
  sendQueues.set(key, settled);
  void settled.then(() => {
    if (sendQueues.get(key) === settled) sendQueues.delete(key);
  });
  return next;
}

/**
 * Sends one contract call signed by `account` and waits for it to be mined. The exact call is first
 * executed once for its gas limit ({@link executionGasLimit}), so a call the contract would refuse is refused here with the
 * contract's custom error mapped to a stable code ({@link CONTRACT_ERROR_CODES}) and nothing is sent.
 *
 * Concurrency: each sender's nonces are taken and its transactions sent one after another (a queue
 * per address), so concurrent requests of one organisation never share or skip a nonce; a failure
 * between taking a nonce and sending resets that sender's counter. A transaction the node drops is
 * sent again as is ({@link sendWithRebroadcast}).
 *
 * @throws NonRetryableError with the contract's code (FORBIDDEN, TARIFF_IN_EFFECT, …)
 * @throws RetryableError CHAIN_UNAVAILABLE (the RPC did not answer) or REVERTED (reverted on inclusion
 *   for a reason the state at that block no longer shows)
 */
export async function sendContractTransaction(
  parameters: SendContractTransactionParameters,
): Promise<SendContractTransactionReturnType> {
  const { publicClient, walletClient, account, address, abi, functionName, args, chainId } = parameters;
  const fees: TransactionFees = parameters.zeroGasPrice ? { gasPrice: 0n, type: "legacy" } : {};
  const data = encodeFunctionData({ abi, functionName, args } as never);
  let gasLimit: bigint;
  try {
    gasLimit = await executionGasLimit({
      publicClient,
      account,
      address,
      abi,
      functionName,
      args,
      data,
      fees,
    });
  } catch (cause) {
    throw toContractError(cause, parameters.contractName, functionName);
  }
  let receipt: TransactionReceipt;
  try {
    const serializedTransaction = await inSenderQueue(
      `${chainId}:${account.address.toLowerCase()}`,
      async () => {
        const nonce = account.nonceManager
          ? await account.nonceManager.consume({ address: account.address, chainId, client: publicClient })
          : await publicClient.getTransactionCount({ address: account.address, blockTag: "pending" });
        try {
          const signed = await signTransactionRequest({
            walletClient,
            account,
            to: address,
            data,
            gas: gasLimit,
            nonce,
            chainId,
            fees,
          });
          await publicClient.sendRawTransaction({ serializedTransaction: signed });
          return signed;
        } catch (cause) {
          // a nonce taken but never sent would stall every later transaction of this sender
          account.nonceManager?.reset({ address: account.address, chainId });
          throw cause;
        }
      },
    );
    receipt = await sendWithRebroadcast({ publicClient, serializedTransaction, alreadySent: true });
  } catch (cause) {
    if (cause instanceof GatewayError) throw cause;
    throw toContractError(cause, parameters.contractName, functionName);
  }
  if (receipt.status !== "success") {
    // Another transaction changed the state between the estimate and inclusion: replay the call on
    // the state after that block to name the reason; the caller may simply retry otherwise.
    try {
      await publicClient.call({ account, to: address, data, blockNumber: receipt.blockNumber });
    } catch (cause) {
      const error = toContractError(cause, parameters.contractName, functionName);
      if (error instanceof NonRetryableError) throw error;
    }
    throw new RetryableError(`${functionName} reverted on inclusion in ${receipt.transactionHash}`, {
      code: "REVERTED",
    });
  }
  return {
    transactionHash: receipt.transactionHash,
    blockNumber: receipt.blockNumber,
    sender: account.address,
    receipt,
  };
}

/** A contract revert as its API code, anything else as CHAIN_UNAVAILABLE. */
export function toContractError(cause: unknown, contractName: string, functionName: string): GatewayError {
  const revert = findContractRevert(cause);
  if (revert) {
    const code = CONTRACT_ERROR_CODES[revert.errorName] ?? "REJECTED_BY_CONTRACT";
    const args = revert.args.map((value) => String(value)).join(", ");
    return new NonRetryableError(
      `The ${contractName} contract refused ${functionName}: ${revert.errorName}(${args})`,
      {
        code,
        cause,
      },
    );
  }
  if (process.env.GRIDLEDGER_DEBUG_ERRORS === "1") console.error(cause);
  return new RetryableError("The chain RPC did not accept the request", { code: "CHAIN_UNAVAILABLE", cause });
}
