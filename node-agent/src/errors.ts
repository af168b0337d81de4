/**
 * The one error hierarchy of `@gridledger/node-agent`. Every error has a short message, optional
 * details and a cause; loops (session retries, the upload loop) decide whether to retry by class,
 * never by message text.
 */
export type AgentErrorParameters = {
  details?: string | undefined;
  cause?: unknown;
  /** A machine-readable code, e.g. a gateway `extensions.code` or `MODBUS_EXCEPTION`. */
  code?: string | undefined;
  metaMessages?: string[] | undefined;
};

export class AgentError extends Error {
  override name = "AgentError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly code: string | undefined;
  readonly metaMessages: string[];

  constructor(shortMessage: string, parameters: AgentErrorParameters = {}) {
    const extra = [...(parameters.metaMessages ?? [])];
    if (parameters.details) extra.push(`Details: ${parameters.details}`);
    super(extra.length ? `${shortMessage}\n\n${extra.join("\n")}` : shortMessage, {
      cause: parameters.cause,
    });
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.code = parameters.code;
    this.metaMessages = parameters.metaMessages ?? [];
  }
}

/** Trying again later may succeed: a timeout, a CRC error, a gateway that is down. */
export class RetryableError extends AgentError {
  override name = "RetryableError";
}

/** Trying the same thing again will fail the same way: a Modbus exception, a validation error, bad config. */
export class NonRetryableError extends AgentError {
  override name = "NonRetryableError";
}

/** No (complete, valid) answer from the device within the timeout. */
export class TimeoutError extends RetryableError {
  override name = "TimeoutError";
}

/** Bytes arrived but the checksum (CRC/BCC) did not match. */
export class ChecksumError extends RetryableError {
  override name = "ChecksumError";
}

/** The transport (serial port, socket) failed or closed. */
export class TransportError extends RetryableError {
  override name = "TransportError";
}

/** The device answered with a protocol-level refusal (Modbus exception, Mercury status, IEC ERRxx). */
export class DeviceRefusedError extends NonRetryableError {
  override name = "DeviceRefusedError";
}

/** A frame could not be decoded (wrong length, unexpected function, malformed text). */
export class DecodeError extends NonRetryableError {
  override name = "DecodeError";
}

/** The configuration is invalid. The message names the setting. */
export class ConfigError extends NonRetryableError {
  override name = "ConfigError";
}

/** The feature cannot work on this machine (e.g. SocketCAN without kernel CAN support). */
export class UnavailableError extends NonRetryableError {
  override name = "UnavailableError";
}

/** True when the error (or the error it wraps) says that a retry may succeed. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof RetryableError) return true;
  if (error instanceof NonRetryableError) return false;
  // Unknown errors (bugs, OS errors) are treated as transient so that the service keeps running.
  return true;
}

/** One line for logs: the short message when we have one. */
export function describeError(error: unknown): string {
  if (error instanceof AgentError)
    return error.details ? `${error.shortMessage} (${error.details})` : error.shortMessage;
  if (error instanceof Error) return error.message;
  return String(error);
}
