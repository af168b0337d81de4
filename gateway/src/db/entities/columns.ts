import { BigIntType } from "@mikro-orm/core";

/**
 * Column shapes shared by the entity schemas. Chain integers that are uint64 on chain are stored as
 * SQL BIGINT and read as JS numbers: the indexer refuses (stops loudly on) any value above
 * Number.MAX_SAFE_INTEGER rather than storing a rounded one, see `indexer/indexing/values.ts`.
 */
/**
 * A property definition. Typed loosely on purpose: EntitySchema checks each property against its row
 * field, and a typed helper shared by all row types cannot satisfy that union; the schema-drift test
 * (openDatabase.test.ts) and the round-trip tests check the mapping instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above.
type Prop = any;

export const bigint = (options: Partial<Prop> = {}): Prop =>
  ({ type: new BigIntType("number"), ...options }) as Prop;
export const integer = (options: Partial<Prop> = {}): Prop => ({ type: "integer", ...options }) as Prop;
export const smallint = (options: Partial<Prop> = {}): Prop => ({ type: "smallint", ...options }) as Prop;
export const boolean = (options: Partial<Prop> = {}): Prop => ({ type: "boolean", ...options }) as Prop;
export const text = (length: number, options: Partial<Prop> = {}): Prop =>
  ({ type: "string", length, ...options }) as Prop;
export const json = (options: Partial<Prop> = {}): Prop => ({ type: "json", ...options }) as Prop;
/** An EVM address, lowercase `0x` + 40 hex digits. */
export const address = (options: Partial<Prop> = {}): Prop => text(42, options);
/** A bytes32 value (hash, tx hash), lowercase `0x` + 64 hex digits. */
export const bytes32 = (options: Partial<Prop> = {}): Prop => text(66, options);

/** Where a chain-derived row came from: the log that created it. */
export type ChainOrigin = {
  blockNumber: number;
  txHash: string;
  logIndex: number;
};

/** Mutable rows also record the last log that changed them. */
export type ChainUpdate = ChainOrigin & {
  updatedBlock: number;
  updatedTxHash: string;
  updatedLogIndex: number;
};

export const originColumns = (primary = false) => ({
  blockNumber: bigint({ primary }),
  txHash: bytes32(),
  logIndex: integer({ primary }),
});

export const updateColumns = () => ({
  ...originColumns(),
  updatedBlock: bigint(),
  updatedTxHash: bytes32(),
  updatedLogIndex: integer(),
});
