import { type Hex, isAddress, keccak256, toHex } from "viem";
import { NonRetryableError } from "../../../internal/errors.js";

const UINT = /^(0|[1-9]\d{0,77})$/;

/**
 * Numbers the index keeps as JavaScript numbers (amounts, payment numbers, prices, thresholds) must
 * stay below 2^53: the indexer stops rather than round one, so a larger value would halt it for
 * everybody. Such uint64 arguments are parsed with `bits` 53.
 */
export const MAX_INDEXED_INTEGER = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Parsers of the actions' arguments: each refuses a bad value with a specific code naming the
 * argument, before anything is signed.
 */
export function parseUint(
  value: string,
  name: string,
  bits: 32 | 40 | 53 | 56 | 64 | 256,
  code = "BAD_USER_INPUT",
): bigint {
  if (!UINT.test(value)) {
    throw new NonRetryableError(`${name} must be a non-negative decimal integer`, {
      code,
      details: `got "${value}"`,
    });
  }
  const parsed = BigInt(value);
  const limit = bits === 53 ? MAX_INDEXED_INTEGER : (1n << BigInt(bits)) - 1n;
  if (parsed > limit) {
    throw new NonRetryableError(`${name} is larger than ${limit}`, { code, details: `got ${value}` });
  }
  return parsed;
}

/** A positive id (meter, account, group, plan: uint64; invoice: uint256 `accountId << 32 | periodId`). */
export function parseId(value: string, name: string, bits: 64 | 256 = 64): bigint {
  const id = parseUint(value, name, bits, "INVALID_ID");
  if (id === 0n) throw new NonRetryableError(`${name} must not be 0`, { code: "INVALID_ID" });
  return id;
}

/** Money in kopecks, positive, below 2^53 (about 90 trillion roubles; see {@link MAX_INDEXED_INTEGER}). */
export function parseKopecks(value: string, name: string): bigint {
  const amount = parseUint(value, name, 53, "INVALID_AMOUNT");
  if (amount === 0n) throw new NonRetryableError(`${name} must be positive`, { code: "INVALID_AMOUNT" });
  return amount;
}

/** Text stored in a bytes32 (right-padded UTF-8), 1-32 bytes. */
export function textToBytes32(value: string, name: string, code = "INVALID_TEXT"): Hex {
  const trimmed = value.trim();
  const bytes = new TextEncoder().encode(trimmed);
  if (bytes.length === 0 || bytes.length > 32) {
    throw new NonRetryableError(`${name} must be 1-32 bytes of UTF-8 (about 16 Cyrillic letters)`, {
      code,
      details: `"${trimmed}" is ${bytes.length} bytes`,
    });
  }
  if (hasControlCharacters(trimmed)) {
    throw new NonRetryableError(`${name} must not contain control characters`, { code });
  }
  const padded = new Uint8Array(32);
  padded.set(bytes);
  return toHex(padded);
}

/** An ISO 8601 time with an explicit zone, as Unix seconds. */
export function parseTime(value: string, name: string): number {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const ms = Date.parse(value);
  if (!hasZone || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) {
    throw new NonRetryableError(
      `${name} must be an ISO 8601 time with a zone, e.g. 2026-12-01T00:00:00+03:00`,
      {
        code: "INVALID_DATE",
        details: `got "${value}"`,
      },
    );
  }
  if (ms % 1000 !== 0) throw new NonRetryableError(`${name} must be whole seconds`, { code: "INVALID_DATE" });
  return ms / 1000;
}

export function parseAddress(value: string, name: string): `0x${string}` {
  if (!isAddress(value, { strict: false })) {
    throw new NonRetryableError(`${name} is not an address`, {
      code: "INVALID_ADDRESS",
      details: `got "${value}"`,
    });
  }
  return value.toLowerCase() as `0x${string}`;
}

/** keccak256 of the UTF-8 text: how free text (a dispute reason, a profile) is anchored on chain. */
export function hashText(text: string): Hex {
  return keccak256(toHex(text));
}

/** Whether `text` holds a C0 control character (tab, newline, NUL, …). */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}
