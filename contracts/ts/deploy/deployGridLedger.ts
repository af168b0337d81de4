import fs from "node:fs/promises";
import path from "node:path";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeDeployData,
  encodeFunctionData,
  getContractAddress,
  type Hex,
  http,
  isAddress,
} from "viem";
import { gridLedgerProxyAbi, gridLedgerProxyBytecode } from "../../abi/GridLedgerProxy.js";
import {
  GRID_LEDGER_CONTRACTS,
  type GridLedgerContractName,
  gridLedgerArtifacts,
  implementationCreationCode,
} from "../contracts.js";
import { GRID_LEDGER_ROLES, OrganisationKind } from "../roles.js";

/** Who gets which role at deployment (docs/contracts.md, "Roles"). */
export type GridLedgerRoles = {
  operator: Address;
  gridCompany: Address;
  retailCompanies: Address[];
  paymentSources: Address[];
  /** Keys allowed to record meter state events (tamper, firmware, clock drift); the grid company always is. */
  meterReporters?: Address[];
};

export type DeployGridLedgerOptions = {
  rpcUrl: string;
  /** Sends every deployment transaction; keeps no role afterwards unless it is also the operator. */
  deployer: Account;
  roles: GridLedgerRoles;
  /**
   * `true`: send legacy transactions with `gasPrice: 0n` (the Besu network: zero base fee, min gas
   * price 0). `false`: the chain's and viem's fee defaults (a stock anvil). Default: detected, zero
   * when the latest block's base fee is 0 (see {@link feeOverrides}).
   */
  zeroGasPrice?: boolean;
};

/** What the gateway and portal read. JSON-serialisable. */
export type GridLedgerDeployment = {
  chainId: number;
  /** Block of the first deployment transaction, decimal: where an indexer starts. */
  deployedAtBlock: string;
  deployer: Address;
  /** Proxies under their contract name (`Registry`, ...), implementations as `<Name>Implementation`. */
  contracts: Record<string, Address>;
};

// An implementation near the 24,576-byte limit costs about 200 gas per byte of code plus its
// calldata: Settlement needs more than 7 M. A consortium block holds 100 M (GENESIS_BLOCK_GAS_LIMIT).
const DEPLOY_GAS = 12_000_000n;
const PROXY_GAS = 1_000_000n;
const CALL_GAS = 300_000n;

type PlannedTx = { to?: Address; data: Hex; gas: bigint };

/**
 * Deploys every GridLedger contract behind a UUPS proxy, grants the initial roles, registers the
 * organisations in the Registry and hands the admin roles to the operator. All transactions are
 * sent at once with consecutive nonces (addresses are predicted), then awaited.
 */
