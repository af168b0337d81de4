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

/** The gateway refused the device itself (bad signature, revoked key): nothing can be sent until fixed. */
export class DeviceRefusedByGatewayError extends NonRetryableError {
  override name = "DeviceRefusedByGatewayError";
}

/** Codes that mean "later". Unknown codes from 5xx/network are retryable too. */
export const RETRYABLE_CODES = new Set([
  "SERVICE_MODE",
  "CHAIN_UNAVAILABLE",
  "INTERNAL_SERVER_ERROR",
  "RATE_LIMITED",
  "TOO_MANY_REQUESTS",
  "TIMEOUT",
]);
/** Codes that concern the device, not the readings: do not split or quarantine, pause and report. */
export const DEVICE_CODES = new Set(["BAD_SIGNATURE", "REVOKED_DEVICE", "UNKNOWN_DEVICE"]);

/** Maps a gateway error (code, HTTP status) to the error class the upload loop acts on. */
export function classifyGatewayError(
  code: string | undefined,
  httpStatus: number | undefined,
  message: string,
): Error {
  const text = `Gateway refused the batch: ${code ?? `HTTP ${httpStatus ?? "?"}`}`;
  if (code && DEVICE_CODES.has(code))
    return new DeviceRefusedByGatewayError(text, { code, details: message });
  if (code && RETRYABLE_CODES.has(code)) return new GatewayUnavailableError(text, { code, details: message });
  if (httpStatus !== undefined && (httpStatus >= 500 || httpStatus === 429 || httpStatus === 408)) {
    return new GatewayUnavailableError(text, { code, details: message });
  }
  return new GatewayRejectedError(text, { code, details: message });
}
