import { type Address, encodeAbiParameters, type Hex } from "viem";
import { billingVolumesAbi, billingVolumesBytecode } from "../abi/BillingVolumes.js";
import { commonHouseBillingAbi, commonHouseBillingBytecode } from "../abi/CommonHouseBilling.js";
import { hourlyBillingAbi, hourlyBillingBytecode } from "../abi/HourlyBilling.js";
import { readingsAbi, readingsBytecode } from "../abi/Readings.js";
import { reconciliationAbi, reconciliationBytecode } from "../abi/Reconciliation.js";
import { registryAbi, registryBytecode } from "../abi/Registry.js";
import { settlementAbi, settlementBytecode } from "../abi/Settlement.js";
import { tariffsAbi, tariffsBytecode } from "../abi/Tariffs.js";

/** The contracts a GridLedger deployment consists of, each behind its own UUPS (ERC-1967) proxy. */
export const GRID_LEDGER_CONTRACTS = [
  "Registry",
  "Readings",
  "Tariffs",
  "BillingVolumes",
  "Settlement",
  "Reconciliation",
  "HourlyBilling",
  "CommonHouseBilling",
] as const;
export type GridLedgerContractName = (typeof GRID_LEDGER_CONTRACTS)[number];

/** ABI and creation bytecode of each deployable contract. */
export const gridLedgerArtifacts = {
  Registry: { abi: registryAbi, bytecode: registryBytecode },
  Readings: { abi: readingsAbi, bytecode: readingsBytecode },
  Tariffs: { abi: tariffsAbi, bytecode: tariffsBytecode },
  BillingVolumes: { abi: billingVolumesAbi, bytecode: billingVolumesBytecode },
  Settlement: { abi: settlementAbi, bytecode: settlementBytecode },
  Reconciliation: { abi: reconciliationAbi, bytecode: reconciliationBytecode },
  HourlyBilling: { abi: hourlyBillingAbi, bytecode: hourlyBillingBytecode },
  CommonHouseBilling: { abi: commonHouseBillingAbi, bytecode: commonHouseBillingBytecode },
} as const;

/**
 * Creation code of `name`'s implementation for a deployment whose proxies are `proxies`: Settlement's
 * constructor takes the Registry, Readings, Tariffs and BillingVolumes proxies, BillingVolumes' the
 * Registry and Readings proxies, CommonHouseBilling's the Registry, Readings, Tariffs and BillingVolumes proxies (immutables, fewer storage reads per invoice and payment); the others
 * take no arguments.
 */
export function implementationCreationCode(
  name: GridLedgerContractName,
  proxies: Partial<Record<string, Address>>,
): Hex {
  const { bytecode } = gridLedgerArtifacts[name];
  const needs: Partial<Record<GridLedgerContractName, string[]>> = {
    Settlement: ["Registry", "Readings", "Tariffs", "BillingVolumes"],
    BillingVolumes: ["Registry", "Readings"],
    CommonHouseBilling: ["Registry", "Readings", "Tariffs", "BillingVolumes"],
  };
  const names = needs[name];
  if (!names) return bytecode;
  const addresses = names.map((proxy) => proxies[proxy]);
  if (addresses.some((address) => !address)) {
    throw new Error(`${name}'s implementation needs the ${names.join(", ")} proxies first`);
  }
  const args = encodeAbiParameters(
    names.map(() => ({ type: "address" })),
    addresses as Address[],
  );
  return `${bytecode}${args.slice(2)}` as Hex;
}
