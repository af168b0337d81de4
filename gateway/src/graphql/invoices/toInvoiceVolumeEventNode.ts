import type { InvoiceVolumeEventRow } from "../../db/entities/index.js";
import type { InvoiceVolumeEventNode, SubstituteMethod, VolumeEventKind } from "./invoiceVolumeEvent.type.js";

const decimals = (value: unknown): string[] | null =>
  Array.isArray(value) ? value.map((item) => String(item)) : null;
const decimal = (value: unknown): string | null =>
  typeof value === "number" || typeof value === "bigint" || typeof value === "string" ? String(value) : null;

/** The row's JSON `details` (shaped by the indexer per kind) as the node's typed fields. */
export function toInvoiceVolumeEventNode(row: InvoiceVolumeEventRow): InvoiceVolumeEventNode {
  const details = row.details ?? {};
  const of = (kind: string, key: string) => (row.kind === kind ? details[key] : undefined);
  return {
    kind: row.kind as VolumeEventKind,
    method: (row.method as SubstituteMethod | null) ?? null,
    periodId: row.periodId,
    volumeWh: row.volumeWh === null ? null : String(row.volumeWh),
    consecutivePeriods: row.consecutivePeriods,
    inputs: decimals(of("substituted", "inputs")),
    registersWh: decimals(of("substituted", "registersWh")),
    meteredWh: decimals(of("recalculated", "meteredWh")),
    deductedWh: decimals(of("recalculated", "deductedWh")),
    oldMeterId: decimal(of("acrossReplacement", "oldMeterId")),
    newMeterId: decimal(of("acrossReplacement", "newMeterId")),
    oldMeterWh: decimals(of("acrossReplacement", "oldMeterWh")),
    newMeterWh: decimals(of("acrossReplacement", "newMeterWh")),
    buildingId: decimal(of("commonHouse", "buildingId")),
    areaDm2: decimal(of("commonHouse", "areaDm2")),
    billed: row.kind === "commonHouse" ? Boolean(details.billed) : null,
  };
}
