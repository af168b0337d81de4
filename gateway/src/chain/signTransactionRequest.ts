import type { Address, Hex, LocalAccount, WalletClient } from "viem";
import type { TransactionFees } from "./executionGasLimit.js";

export type SignTransactionRequestParameters = {
  walletClient: WalletClient;
  account: LocalAccount;
  to: Address;
  data: Hex;
  gas: bigint;
  nonce: number;
  chainId: number;
  fees: TransactionFees;
};

/**
 * Signs a transaction with every field the caller knows. A zero-price legacy transaction (the
 * consortium chain) needs nothing from the node; otherwise viem fills the fees from it.
 */
export async function signTransactionRequest(parameters: SignTransactionRequestParameters): Promise<Hex> {
  const { walletClient, account, to, data, gas, nonce, chainId, fees } = parameters;
  const request =
    fees.gasPrice !== undefined
      ? { to, data, gas, nonce, chainId, ...fees }
      : await walletClient.prepareTransactionRequest({ to, data, account, chain: null, gas, nonce, ...fees });
  return account.signTransaction(request as never);
}
