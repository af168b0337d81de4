import type { Hex, ReadingBatch } from "@gridledger/domain";
import { NonRetryableError, RetryableError } from "../errors.js";
import type { ReadingsDomain } from "../signing/deviceKey.js";

export type SubmitResult = {
  transactionHash: Hex;
  blockNumber: number;
  accepted: number;
  duplicates: number;
};

/** Where signed batches go. The GraphQL implementation talks to the gateway; tests may use others. */
export interface Uploader {
  readingsDomain(): Promise<ReadingsDomain>;
  submit(batch: ReadingBatch, signature: Hex): Promise<SubmitResult>;
}

/** The gateway is unreachable, overloaded, in service mode or the chain is down: try again later. */
export class GatewayUnavailableError extends RetryableError {
  override name = "GatewayUnavailableError";
}

/** The gateway refused the batch for a reason a retry cannot fix (validation, unknown meter, …). */
export class GatewayRejectedError extends NonRetryableError {
  override name = "GatewayRejectedError";
}

/**
 * The gateway refused the device itself (bad signature, key not registered or revoked for a meter):
 * nothing can be sent until that is fixed. A kind of {@link GatewayRejectedError}; the upload loop
 * checks for it first and pauses instead of splitting and quarantining.
 */
export class DeviceRefusedByGatewayError extends GatewayRejectedError {
  override name = "DeviceRefusedByGatewayError";
}

/**
 * Codes that mean "later", for answers without `extensions.retryable` (the gateway's own errors
 * carry it; errors from the GraphQL layer and proxies do not). `INTERNAL` is an unexpected failure
 * inside the gateway (e.g. waiting for a receipt timed out), not a verdict on the readings.
 * Unknown codes from 5xx/429/408 answers and network failures are retryable too.
 */
export const RETRYABLE_CODES = new Set([
  "SERVICE_MODE",
  "CHAIN_UNAVAILABLE",
  "REVERTED",
  "INTERNAL",
  "INTERNAL_SERVER_ERROR",
  "RATE_LIMITED",
  "TOO_MANY_REQUESTS",
  "TIMEOUT",
]);
/**
 * Codes that concern the device, not the readings: do not split or quarantine, pause and report.
 * `UNAUTHORIZED_DEVICE`: the signer is not an active key of every meter in the batch (the address
 * is not registered yet, or registered for other meters); `UNKNOWN_DEVICE` is kept for older gateways.
 */
export const DEVICE_CODES = new Set([
  "BAD_SIGNATURE",
  "UNAUTHORIZED_DEVICE",
  "REVOKED_DEVICE",
  "UNKNOWN_DEVICE",
]);

/**
 * Maps a gateway error to the error class the upload loop acts on. Device codes come first (pause);
 * then the gateway's own `extensions.retryable` when it sent one; then the code tables and the HTTP
 * status. Everything else is a refusal of the readings (split, then quarantine the one refused).
 */
export function classifyGatewayError(
  code: string | undefined,
  httpStatus: number | undefined,
  message: string,
  retryable?: boolean,
): Error {
  const text = `Gateway refused the batch: ${code ?? `HTTP ${httpStatus ?? "?"}`}`;
  if (code && DEVICE_CODES.has(code))
    return new DeviceRefusedByGatewayError(text, { code, details: message });
  if (retryable === true) return new GatewayUnavailableError(text, { code, details: message });
  if (retryable === false) return new GatewayRejectedError(text, { code, details: message });
  if (code && RETRYABLE_CODES.has(code)) return new GatewayUnavailableError(text, { code, details: message });
  if (httpStatus !== undefined && (httpStatus >= 500 || httpStatus === 429 || httpStatus === 408)) {
    return new GatewayUnavailableError(text, { code, details: message });
  }
  return new GatewayRejectedError(text, { code, details: message });
}
