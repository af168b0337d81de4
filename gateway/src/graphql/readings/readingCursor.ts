import { NonRetryableError } from "../../internal/errors.js";

/**
 * Readings pages are keyset pages (`interval_end desc, meter_id desc`): a cursor names the row it
 * follows, not an offset, so page 10,000 costs what page 1 does. Opaque to clients like every cursor.
 */
export function encodeReadingCursor(row: { intervalEnd: number; meterId: number }): string {
  return Buffer.from(`reading:${row.intervalEnd}:${row.meterId}`).toString("base64url");
}

export function decodeReadingCursor(cursor: string): { intervalEnd: number; meterId: number } {
  const match = /^reading:(\d{1,12}):(\d{1,16})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match)
    throw new NonRetryableError(`Invalid cursor "${cursor.slice(0, 40)}"`, { code: "BAD_USER_INPUT" });
  return { intervalEnd: Number(match[1]), meterId: Number(match[2]) };
}
