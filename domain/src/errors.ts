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

/**
 * Zone hours of a multi-zone tariff leave part of the day without a zone. Carries how many minutes
 * of the 1 440 are covered. Mirrors the Solidity error `BillingZoneHoursIncomplete(uint16 coveredMinutes)`.
 */
export class ZoneHoursIncompleteError extends DomainError {
  override name = "ZoneHoursIncompleteError";
  readonly coveredMinutes: number;
  constructor(coveredMinutes: number) {
    super(`Zone hours cover ${coveredMinutes} of 1440 minutes`, {
      code: "BILLING_ZONE_HOURS_INCOMPLETE",
      details: "the zones of a tariff must together cover the whole day (24 h) exactly once",
    });
    this.coveredMinutes = coveredMinutes;
  }
}

/**
 * Two zones of a tariff claim the same half hour. Carries the first local minute of that half hour.
 * Mirrors the Solidity error `BillingZoneHoursOverlap(uint16 minute)`.
 */
export class ZoneHoursOverlapError extends DomainError {
  override name = "ZoneHoursOverlapError";
  readonly minute: number;
  constructor(minute: number) {
    super(`Zone hours overlap at local minute ${minute}`, {
      code: "BILLING_ZONE_HOURS_OVERLAP",
      details: "every half hour of the day belongs to exactly one zone",
    });
    this.minute = minute;
  }
}
