import {
  commonHouseBillingAbi,
  deployGridLedger,
  type GridLedgerDeployment,
  readingsAbi,
  registryAbi,
  tariffsAbi,
} from "@gridledger/contracts";
import { buildReadingBatch, readingBatchTypedData } from "@gridledger/domain";
import type { devAccounts } from "@gridledger/network";
import {
  type Abi,
  type Account,
  type Address,
  type Hex,
  type LocalAccount,
  parseEventLogs,
  type TransactionReceipt,
  toHex,
} from "viem";

/**
 * One-purpose steps on a dev chain of a test's own (deploy, meters, accounts, tariffs, signed readings,
 * time), each one call and its event id, so a scenario reads as its steps. `send` is the sequential
 * sender of `indexer/_test/scenario.ts`'s `connect`.
 */
export type Send = (
  account: Account,
  address: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[],
) => Promise<TransactionReceipt>;

type DevAccounts = ReturnType<typeof devAccounts>;

/** A `bytes32` of short text (serials, account numbers, names). */
export const text32 = (value: string): Hex => toHex(value, { size: 32 });

/** Deploys GridLedger with the dev accounts in their roles; retail company A alone unless told. */
export function deployForDevAccounts(
  rpcUrl: string,
  accounts: DevAccounts,
  options: { deployer?: LocalAccount; retailCompanies?: Address[] } = {},
): Promise<GridLedgerDeployment> {
  return deployGridLedger({
    rpcUrl,
    deployer: options.deployer ?? accounts.all[10]!,
    roles: {
      operator: accounts.operator.address,
      gridCompany: accounts.gridCompany.address,
      retailCompanies: options.retailCompanies ?? [accounts.retailCompanyA.address],
      paymentSources: [accounts.bank.address],
    },
  });
}

/** The timestamp of the chain's latest block. */
export async function chainNow(client: { getBlock(): Promise<{ timestamp: bigint }> }): Promise<number> {
  return Number((await client.getBlock()).timestamp);
}

/** Moves the chain's clock to `time` and mines a block there; nothing when the chain is already past it. */
export async function warpTo(
  client: { getBlock(): Promise<{ timestamp: bigint }>; request(args: never): Promise<unknown> },
  time: number,
): Promise<void> {
  const delta = time - (await chainNow(client));
  if (delta > 0) {
    await client.request({ method: "evm_increaseTime", params: [delta] } as never);
    await client.request({ method: "evm_mine", params: [] } as never);
  }
}

/** Registers a single-phase direct meter of the grid company with remote reading; returns its id. */
export async function registerMeter(
  send: Send,
  params: { registry: Address; grid: Account; serial: string; model: string; tariffZones?: number },
): Promise<bigint> {
  const receipt = await send(params.grid, params.registry, registryAbi, "registerMeter", [
    {
      gridCompany: params.grid.address,
      accountId: 0n,
      meterType: 1,
      tariffZones: params.tariffZones ?? 1,
      meteringScheme: 1,
      remoteReading: true,
      exportCapable: false,
      atBalanceBoundary: true,
      lossMethod: 0,
      lossPpm: 0,
      serial: text32(params.serial),
      model: text32(params.model),
      lossParameters: text32(""),
    },
  ]);
  return parseEventLogs({ abi: registryAbi, logs: receipt.logs, eventName: "MeterRegistered" })[0]!.args
    .meterId;
}

/** Lets `device` sign readings of `meterIds`. */
export function registerDeviceKey(
  send: Send,
  params: { readings: Address; grid: Account; meterIds: bigint[]; device: Address },
): Promise<TransactionReceipt> {
  return send(params.grid, params.readings, readingsAbi, "registerDeviceKey", [
    params.meterIds,
    params.device,
  ]);
}

