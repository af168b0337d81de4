import { getAddress, type Hex, isAddress } from "viem";
import { InvalidAddressError } from "../errors.js";

export type ParseAddressReturnType = Hex;

/**
 * Checks that `value` is a 20-byte hex address and returns it EIP-55 checksummed.
 *
 * A mixed-case address must carry a correct checksum, so a mistyped character in an address
 * copied from a chat message is refused rather than silently voting for, or allowlisting, an
 * address nobody holds a key for. All-lowercase and all-uppercase forms carry no checksum and are
 * accepted.
 *
 * @param value - The text to check, e.g. a `--address` option.
 * @param what - What the address is for, used in the error message ("validator address").
 * @throws {InvalidAddressError} If the text is not an address.
 */
export function parseAddress(value: string, what = "address"): ParseAddressReturnType {
  const text = value.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new InvalidAddressError(`Invalid ${what}: ${JSON.stringify(value)}`, {
      details: "expected 0x followed by 40 hexadecimal characters (20 bytes)",
    });
  }
  const body = text.slice(2);
  const hasChecksum = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (hasChecksum && !isAddress(text, { strict: true })) {
    throw new InvalidAddressError(`Invalid ${what}: ${text} has a wrong EIP-55 checksum`, {
      details: "a character was probably mistyped; copy the address again, or give it in lowercase",
    });
  }
  return getAddress(text.toLowerCase());
}
