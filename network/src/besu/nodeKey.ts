import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { InvalidKeyError } from "../errors.js";
import { nodeAddress } from "./nodeAddress.js";

/** A Besu node identity: the secp256k1 key that signs P2P handshakes and, on validators, blocks. */
export type NodeKey = {
  /** 32-byte private key. Never logged, never committed. */
  privateKey: Hex;
  /** 64-byte uncompressed public key without the `04` prefix: the enode id. */
  publicKey: Hex;
  /** Node address = last 20 bytes of keccak256(publicKey); for a validator, its validator address. */
  address: Hex;
};

export type NodeKeyParameters = {
  /** An existing private key (hex, with or without 0x). Default: a fresh random key. */
  privateKey?: string | undefined;
};

export type NodeKeyReturnType = NodeKey;

/**
 * Creates a node identity, or derives one from an existing private key.
 *
 * @param parameters - {@link NodeKeyParameters}
 * @returns The private key, the enode public key and the node address.
 * @throws {InvalidKeyError} If the private key is not 32 bytes of hex or not a valid scalar.
 */
export function nodeKey(parameters: NodeKeyParameters = {}): NodeKeyReturnType {
  const privateKey =
    parameters.privateKey === undefined ? generatePrivateKey() : normalise(parameters.privateKey);
  let uncompressed: Hex;
  try {
    uncompressed = privateKeyToAccount(privateKey).publicKey;
  } catch (cause) {
    throw new InvalidKeyError("The node private key is not a valid secp256k1 key", { cause });
  }
  const publicKey = `0x${uncompressed.slice(4)}` as Hex;
  return { privateKey, publicKey, address: nodeAddress(publicKey) };
}

function normalise(privateKey: string): Hex {
  const hex = (
    privateKey.trim().startsWith("0x") ? privateKey.trim() : `0x${privateKey.trim()}`
  ).toLowerCase();
  if (!/^0x[0-9a-f]{64}$/.test(hex)) {
    throw new InvalidKeyError("A node private key must be 32 bytes (64 hex characters)");
  }
  return hex as Hex;
}
