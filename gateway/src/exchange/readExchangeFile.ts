import { NonRetryableError } from "../internal/errors.js";
import { parseExchangeCsv } from "./exchangeCsv.js";
import {
  EXCHANGE_FORMAT,
  EXCHANGE_VERSION,
  type ExchangeRecord,
  exchangeDocumentSchema,
  exchangeRecordSchema,
} from "./exchangeFormat.js";

export type ExchangeFileEntry = {
  label: string;
  record?: ExchangeRecord | undefined;
  error?: string | undefined;
};

/**
 * Reads an exchange file, JSON or CSV (told apart by the first character), into one entry per record.
 * A record that does not match the format becomes an entry with an error, so the verifier counts it as
 * failed instead of the whole file being refused; a file of another format or version is refused.
 *
 * @throws NonRetryableError EXCHANGE_FORMAT
 */
export function readExchangeFile(text: string): ExchangeFileEntry[] {
  const body = text.replace(/^\uFEFF/, "");
  if (!body.trimStart().startsWith("{")) {
    return parseExchangeCsv(body).map(({ line, record, error }) => ({
      label: record ? `line ${line}: ${describeRecord(record)}` : `line ${line}`,
      record,
      error,
    }));
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new NonRetryableError("The file is not valid JSON", {
      code: "EXCHANGE_FORMAT",
      details: (error as Error).message,
    });
  }
  const head = json as { format?: unknown; version?: unknown; records?: unknown };
  if (head?.format !== EXCHANGE_FORMAT || head.version !== EXCHANGE_VERSION || !Array.isArray(head.records)) {
    throw new NonRetryableError(`Not a ${EXCHANGE_FORMAT} file of version ${EXCHANGE_VERSION}`, {
      code: "EXCHANGE_FORMAT",
      details: `format ${String(head?.format)}, version ${String(head?.version)}`,
    });
  }
  const { records: _records, ...rest } = head as Record<string, unknown>;
  const envelope = exchangeDocumentSchema.omit({ records: true }).safeParse(rest);
  if (!envelope.success) {
    throw new NonRetryableError("The file's header does not match the format", {
      code: "EXCHANGE_FORMAT",
      details: envelope.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    });
  }
  return (head.records as unknown[]).map((raw, index) => {
    const parsed = exchangeRecordSchema.safeParse(raw);
    if (parsed.success)
      return { label: `record ${index + 1}: ${describeRecord(parsed.data)}`, record: parsed.data };
    return {
      label: `record ${index + 1}`,
      error: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    };
  });
}

function describeRecord(record: ExchangeRecord): string {
  return record.type === "reading"
    ? `reading of meter ${record.meterId} at ${new Date(record.intervalEnd * 1000).toISOString()}`
    : `invoice ${record.invoiceId} (account ${record.accountId}, period ${record.periodId})`;
}
