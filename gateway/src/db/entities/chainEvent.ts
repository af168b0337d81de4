import { EntitySchema } from "@mikro-orm/core";
import { bigint, type ChainOrigin, json, originColumns, text } from "./columns.js";

/**
 * The journal: every decoded log of the deployment's contracts, including the ones no other table
 * models (roles, upgrades, initialisation). It is what the portal shows as a row's "content from the
 * chain". For `MeterReadingsRecorded` the packed `records` are left out (they are the readings rows).
 */
export interface ChainEventRow extends ChainOrigin {
  contract: string;
  event: string;
  args: Record<string, unknown>;
  blockTime: number;
}

export const ChainEvent = new EntitySchema<ChainEventRow>({
  name: "ChainEvent",
  tableName: "chain_events",
  properties: {
    ...originColumns(true),
    contract: text(32),
    event: text(64),
    args: json(),
    blockTime: bigint(),
  },
  indexes: [{ properties: ["txHash"] }, { properties: ["event", "blockNumber"] }],
});
