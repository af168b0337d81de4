import { IndexerDataError } from "../errors.js";

/** A chain integer as a JS number; refuses (stops the indexer) rather than round above 2^53. */
export function toSafeNumber(value: bigint | number, what: string): number {
  if (typeof value === "number") return value;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new IndexerDataError(`${what} ${value} does not fit the index`, "values above 2^53 are not stored");
  }
  return Number(value);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A bytes32 that carries text on chain (viem `toHex(text, { size: 32 })` pads on the right) as that
 * text; the hex itself when it is not printable UTF-8. Trailing zero bytes are dropped.
 */
export function bytes32ToText(hex: string): string {
  let end = hex.length;
  while (end > 2 && hex.slice(end - 2, end) === "00") end -= 2;
  if (end === 2) return "";
  const bytes = new Uint8Array((end - 2) / 2);
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Number.parseInt(hex.slice(2 + index * 2, 4 + index * 2), 16);
  }
  try {
    const text = utf8.decode(bytes);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
    if (/[\u0000-\u001f\u007f]/.test(text)) return hex.toLowerCase();
    return text;
  } catch {
    return hex.toLowerCase();
  }
}

export const ZERO_BYTES32 = `0x${"0".repeat(64)}`;

/** JSON-safe copy of decoded event arguments: bigints become decimal strings. */
export function jsonArgs(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(jsonArgs);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = jsonArgs(item);
    return out;
  }
  return value;
}
