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
  "Settlement",
  "Reconciliation",
] as const;
export type GridLedgerContractName = (typeof GRID_LEDGER_CONTRACTS)[number];

/** ABI and creation bytecode of each deployable contract. */
export const gridLedgerArtifacts = {
  Registry: { abi: registryAbi, bytecode: registryBytecode },
  Readings: { abi: readingsAbi, bytecode: readingsBytecode },
  Tariffs: { abi: tariffsAbi, bytecode: tariffsBytecode },
  Settlement: { abi: settlementAbi, bytecode: settlementBytecode },
  Reconciliation: { abi: reconciliationAbi, bytecode: reconciliationBytecode },
} as const;
