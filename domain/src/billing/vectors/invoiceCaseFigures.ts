import { COMPONENT_NAMES, type Figures, LINE_KIND_NAMES } from "./billingCase.js";

/** An invoice as either language computes it: kinds and components as their enum indices. */
export type InvoiceCaseResult = {
  lines: readonly {
    kind: number;
    zone: number;
    range: number;
    component: number;
    quantity: bigint;
    rate: bigint;
    amount: bigint;
  }[];
  componentNet: readonly bigint[];
  netTotal: bigint;
  vat: bigint;
  vatByComponent: readonly bigint[];
  grossByComponent: readonly bigint[];
  grossTotal: bigint;
  vatIncluded: bigint;
  exportCredit: bigint;
  payableByComponent: readonly bigint[];
  payableTotal: bigint;
};

export type InvoiceCaseFiguresParameters = {
  zoneVolumes: readonly bigint[];
  vatRateBp: bigint;
  result: InvoiceCaseResult;
  /** Each payment applied in order to what is still owed. */
  payments: readonly { parts: readonly bigint[]; outstandingAfter: readonly bigint[]; credit: bigint }[];
};

const s = (value: bigint) => value.toString();
const ss = (values: readonly bigint[]) => values.map(s);

/**
 * The figures of an `invoice` vector case (docs/vectors.md) from a computed invoice: the one shape
 * that the domain evaluator and the on-chain one (contracts/ts/billing) both report, so that the
 * two differ only in the arithmetic.
 */
export function invoiceCaseFigures({
  zoneVolumes,
  vatRateBp,
  result,
  payments,
}: InvoiceCaseFiguresParameters): Figures {
  return {
    zoneVolumes: ss(zoneVolumes),
    vatRateBp: s(vatRateBp),
    lines: result.lines.map((line) => ({
      kind: LINE_KIND_NAMES[line.kind],
      zone: line.zone,
      range: line.range,
      component: COMPONENT_NAMES[line.component],
      quantity: s(line.quantity),
      rate: s(line.rate),
      amount: s(line.amount),
    })),
    componentNet: ss(result.componentNet),
    netTotal: s(result.netTotal),
    vat: s(result.vat),
    vatByComponent: ss(result.vatByComponent),
    grossByComponent: ss(result.grossByComponent),
    grossTotal: s(result.grossTotal),
    vatIncluded: s(result.vatIncluded),
    exportCredit: s(result.exportCredit),
    payableByComponent: ss(result.payableByComponent),
    payableTotal: s(result.payableTotal),
    payments: payments.map((payment) => ({
      parts: ss(payment.parts),
      outstandingAfter: ss(payment.outstandingAfter),
      credit: s(payment.credit),
    })),
  };
}
