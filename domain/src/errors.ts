/**
 * The one error hierarchy of `@gridledger/domain`. Every error says what was wrong in a short
 * message, and carries machine-readable `code` so that the gateway and the agent can map it to an
 * API error code without parsing text.
 */
export type DomainErrorParameters = {
  code: string;
  details?: string | undefined;
  cause?: unknown;
};

export class DomainError extends Error {
  override name = "DomainError";
  readonly code: string;
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, { code, details, cause }: DomainErrorParameters) {
    super(details ? `${shortMessage}\n\nDetails: ${details}` : shortMessage, { cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = details;
  }
}

/** A value is outside what the domain allows (a negative energy, an unaligned interval, …). */
export class InvalidValueError extends DomainError {
  override name = "InvalidValueError";
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { code: "INVALID_VALUE", details });
  }
}

/** A text could not be parsed into a domain value (an amount, an identifier, a date). */
export class ParseError extends DomainError {
  override name = "ParseError";
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { code: "PARSE_ERROR", details });
  }
}
