import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { NetworkError } from "../errors.js";
import { callNode } from "./callNode.js";
import type { ConsortiumDefinition } from "./initConsortium.js";

export type NetworkStatusParameters = {
  /** Validators' RPC URLs (QBFT API enabled). */
  rpcUrls: readonly string[];
  /** Consortium folder; when given, the on-chain validator set is compared with `consortium.json`. */
  dir?: string | undefined;
};

export type NodeStatus = {
  url: string;
  blockNumber: number;
  peerCount: number;
  validators: string[];
};

export type NetworkStatusReturnType = {
  nodes: NodeStatus[];
  /** Disagreements found; empty when the network looks healthy. */
  problems: string[];
};

/**
 * Asks each node for its head, its peers and the validator set of the latest block, and lists what
 * looks wrong: nodes that disagree on the validators, a node without peers, and validators on chain
 * that differ from `consortium.json` (a node started with a missing or wrong key silently becomes a
 * non-validator, besu-qbft.md pitfall 4).
 *
 * @throws {NodeRpcError} If a node does not answer.
 */
export async function networkStatus(parameters: NetworkStatusParameters): Promise<NetworkStatusReturnType> {
  if (parameters.rpcUrls.length === 0)
    throw new NetworkError("Give the RPC URL of at least one validator with --rpc");
  const nodes: NodeStatus[] = [];
  for (const url of parameters.rpcUrls) {
    const [blockNumber, peerCount, validators] = await Promise.all([
      callNode({ url, method: "eth_blockNumber", params: [] }),
      callNode({ url, method: "net_peerCount", params: [] }),
      callNode({ url, method: "qbft_getValidatorsByBlockNumber", params: ["latest"] }),
    ]);
    nodes.push({
      url,
      blockNumber: Number(BigInt(blockNumber as string)),
      peerCount: Number(BigInt(peerCount as string)),
      validators: (validators as string[]).map((v) => v.toLowerCase()).sort(),
    });
  }
  const problems: string[] = [];
  const reference = nodes[0]!.validators.join(",");
  for (const node of nodes) {
    if (node.peerCount === 0) problems.push(`${node.url} has no peers`);
    if (node.validators.join(",") !== reference)
      problems.push(`${node.url} sees other validators than ${nodes[0]!.url}`);
  }
  if (parameters.dir !== undefined) {
    const file = path.join(parameters.dir, "consortium.json");
    if (!existsSync(file)) throw new NetworkError(`${parameters.dir} has no consortium.json`);
    const definition = JSON.parse(readFileSync(file, "utf8")) as ConsortiumDefinition;
    const expected = definition.nodes
      .filter((n) => n.role === "validator")
      .map((n) => n.address.toLowerCase())
      .sort();
    const onChain = nodes[0]!.validators;
    const missing = expected.filter((a) => !onChain.includes(a));
    const extra = onChain.filter((a) => !expected.includes(a));
    // After votes the set legitimately differs from the genesis one: report, do not judge.
    if (missing.length > 0)
      problems.push(`validators in consortium.json but not on chain: ${missing.join(", ")}`);
    if (extra.length > 0)
      problems.push(`validators on chain but not in consortium.json: ${extra.join(", ")}`);
  }
  return { nodes, problems };
}
