import { type GridLedgerDeployment, gridLedgerArtifacts } from "@gridledger/contracts";
import type { EntityManager } from "@mikro-orm/core";
import {
  type Abi,
  type AbiFunction,
  type Address,
  decodeFunctionData,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  toHex,
} from "viem";
import { ChainEvent, IndexerCheckpoint } from "../../db/entities/index.js";
import { createLogDecoder } from "../../indexer/indexing/decodeLogs.js";
import { jsonArgs } from "../../indexer/indexing/values.js";
import { NonRetryableError, RetryableError } from "../../internal/errors.js";
import { type TransactionDetails, TransactionStatus } from "./transaction.type.js";

export type ReadTransactionDetailsParameters = {
  publicClient: PublicClient;
  contracts: Readonly<Record<string, Address>>;
  /** The index; without it nothing can be verified (`verified` false). */
  em: EntityManager | undefined;
  hash: Hex;
};

/** What a transaction touches, for deciding who may see it. */
export type TouchedByTransaction = { addresses: Set<string>; accountIds: Set<bigint>; meterIds: Set<bigint> };

export type ReadTransactionDetailsReturnType = TransactionDetails & { touched: TouchedByTransaction };

/**
 * Reads a transaction from the chain (transaction, receipt, block), decodes its call and logs with
 * the GridLedger ABIs, and checks the index against it: the receipt's block must be the canonical one
 * and on the indexed chain (the checkpoint's block hash still holds, and the indexer verified every
 * parent hash on the way), the indexed rows must name that block and time, and every log must be in
 * the journal (`chain_events`, which holds one row per log of every chain-derived row) with equal
 * arguments — and no indexed row may exist for a log the chain does not have.
 *
 * @throws NonRetryableError NOT_FOUND when the node knows no such transaction
 */
export async function readTransactionDetails(
  parameters: ReadTransactionDetailsParameters,
): Promise<ReadTransactionDetailsReturnType> {
  const { publicClient, em } = parameters;
  const hash = parameters.hash.toLowerCase() as Hex;
  const contracts = Object.fromEntries(
    Object.entries(parameters.contracts).filter(([name]) => name in gridLedgerArtifacts),
  ) as Record<string, Address>;
  const nameOf = new Map(Object.entries(contracts).map(([name, address]) => [address.toLowerCase(), name]));

  let receipt: TransactionReceipt | undefined;
  let transaction: Awaited<ReturnType<PublicClient["getTransaction"]>> | undefined;
  try {
    [transaction, receipt] = await Promise.all([
      publicClient.getTransaction({ hash }).catch(notFoundAsUndefined),
      publicClient.getTransactionReceipt({ hash }).catch(notFoundAsUndefined),
    ]);
  } catch (cause) {
    throw new RetryableError("The chain RPC did not answer", { code: "CHAIN_UNAVAILABLE", cause });
  }
  if (!transaction || !receipt) {
    throw new NonRetryableError("The chain has no mined transaction with this hash", { code: "NOT_FOUND" });
  }
  const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
  const touched: TouchedByTransaction = { addresses: new Set(), accountIds: new Set(), meterIds: new Set() };
  touched.addresses.add(receipt.from.toLowerCase());

  // ---------------------------------------------------------------- the call
  const called = transaction.to ? nameOf.get(transaction.to.toLowerCase()) : undefined;
  let functionName: string | null = null;
  let callArgs: Record<string, unknown> = {};
  if (called) {
    const abi = gridLedgerArtifacts[called as keyof typeof gridLedgerArtifacts].abi as Abi;
    try {
      const decoded = decodeFunctionData({ abi, data: transaction.input });
      functionName = decoded.functionName;
      const item = abi.find(
        (entry): entry is AbiFunction => entry.type === "function" && entry.name === decoded.functionName,
      );
      callArgs = Object.fromEntries(
        (decoded.args ?? []).map((value, index) => [item?.inputs[index]?.name || `arg${index}`, value]),
      );
    } catch {
      // input that matches no function: shown undecoded
    }
  }
  collectTouched(callArgs, touched);

  // ---------------------------------------------------------------- the logs, against the index
  const decoder = createLogDecoder({ contracts } as unknown as GridLedgerDeployment);
  const rows = em ? await em.find(ChainEvent, { txHash: hash }) : [];
  const rowAt = new Map(rows.map((row) => [Number(row.logIndex), row]));
  const problems: string[] = [];
  const blockTime = Number(block.timestamp);
  const events = receipt.logs.map((log) => {
    const contract = nameOf.get(log.address.toLowerCase()) ?? null;
    let eventName: string | null = null;
    let args: Record<string, unknown> = {};
    if (contract) {
      try {
        const decoded = decoder.decode({
          address: log.address,
          topics: log.topics as Hex[],
          data: log.data,
          blockNumber: toHex(log.blockNumber),
          blockHash: log.blockHash,
          transactionHash: log.transactionHash,
          logIndex: toHex(log.logIndex),
        });
        eventName = decoded.eventName;
        args = decoded.args;
      } catch {
        // an event of a newer ABI: shown undecoded
      }
    }
    collectTouched(args, touched);
    const logIndex = Number(log.logIndex);
    const journal = journalArgs(eventName, args);
    let indexed = false;
    if (contract) {
      const row = rowAt.get(logIndex);
      rowAt.delete(logIndex);
      if (!row) problems.push(`log ${logIndex} (${contract}.${eventName ?? "?"}) is not in the index`);
      else if (Number(row.blockNumber) !== Number(receipt!.blockNumber)) {
        problems.push(
          `log ${logIndex} is indexed at block ${row.blockNumber}, the chain has it at ${receipt!.blockNumber}`,
        );
      } else if (Number(row.blockTime) !== blockTime) {
        problems.push(
          `log ${logIndex} is indexed with block time ${row.blockTime}, the chain says ${blockTime}`,
        );
      } else if (
        row.event !== eventName ||
        row.contract !== contract ||
        canonical(row.args) !== canonical(journal)
      ) {
        problems.push(
          `log ${logIndex}: the indexed ${row.contract}.${row.event} differs from the chain's ${contract}.${eventName}`,
        );
      } else indexed = true;
    }
    return {
      logIndex,
      address: log.address.toLowerCase(),
      contract,
      eventName,
      argsJson: JSON.stringify(jsonArgs(args)),
      indexed,
    };
  });
  for (const row of rowAt.values()) {
    problems.push(
      `the index holds log ${row.logIndex} (${row.contract}.${row.event}) that the chain does not have`,
    );
  }

  // ---------------------------------------------------------------- the block, against the checkpoint
  let blockMatches = block.hash === receipt.blockHash;
  if (!blockMatches) problems.push("the receipt's block is not the canonical block at its height");
  if (em) {
    const checkpoints = await em.find(IndexerCheckpoint, {});
    const checkpoint = checkpoints.find((row) => Number(row.blockNumber) >= Number(receipt!.blockNumber));
    if (!checkpoint) {
      blockMatches = false;
      problems.push(`the index has not reached block ${receipt.blockNumber} yet`);
    } else {
      const head = await publicClient
        .getBlock({ blockNumber: BigInt(checkpoint.blockNumber) })
        .catch(() => undefined);
      if (head?.hash !== checkpoint.blockHash) {
        blockMatches = false;
        problems.push(
          `the indexed block ${checkpoint.blockNumber} is no longer on the chain (reorg or reset)`,
        );
      }
    }
  } else {
    blockMatches = false;
    problems.push("this gateway has no index to verify against");
  }
  const logsMatch =
    em !== undefined && events.every((event) => event.indexed || event.contract === null) && rowAt.size === 0;

  return {
    hash,
    blockNumber: receipt.blockNumber.toString(),
    blockHash: receipt.blockHash,
    blockTime,
    blockTimeIso: new Date(blockTime * 1000).toISOString(),
    from: receipt.from.toLowerCase(),
    to: receipt.to?.toLowerCase() ?? null,
    status: receipt.status === "success" ? TransactionStatus.SUCCESS : TransactionStatus.REVERTED,
    gasUsed: receipt.gasUsed.toString(),
    call: { contract: called ?? null, functionName, argsJson: JSON.stringify(jsonArgs(callArgs)) },
    events,
    verified: blockMatches && logsMatch,
    verification: { receiptFound: true, blockMatches, logsMatch, problems },
    touched,
  };
}

