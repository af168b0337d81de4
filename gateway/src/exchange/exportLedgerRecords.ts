import { encodeMeterRecords } from "@gridledger/domain";
import type { EntityManager } from "@mikro-orm/core";
import {
  Document,
  IndexerCheckpoint,
  Invoice,
  type InvoiceRow,
  Reading,
  ReadingBatch,
  type ReadingRow,
} from "../db/entities/index.js";
import { NonRetryableError } from "../internal/errors.js";
import {
  type ChainRef,
  EXCHANGE_FORMAT,
  EXCHANGE_VERSION,
  type ExchangeDocument,
  type ExchangeFilter,
  type ExchangeRecord,
  type InvoiceRecord,
  REGISTER_NAMES,
  type ReadingRecord,
} from "./exchangeFormat.js";

export type ExportLedgerRecordsParameters = {
  em: EntityManager;
  chainId: number;
  /** The deployment's proxies; `Readings` and `Settlement` are needed. */
  contracts: Readonly<Record<string, string>>;
  filter: ExchangeFilter;
  /**
   * Block hashes by number (the index keeps block numbers only): usually `eth_getBlockByNumber` on the
   * gateway's RPC node, see {@link blockHashesFromRpc}.
   */
  blockHashes: (blockNumbers: number[]) => Promise<Map<number, string>>;
  /** Hard cap on the number of records; more is refused rather than cut. Default: 500 000. */
  maxRecords?: number | undefined;
};

const CHUNK = 5000;

/**
 * Exports readings and invoices of the index that match `filter` in the exchange format, each with
 * its chain reference. Only what the chain holds goes out: values come from the indexed events, and
 * the reading's `recordHex` is re-packed with the domain codec, which gives the bytes the device
 * signed (the codec is the format of the signed batch).
 *
 * @throws NonRetryableError EXPORT_TOO_LARGE when more than `maxRecords` match.
 */
