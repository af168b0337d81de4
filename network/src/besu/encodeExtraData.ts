import { type Hex, isHex, size, toRlp } from "viem";
import { InvalidExtraDataError } from "../errors.js";
import { parseAddress } from "./parseAddress.js";

/** A pending validator vote carried in a block header: add or drop `recipient`. */
export type QbftVote = { recipient: Hex; add: boolean };

/** The five fields of QBFT `extraData`, in the order Besu's `QbftExtraDataCodec` writes them. */
export type EncodeExtraDataParameters = {
  /** 32 bytes of free data. Default: 32 zero bytes, as every genesis in the Besu docs uses. */
  vanity?: Hex | undefined;
  /** Validator addresses, kept in the caller's order (the order changes the genesis hash). */
  validators: readonly Hex[];
  /** The vote of the proposer. Default: no vote, which QBFT writes as an empty list. */
  vote?: QbftVote | undefined;
  /** The consensus round. Default: 0 (a genesis block). */
  round?: number | undefined;
  /** 65-byte commit seals (`r ‖ s ‖ v`). Default: none (a genesis block). */
  seals?: readonly Hex[] | undefined;
};

export type EncodeExtraDataReturnType = Hex;

const ZERO_VANITY: Hex = `0x${"00".repeat(32)}`;

/**
 * Encodes QBFT header `extraData`: `RLP([vanity, [validators…], vote, round, [seals…]])`.
 *
 * The QBFT form differs from IBFT 2.0 in two places that are easy to get wrong and that make Besu
 * reject the genesis: "no vote" is an empty *list* (`c0`, not `80`), and the round is an RLP
 * *scalar* (round 0 is `80`, not the 4-byte `84 00000000`). A genesis therefore ends in `…c080c0`.
 *
 * @param parameters - {@link EncodeExtraDataParameters}
 * @returns The RLP bytes as hex, ready for the genesis `extraData` field.
 *
 * @example
 * ```ts
 * import { encodeExtraData } from "@gridledger/network";
 * const extraData = encodeExtraData({ validators: ["0x93917cadbace5dfce132b991732c6cda9bcc5b8a"] });
 * ```
 */
export function encodeExtraData(parameters: EncodeExtraDataParameters): EncodeExtraDataReturnType {
  const { vanity = ZERO_VANITY, validators, vote, round = 0, seals = [] } = parameters;
  if (!isHex(vanity, { strict: true }) || size(vanity) !== 32) {
    throw new InvalidExtraDataError("The extraData vanity must be exactly 32 bytes", { details: vanity });
  }
  if (!Number.isSafeInteger(round) || round < 0 || round > 0xffffffff) {
    throw new InvalidExtraDataError(`The round must be an integer from 0 to 2^32-1, got ${round}`);
  }
  for (const seal of seals) {
    if (!isHex(seal, { strict: true }) || size(seal) !== 65) {
      throw new InvalidExtraDataError("A commit seal must be 65 bytes (r ‖ s ‖ v)", { details: seal });
    }
  }
  const voteItem = vote
    ? // ADD is the single byte 0xff; DROP is written as an empty string (Besu's Vote.DROP_BYTE_VALUE).
      [lower(parseAddress(vote.recipient)), vote.add ? "0xff" : "0x"]
    : [];
  return toRlp([
    vanity.toLowerCase() as Hex,
    validators.map((validator) => lower(parseAddress(validator))),
    voteItem as Hex[],
    roundToScalar(round),
    seals.map((seal) => seal.toLowerCase() as Hex),
  ]);
}

/** An RLP scalar has no leading zero bytes; zero is the empty string. */
function roundToScalar(round: number): Hex {
  if (round === 0) return "0x";
  const hex = round.toString(16);
  return `0x${hex.length % 2 === 0 ? hex : `0${hex}`}`;
}

function lower(address: Hex): Hex {
  return address.toLowerCase() as Hex;
}
