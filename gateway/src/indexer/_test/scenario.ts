import {
  deployGridLedger,
  devChain,
  feeOverrides,
  type GridLedgerDeployment,
  readingsAbi,
  reconciliationAbi,
  registryAbi,
  settlementAbi,
  tariffsAbi,
} from "@gridledger/contracts";
import { devAccounts } from "@gridledger/network";
import {
  type Abi,
  type Account,
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  type Log,
  parseEventLogs,
  type TransactionReceipt,
  toHex,
} from "viem";
import {
  addTariffPlan,
  createTariffGroup,
  openAccount,
  registerDeviceKey,
  registerMeter,
  submitReadings as submitSignedReadings,
  warpTo,
} from "../../_test/ledgerSteps.js";

export type Scenario = {
  deployment: GridLedgerDeployment;
  accounts: ReturnType<typeof devAccounts>;
  send: (
    account: Account,
    contract: string,
    abi: Abi,
    fn: string,
    args: readonly unknown[],
  ) => Promise<TransactionReceipt>;
  /** Submits signed readings for `meterIds` at `ends` (registers grow with the interval). */
  submitReadings: (meterIds: bigint[], ends: number[]) => Promise<TransactionReceipt>;
  now: () => Promise<number>;
  meterIds: bigint[];
  accountIds: bigint[];
};

const text32 = (value: string) => toHex(value, { size: 32 });

/** A chain client and a sequential sender for a dev chain (own nonce per account, waits for each receipt). */
export async function connect(url: string, deployment?: GridLedgerDeployment) {
  const client = createPublicClient({ transport: http(url) });
  const chainId = await client.getChainId();
  const chain = devChain(chainId, url);
  const fees = await feeOverrides(client);
  const send = async (
    account: Account,
    address: Address,
    abi: Abi,
    functionName: string,
    args: readonly unknown[],
  ) => {
    const wallet = createWalletClient({ account, chain, transport: http(url) });
    const { request } = await client.simulateContract({ account, address, abi, functionName, args } as never);
    const hash: Hex = await wallet.writeContract({ ...(request as object), ...fees } as never);
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
    return receipt;
  };
  return { client, chainId, chain, send, deployment };
}

/**
 * Deploys GridLedger on `url` (a chain of the test's own: the scenario moves time forward) and drives
 * every contract event the indexer models: organisations, meters and their state events, device keys,
 * accounts, readings, periods and snapshots, tariff groups and plans, invoices with lines, payments,
 * prepayments, mandates and a reconciliation with a mismatch.
 */
