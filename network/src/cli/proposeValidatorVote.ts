import { parseAddress } from "../besu/parseAddress.js";
import { NetworkError } from "../errors.js";
import { callNode } from "./callNode.js";

export type ProposeValidatorVoteParameters = {
  /** The node address of the validator to add or remove. */
  address: string;
  /** `true` to add, `false` to remove. */
  add: boolean;
  /** RPC URLs of the current validators that vote (QBFT API enabled). */
  rpcUrls: readonly string[];
};

export type ProposeValidatorVoteReturnType = { address: string; votes: string[] };

/**
 * Casts a validator vote with `qbft_proposeValidatorVote` on each given validator. The change takes
 * effect once more than half of the current validators have voted the same way; each validator
 * puts its vote into the next block it proposes, and re-casts it after an epoch boundary until
 * the vote is discarded with `qbft_discardValidatorVote`.
 *
 * @throws {InvalidAddressError} For a malformed address (nothing is sent).
 * @throws {NodeRpcError} If a node refuses the vote.
 */
export async function proposeValidatorVote(
  parameters: ProposeValidatorVoteParameters,
): Promise<ProposeValidatorVoteReturnType> {
  const address = parseAddress(parameters.address, "validator address").toLowerCase();
  if (parameters.rpcUrls.length === 0)
    throw new NetworkError("Give the RPC URL of at least one validator with --rpc");
  const votes: string[] = [];
  for (const url of parameters.rpcUrls) {
    await callNode({ url, method: "qbft_proposeValidatorVote", params: [address, parameters.add] });
    votes.push(url);
  }
  return { address, votes };
}