export async function deployGridLedger(options: DeployGridLedgerOptions): Promise<GridLedgerDeployment> {
  const { rpcUrl, deployer, roles } = options;
  const transport = http(rpcUrl, { timeout: 60_000 });
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const chain = devChain(chainId, rpcUrl);
  const publicClient = createPublicClient({ chain, transport });
  const walletClient = createWalletClient({ account: deployer, chain, transport });
  const firstNonce = await publicClient.getTransactionCount({
    address: deployer.address,
    blockTag: "pending",
  });

  const planned: PlannedTx[] = [];
  const contracts: Record<string, Address> = {};
  const nextAddress = () =>
    getContractAddress({ from: deployer.address, nonce: BigInt(firstNonce + planned.length) });

  const initData: Record<GridLedgerContractName, (a: Record<string, Address>) => Hex> = {
    Registry: () => encode(gridLedgerArtifacts.Registry.abi, "initialize", [deployer.address]),
    Readings: (a) => encode(gridLedgerArtifacts.Readings.abi, "initialize", [deployer.address, a.Registry]),
    Tariffs: (a) =>
      encode(gridLedgerArtifacts.Tariffs.abi, "initialize", [deployer.address, a.Registry, a.Readings]),
    BillingVolumes: () => encode(gridLedgerArtifacts.BillingVolumes.abi, "initialize", [deployer.address]),
    CommonHouseBilling: () =>
      encode(gridLedgerArtifacts.CommonHouseBilling.abi, "initialize", [deployer.address]),
    Settlement: (a) =>
      encode(gridLedgerArtifacts.Settlement.abi, "initialize", [
        deployer.address,
        a.Registry,
        a.Readings,
        a.Tariffs,
      ]),
    Reconciliation: () => encode(gridLedgerArtifacts.Reconciliation.abi, "initialize", [deployer.address]),
    HourlyBilling: (a) =>
      encode(gridLedgerArtifacts.HourlyBilling.abi, "initialize", [
        deployer.address,
        a.Registry,
        a.Readings,
        a.Tariffs,
        a.Settlement,
      ]),
  };
  for (const name of GRID_LEDGER_CONTRACTS) {
    const implementation = nextAddress();
    planned.push({ data: implementationCreationCode(name, contracts), gas: DEPLOY_GAS });
    contracts[`${name}Implementation`] = implementation;
    const proxy = nextAddress();
    planned.push({
      data: encodeDeployData({
        abi: gridLedgerProxyAbi,
        bytecode: gridLedgerProxyBytecode,
        args: [implementation, initData[name](contracts)],
      }),
      gas: PROXY_GAS,
    });
    contracts[name] = proxy;
  }

  const call = (name: GridLedgerContractName, functionName: string, args: readonly unknown[]) =>
    planned.push({
      to: contracts[name],
      data: encode(gridLedgerArtifacts[name].abi, functionName, args),
      gas: CALL_GAS,
    });
  const grant = (name: GridLedgerContractName, role: keyof typeof GRID_LEDGER_ROLES, account: Address) =>
    call(name, "grantRole", [GRID_LEDGER_ROLES[role], account]);

  const admins = ["DEFAULT_ADMIN_ROLE", "OPERATOR_ROLE", "UPGRADER_ROLE"] as const;
  const differentOperator = roles.operator.toLowerCase() !== deployer.address.toLowerCase();
  for (const name of GRID_LEDGER_CONTRACTS) {
    if (differentOperator) for (const role of admins) grant(name, role, roles.operator);
  }
  grant("Registry", "GRID_COMPANY_ROLE", roles.gridCompany);
  grant("Readings", "GRID_COMPANY_ROLE", roles.gridCompany);
  grant("Reconciliation", "GRID_COMPANY_ROLE", roles.gridCompany);
  for (const reporter of unique([roles.gridCompany, ...(roles.meterReporters ?? [])])) {
    grant("Registry", "METER_REPORTER_ROLE", reporter);
  }
  // the ПЦК 3/4 module records the invoices it computes in Settlement; the grid company attests the
  // hourly volumes it bills
  grant("Settlement", "BILLING_MODULE_ROLE", contracts.HourlyBilling!);
  grant("HourlyBilling", "GRID_COMPANY_ROLE", roles.gridCompany);
  for (const retail of unique(roles.retailCompanies)) {
    for (const name of ["Registry", "Tariffs", "Settlement", "Reconciliation", "HourlyBilling"] as const) {
      grant(name, "RETAIL_COMPANY_ROLE", retail);
    }
  }
  for (const source of unique(roles.paymentSources)) grant("Settlement", "PAYMENT_SOURCE_ROLE", source);

  // BillingVolumes: Settlement records substitution state; retail companies set account profiles and
  // reasons, the grid company reasons (tampering); the regulated defaults of billing-rules §3.
  grant("BillingVolumes", "SETTLEMENT_ROLE", contracts.Settlement!);
  grant("Registry", "VOLUMES_MODULE_ROLE", contracts.BillingVolumes!);
  grant("BillingVolumes", "GRID_COMPANY_ROLE", roles.gridCompany);
  for (const retail of unique(roles.retailCompanies)) grant("BillingVolumes", "RETAIL_COMPANY_ROLE", retail);
  call("BillingVolumes", "setSubstituteRules", [DEFAULT_SUBSTITUTE_RULES]);
  // CommonHouseBilling: retail companies register buildings and bill ОДН; it records invoices in Settlement
  grant("Settlement", "BILLING_MODULE_ROLE", contracts.CommonHouseBilling!);
  for (const retail of unique(roles.retailCompanies))
    grant("CommonHouseBilling", "RETAIL_COMPANY_ROLE", retail);
  call("CommonHouseBilling", "setSettlement", [contracts.Settlement!]);

  const registered = new Set<string>();
  const register = (organisation: Address, kind: number) => {
    if (registered.has(organisation.toLowerCase())) return;
    registered.add(organisation.toLowerCase());
    call("Registry", "registerOrganisation", [organisation, kind, zeroHash, zeroHash]);
  };
  register(roles.gridCompany, OrganisationKind.GridCompany);
  for (const retail of roles.retailCompanies) register(retail, OrganisationKind.RetailCompany);
  for (const source of roles.paymentSources) register(source, OrganisationKind.PaymentSource);
  register(roles.operator, OrganisationKind.Operator);

  if (differentOperator) {
    for (const name of GRID_LEDGER_CONTRACTS) {
      for (const role of [...admins].reverse())
        call(name, "renounceRole", [GRID_LEDGER_ROLES[role], deployer.address]);
    }
  }

  const fees = await feeOverrides(publicClient, options.zeroGasPrice);
  const hashes: Hex[] = [];
  for (const [index, tx] of planned.entries()) {
    const nonce = firstNonce + index;
    const hash = tx.to
      ? await walletClient.sendTransaction({ to: tx.to, data: tx.data, gas: tx.gas, nonce, chain, ...fees })
      : await walletClient.sendTransaction({ data: tx.data, gas: tx.gas, nonce, chain, ...fees });
    hashes.push(hash);
  }
  const receipts = await Promise.all(
    hashes.map((hash) =>
      publicClient.waitForTransactionReceipt({ hash, timeout: 120_000, pollingInterval: 250 }),
    ),
  );
  const failed = receipts.findIndex((receipt) => receipt.status !== "success");
  if (failed >= 0) {
    throw new Error(
      `GridLedger deployment transaction ${failed} (${receipts[failed]!.transactionHash}) reverted`,
    );
  }
  return {
    chainId,
    deployedAtBlock: receipts[0]!.blockNumber.toString(),
    deployer: deployer.address,
    contracts,
  };
}

