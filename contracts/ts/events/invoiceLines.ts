/**
 * Decoding of `Settlement.InvoiceLinesComputed(uint256 invoiceId, uint256[] lines)`: one word per line,
 * `kind:8 | zone:8 | range:8 | component:8 | quantity:64 | rate:64 | amount:64` from the top bit down
 * (docs/contracts.md). Kinds and components follow contracts/src/billing/BillingTypes.sol.
 */
export const INVOICE_LINE_KINDS = [
  "Energy",
  "HourlyEnergy",
  "Capacity",
  "NetworkMaintenance",
  "NetworkLosses",
  "Export",
] as const;
export const INVOICE_COMPONENTS = ["Energy", "Transmission", "RetailMarkup", "Infrastructure"] as const;

export type InvoiceLineWord = {
  kind: (typeof INVOICE_LINE_KINDS)[number];
  zone: number;
  range: number;
  component: (typeof INVOICE_COMPONENTS)[number];
  /** Wh (energy lines) or W (capacity lines). */
  quantity: bigint;
  /** 0.01 RUB/MWh (or per MW-month). */
  rate: bigint;
  /** Kopecks. */
  amount: bigint;
};

const U64 = (1n << 64n) - 1n;

export function decodeInvoiceLine(word: bigint): InvoiceLineWord {
  const byte = (shift: bigint) => Number((word >> shift) & 0xffn);
  const kind = INVOICE_LINE_KINDS[byte(248n)];
  const component = INVOICE_COMPONENTS[byte(224n)];
  if (kind === undefined || component === undefined) {
    throw new RangeError(`Not an invoice line word: 0x${word.toString(16)}`);
  }
  return {
    kind,
    zone: byte(240n),
    range: byte(232n),
    component,
    quantity: (word >> 160n) & U64,
    rate: (word >> 96n) & U64,
    amount: (word >> 32n) & U64,
  };
}

export function decodeInvoiceLines(words: readonly bigint[]): InvoiceLineWord[] {
  return words.map(decodeInvoiceLine);
}
