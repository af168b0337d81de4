import {
  deployGridLedger,
  type GridLedgerDeployment,
  readingsAbi,
  registryAbi,
  settlementAbi,
} from "@gridledger/contracts";
import { encodeMeterRecords } from "@gridledger/domain";
import { type DevChain, devAccounts, startDevChain, TEST_MNEMONIC } from "@gridledger/network";
import Keyv from "keyv";
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  type LocalAccount,
  type PublicClient,
  parseEventLogs,
  type TransactionReceipt,
  toHex,
} from "viem";
import { createSessionStore, type Session } from "../../../auth/sessions.js";
import type { TestDatabase } from "../../../db/_test/testDatabases.js";
import { type Database, openDatabase } from "../../../db/openDatabase.js";
import { buildDemoPlan, type DemoConsumer, type DemoSize } from "../../../demo/demoPlan.js";
import { type DemoSummary, demoKeyDeriver, seedDemoData } from "../../../demo/seedDemoData.js";
import { createIndexer, type Indexer } from "../../../indexer/createIndexer.js";
import { createMnemonicSigners } from "../../../keys/createMnemonicSigners.js";
import { createGatewayServer, type GatewayServer } from "../../../server/createGatewayServer.js";
import type { Principal, Role } from "../../context.js";

/** A small demo: enough consumers for every invoice answer, manual and remote meters, both retail companies. */
export const ACTIONS_DEMO_SIZE: DemoSize = { accounts: 16, days: 2 };

export type ActionsConsumer = DemoConsumer & { chainAddress: Address; accountId: bigint; meterId: bigint };

export type ActionsChain = {
  chain: DevChain;
  client: PublicClient;
  deployment: GridLedgerDeployment;
  summary: DemoSummary;
  accounts: ReturnType<typeof devAccounts>;
  /** Every demo consumer with its chain address and account id. */
  consumers: ActionsConsumer[];
  /** Invoices of the period after the demo's, issued and not yet answered nor paid, one per consumer. */
  issuedInvoices: { consumer: ActionsConsumer; invoiceId: bigint; total: bigint }[];
  /** Sends a call with a dev key and waits for it (fixture set-up, not the code under test). */
  send(
    account: LocalAccount,
    contract: string,
    abi: Abi,
    functionName: string,
    args: readonly unknown[],
  ): Promise<TransactionReceipt>;
  read<T>(contract: string, abi: Abi, functionName: string, args?: readonly unknown[]): Promise<T>;
  stop(): Promise<void>;
};

/**
 * The chain every action test runs on: its own anvil (the demo moves the clock), the contracts
 * deployed with the dev roles, and a small demo seeded through the real paths — the organisations'
 * keys are the dev mnemonic's, the consumers' keys the demo's derivation, so the gateway's mnemonic
 * signer service holds exactly the keys the chain knows.
 */
