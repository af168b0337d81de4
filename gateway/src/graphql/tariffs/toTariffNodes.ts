import type { TariffGroupRow, TariffPlanRow } from "../../db/entities/index.js";
import { chainRef } from "../common/chainRef.type.js";
import type { TariffGroupNode, TariffPlanNode } from "./tariff.type.js";

const KIND_NAMES = [
  "NONE",
  "SINGLE_RATE",
  "TWO_ZONE",
  "THREE_ZONE",
  "VOLUME_RANGE",
  "SOCIAL_NORM",
  "PRICE_CATEGORY_3",
  "PRICE_CATEGORY_4",
];

const lastChange = (row: { updatedBlock: number; updatedTxHash: string; updatedLogIndex: number }) =>
  chainRef({ blockNumber: row.updatedBlock, txHash: row.updatedTxHash, logIndex: row.updatedLogIndex });

/** The zone of each local hour from the chain's packing: two bits per hour, hour h at bits [2h, 2h+1]. */
export function unpackZoneHours(packed: number): number[] {
  const value = BigInt(packed);
  return Array.from({ length: 24 }, (_, hour) => Number((value >> BigInt(2 * hour)) & 3n));
}

export function toTariffPlanNode(row: TariffPlanRow): TariffPlanNode {
  return {
    id: String(row.id),
    groupId: String(row.groupId),
    kind: row.kind,
    kindName: KIND_NAMES[row.kind] ?? `KIND_${row.kind}`,
    zones: row.zones,
    vatBp: row.vatBp,
    vatIncluded: row.vatIncluded,
    validFrom: row.validFrom,
    validTo: row.validTo === 0 ? null : row.validTo,
    zoneHours: unpackZoneHours(row.zoneHours),
    threshold1: String(row.threshold1),
    threshold2: String(row.threshold2),
    exportPrice: String(row.exportPrice),
    rates: row.rates.map((rate, index) => ({
      index,
      energy: String(rate[0] ?? 0),
      transmission: String(rate[1] ?? 0),
      retailMarkup: String(rate[2] ?? 0),
      infrastructure: String(rate[3] ?? 0),
    })),
    deleted: row.deleted,
    chain: chainRef(row),
    lastChange: lastChange(row),
  };
}

export function toTariffGroupNode(row: TariffGroupRow): TariffGroupNode {
  return {
    id: String(row.id),
    retailCompany: row.retailCompany,
    consumerType: row.consumerType,
    priceCategory: row.priceCategory,
    name: row.name,
    deleted: row.deleted,
    chain: chainRef(row),
    lastChange: lastChange(row),
  };
}

/**
 * The plan of (group, kind) in force for a period ending at `periodEnd`, as `Tariffs.planFor` picks
 * it: the newest version whose validity starts before the period's end, unless that version ended
 * before it. `plans` are the group's versions of that kind.
 */
export function planInForce(plans: readonly TariffPlanRow[], periodEnd: number): TariffPlanRow | undefined {
  const versions = plans.filter((plan) => !plan.deleted).sort((a, b) => a.id - b.id);
  for (let index = versions.length - 1; index >= 0; index--) {
    const plan = versions[index]!;
    if (plan.validFrom < periodEnd) {
      if (plan.validTo !== 0 && plan.validTo < periodEnd) return undefined;
      return plan;
    }
  }
  return undefined;
}
