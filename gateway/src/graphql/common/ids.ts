import { NonRetryableError } from "../../internal/errors.js";

/** A decimal chain id (account, meter, plan) from an argument, or BAD_USER_INPUT. */
export function parseDecimalId(value: string, what: string): number {
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new NonRetryableError(`Invalid ${what} id "${value.slice(0, 30)}"`, { code: "BAD_USER_INPUT" });
  return Number(value);
}

/** Unix seconds of an ISO 8601 instant, or BAD_USER_INPUT naming the argument. */
export function isoToSeconds(iso: string, name: string): number {
  const milliseconds = Date.parse(iso);
  if (Number.isNaN(milliseconds))
    throw new NonRetryableError(`Invalid ${name} date "${iso.slice(0, 40)}"`, { code: "BAD_USER_INPUT" });
  return Math.floor(milliseconds / 1000);
}
