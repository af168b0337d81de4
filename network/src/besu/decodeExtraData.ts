import { fromRlp, type Hex, hexToNumber, isHex, size } from "viem";
import { InvalidExtraDataError } from "../errors.js";
import type { QbftVote } from "./encodeExtraData.js";

export type DecodeExtraDataReturnType = {
  vanity: Hex;
  /** Validator addresses, lowercase, in the order they are encoded. */
  validators: Hex[];
  vote: QbftVote | undefined;
  round: number;
  seals: Hex[];
};

/**
 * Decodes QBFT header `extraData` as strictly as Besu's `QbftExtraDataCodec` does.
 *
 * It refuses the IBFT 2.0 form (no-vote as `80`, round as 4 fixed bytes), non-canonical RLP and
 * trailing bytes, so that a genesis written by hand or by another tool can be checked before the
 * consortium starts on it.
 *
 * @param extraData - The header or genesis `extraData` as hex.
 * @returns The vanity, validators, vote, round and seals.
 * @throws {InvalidExtraDataError} If the bytes are not QBFT extraData.
 */
export function decodeExtraData(extraData: Hex): DecodeExtraDataReturnType {
  if (!isHex(extraData, { strict: true })) {
    throw new InvalidExtraDataError("extraData is not hex", { details: String(extraData) });
  }
  let decoded: unknown;
  try {
    decoded = fromRlp(extraData, "hex");
  } catch (cause) {
    throw new InvalidExtraDataError("extraData is not valid RLP", { cause });
  }
  if (!Array.isArray(decoded) || decoded.length !== 5) {
    throw new InvalidExtraDataError("QBFT extraData must be an RLP list of 5 items", {
      details: "vanity, validators, vote, round, seals",
    });
  }
  const [vanity, validators, vote, round, seals] = decoded as unknown[];
  if (typeof vanity !== "string" || size(vanity as Hex) !== 32) {
    throw new InvalidExtraDataError("The extraData vanity must be a 32-byte string");
  }
  if (
    !Array.isArray(validators) ||
    !validators.every((v) => typeof v === "string" && size(v as Hex) === 20)
  ) {
    throw new InvalidExtraDataError("The extraData validators must be a list of 20-byte addresses");
  }
  if (!Array.isArray(vote)) {
    throw new InvalidExtraDataError("The extraData vote must be a list", {
      details: "an empty string here is the IBFT 2.0 encoding; QBFT writes no vote as an empty list",
    });
  }
  if (typeof round !== "string") {
    throw new InvalidExtraDataError("The extraData round must be a string (an RLP scalar)");
  }
  if (round.startsWith("0x00")) {
    throw new InvalidExtraDataError("The extraData round must be an RLP scalar without leading zeros", {
      details: "a fixed 4-byte round is the IBFT 2.0 encoding, which QBFT rejects",
    });
  }
  if (size(round as Hex) > 4) {
    throw new InvalidExtraDataError("The extraData round must fit in 4 bytes");
  }
  if (!Array.isArray(seals) || !seals.every((s) => typeof s === "string" && size(s as Hex) === 65)) {
    throw new InvalidExtraDataError("The extraData seals must be a list of 65-byte signatures");
  }
  return {
    vanity: vanity as Hex,
    validators: validators as Hex[],
    vote: decodeVote(vote),
    round: round === "0x" ? 0 : hexToNumber(round as Hex),
    seals: seals as Hex[],
  };
}

function decodeVote(vote: unknown[]): QbftVote | undefined {
  if (vote.length === 0) return undefined;
  const [recipient, kind] = vote;
  if (vote.length !== 2 || typeof recipient !== "string" || size(recipient as Hex) !== 20) {
    throw new InvalidExtraDataError("The extraData vote must be [20-byte recipient, vote type]");
  }
  if (kind === "0xff") return { recipient: recipient as Hex, add: true };
  if (kind === "0x") return { recipient: recipient as Hex, add: false };
  throw new InvalidExtraDataError("The extraData vote type must be 0xff (add) or empty (drop)", {
    details: String(kind),
  });
}