export async function startActionsChain(): Promise<ActionsChain> {
  const chain = await startDevChain({ blockTimeSeconds: 0.25 });
  try {
    const client = createPublicClient({ transport: http(chain.rpcUrl), cacheTime: 0 }) as PublicClient;
    const accounts = devAccounts(TEST_MNEMONIC);
    const deployment = await deployGridLedger({
      rpcUrl: chain.rpcUrl,
      deployer: accounts.operator,
      roles: {
        operator: accounts.operator.address,
        gridCompany: accounts.gridCompany.address,
        retailCompanies: [accounts.retailCompanyA.address, accounts.retailCompanyB.address],
        paymentSources: [accounts.bank.address],
      },
    });
    const summary = await seedDemoData({
      rpcUrl: chain.rpcUrl,
      deployment,
      accounts,
      mnemonic: TEST_MNEMONIC,
      size: ACTIONS_DEMO_SIZE,
    });
    const read = <T>(contract: string, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
      client.readContract({
        address: deployment.contracts[contract]! as Address,
        abi,
        functionName,
        args,
      } as never) as Promise<T>;
    const derive = demoKeyDeriver(TEST_MNEMONIC);
    const consumers = await Promise.all(
      buildDemoPlan(ACTIONS_DEMO_SIZE).consumers.map(async (consumer) => {
        const accountId = await read<bigint>("Registry", registryAbi, "accountByNumber", [
          toHex(consumer.accountNumber, { size: 32 }),
        ]);
        const account = await read<{ meterId: bigint }>("Registry", registryAbi, "getAccount", [accountId]);
        return {
          ...consumer,
          chainAddress: derive(consumer.keyIndex).address,
          accountId,
          meterId: account.meterId,
        };
      }),
    );
    const wallet = createWalletClient({ transport: http(chain.rpcUrl) });
    const send = async (
      account: LocalAccount,
      contract: string,
      abi: Abi,
      functionName: string,
      args: readonly unknown[],
    ) => {
      const hash = await wallet.writeContract({
        account,
        chain: null,
        address: deployment.contracts[contract]! as Address,
        abi,
        functionName,
        args,
        gasPrice: 0n,
        type: "legacy",
        gas: 3_000_000n,
      } as never);
      const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
      if (receipt.status !== "success") throw new Error(`${functionName} reverted in the fixture`);
      return receipt;
    };

    // The next period passes on this chain: readings at its end for the remote household meters
    // (entered by the grid company), then each retail company closes it and issues the invoices, so
    // the tests have invoices nobody has answered or paid yet.
    const period = summary.period.nextPeriodId;
    const periodEnd = await read<number>("Readings", readingsAbi, "periodEnd", [period]);
    const now = Number((await client.getBlock()).timestamp);
    await client.request({
      method: "evm_increaseTime" as never,
      params: [periodEnd + 4 * 3600 - now] as never,
    });
    await client.request({ method: "evm_mine" as never, params: [] as never });
    const billed = consumers.filter((c) => !c.legal && c.meter.remoteReading && !c.meter.exportCapable);
    for (const consumer of billed) {
      const [, registers] = await read<[number, readonly bigint[]]>("Readings", readingsAbi, "meterState", [
        consumer.meterId,
      ]);
      const zones = consumer.meter.tariffZones;
      const mask = (1 << zones) - 1;
      const atEnd = registers.slice(0, zones).map((value) => BigInt(value) + 40_000n);
      const records = encodeMeterRecords(mask, [
        { intervalEnd: periodEnd, status: 0, registers: atEnd },
        { intervalEnd: periodEnd + 1800, status: 0, registers: atEnd.map((value) => value + 500n) },
      ]);
      await send(accounts.gridCompany, "Readings", readingsAbi, "submitManualReadings", [
        consumer.meterId,
        mask,
        records,
      ]);
    }
    const issuedInvoices: ActionsChain["issuedInvoices"] = [];
    for (const [retail, key] of [
      ["A", accounts.retailCompanyA],
      ["B", accounts.retailCompanyB],
    ] as const) {
      const ids = billed.filter((c) => c.retail === retail).map((c) => c.accountId);
      const closed = await send(key, "Settlement", settlementAbi, "closePeriod", [period, ids]);
      for (const event of parseEventLogs({
        abi: settlementAbi,
        logs: closed.logs,
        eventName: "InvoiceComputed",
      })) {
        await send(key, "Settlement", settlementAbi, "issueInvoice", [
          event.args.invoiceId,
          keccak256(toHex(`invoice ${event.args.invoiceId}`)),
          periodEnd + 15 * 86_400,
        ]);
        const consumer = billed.find((c) => c.accountId === event.args.accountId)!;
        issuedInvoices.push({ consumer, invoiceId: event.args.invoiceId, total: BigInt(event.args.total) });
      }
    }
    return {
      chain,
      client,
      deployment,
      summary,
      accounts,
      consumers,
      issuedInvoices,
      read,
      send,
      stop: () => chain.stop(),
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

export type ActionsGateway = {
  gateway: GatewayServer;
  database: Database;
  indexer: Indexer;
  /** Bearer token of a principal. */
  login(principal: Omit<Principal, "userId"> & { userId?: number }): Promise<string>;
  graphql(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{
    data?: Record<string, Record<string, unknown> | null> | null;
    errors?: { message: string; extensions: { code: string; details?: string } }[];
  }>;
  stop(): Promise<void>;
};

/** A gateway over `database` with the real indexer following the chain and the dev mnemonic's keys. */
export async function startActionsGateway(
  // only these are read: a test with a chain of its own passes them without the demo
  actions: Pick<ActionsChain, "chain" | "client" | "deployment" | "accounts">,
  testDatabase: TestDatabase,
): Promise<ActionsGateway> {
  const database = await openDatabase({ url: testDatabase.url });
  const indexer = createIndexer({
    db: database,
    rpcUrl: actions.chain.rpcUrl,
    deployment: actions.deployment,
    pollIntervalMs: 100,
  });
  await indexer.run();
  const stopIndexer = new AbortController();
  const following = indexer.run({ follow: true, signal: stopIndexer.signal }).catch((error: unknown) => {
    // a stopped indexer fails every later "indexed" expectation: say why
    if (!stopIndexer.signal.aborted) console.error("indexer stopped", error);
  });
  const sessions = createSessionStore(new Keyv<Session>());
  const gateway = await createGatewayServer({
    rpcUrl: actions.chain.rpcUrl,
    deployment: actions.deployment,
    logLevel: "silent",
    services: {
      chain: {
        publicClient: actions.client,
        walletClient: createWalletClient({ transport: http(actions.chain.rpcUrl) }),
        relayer: actions.accounts.relayer,
        chainId: actions.deployment.chainId,
        deployedAtBlock: BigInt(actions.deployment.deployedAtBlock),
        contracts: actions.deployment.contracts,
        zeroGasPrice: true,
      },
      database,
      sessions,
      signers: createMnemonicSigners({ mnemonic: TEST_MNEMONIC }),
      indexStatus: async () => {
        const checkpoint = await indexer.checkpoint();
        return { indexedBlock: checkpoint ? BigInt(checkpoint.blockNumber) : undefined };
      },
    },
  });
  let nextUserId = 1;
  return {
    gateway,
    database,
    indexer,
    login: async (principal) => (await sessions.open({ userId: nextUserId++, ...principal })).token,
    graphql: async (query, variables, token) => {
      const response = await gateway.app.inject({
        method: "POST",
        url: "/graphql",
        payload: { query, variables },
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      });
      return response.json();
    },
    stop: async () => {
      stopIndexer.abort();
      await gateway.app.close();
      await following;
      await database.close();
      await testDatabase.drop();
    },
  };
}

export const staff = (role: Role, organisation: Address, login = role.toLowerCase()) => ({
  login,
  role,
  organisation,
  consumerAddress: undefined,
});

export const consumerPrincipal = (address: Address, login = "consumer") => ({
  login,
  role: "CONSUMER" as const,
  organisation: undefined,
  consumerAddress: address,
});
