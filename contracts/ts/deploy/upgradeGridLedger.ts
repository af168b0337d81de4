import {
  type Account,
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  parseAbi,
} from "viem";
import { type GridLedgerContractName, implementationCreationCode } from "../contracts.js";
import {
  devChain,
  feeOverrides,
  type GridLedgerDeployment,
  writeDeploymentsFile,
} from "./deployGridLedger.js";

/** ERC-1967 implementation slot: `bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)`. */
export const ERC1967_IMPLEMENTATION_SLOT =
  "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc" as const;

export type UpgradeGridLedgerOptions = {
  rpcUrl: string;
  /** Holds UPGRADER_ROLE on the contract (the operator). */
  upgrader: Account;
  deployment: GridLedgerDeployment;
  name: GridLedgerContractName;
  /** Creation code of the new implementation (with constructor arguments); default: the current build of `name` for this deployment. */
  bytecode?: Hex;
  /** Call made right after the upgrade (e.g. a `reinitializer`), default none. */
  data?: Hex;
  zeroGasPrice?: boolean;
  /** When given, the updated deployment is written there. */
  deploymentsFile?: string;
};

/**
 * Deploys a new implementation and points the proxy of `name` at it (UUPS `upgradeToAndCall`). State
 * stays in the proxy; the new implementation must only append state variables (docs/contracts.md,
 * "Upgrade procedure"). Returns the updated deployment.
 */
export async function upgradeGridLedgerContract(
  options: UpgradeGridLedgerOptions,
): Promise<GridLedgerDeployment> {
  const { rpcUrl, upgrader, deployment, name } = options;
  const transport = http(rpcUrl, { timeout: 60_000 });
  const chain = devChain(deployment.chainId, rpcUrl);
  const client = createPublicClient({ chain, transport });
  const wallet = createWalletClient({ account: upgrader, chain, transport });
  const fees = await feeOverrides(client, options.zeroGasPrice);
  const proxy = deployment.contracts[name];
  if (!proxy) throw new Error(`The deployment has no ${name}`);

  const deployHash = await wallet.sendTransaction({
    data: options.bytecode ?? implementationCreationCode(name, deployment.contracts),
    gas: 7_000_000n,
    chain,
    ...fees,
  });
  const deployed = await client.waitForTransactionReceipt({ hash: deployHash, pollingInterval: 250 });
  if (deployed.status !== "success" || !deployed.contractAddress)
    throw new Error("Implementation deployment failed");
  const implementation: Address = deployed.contractAddress;

  const upgradeHash = await wallet.sendTransaction({
    to: proxy,
    data: encodeFunctionData({
      abi: parseAbi(["function upgradeToAndCall(address newImplementation, bytes data) payable"]),
      functionName: "upgradeToAndCall",
      args: [implementation, options.data ?? "0x"],
    }),
    gas: 500_000n,
    chain,
    ...fees,
  });
  const upgraded = await client.waitForTransactionReceipt({ hash: upgradeHash, pollingInterval: 250 });
  if (upgraded.status !== "success") throw new Error(`upgradeToAndCall on ${name} reverted`);

  const next: GridLedgerDeployment = {
    ...deployment,
    contracts: { ...deployment.contracts, [`${name}Implementation`]: implementation },
  };
  if (options.deploymentsFile) await writeDeploymentsFile(options.deploymentsFile, next);
  return next;
}

/** The implementation a proxy currently points at. */
export async function implementationOf(rpcUrl: string, proxy: Address): Promise<Address> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const word = await client.getStorageAt({ address: proxy, slot: ERC1967_IMPLEMENTATION_SLOT });
  return `0x${(word ?? "0x").slice(-40)}` as Address;
}
