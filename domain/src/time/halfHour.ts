import { InvalidValueError } from "../errors.js";

/**
 * Half-hour interval arithmetic. An interval is named by its END, in Unix seconds (UTC), aligned
 * to :00 or :30 — the convention of meter load profiles and of the ledger, where a reading is
 * identified by (meter, interval end).
 */
export const HALF_HOUR_SECONDS = 1800;

export type UnixSeconds = number;

/** True when `seconds` falls exactly on :00 or :30 UTC. */
export function isHalfHourAligned(seconds: UnixSeconds): boolean {
  return Number.isSafeInteger(seconds) && seconds % HALF_HOUR_SECONDS === 0;
}

/** The boundary at or before `seconds`. */
export function alignDownToHalfHour(seconds: UnixSeconds): UnixSeconds {
  assertSeconds(seconds);
  return seconds - mod(seconds, HALF_HOUR_SECONDS);
}

/** The boundary at or after `seconds`. */
export function alignUpToHalfHour(seconds: UnixSeconds): UnixSeconds {
  const down = alignDownToHalfHour(seconds);
  return down === seconds ? down : down + HALF_HOUR_SECONDS;
}

/** The end of the interval that contains the instant `seconds` (an instant on a boundary ends the previous interval). */
export function intervalEndContaining(seconds: UnixSeconds): UnixSeconds {
  return alignUpToHalfHour(seconds);
}

/** Throws unless `intervalEnd` is a valid aligned interval end. */
export function assertIntervalEnd(intervalEnd: UnixSeconds): void {
  if (!isHalfHourAligned(intervalEnd)) {
    throw new InvalidValueError(
      `Interval end ${intervalEnd} is not aligned to a half hour`,
      "interval ends fall on :00 or :30 UTC (a multiple of 1800 seconds)",
    );
  }
}

/** Interval ends after `fromExclusive` up to and including `toInclusive`, oldest first. */
export function intervalEndsBetween(fromExclusive: UnixSeconds, toInclusive: UnixSeconds): UnixSeconds[] {
  const first = alignDownToHalfHour(fromExclusive) + HALF_HOUR_SECONDS;
  const ends: UnixSeconds[] = [];
  for (let end = first; end <= toInclusive; end += HALF_HOUR_SECONDS) ends.push(end);
  return ends;
}

/** Number of whole half hours from `fromEnd` to `toEnd`, both aligned. */
export function halfHoursBetween(fromEnd: UnixSeconds, toEnd: UnixSeconds): number {
  assertIntervalEnd(fromEnd);
  assertIntervalEnd(toEnd);
  return (toEnd - fromEnd) / HALF_HOUR_SECONDS;
}

function assertSeconds(seconds: number): void {
  if (!Number.isSafeInteger(seconds)) {
    throw new InvalidValueError(`Not a whole number of seconds: ${seconds}`);
  }
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}
