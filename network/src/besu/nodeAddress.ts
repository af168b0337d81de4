import { type Hex, isHex, keccak256, size } from "viem";
import { InvalidKeyError } from "../errors.js";

/**
 * Derives the node address from a 64-byte enode public key, the way Besu does
 * (`Util.publicKeyToAddress`): the last 20 bytes of keccak256 over the 64 bytes, without `04`.
 *
 * @param publicKey - 64-byte public key (128 hex characters), with or without 0x.
 * @returns The lowercase address.
 */
export function nodeAddress(publicKey: string): Hex {
  const hex = (publicKey.startsWith("0x") ? publicKey : `0x${publicKey}`).toLowerCase() as Hex;
  if (!isHex(hex, { strict: true }) || size(hex) !== 64) {
    throw new InvalidKeyError("A node public key must be 64 bytes (128 hex characters, no 04 prefix)", {
      details: publicKey,
    });
  }
  return `0x${keccak256(hex).slice(-40)}`;
}
