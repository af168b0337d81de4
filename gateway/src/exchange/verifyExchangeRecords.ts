import { readingsAbi, settlementAbi } from "@gridledger/contracts";
import { decodeMeterRecords, encodeMeterRecords, readingBatchTypedData } from "@gridledger/domain";
import {
  type Abi,
  createPublicClient,
  decodeEventLog,
  decodeFunctionData,
  type Hex,
  hashTypedData,
  http,
  keccak256,
  type PublicClient,
  recoverTypedDataAddress,
  type Transaction,
  type TransactionReceipt,
} from "viem";
import {
  type ChainRef,
  type ExchangeRecord,
  type InvoiceRecord,
  REGISTER_NAMES,
  type ReadingRecord,
} from "./exchangeFormat.js";

export type VerifyExchangeRecordsParameters = {
  /** Any RPC node of the network; or a client (tests). */
  rpcUrl?: string | undefined;
  client?: PublicClient | undefined;
  /** Records as read from the file; an entry may carry a parse error instead (then it fails). */
  entries: readonly { label: string; record?: ExchangeRecord | undefined; error?: string | undefined }[];
  /** Parallel RPC requests. Default: 8. */
  concurrency?: number | undefined;
};

export type RecordVerdict = { label: string; ok: boolean; reasons: string[] };
export type VerifyExchangeRecordsReturnType = { verified: number; failed: number; verdicts: RecordVerdict[] };

/**
 * Checks every record of an exchange file against a node of the network: the node's chain id, the
 * transaction's receipt (success, block number and block hash), the log at the record's log index
 * (emitting contract, event, every value), and for readings the device signature: the transaction's
 * calldata is decoded, the EIP-712 digest recomputed and the signer recovered, and the record's bytes
 * must be a record of the signed batch. Nothing of the gateway is trusted; only the RPC node.
 */
export async function verifyExchangeRecords(
  parameters: VerifyExchangeRecordsParameters,
): Promise<VerifyExchangeRecordsReturnType> {
  const client =
    parameters.client ??
    createPublicClient({ transport: http(parameters.rpcUrl, { timeout: 30_000, retryCount: 3 }) });
  const chainId = await client.getChainId();
  const receipts = new Map<string, Promise<TransactionReceipt | undefined>>();
  const transactions = new Map<string, Promise<Transaction | undefined>>();
  const receipt = (hash: string) => {
    let found = receipts.get(hash);
    if (!found) {
      found = client.getTransactionReceipt({ hash: hash as Hex }).catch(notFound);
      receipts.set(hash, found);
    }
    return found;
  };
  const transaction = (hash: string) => {
    let found = transactions.get(hash);
    if (!found) {
      found = client.getTransaction({ hash: hash as Hex }).catch(notFound);
      transactions.set(hash, found);
    }
    return found;
  };

  const verdicts: RecordVerdict[] = new Array(parameters.entries.length);
  let next = 0;
  const worker = async () => {
    while (next < parameters.entries.length) {
      const index = next++;
      const entry = parameters.entries[index]!;
      const reasons: string[] = [];
      if (!entry.record) reasons.push(`malformed record: ${entry.error ?? "unreadable"}`);
      else {
        try {
          if (entry.record.type === "reading")
            await checkReading(entry.record, { chainId, receipt, transaction }, reasons);
          else await checkInvoice(entry.record, { chainId, receipt, transaction }, reasons);
        } catch (error) {
          reasons.push(`the RPC node failed: ${(error as Error).message.split("\n")[0]}`);
        }
      }
      verdicts[index] = { label: entry.label, ok: reasons.length === 0, reasons };
    }
  };
  await Promise.all(Array.from({ length: parameters.concurrency ?? 8 }, worker));
  const verified = verdicts.filter((verdict) => verdict.ok).length;
  return { verified, failed: verdicts.length - verified, verdicts };
}

type Lookups = {
  chainId: number;
  receipt: (hash: string) => Promise<TransactionReceipt | undefined>;
  transaction: (hash: string) => Promise<Transaction | undefined>;
};

function notFound(error: unknown): undefined {
  const name = (error as { name?: string }).name ?? "";
  if (/NotFound/.test(name)) return undefined;
  throw error;
}