export type LoadOrDeployGridLedgerOptions = DeployGridLedgerOptions & { deploymentsFile: string };

/**
 * Reuses the deployments file when its chain id matches and every recorded address has code;
 * otherwise deploys ({@link deployGridLedger}) and writes the file.
 */
export async function loadOrDeployGridLedger(
  options: LoadOrDeployGridLedgerOptions,
): Promise<{ deployment: GridLedgerDeployment; deployed: boolean }> {
  const existing = await readDeploymentsFile(options.deploymentsFile);
  if (existing && (await isDeploymentLive(options.rpcUrl, existing))) {
    return { deployment: existing, deployed: false };
  }
  const deployment = await deployGridLedger(options);
  await writeDeploymentsFile(options.deploymentsFile, deployment);
  return { deployment, deployed: true };
}

/** Whether `deployment` belongs to the chain at `rpcUrl` and all its contracts have code there. */
export async function isDeploymentLive(rpcUrl: string, deployment: GridLedgerDeployment): Promise<boolean> {
  const client = createPublicClient({ transport: http(rpcUrl, { timeout: 30_000 }) });
  if ((await client.getChainId()) !== deployment.chainId) return false;
  const addresses = Object.values(deployment.contracts);
  if (GRID_LEDGER_CONTRACTS.some((name) => !deployment.contracts[name])) return false;
  const codes = await Promise.all(addresses.map((address) => client.getCode({ address })));
  return codes.every((code) => code !== undefined && code !== "0x");
}

/** Reads and validates a deployments file; undefined when absent or malformed. */
export async function readDeploymentsFile(file: string): Promise<GridLedgerDeployment | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<GridLedgerDeployment>;
    if (
      typeof value.chainId !== "number" ||
      typeof value.deployedAtBlock !== "string" ||
      typeof value.deployer !== "string" ||
      !isAddress(value.deployer) ||
      typeof value.contracts !== "object" ||
      value.contracts === null ||
      !Object.values(value.contracts).every((address) => typeof address === "string" && isAddress(address))
    ) {
      return undefined;
    }
    return value as GridLedgerDeployment;
  } catch {
    return undefined;
  }
}

export async function writeDeploymentsFile(file: string, deployment: GridLedgerDeployment): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(deployment, null, 2)}\n`);
  await fs.rename(temporary, file);
}

/**
 * Fee fields for transactions: `{ gasPrice: 0n }` on a zero-fee network (Besu with min gas price 0, or
 * an anvil started with `--base-fee 0 --gas-price 0`), nothing (viem's defaults) otherwise.
 * `zeroGasPrice` forces either choice; undefined detects it from the latest block's base fee.
 */
export async function feeOverrides(
  client: { getBlock: () => Promise<{ baseFeePerGas: bigint | null }> },
  zeroGasPrice?: boolean,
): Promise<{ gasPrice?: bigint }> {
  const zero = zeroGasPrice ?? ((await client.getBlock()).baseFeePerGas ?? 0n) === 0n;
  return zero ? { gasPrice: 0n } : {};
}

const zeroHash = `0x${"00".repeat(32)}` as Hex;

/**
 * BillingVolumes' substitute parameters at deployment (billing-rules §3, docs/billing.md): average of 6
 * periods, at least 3, for at most 6 in a row; refused access × 3/2; tampering × 10/1 for 3 periods;
 * legal entities 2 periods of substitute data; 12 periods a year. The operator changes them with
 * `setSubstituteRules`.
 */
export const DEFAULT_SUBSTITUTE_RULES = {
  averagingWindow: 6,
  minimumHistory: 3,
  maxAveragePeriods: 6,
  refusedAccessNumerator: 3,
  refusedAccessDenominator: 2,
  tamperingNumerator: 10,
  tamperingDenominator: 1,
  tamperingMaxMonths: 3,
  legalEntitySubstitutePeriods: 2,
  periodsPerYear: 12,
} as const;

function encode(abi: Abi, functionName: string, args: readonly unknown[]): Hex {
  return encodeFunctionData({ abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);
}

function unique(addresses: readonly Address[]): Address[] {
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A viem chain for whatever network `rpcUrl` serves (anvil, Besu). */
export function devChain(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: `gridledger-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}
