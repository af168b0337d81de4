import type { Abi, Address, LocalAccount, TransactionReceipt } from "viem";
import { sendContractTransaction } from "../../../chain/sendContractTransaction.js";
import { waitForIndexedBlock } from "../../../chain/waitForIndexedBlock.js";
import { NonRetryableError } from "../../../internal/errors.js";
import type { KeyOwnerKind } from "../../../keys/signerService.js";
import { type GatewayContext, type Principal, Role } from "../../context.js";
import { requirePrincipal } from "../../scope.js";
import type { ActionResult } from "./actionResult.type.js";

export type ActionSigner = { kind: KeyOwnerKind; address: Address };

/**
 * Whose key signs the caller's actions: a consumer's own address, or the staff user's organisation.
 * Taken from the session only — never from the request.
 */
export function signerOf(principal: Principal): ActionSigner {
  if (principal.role === Role.Consumer) {
    if (!principal.consumerAddress) {
      throw new NonRetryableError("This consumer login is not tied to a chain address", {
        code: "CONSUMER_KEY_MISSING",
      });
    }
    return { kind: "consumer", address: principal.consumerAddress };
  }
  if (!principal.organisation) {
    throw new NonRetryableError("This login belongs to no organisation", { code: "FORBIDDEN" });
  }
  return { kind: "organisation", address: principal.organisation };
}

export async function accountOf(context: GatewayContext, signer: ActionSigner): Promise<LocalAccount> {
  const signers = context.services.signers;
  if (!signers) {
    throw new NonRetryableError("This gateway holds no keys and cannot act on chain", {
      code: "SIGNING_UNAVAILABLE",
    });
  }
  return signers.account(signer.kind, signer.address);
}

export type SendActionParameters = {
  context: GatewayContext;
  /** Default: the caller's own key ({@link signerOf}). */
  signer?: ActionSigner | undefined;
  contract: "Registry" | "Readings" | "Tariffs" | "Settlement" | "Reconciliation" | "HourlyBilling";
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
};

/**
 * Signs `functionName` on `contract` with the caller's own key, sends it, waits for it to be mined
 * and for the indexer to hold its block.
 */
export async function sendAction(
  parameters: SendActionParameters,
): Promise<ActionResult & { receipt: TransactionReceipt }> {
  const { context, contract, abi, functionName, args } = parameters;
  const signer = parameters.signer ?? signerOf(requirePrincipal(context));
  const account = await accountOf(context, signer);
  const { chain } = context.services;
  const address = chain.contracts[contract];
  if (!address)
    throw new NonRetryableError(`The ${contract} contract is not deployed`, { code: "NOT_DEPLOYED" });
  const sent = await sendContractTransaction({
    publicClient: chain.publicClient,
    walletClient: chain.walletClient,
    chainId: chain.chainId,
    zeroGasPrice: chain.zeroGasPrice,
    account,
    address,
    abi,
    functionName,
    args,
    contractName: contract,
  });
  const indexed = await waitForIndexedBlock({
    indexStatus: () => context.services.indexStatus(),
    blockNumber: sent.blockNumber,
  });
  return {
    transactionHash: sent.transactionHash,
    blockNumber: sent.blockNumber.toString(),
    sender: sent.sender,
    indexed,
    receipt: sent.receipt,
  };
}