/** The log a reference points at, decoded, after the checks every record shares; undefined on failure. */
async function findEvent(
  ref: ChainRef,
  abi: Abi,
  eventName: string,
  lookups: Lookups,
  reasons: string[],
): Promise<{ args: Record<string, unknown>; receipt: TransactionReceipt } | undefined> {
  const before = reasons.length;
  if (ref.chainId !== lookups.chainId) {
    reasons.push(`the record is for chain ${ref.chainId}, the RPC node serves chain ${lookups.chainId}`);
    return undefined;
  }
  const receipt = await lookups.receipt(ref.txHash);
  if (!receipt) {
    reasons.push(`transaction ${ref.txHash} is not on this chain`);
    return undefined;
  }
  if (receipt.status !== "success") reasons.push(`transaction ${ref.txHash} reverted`);
  if (Number(receipt.blockNumber) !== ref.blockNumber)
    reasons.push(`the transaction is in block ${receipt.blockNumber}, the record says ${ref.blockNumber}`);
  if (receipt.blockHash.toLowerCase() !== ref.blockHash)
    reasons.push(`block hash on chain is ${receipt.blockHash}, the record says ${ref.blockHash}`);
  const log = receipt.logs.find((candidate) => candidate.logIndex === ref.logIndex);
  if (!log) {
    reasons.push(`the transaction has no log with index ${ref.logIndex}`);
    return undefined;
  }
  if (log.address.toLowerCase() !== ref.contract) {
    reasons.push(`log ${ref.logIndex} was emitted by ${log.address}, not ${ref.contract}`);
    return undefined;
  }
  try {
    const decoded = decodeEventLog({ abi, topics: log.topics, data: log.data, strict: true });
    if (decoded.eventName !== eventName) {
      reasons.push(`log ${ref.logIndex} is ${decoded.eventName}, not ${eventName}`);
      return undefined;
    }
    return reasons.length > before
      ? undefined
      : { args: decoded.args as unknown as Record<string, unknown>, receipt };
  } catch {
    reasons.push(`log ${ref.logIndex} is not a ${eventName} event`);
    return undefined;
  }
}

function compare(reasons: string[], what: string, onChain: unknown, inFile: unknown) {
  if (String(onChain) !== String(inFile))
    reasons.push(`${what} is ${onChain} on chain, ${inFile} in the file`);
}