function notFoundAsUndefined(error: unknown): undefined {
  const name = (error as { name?: string })?.name ?? "";
  if (name.includes("NotFound")) return undefined;
  throw error;
}

/** The arguments as the indexer journals them (`handleLog`): packed records summarised by length. */
function journalArgs(eventName: string | null, args: Record<string, unknown>): unknown {
  const shown =
    eventName === "MeterReadingsRecorded" && typeof args.records === "string"
      ? { ...args, records: `${(args.records.length - 2) / 2} bytes` }
      : args;
  return jsonArgs(shown);
}

/** JSON with sorted keys, so a database that reorders JSON keys (MySQL) still compares equal. */
function canonical(value: unknown): string {
  const sort = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(sort);
    if (item !== null && typeof item === "object") {
      return Object.fromEntries(
        Object.keys(item)
          .sort()
          .map((key) => [key, sort((item as Record<string, unknown>)[key])]),
      );
    }
    return item;
  };
  return JSON.stringify(sort(value));
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Addresses and account/meter/invoice ids anywhere in decoded arguments. */
function collectTouched(args: Record<string, unknown>, touched: TouchedByTransaction): void {
  const visit = (key: string, value: unknown) => {
    if (typeof value === "string" && ADDRESS.test(value)) touched.addresses.add(value.toLowerCase());
    else if (typeof value === "bigint" || typeof value === "number") {
      const id = BigInt(value);
      if (/^accountIds?$/.test(key)) touched.accountIds.add(id);
      else if (/^meterIds?$/.test(key)) touched.meterIds.add(id);
      else if (/^invoiceIds?$/.test(key)) touched.accountIds.add(id >> 32n);
    } else if (Array.isArray(value)) for (const item of value) visit(key, item);
    else if (value !== null && typeof value === "object") {
      for (const [inner, item] of Object.entries(value)) visit(inner, item);
    }
  };
  for (const [key, value] of Object.entries(args)) visit(key, value);
}
