/** How VAT appears on an invoice; numeric values match the Solidity `VatMode` enum. */
export const VatMode = {
  /** No VAT (an individual's sale of microgeneration, a non-payer). */
  None: 0,
  /** Prices include VAT (household tariffs, §6.3); VAT inside is shown for information. */
  Included: 1,
  /** Prices exclude VAT (legal entities); VAT is added once on the net total. */
  Added: 2,
} as const;
export type VatMode = (typeof VatMode)[keyof typeof VatMode];
