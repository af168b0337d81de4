import { EntitySchema } from "@mikro-orm/core";
import { bigint, bytes32, type ChainOrigin, integer, smallint } from "./columns.js";

/**
 * One half-hour reading: one row per (meter, interval end), decoded from the packed records of a
 * Readings `MeterReadingsRecorded` event. The contract drops duplicates before emitting, so the
 * primary key is also the chain's identity of a reading. `logIndex` is the meter event's log index:
 * several readings share it.
 *
 * Indexes serve the portal's readings reports at tens of millions of rows: the primary key answers
 * one meter's range (meter page, account tab, serial and address filters resolve to meter ids first),
 * `intervalEnd` the grid company's date-range list, and `(retailCompanyId, intervalEnd)` the retail
 * cabinet's. Every secondary index costs insert speed, so there are only these two.
 */
export interface ReadingRow extends ChainOrigin {
  meterId: number;
  /** Unix seconds UTC, multiple of 1800. */
  intervalEnd: number;
  /** domain ReadingStatus bits. */
  status: number;
  registerMask: number;
  /** IReadings.ReadingSource: 0 device, 1 consumer, 2 operator. */
  source: number;
  /** Cumulative registers in Wh; null when the mask does not carry them. */
  importT1: number | null;
  importT2: number | null;
  importT3: number | null;
  importT4: number | null;
  export: number | null;
  /** Account and retail company the meter was attached to when the reading was recorded. */
  accountId: number | null;
  retailCompanyId: number | null;
}

export const Reading = new EntitySchema<ReadingRow>({
  name: "Reading",
  tableName: "readings",
  properties: {
    meterId: bigint({ primary: true, autoincrement: false }),
    intervalEnd: integer({ primary: true, autoincrement: false, index: true }),
    status: smallint(),
    registerMask: smallint(),
    source: smallint(),
    importT1: bigint({ nullable: true }),
    importT2: bigint({ nullable: true }),
    importT3: bigint({ nullable: true }),
    importT4: bigint({ nullable: true }),
    export: bigint({ nullable: true }),
    accountId: bigint({ nullable: true }),
    retailCompanyId: integer({ nullable: true }),
    blockNumber: bigint(),
    txHash: bytes32(),
    logIndex: integer(),
  },
  indexes: [{ properties: ["retailCompanyId", "intervalEnd"] }],
});
