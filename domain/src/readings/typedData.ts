import type { Hex, ReadingBatch } from "./readingBatch.js";

/**
 * EIP-712 definition of a reading batch, shared by the agent (signs), the gateway (verifies before
 * relaying) and the Readings contract (recovers the signer). The contract's `READING_BATCH_TYPEHASH`
 * and `METER_READINGS_TYPEHASH` must equal the hashes of these type strings; a test in
 * `contracts/` checks that.
 */
export const READINGS_EIP712_NAME = "GridLedger Readings";
export const READINGS_EIP712_VERSION = "1";

export const readingBatchTypes = {
  ReadingBatch: [{ name: "meters", type: "MeterReadings[]" }],
  MeterReadings: [
    { name: "meterId", type: "uint64" },
    { name: "registerMask", type: "uint8" },
    { name: "records", type: "bytes" },
  ],
} as const;

/** The EIP-712 encodeType strings, as Solidity spells them. */
export const METER_READINGS_TYPE = "MeterReadings(uint64 meterId,uint8 registerMask,bytes records)";
export const READING_BATCH_TYPE = `ReadingBatch(MeterReadings[] meters)${METER_READINGS_TYPE}`;

export type ReadingsDomainParameters = { chainId: number; verifyingContract: Hex };

export function readingsDomain({ chainId, verifyingContract }: ReadingsDomainParameters) {
  return {
    name: READINGS_EIP712_NAME,
    version: READINGS_EIP712_VERSION,
    chainId,
    verifyingContract,
  } as const;
}

/**
 * Everything `signTypedData` / `hashTypedData` / `verifyTypedData` (viem) need for one batch.
 *
 * @example
 * const signature = await account.signTypedData(readingBatchTypedData({ chainId, verifyingContract, batch }));
 */
export function readingBatchTypedData(parameters: ReadingsDomainParameters & { batch: ReadingBatch }) {
  return {
    domain: readingsDomain(parameters),
    types: readingBatchTypes,
    primaryType: "ReadingBatch",
    message: {
      meters: parameters.batch.meters.map((entry) => ({
        meterId: entry.meterId,
        registerMask: entry.registerMask,
        records: entry.records,
      })),
    },
  } as const;
}