export async function exportLedgerRecords(
  parameters: ExportLedgerRecordsParameters,
): Promise<ExchangeDocument> {
  const { em, filter, chainId } = parameters;
  const maxRecords = parameters.maxRecords ?? 500_000;
  const readingsAddress = contractAddress(parameters.contracts, "Readings");
  const settlementAddress = contractAddress(parameters.contracts, "Settlement");
  const types = new Set(filter.types ?? ["reading", "invoice"]);
  const [checkpoint] = await em.find(IndexerCheckpoint, {}, { orderBy: { blockNumber: "desc" }, limit: 1 });

  const readings: ReadingRow[] = [];
  if (types.has("reading")) {
    const where: Record<string, unknown> = {};
    if (filter.meterIds) where.meterId = { $in: filter.meterIds.map(Number) };
    if (filter.accountIds) where.accountId = { $in: filter.accountIds.map(Number) };
    const range: Record<string, number> = {};
    if (filter.from !== undefined) range.$gte = filter.from;
    if (filter.to !== undefined) range.$lt = filter.to;
    if (Object.keys(range).length > 0) where.intervalEnd = range;
    // keyset paging on the primary key keeps each query bounded on tens of millions of rows
    let after: { meterId: number; intervalEnd: number } | undefined;
    for (;;) {
      const page = await em.find(
        Reading,
        after
          ? {
              $and: [
                where,
                {
                  $or: [
                    { meterId: { $gt: after.meterId } },
                    { meterId: after.meterId, intervalEnd: { $gt: after.intervalEnd } },
                  ],
                },
              ],
            }
          : where,
        { orderBy: { meterId: "asc", intervalEnd: "asc" }, limit: CHUNK, disableIdentityMap: true },
      );
      readings.push(...page);
      if (readings.length > maxRecords) tooLarge(maxRecords);
      if (page.length < CHUNK) break;
      const last = page[page.length - 1]!;
      after = { meterId: last.meterId, intervalEnd: last.intervalEnd };
    }
  }

  const invoices: InvoiceRow[] = [];
  if (types.has("invoice")) {
    const where: Record<string, unknown> = {};
    if (filter.accountIds) where.accountId = { $in: filter.accountIds.map(Number) };
    if (filter.meterIds) {
      // invoices belong to accounts; a meter filter selects the accounts its readings were booked to
      const accountIds = new Set<number>();
      for (const reading of readings) if (reading.accountId !== null) accountIds.add(reading.accountId);
      where.accountId = { $in: [...accountIds] };
    }
    const range: Record<string, number> = {};
    if (filter.from !== undefined) range.$gte = filter.from;
    if (filter.to !== undefined) range.$lt = filter.to;
    if (Object.keys(range).length > 0) where.computedAt = range;
    invoices.push(
      ...(await em.find(Invoice, where, {
        orderBy: { accountId: "asc", periodId: "asc" },
        disableIdentityMap: true,
      })),
    );
    if (readings.length + invoices.length > maxRecords) tooLarge(maxRecords);
  }

  const batches = new Map<string, { signer: string; digest: string }>();
  const txHashes = [...new Set(readings.map((reading) => reading.txHash))];
  for (let start = 0; start < txHashes.length; start += 1000) {
    for (const batch of await em.find(
      ReadingBatch,
      { txHash: { $in: txHashes.slice(start, start + 1000) } },
      { disableIdentityMap: true },
    )) {
      batches.set(batch.txHash, { signer: batch.signer, digest: batch.digest });
    }
  }
  const issued = new Map<string, { hash: string; blockNumber: number; txHash: string; logIndex: number }>();
  const invoiceIds = invoices.filter((invoice) => invoice.documentHash).map((invoice) => invoice.id);
  for (let start = 0; start < invoiceIds.length; start += 1000) {
    for (const document of await em.find(
      Document,
      { kind: "invoice", subject: { $in: invoiceIds.slice(start, start + 1000) } },
      { orderBy: { blockNumber: "asc", logIndex: "asc" }, disableIdentityMap: true },
    )) {
      issued.set(document.subject, document);
    }
  }

  const blockNumbers = new Set<number>();
  for (const reading of readings) blockNumbers.add(reading.blockNumber);
  for (const invoice of invoices) blockNumbers.add(invoice.blockNumber);
  for (const document of issued.values()) blockNumbers.add(document.blockNumber);
  const hashes = await parameters.blockHashes([...blockNumbers].sort((a, b) => a - b));
  const ref = (
    contract: string,
    row: { blockNumber: number; txHash: string; logIndex: number },
  ): ChainRef => {
    const blockHash = hashes.get(row.blockNumber);
    if (!blockHash) {
      throw new NonRetryableError(`No block hash for block ${row.blockNumber}`, { code: "BLOCK_UNKNOWN" });
    }
    return {
      chainId,
      contract,
      blockNumber: row.blockNumber,
      blockHash: blockHash.toLowerCase(),
      txHash: row.txHash,
      logIndex: row.logIndex,
    };
  };

  const records: ExchangeRecord[] = [];
  for (const reading of readings) {
    const batch = batches.get(reading.txHash);
    if (!batch) {
      throw new NonRetryableError(`The index has no batch for transaction ${reading.txHash}`, {
        code: "INDEX_INCONSISTENT",
      });
    }
    const registers: ReadingRecord["registers"] = {};
    const values: bigint[] = [];
    REGISTER_NAMES.forEach((name, bit) => {
      if (!(reading.registerMask & (1 << bit))) return;
      const value = reading[name];
      if (value === null) {
        throw new NonRetryableError(`Reading ${reading.meterId}@${reading.intervalEnd} lacks ${name}`, {
          code: "INDEX_INCONSISTENT",
        });
      }
      registers[name] = String(value);
      values.push(BigInt(value));
    });
    records.push({
      type: "reading",
      meterId: String(reading.meterId),
      intervalEnd: reading.intervalEnd,
      status: reading.status,
      registerMask: reading.registerMask,
      registers,
      source: reading.source,
      chain: ref(readingsAddress, reading),
      signed: {
        signer: batch.signer,
        batchDigest: batch.digest,
        recordHex: encodeMeterRecords(reading.registerMask, [
          { intervalEnd: reading.intervalEnd, status: reading.status, registers: values },
        ]),
      },
    });
  }
  for (const invoice of invoices) {
    const document = issued.get(invoice.id);
    const record: InvoiceRecord = {
      type: "invoice",
      invoiceId: invoice.id,
      accountId: String(invoice.accountId),
      periodId: invoice.periodId,
      planId: String(invoice.planId),
      total: String(invoice.total),
      components: {
        energy: String(invoice.energy),
        transmission: String(invoice.transmission),
        retailMarkup: String(invoice.retailMarkup),
        infrastructure: String(invoice.infrastructure),
      },
      vat: String(invoice.vat),
      exportCredit: String(invoice.exportCredit),
      volumesWh: invoice.volumesWh.map(String),
      chain: ref(settlementAddress, invoice),
      issued:
        document && invoice.dueDate !== null
          ? { documentHash: document.hash, dueDate: invoice.dueDate, chain: ref(settlementAddress, document) }
          : null,
    };
    records.push(record);
  }

  return {
    format: EXCHANGE_FORMAT,
    version: EXCHANGE_VERSION,
    chainId,
    contracts: { Readings: readingsAddress, Settlement: settlementAddress },
    indexedBlock: checkpoint?.blockNumber ?? 0,
    generatedAt: new Date().toISOString(),
    filter,
    records,
  };
}

function contractAddress(contracts: Readonly<Record<string, string>>, name: string): string {
  const address = contracts[name];
  if (!address)
    throw new NonRetryableError(`The deployment has no ${name} contract`, { code: "CONFIGURATION" });
  return address.toLowerCase();
}

function tooLarge(maxRecords: number): never {
  throw new NonRetryableError(`More than ${maxRecords} records match the filter`, {
    code: "EXPORT_TOO_LARGE",
    details: "narrow the meters, accounts or date range",
  });
}
