import { deployGridLedger, type GridLedgerDeployment, readingsAbi, registryAbi } from "@gridledger/contracts";
import {
  type Abi,
  type Account,
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type LocalAccount,
  parseEther,
  parseEventLogs,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { inject } from "vitest";

/** One-purpose chain helpers for gateway tests (Ponder's `_test/simulate.ts` style). */
export const ACTOR_NAMES = [
  "deployer",
  "operator",
  "grid",
  "retailA",
  "retailB",
  "bank",
  "device",
  "relayer",
  "stranger",
] as const;
export type Actors = Record<(typeof ACTOR_NAMES)[number], LocalAccount>;

export function testRpcUrl(): string {
  return inject("devChainRpcUrl");
}

/** Fresh funded keys per test file, so parallel files never share a nonce. */
export async function freshActors(rpcUrl: string): Promise<Actors> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const actors = Object.fromEntries(
    ACTOR_NAMES.map((name) => [name, privateKeyToAccount(generatePrivateKey())]),
  ) as Actors;
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

/** Deploys a fresh GridLedger with the actors in their roles. */
export function deployForActors(rpcUrl: string, actors: Actors): Promise<GridLedgerDeployment> {
  return deployGridLedger({
    rpcUrl,
    deployer: actors.deployer,
    roles: {
      operator: actors.operator.address,
      gridCompany: actors.grid.address,
      retailCompanies: [actors.retailA.address, actors.retailB.address],
      paymentSources: [actors.bank.address],
    },
  });
}

/** Sends a call and waits for a successful receipt. */
export async function sendCall(
  rpcUrl: string,
  account: Account,
  address: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[],
) {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const wallet = createWalletClient({ account, transport: http(rpcUrl) });
  const { request } = await client.simulateContract({ account, address, abi, functionName, args } as never);
  const hash: Hex = await wallet.writeContract({
    ...(request as object),
    chain: null,
    gasPrice: 0n,
    type: "legacy",
  } as never);
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
  if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
  return receipt;
}

/** Registers remote-read meters (T1 + export capable) and gives `device` a key for them. */
export async function registerMetersWithDevice(
  rpcUrl: string,
  actors: Actors,
  deployment: GridLedgerDeployment,
  serials: string[],
): Promise<bigint[]> {
  const meterIds: bigint[] = [];
  for (const serial of serials) {
    const receipt = await sendCall(
      rpcUrl,
      actors.grid,
      deployment.contracts.Registry!,
      registryAbi as Abi,
      "registerMeter",
      [
        {
          gridCompany: actors.grid.address,
          accountId: 0n,
          meterType: 1,
          tariffZones: 1,
          meteringScheme: 1,
          remoteReading: true,
          exportCapable: true,
          atBalanceBoundary: true,
          lossMethod: 0,
          lossPpm: 0,
          serial: toHex(serial, { size: 32 }),
          model: toHex("SDM630", { size: 32 }),
          lossParameters: toHex(0, { size: 32 }),
        },
      ],
    );
    const [event] = parseEventLogs({ abi: registryAbi, logs: receipt.logs, eventName: "MeterRegistered" });
    meterIds.push(event!.args.meterId);
  }
  await sendCall(
    rpcUrl,
    actors.grid,
    deployment.contracts.Readings!,
    readingsAbi as Abi,
    "registerDeviceKey",
    [meterIds, actors.device.address],
  );
  return meterIds;
}
