import { EntitySchema } from "@mikro-orm/core";
import { bigint, boolean, bytes32, type ChainOrigin, integer, originColumns, text } from "./columns.js";

/**
 * The meter state journal (F-CHAIN-08): tamper flagged/cleared, reference firmware set, firmware
 * changed/restored, clock drift. The current state is also kept on the meter row.
 */
export interface MeterStateEventRow extends ChainOrigin {
  meterId: number;
  /** `tamperFlagged`, `tamperCleared`, `referenceFirmwareSet`, `firmwareChanged`, `firmwareRestored`, `clockDrift`. */
  kind: string;
  /** Tamper code. */
  code: number | null;
  /** Evidence, inspection or (new) firmware hash. */
  hash: string | null;
  previousHash: string | null;
  matchesReference: boolean | null;
  driftSeconds: number | null;
  blockTime: number;
}

export const MeterStateEvent = new EntitySchema<MeterStateEventRow>({
  name: "MeterStateEvent",
  tableName: "meter_state_events",
  properties: {
    ...originColumns(true),
    meterId: bigint(),
    kind: text(24),
    code: bigint({ nullable: true }),
    hash: bytes32({ nullable: true }),
    previousHash: bytes32({ nullable: true }),
    matchesReference: boolean({ nullable: true }),
    driftSeconds: integer({ nullable: true }),
    blockTime: bigint(),
  },
  indexes: [{ properties: ["meterId", "blockNumber"] }, { properties: ["kind", "blockTime"] }],
});
