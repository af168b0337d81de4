import { z } from "zod";

/**
 * The GridLedger meter-data exchange format (F-CHAIN-09), version 1: readings and invoices exported
 * from the index, each with what a third party needs to check it against any RPC node of the
 * network — the chain, contract, block (number and hash), transaction and log index of the event that
 * carries it, and for readings the record exactly as the device signed it and the signer. The
 * specification is docs/exchange-format.md; this module is its machine form.
 */
export const EXCHANGE_FORMAT = "gridledger-exchange";
export const EXCHANGE_VERSION = 1;

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^0x[0-9a-f]{${bytes * 2}}$`), `lower-case 0x-hex of ${bytes} bytes`);
const decimal = z.string().regex(/^(0|[1-9][0-9]*)$/, "a non-negative decimal integer as a string");
const uint = z.number().int().nonnegative();

/** Where on the chain a record's event is. */
export const chainRefSchema = z.strictObject({
  chainId: uint,
  /** The proxy address of the contract that emitted the event. */
  contract: hex(20),
  blockNumber: uint,
  blockHash: hex(32),
  txHash: hex(32),
  logIndex: uint,
});
export type ChainRef = z.infer<typeof chainRefSchema>;

export const REGISTER_NAMES = ["importT1", "importT2", "importT3", "importT4", "export"] as const;
export type RegisterName = (typeof REGISTER_NAMES)[number];

/** One half-hour reading of one meter, from a `MeterReadingsRecorded` event. */
export const readingRecordSchema = z.strictObject({
  type: z.literal("reading"),
  meterId: decimal,
  /** Unix seconds UTC, end of the half hour. */
  intervalEnd: uint,
  /** Status flags (domain ReadingStatus). */
  status: uint,
  registerMask: uint,
  /** Cumulative registers in Wh, one per bit of the mask. */
  registers: z.partialRecord(z.enum(REGISTER_NAMES), decimal),
  /** 0 device, 1 consumer, 2 operator (IReadings.ReadingSource). */
  source: uint,
  chain: chainRefSchema,
  signed: z.strictObject({
    /** The device key (source 0) or the sender of a manual entry. */
    signer: hex(20),
    /** `ReadingBatchRecorded.digest`: the EIP-712 digest of the batch, or keccak256 of manual records. */
    batchDigest: hex(32),
    /** The record as packed in the signed batch: uint32 intervalEnd | uint8 status | uint48 registers. */
    recordHex: z.string().regex(/^0x([0-9a-f]{2})+$/),
  }),
});
export type ReadingRecord = z.infer<typeof readingRecordSchema>;

/** An invoice as computed (`InvoiceComputed`) and, when issued, its anchored document (`InvoiceIssued`). */
export const invoiceRecordSchema = z.strictObject({
  type: z.literal("invoice"),
  /** uint256 `accountId << 32 | periodId`. */
  invoiceId: decimal,
  accountId: decimal,
  periodId: uint,
  planId: decimal,
  /** Kopecks. */
  total: decimal,
  components: z.strictObject({
    energy: decimal,
    transmission: decimal,
    retailMarkup: decimal,
    infrastructure: decimal,
  }),
  vat: decimal,
  exportCredit: decimal,
  volumesWh: z.array(decimal).length(5),
  chain: chainRefSchema,
  issued: z
    .strictObject({
      documentHash: hex(32),
      dueDate: uint,
      chain: chainRefSchema,
    })
    .nullable(),
});
export type InvoiceRecord = z.infer<typeof invoiceRecordSchema>;

export const exchangeRecordSchema = z.discriminatedUnion("type", [readingRecordSchema, invoiceRecordSchema]);
export type ExchangeRecord = z.infer<typeof exchangeRecordSchema>;

export const exchangeFilterSchema = z.strictObject({
  meterIds: z.array(decimal).optional(),
  accountIds: z.array(decimal).optional(),
  /** Inclusive, Unix seconds: readings by interval end, invoices by computation time. */
  from: uint.optional(),
  /** Exclusive, Unix seconds. */
  to: uint.optional(),
  types: z.array(z.enum(["reading", "invoice"])).optional(),
});
export type ExchangeFilter = z.infer<typeof exchangeFilterSchema>;

export const exchangeDocumentSchema = z.strictObject({
  format: z.literal(EXCHANGE_FORMAT),
  version: z.literal(EXCHANGE_VERSION),
  chainId: uint,
  /** Contract name → proxy address, of the deployment the records come from. */
  contracts: z.record(z.string(), hex(20)),
  /** The last block of the index when the export was taken. */
  indexedBlock: uint,
  /** ISO 8601 UTC. */
  generatedAt: z.string(),
  filter: exchangeFilterSchema,
  records: z.array(exchangeRecordSchema),
});
export type ExchangeDocument = z.infer<typeof exchangeDocumentSchema>;
