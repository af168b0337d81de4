import {
  type Abi,
  type Account,
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  parseEther,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { inject } from "vitest";
import {
  deployGridLedger,
  devChain,
  feeOverrides,
  type GridLedgerDeployment,
} from "../deploy/deployGridLedger.js";

/** Fresh funded keys per test file, so files running in parallel never share a nonce. */
export type TestActors = Record<
  | "deployer"
  | "operator"
  | "grid"
  | "retailA"
  | "retailB"
  | "bank"
  | "device"
  | "consumer"
  | "relayer"
  | "stranger",
  Account
>;

export function rpcUrl(): string {
  return inject("devChainRpcUrl" as never) as string;
}

export async function freshActors(url: string): Promise<TestActors> {
  const names = [
    "deployer",
    "operator",
    "grid",
    "retailA",
    "retailB",
    "bank",
    "device",
    "consumer",
    "relayer",
    "stranger",
  ] as const;
  const client = createPublicClient({ transport: http(url) });
  const actors = Object.fromEntries(
    names.map((name) => [name, privateKeyToAccount(generatePrivateKey())]),
  ) as TestActors;
  await Promise.all(
    Object.values(actors).map((account) =>
      client.request({
        method: "anvil_setBalance" as never,
        params: [account.address, toHex(parseEther("1000"))] as never,
      }),
    ),
  );
  return actors;
}

export async function deployFor(url: string, actors: TestActors): Promise<GridLedgerDeployment> {
  return deployGridLedger({
    rpcUrl: url,
    deployer: actors.deployer,
    roles: {
      operator: actors.operator.address,
      gridCompany: actors.grid.address,
      retailCompanies: [actors.retailA.address, actors.retailB.address],
      paymentSources: [actors.bank.address],
    },
  });
}

/** Sends a contract call from `account` and waits for a successful receipt. */
export async function send(
  url: string,
  account: Account,
  address: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[],
) {
  const client = createPublicClient({ transport: http(url) }) as PublicClient;
  const chain = devChain(await client.getChainId(), url);
  const wallet = createWalletClient({ account, chain, transport: http(url) });
  const { request } = await client.simulateContract({ account, address, abi, functionName, args } as never);
  const hash: Hex = await wallet.writeContract({
    ...(request as object),
    ...(await feeOverrides(client)),
  } as never);
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
  if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
  return receipt;
}
