/** CSV for spreadsheet programs (RFC 4180 quoting), built from rows and column definitions. */

export type CsvColumn<Row> = {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
};

export type CsvOptions = {
  /** Field separator: "," by default; ";" suits spreadsheet programs set to Russian. */
  separator?: "," | ";" | "\t";
};

/**
 * One field: quoted when it holds the separator, a quote, a line break or edge spaces (quotes
 * doubled inside). A text that a spreadsheet would run as a formula (= + - @ at the start, or a
 * tab/CR) gets a leading apostrophe, so an exported list cannot carry formula injection.
 */
export function csvField(value: string | number | boolean | null | undefined, separator = ","): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  const needsQuotes =
    text.includes(separator) || /["\r\n]/.test(text) || text !== text.trim() || text.startsWith("'");
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole file: a byte-order mark (so spreadsheet programs read UTF-8), a header and CRLF lines. */
export function buildCsv<Row>(
  rows: readonly Row[],
  columns: readonly CsvColumn<Row>[],
  options: CsvOptions = {},
): string {
  const separator = options.separator ?? ",";
  const lines = [columns.map((column) => csvField(column.header, separator)).join(separator)];
  for (const row of rows)
    lines.push(columns.map((column) => csvField(column.value(row), separator)).join(separator));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Offers `content` as a file download in the browser. */
export function downloadText(fileName: string, content: string, type = "text/csv;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
