/**
 * The one error hierarchy of `@gridledger/gateway`. Loops decide whether to retry by class
 * ({@link RetryableError} vs {@link NonRetryableError}), never by message text; API layers map
 * `code` to `extensions.code` / problem+json.
 */
export type GatewayErrorParameters = { code: string; details?: string | undefined; cause?: unknown };

export class GatewayError extends Error {
  override name = "GatewayError";
  readonly code: string;
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, { code, details, cause }: GatewayErrorParameters) {
    super(details ? `${shortMessage}\n\nDetails: ${details}` : shortMessage, { cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = details;
  }
}

/** A dependency (chain RPC, database, cache) failed in a way that may pass. */
export class RetryableError extends GatewayError {
  override name = "RetryableError";
}

/** Retrying cannot help: bad input, bad configuration, a rule refused it. */
export class NonRetryableError extends GatewayError {
  override name = "NonRetryableError";
}

/** A setting is missing, unknown or malformed; start-up stops with one line naming it. */
export class ConfigurationError extends NonRetryableError {
  override name = "ConfigurationError";
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { code: "CONFIGURATION", details });
  }
}
