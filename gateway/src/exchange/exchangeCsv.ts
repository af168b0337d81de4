import { NonRetryableError } from "../internal/errors.js";
import {
  type ChainRef,
  type ExchangeRecord,
  exchangeRecordSchema,
  REGISTER_NAMES,
} from "./exchangeFormat.js";

/**
 * The CSV form of the exchange format, version 1: one record per line, readings and invoices in the
 * same columns (empty where a column does not apply), RFC 4180 quoting, UTF-8, `\r\n`. The header
 * line is the version: a reader must refuse a header it does not know (docs/exchange-format.md).
 */
export const EXCHANGE_CSV_COLUMNS = [
  "type",
  "chain_id",
  "contract",
  "block_number",
  "block_hash",
  "tx_hash",
  "log_index",
  "meter_id",
  "interval_end",
  "status",
  "register_mask",
  "import_t1",
  "import_t2",
  "import_t3",
  "import_t4",
  "export",
  "source",
  "signer",
  "batch_digest",
  "record_hex",
  "invoice_id",
  "account_id",
  "period_id",
  "plan_id",
  "total",
  "energy",
  "transmission",
  "retail_markup",
  "infrastructure",
  "vat",
  "export_credit",
  "volumes_wh",
  "document_hash",
  "due_date",
  "issued_block_number",
  "issued_block_hash",
  "issued_tx_hash",
  "issued_log_index",
] as const;
type Column = (typeof EXCHANGE_CSV_COLUMNS)[number];
type Row = Partial<Record<Column, string>>;

const REGISTER_COLUMNS: Record<(typeof REGISTER_NAMES)[number], Column> = {
  importT1: "import_t1",
  importT2: "import_t2",
  importT3: "import_t3",
  importT4: "import_t4",
  export: "export",
};

/** Writes records as exchange CSV (header line first). */
export function toExchangeCsv(records: readonly ExchangeRecord[]): string {
  const lines = [EXCHANGE_CSV_COLUMNS.join(",")];
  for (const record of records) {
    const row: Row = {
      type: record.type,
      chain_id: String(record.chain.chainId),
      contract: record.chain.contract,
      block_number: String(record.chain.blockNumber),
      block_hash: record.chain.blockHash,
      tx_hash: record.chain.txHash,
      log_index: String(record.chain.logIndex),
    };
    if (record.type === "reading") {
      Object.assign(row, {
        meter_id: record.meterId,
        interval_end: String(record.intervalEnd),
        status: String(record.status),
        register_mask: String(record.registerMask),
        source: String(record.source),
        signer: record.signed.signer,
        batch_digest: record.signed.batchDigest,
        record_hex: record.signed.recordHex,
      });
      for (const name of REGISTER_NAMES) {
        const value = record.registers[name];
        if (value !== undefined) row[REGISTER_COLUMNS[name]] = value;
      }
    } else {
      Object.assign(row, {
        invoice_id: record.invoiceId,
        account_id: record.accountId,
        period_id: String(record.periodId),
        plan_id: record.planId,
        total: record.total,
        energy: record.components.energy,
        transmission: record.components.transmission,
        retail_markup: record.components.retailMarkup,
        infrastructure: record.components.infrastructure,
        vat: record.vat,
        export_credit: record.exportCredit,
        volumes_wh: record.volumesWh.join(";"),
      });
      if (record.issued) {
        Object.assign(row, {
          document_hash: record.issued.documentHash,
          due_date: String(record.issued.dueDate),
          issued_block_number: String(record.issued.chain.blockNumber),
          issued_block_hash: record.issued.chain.blockHash,
          issued_tx_hash: record.issued.chain.txHash,
          issued_log_index: String(record.issued.chain.logIndex),
        });
      }
    }
    lines.push(EXCHANGE_CSV_COLUMNS.map((column) => quote(row[column] ?? "")).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * Reads exchange CSV back into records. Each line is checked like a JSON record; a bad line is
 * returned as an error with its line number rather than dropped, so a verifier reports it as failed.
 *
 * @throws NonRetryableError EXCHANGE_FORMAT when the header is not the version 1 header.
 */
export function parseExchangeCsv(text: string): { line: number; record?: ExchangeRecord; error?: string }[] {
  const rows = splitCsv(text);
  const header = rows.shift();
  if (!header || header.join(",") !== EXCHANGE_CSV_COLUMNS.join(",")) {
    throw new NonRetryableError("Not a GridLedger exchange CSV of version 1", {
      code: "EXCHANGE_FORMAT",
      details: `the first line must be: ${EXCHANGE_CSV_COLUMNS.join(",")}`,
    });
  }
  return rows.map((cells, index) => {
    const line = index + 2;
    if (cells.length !== EXCHANGE_CSV_COLUMNS.length) {
      return { line, error: `${cells.length} cells, expected ${EXCHANGE_CSV_COLUMNS.length}` };
    }
    const row = Object.fromEntries(EXCHANGE_CSV_COLUMNS.map((column, at) => [column, cells[at]!])) as Record<
      Column,
      string
    >;
    const parsed = exchangeRecordSchema.safeParse(fromRow(row));
    return parsed.success
      ? { line, record: parsed.data }
      : {
          line,
          error: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
        };
  });
}

function fromRow(row: Record<Column, string>): unknown {
  const int = (value: string) => (/^[0-9]+$/.test(value) ? Number(value) : value);
  const chain: Record<keyof ChainRef, unknown> = {
    chainId: int(row.chain_id),
    contract: row.contract,
    blockNumber: int(row.block_number),
    blockHash: row.block_hash,
    txHash: row.tx_hash,
    logIndex: int(row.log_index),
  };
  if (row.type === "reading") {
    const registers: Record<string, string> = {};
    for (const name of REGISTER_NAMES)
      if (row[REGISTER_COLUMNS[name]] !== "") registers[name] = row[REGISTER_COLUMNS[name]];
    return {
      type: "reading",
      meterId: row.meter_id,
      intervalEnd: int(row.interval_end),
      status: int(row.status),
      registerMask: int(row.register_mask),
      registers,
      source: int(row.source),
      chain,
      signed: { signer: row.signer, batchDigest: row.batch_digest, recordHex: row.record_hex },
    };
  }
  return {
    type: row.type,
    invoiceId: row.invoice_id,
    accountId: row.account_id,
    periodId: int(row.period_id),
    planId: row.plan_id,
    total: row.total,
    components: {
      energy: row.energy,
      transmission: row.transmission,
      retailMarkup: row.retail_markup,
      infrastructure: row.infrastructure,
    },
    vat: row.vat,
    exportCredit: row.export_credit,
    volumesWh: row.volumes_wh === "" ? [] : row.volumes_wh.split(";"),
    chain,
    issued:
      row.document_hash === ""
        ? null
        : {
            documentHash: row.document_hash,
            dueDate: int(row.due_date),
            chain: {
              ...chain,
              blockNumber: int(row.issued_block_number),
              blockHash: row.issued_block_hash,
              txHash: row.issued_tx_hash,
              logIndex: int(row.issued_log_index),
            },
          },
  };
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** RFC 4180 split: quoted cells may hold commas, quotes ("") and line breaks. */
function splitCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[index + 1] === "\n") index++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += char;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