/** Opens an active account of the retail company on `meterId`; returns its id. */
export async function openAccount(
  send: Send,
  params: {
    registry: Address;
    retail: Account;
    grid: Address;
    consumer: Address;
    meterId: bigint;
    consumerType: number;
    priceCategory: number;
    accountNumber: string;
    siteId: string;
    addressRef: string;
  },
): Promise<bigint> {
  const receipt = await send(params.retail, params.registry, registryAbi, "openAccount", [
    {
      consumer: params.consumer,
      meterId: params.meterId,
      consumerType: params.consumerType,
      priceCategory: params.priceCategory,
      active: true,
      retailCompany: params.retail.address,
      gridCompany: params.grid,
      accountNumber: text32(params.accountNumber),
      siteId: text32(params.siteId),
      addressRef: text32(params.addressRef),
    },
  ]);
  return parseEventLogs({ abi: registryAbi, logs: receipt.logs, eventName: "AccountOpened" })[0]!.args
    .accountId;
}

/** Creates a tariff group of the retail company; returns its id. */
export async function createTariffGroup(
  send: Send,
  params: { tariffs: Address; retail: Account; name: string; consumerType: number; priceCategory: number },
): Promise<bigint> {
  const receipt = await send(params.retail, params.tariffs, tariffsAbi, "createGroup", [
    text32(params.name),
    params.consumerType,
    params.priceCategory,
  ]);
  return parseEventLogs({ abi: tariffsAbi, logs: receipt.logs, eventName: "TariffGroupCreated" })[0]!.args
    .groupId;
}

/** Adds a zone-less plan (VAT 22 %, open-ended, no thresholds or export price) to a group; returns its id. */
export async function addTariffPlan(
  send: Send,
  params: {
    tariffs: Address;
    retail: Account;
    groupId: bigint;
    kind: number;
    validFrom: number;
    vatIncluded: boolean;
    rates: bigint[][];
  },
): Promise<bigint> {
  const receipt = await send(params.retail, params.tariffs, tariffsAbi, "addPlan", [
    params.groupId,
    {
      kind: params.kind,
      validFrom: params.validFrom,
      validTo: 0,
      vatBp: 2200,
      vatIncluded: params.vatIncluded,
      zoneHours: [],
      threshold1: 0n,
      threshold2: 0n,
      exportPrice: 0n,
      rates: params.rates,
    },
  ]);
  return parseEventLogs({ abi: tariffsAbi, logs: receipt.logs, eventName: "TariffPlanAdded" })[0]!.args
    .planId;
}

/** One interval reading: the first `registers.length` registers (T1, T2, …), status 0. */
export type ReadingPoint = { meterId: bigint; intervalEnd: number; registers: bigint[] };

/** Signs the readings as `device` and submits them from `relayer` (the Readings device path). */
export async function submitReadings(
  send: Send,
  params: {
    readings: Address;
    chainId: number;
    device: LocalAccount;
    relayer: Account;
    points: ReadingPoint[];
  },
): Promise<TransactionReceipt> {
  const batch = buildReadingBatch(
    params.points.map(({ meterId, intervalEnd, registers }) => ({
      meterId,
      registerMask: (1 << registers.length) - 1,
      intervalEnd,
      status: 0,
      registers,
    })),
  );
  const signature = await params.device.signTypedData(
    readingBatchTypedData({ chainId: params.chainId, verifyingContract: params.readings, batch }),
  );
  return send(params.relayer, params.readings, readingsAbi, "submitReadings", [batch.meters, signature]);
}

/** Registers a building of the retail company for common-house (ОДН) billing on its common meter; returns its id. */
export async function registerBuilding(
  send: Send,
  params: {
    commonHouse: Address;
    retail: Account;
    commonMeterId: bigint;
    totalAreaDm2: bigint;
    commonAreaDm2: bigint;
    normWhPerM2: number;
    capAtNorm: boolean;
    distributeNegative: boolean;
  },
): Promise<bigint> {
  const { commonHouse, retail, ...building } = params;
  const receipt = await send(retail, commonHouse, commonHouseBillingAbi, "registerBuilding", [
    { retailCompany: retail.address, ...building },
  ]);
  return parseEventLogs({
    abi: commonHouseBillingAbi,
    logs: receipt.logs,
    eventName: "BuildingRegistered",
  })[0]!.args.buildingId;
}