async function checkReading(record: ReadingRecord, lookups: Lookups, reasons: string[]) {
  const found = await findEvent(record.chain, readingsAbi as Abi, "MeterReadingsRecorded", lookups, reasons);
  if (!found) return;
  const { args } = found;
  compare(reasons, "meterId", args.meterId, record.meterId);
  compare(reasons, "registerMask", args.registerMask, record.registerMask);
  compare(reasons, "source", args.source, record.source);
  if (reasons.length > 0) return;
  const emitted = decodeMeterRecords(record.registerMask, args.records as Hex);
  const onChain = emitted.find((candidate) => candidate.intervalEnd === record.intervalEnd);
  if (!onChain) {
    reasons.push(`the event has no record for interval end ${record.intervalEnd}`);
    return;
  }
  compare(reasons, "status", onChain.status, record.status);
  let at = 0;
  REGISTER_NAMES.forEach((name, bit) => {
    const inFile = record.registers[name];
    if (!(record.registerMask & (1 << bit))) {
      if (inFile !== undefined) reasons.push(`register ${name} is not in the mask`);
      return;
    }
    compare(reasons, `register ${name}`, onChain.registers[at++], inFile ?? "(missing)");
  });
  // recordHex must be the packing of exactly these values, so the signature check below covers them
  let packed: Hex | undefined;
  try {
    packed = encodeMeterRecords(record.registerMask, [onChain]);
  } catch {
    packed = undefined;
  }
  if (packed !== record.signed.recordHex) {
    reasons.push("recordHex is not the packed record of these values");
    return;
  }

  const summary = found.receipt.logs
    .filter((log) => log.address.toLowerCase() === record.chain.contract)
    .map((log) => {
      try {
        return decodeEventLog({ abi: readingsAbi as Abi, topics: log.topics, data: log.data, strict: true });
      } catch {
        return undefined;
      }
    })
    .find((decoded) => decoded?.eventName === "ReadingBatchRecorded");
  if (!summary) {
    reasons.push("the transaction has no ReadingBatchRecorded event");
    return;
  }
  const batchArgs = summary.args as unknown as Record<string, unknown>;
  compare(reasons, "signer", String(batchArgs.signer).toLowerCase(), record.signed.signer);
  compare(reasons, "batchDigest", batchArgs.digest, record.signed.batchDigest);
  if (reasons.length > 0) return;

  const transaction = await lookups.transaction(record.chain.txHash);
  if (!transaction) {
    reasons.push("the transaction's calldata is not available");
    return;
  }
  let call: { functionName: string; args: readonly unknown[] };
  try {
    call = decodeFunctionData({ abi: readingsAbi as Abi, data: transaction.input }) as typeof call;
  } catch {
    reasons.push("the transaction's calldata is not a Readings call: the signature cannot be re-checked");
    return;
  }
  let signedRecords: Hex[] = [];
  if (call.functionName === "submitReadings") {
    const [meters, signature] = call.args as [{ meterId: bigint; registerMask: number; records: Hex }[], Hex];
    const typedData = readingBatchTypedData({
      chainId: lookups.chainId,
      verifyingContract: record.chain.contract as Hex,
      batch: { meters },
    });
    if (hashTypedData(typedData) !== record.signed.batchDigest)
      reasons.push("the EIP-712 digest of the signed batch differs from batchDigest");
    const signer = await recoverTypedDataAddress({ ...typedData, signature }).catch(() => undefined);
    if (signer?.toLowerCase() !== record.signed.signer)
      reasons.push(`the batch signature recovers to ${signer ?? "no key"}, not ${record.signed.signer}`);
    signedRecords = meters
      .filter(
        (entry) => String(entry.meterId) === record.meterId && entry.registerMask === record.registerMask,
      )
      .map((entry) => entry.records);
  } else if (call.functionName === "submitManualReadings") {
    const [meterId, registerMask, records] = call.args as [bigint, number, Hex];
    if (transaction.from.toLowerCase() !== record.signed.signer)
      reasons.push(`the manual entry was sent by ${transaction.from}, not ${record.signed.signer}`);
    if (keccak256(records) !== record.signed.batchDigest)
      reasons.push("keccak256 of the entered records differs from batchDigest");
    if (String(meterId) === record.meterId && registerMask === record.registerMask) signedRecords = [records];
  } else {
    reasons.push(`the transaction calls ${call.functionName}, not a readings submission`);
    return;
  }
  // either layout of the signed entry (fixed or compact) decodes to the records the device signed
  const signedIt = signedRecords.some((records) => {
    try {
      return decodeMeterRecords(record.registerMask, records).some(
        (candidate) => encodeMeterRecords(record.registerMask, [candidate]) === record.signed.recordHex,
      );
    } catch {
      return false;
    }
  });
  if (!signedIt) reasons.push("the record is not among the records of the signed batch");
}

async function checkInvoice(record: InvoiceRecord, lookups: Lookups, reasons: string[]) {
  const found = await findEvent(record.chain, settlementAbi as Abi, "InvoiceComputed", lookups, reasons);
  if (found) {
    const args = found.args;
    compare(reasons, "invoiceId", args.invoiceId, record.invoiceId);
    compare(reasons, "accountId", args.accountId, record.accountId);
    compare(reasons, "periodId", args.periodId, record.periodId);
    compare(reasons, "planId", args.planId, record.planId);
    compare(reasons, "total", args.total, record.total);
    const components = args.components as readonly bigint[];
    compare(reasons, "energy", components[0], record.components.energy);
    compare(reasons, "transmission", components[1], record.components.transmission);
    compare(reasons, "retailMarkup", components[2], record.components.retailMarkup);
    compare(reasons, "infrastructure", components[3], record.components.infrastructure);
    compare(reasons, "vat", args.vat, record.vat);
    compare(reasons, "exportCredit", args.exportCredit, record.exportCredit);
    compare(
      reasons,
      "volumesWh",
      (args.volumesWh as readonly bigint[]).join(";"),
      record.volumesWh.join(";"),
    );
  }
  if (record.issued) {
    const issued = await findEvent(
      record.issued.chain,
      settlementAbi as Abi,
      "InvoiceIssued",
      lookups,
      reasons,
    );
    if (issued) {
      compare(reasons, "issued invoiceId", issued.args.invoiceId, record.invoiceId);
      compare(reasons, "documentHash", issued.args.documentHash, record.issued.documentHash);
      compare(reasons, "dueDate", issued.args.dueDate, record.issued.dueDate);
    }
  }
}
