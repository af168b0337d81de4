import { type Account, type Address, createPublicClient, createWalletClient, http } from "viem";
import { billingCalculatorAbi, billingCalculatorBytecode } from "../../abi/BillingCalculator.js";
import { devChain, feeOverrides } from "../deploy/deployGridLedger.js";

export type DeployBillingCalculatorParameters = {
  rpcUrl: string;
  /** A funded account that sends the deployment. */
  account: Account;
};
export type DeployBillingCalculatorReturnType = Address;

/**
 * Deploys the stateless `BillingCalculator` (the billing libraries behind external pure functions)
 * and returns its address once the deployment is mined. Used by the vector runner and the parity
 * tests; production contracts link the libraries directly.
 */
export async function deployBillingCalculator({
  rpcUrl,
  account,
}: DeployBillingCalculatorParameters): Promise<DeployBillingCalculatorReturnType> {
  const publicClient = createPublicClient({ transport: http(rpcUrl) });
  const chain = devChain(await publicClient.getChainId(), rpcUrl);
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) });
  const hash = await wallet.deployContract({
    abi: billingCalculatorAbi,
    bytecode: billingCalculatorBytecode,
    ...(await feeOverrides(publicClient)),
  } as never);
  const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 100 });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new Error(`BillingCalculator deployment failed in transaction ${hash}`);
  }
  return receipt.contractAddress;
}
