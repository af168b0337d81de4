import type { Abi, Address, Hex, LocalAccount, PublicClient } from "viem";
import { isMethodNotFound } from "./isMethodNotFound.js";

/** Zero-price legacy transactions on the consortium chain; the node's fee market otherwise. */
export type TransactionFees =
  | { gasPrice: bigint; type: "legacy" }
  | { gasPrice?: undefined; type?: undefined };

export type ExecutionGasLimitParameters = {
  publicClient: PublicClient;
  account: LocalAccount;
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /** The call's encoded data (the same call as abi, functionName and args). */
  data: Hex;
  fees: TransactionFees;
};

/**
 * The gas limit for a contract call, from one execution of the exact call. `eth_createAccessList`
 * executes it once and reports the gas used; `eth_estimateGas` searches for the limit by executing
 * it again and again — on anvil 38 ms of the node's CPU per 480-reading batch against 2 ms, most of
 * the chain's work under load (`npm run bench:ingest`). A call that fails is executed once more as an
 * `eth_call`, so the error carries the contract's custom error decoded against `abi`; a node without
 * `eth_createAccessList` gets `eth_estimateGas`.
 *
 * @throws the node's error as viem raised it (a revert as ContractFunctionRevertedError); callers map it
 */
export async function executionGasLimit(parameters: ExecutionGasLimitParameters): Promise<bigint> {
  const { publicClient, account, address, abi, functionName, args, data, fees } = parameters;
  const call = { address, abi, functionName, args, account, ...fees } as never;
  let gasUsed: bigint;
  try {
    ({ gasUsed } = await publicClient.createAccessList({ account, to: address, data, ...fees }));
  } catch (cause) {
    if (!isMethodNotFound(cause)) {
      await publicClient.simulateContract(call);
      throw cause;
    }
    gasUsed = await publicClient.estimateContractGas(call);
  }
  // The access list is not sent, so cold slots cost up to 200 gas more each than in the measured run,
  // calls keep 1/64 of their gas back (EIP-150), and state may move before inclusion: 10 % + 30,000.
  return (gasUsed * 11n) / 10n + 30_000n;
}
