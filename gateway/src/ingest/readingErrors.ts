import { BaseError, ContractFunctionRevertedError } from "viem";

/**
 * Maps the Readings contract's custom errors to the stable API codes clients (the agent, REST,
 * GraphQL) act on. A code that is not here falls back to `REJECTED_BY_CONTRACT`.
 */
export const READINGS_ERROR_CODES: Readonly<Record<string, string>> = {
  ReadingsEmptyBatch: "EMPTY_BATCH",
  ReadingsTooManyMeters: "BATCH_TOO_LARGE",
  ReadingsTooManyRecords: "BATCH_TOO_LARGE",
  ReadingsEmptyRecords: "INVALID_BATCH",
  ReadingsInvalidRegisterMask: "INVALID_BATCH",
  ReadingsMalformedRecords: "INVALID_BATCH",
  ReadingsUnknownMeter: "UNKNOWN_METER",
  ReadingsUnauthorizedDevice: "UNAUTHORIZED_DEVICE",
  ReadingsDeviceKeyRevoked: "REVOKED_DEVICE",
  ReadingsIntervalNotAligned: "INTERVAL_NOT_ALIGNED",
  ReadingsIntervalInFuture: "INTERVAL_IN_FUTURE",
  ReadingsRecordsOutOfOrder: "RECORDS_OUT_OF_ORDER",
  ReadingsInvalidStatus: "INVALID_BATCH",
  ReadingsRegisterDecreased: "DECREASING_REGISTER",
  ReadingsConflictingReplay: "CONFLICTING_REPLAY",
  ReadingsUnauthorizedEntry: "FORBIDDEN",
  ReadingsRemoteMeter: "REMOTE_METER",
  ECDSAInvalidSignature: "BAD_SIGNATURE",
  ECDSAInvalidSignatureLength: "BAD_SIGNATURE",
  ECDSAInvalidSignatureS: "BAD_SIGNATURE",
};

export type DecodedRevert = { errorName: string; args: readonly unknown[] };

/** The custom error inside a viem error chain, if the contract reverted with one. */
export function findContractRevert(error: unknown): DecodedRevert | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName) {
    return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
  }
  return undefined;
}