export async function runScenario(url: string): Promise<Scenario> {
  const accounts = devAccounts();
  const deployer = accounts.all[10]!;
  const deployment = await deployGridLedger({
    rpcUrl: url,
    deployer,
    roles: {
      operator: accounts.operator.address,
      gridCompany: accounts.gridCompany.address,
      retailCompanies: [accounts.retailCompanyA.address, accounts.retailCompanyB.address],
      paymentSources: [accounts.bank.address],
    },
  });
  const { client, chainId, send: sendTo } = await connect(url);
  const c = deployment.contracts;
  const send: Scenario["send"] = (account, contract, abi, fn, args) =>
    sendTo(account, c[contract]!, abi, fn, args);
  const now = async () => Number((await client.getBlock()).timestamp);
  const events = <T extends Abi>(abi: T, logs: Log[], eventName: string) =>
    parseEventLogs({ abi, logs, eventName: eventName as never }) as unknown as {
      args: Record<string, bigint>;
    }[];
  const {
    operator,
    gridCompany: grid,
    retailCompanyA: retailA,
    retailCompanyB: retailB,
    bank,
    consumer,
  } = accounts;

  // ---------------------------------------------------------------- registry
  await send(operator, "Registry", registryAbi, "updateOrganisation", [
    bank.address,
    true,
    keccak256(toHex("bank profile v2")),
    text32("7707083893"),
  ]);
  const meterIds: bigint[] = [];
  for (const [index, serial] of ["SN-0001", "SN-0002", "SN-0003"].entries()) {
    const model = index === 2 ? "CE308" : "Mercury 234";
    meterIds.push(await registerMeter(sendTo, { registry: c.Registry!, grid, serial, model }));
  }
  await send(grid, "Registry", registryAbi, "updateMeter", [
    meterIds[0],
    {
      gridCompany: grid.address,
      accountId: 0n,
      meterType: 2,
      tariffZones: 1,
      meteringScheme: 2,
      remoteReading: true,
      exportCapable: false,
      atBalanceBoundary: false,
      lossMethod: 1,
      lossPpm: 15_000,
      serial: text32("ignored"),
      model: text32("ignored"),
      lossParameters: text32(""),
    },
  ]);
  const accountIds: bigint[] = [];
  for (const [index, retail] of [retailA, retailA, retailB].entries()) {
    const accountId = await openAccount(sendTo, {
      registry: c.Registry!,
      retail,
      grid: grid.address,
      consumer: consumer.address,
      meterId: meterIds[index]!,
      consumerType: 1,
      priceCategory: 0,
      accountNumber: `LS-${1000 + index}`,
      siteId: index === 2 ? "North" : "Centre",
      addressRef: `Lenina ${index + 1}, flat ${index + 10}`,
    });
    accountIds.push(accountId);
  }
  await send(retailA, "Registry", registryAbi, "updateAccount", [
    accountIds[1],
    consumer.address,
    1,
    0,
    text32("Centre-2"),
    text32("Lenina 2, flat 11"),
    true,
  ]);
  await send(grid, "Registry", registryAbi, "reportTamper", [meterIds[0], 7, keccak256(toHex("photo"))]);
  await send(grid, "Registry", registryAbi, "clearTamper", [meterIds[0], keccak256(toHex("inspection act"))]);
  const firmware = keccak256(toHex("fw 1.0"));
  await send(grid, "Registry", registryAbi, "setReferenceFirmware", [meterIds[0], firmware]);
  await send(grid, "Registry", registryAbi, "reportFirmware", [meterIds[0], keccak256(toHex("fw evil"))]);
  await send(grid, "Registry", registryAbi, "reportFirmware", [meterIds[0], firmware]);
  await send(grid, "Registry", registryAbi, "reportClockDrift", [meterIds[1], -42]);

  // ---------------------------------------------------------------- readings setup, periods
  await registerDeviceKey(sendTo, {
    readings: c.Readings!,
    grid,
    meterIds,
    device: accounts.device.address,
  });
  await send(operator, "Readings", readingsAbi, "setFutureTolerance", [600]);
  const start = await now();
  const p1 = Math.ceil((start + 3600) / 1800) * 1800;
  const p2 = p1 + 7200;
  await send(operator, "Readings", readingsAbi, "schedulePeriod", [1, p1]);
  await send(operator, "Readings", readingsAbi, "schedulePeriod", [2, p2]);

  // ---------------------------------------------------------------- tariffs
  const household = (name: string) =>
    createTariffGroup(sendTo, {
      tariffs: c.Tariffs!,
      retail: retailA,
      name,
      consumerType: 1,
      priceCategory: 0,
    });
  const group = await household("Households");
  await send(retailA, "Tariffs", tariffsAbi, "editGroup", [group, text32("Urban households")]);
  const spare = await household("Spare");
  await send(retailA, "Tariffs", tariffsAbi, "deleteGroup", [spare]);
  await addTariffPlan(sendTo, {
    tariffs: c.Tariffs!,
    retail: retailA,
    groupId: group,
    kind: 1,
    validFrom: start - 86400,
    vatIncluded: true,
    rates: [[274_000n, 81_000n, 48_000n, 1_000n]],
  });
  await send(retailA, "Tariffs", tariffsAbi, "assignTariff", [accountIds[0], group, 1]);
  await send(retailA, "Tariffs", tariffsAbi, "assignTariff", [accountIds[1], group, 1]);

  // ---------------------------------------------------------------- readings across both periods
  const submitReadings = (ids: bigint[], ends: number[]) =>
    submitSignedReadings(sendTo, {
      readings: c.Readings!,
      chainId,
      device: accounts.device,
      relayer: accounts.relayer,
      points: ids.flatMap((meterId) =>
        ends.map((intervalEnd) => ({
          meterId,
          intervalEnd,
          registers: [1_000_000n + BigInt(intervalEnd - p1) * 50n + meterId * 7n],
        })),
      ),
    });
  await warpTo(client, p2 + 3600);
  const ends = Array.from({ length: 7 }, (_, index) => p1 - 1800 + index * 1800);
  await submitReadings(meterIds, ends.slice(0, 4));
  await submitReadings(meterIds, ends.slice(4));
  // A replay: the contract drops duplicates, emits only the batch summary.
  await submitReadings([meterIds[0]!], ends.slice(2, 3));
  await send(grid, "Readings", readingsAbi, "revokeDeviceKey", [[meterIds[2]], accounts.device.address]);

  // ---------------------------------------------------------------- invoices and payments
  const closed = await send(retailA, "Settlement", settlementAbi, "closePeriod", [
    2,
    [accountIds[0], accountIds[1]],
  ]);
  const invoiceIds = events(settlementAbi, closed.logs, "InvoiceComputed").map(
    (event) => event.args.invoiceId!,
  );
  const totals = events(settlementAbi, closed.logs, "InvoiceComputed").map((event) => event.args.total!);
  await send(retailA, "Settlement", settlementAbi, "issueInvoice", [
    invoiceIds[0],
    keccak256(toHex("inv 1")),
    p2 + 86400,
  ]);
  await send(retailA, "Settlement", settlementAbi, "issueInvoice", [
    invoiceIds[1],
    keccak256(toHex("inv 2")),
    p2 + 86400,
  ]);
  await send(consumer, "Settlement", settlementAbi, "confirmInvoice", [invoiceIds[0]]);
  await send(consumer, "Settlement", settlementAbi, "disputeInvoice", [
    invoiceIds[1],
    keccak256(toHex("wrong")),
  ]);
  await send(bank, "Settlement", settlementAbi, "recordPayment", [
    invoiceIds[0],
    totals[0]! + 500n,
    0,
    1n,
    text32("PP-1"),
  ]);
  await send(bank, "Settlement", settlementAbi, "recordPrepayment", [
    accountIds[1],
    2_500n,
    2n,
    text32("PP-2"),
  ]);
  await send(consumer, "Settlement", settlementAbi, "setDebitMandate", [
    accountIds[0],
    bank.address,
    10_000n,
  ]);

  // ---------------------------------------------------------------- reconciliation with one mismatch
  await send(grid, "Reconciliation", reconciliationAbi, "submitAccountVolumes", [
    2,
    retailA.address,
    [accountIds[0], accountIds[1]],
    [1000n, 2000n],
  ]);
  await send(retailA, "Reconciliation", reconciliationAbi, "submitAccountVolumes", [
    2,
    retailA.address,
    [accountIds[0], accountIds[1]],
    [1000n, 2100n],
  ]);
  await send(grid, "Reconciliation", reconciliationAbi, "signTotals", [2, retailA.address, 3000n]);
  await send(retailA, "Reconciliation", reconciliationAbi, "signTotals", [2, retailA.address, 3100n]);

  // ---------------------------------------------------------------- supply contract anchored, then re-signed
  for (const version of ["contract 1", "contract 1 re-signed"]) {
    await send(retailA, "Registry", registryAbi, "anchorAccountDocument", [
      accountIds[0],
      1,
      keccak256(toHex(version)),
    ]);
  }

  return { deployment, accounts, send, submitReadings, now, meterIds, accountIds };
}
