import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildPermissionsConfig } from "../besu/buildPermissionsConfig.js";
import { formatEnode } from "../besu/formatEnode.js";
import { parseAddress } from "../besu/parseAddress.js";
import { parseEnode } from "../besu/parseEnode.js";
import { parsePermissionsConfig } from "../besu/parsePermissionsConfig.js";
import { NetworkError } from "../errors.js";
import { callNode } from "./callNode.js";

export type UpdateAllowlistParameters = {
  list: "nodes" | "accounts";
  action: "add" | "remove";
  /** Enode URLs (list `nodes`) or addresses (list `accounts`); validated before anything changes. */
  entries: readonly string[];
  /** A consortium folder from `network init`: every node's permissions file (and static-nodes.json) is edited. */
  dir?: string | undefined;
  /** Running nodes to change through `perm_*` (they persist the change to their own file). */
  rpcUrls?: readonly string[] | undefined;
};

export type UpdateAllowlistReturnType = {
  /** Files changed, relative to `dir`. */
  files: string[];
  /** RPC URLs that accepted the change. */
  nodes: string[];
};

/**
 * Adds entries to, or removes them from, the node or account allowlist: offline in the files of a
 * consortium folder, online on running nodes through `perm_addNodesToAllowlist` and friends, or
 * both. Every entry is validated first, so a malformed enode or address changes nothing.
 *
 * @throws {InvalidEnodeError | InvalidAddressError} For a malformed entry.
 * @throws {NodeRpcError} If a node refuses the change (the nodes before it keep theirs; re-run).
 */
export async function updateAllowlist(
  parameters: UpdateAllowlistParameters,
): Promise<UpdateAllowlistReturnType> {
  const { list, action, dir, rpcUrls = [] } = parameters;
  const entries =
    list === "nodes"
      ? parameters.entries.map((e) => formatEnode(parseEnode(e)))
      : parameters.entries.map((e) => parseAddress(e, "account address").toLowerCase());
  if (entries.length === 0) throw new NetworkError(`No ${list === "nodes" ? "enode" : "address"} given`);
  if (dir === undefined && rpcUrls.length === 0) {
    throw new NetworkError("Nothing to change: give --dir (consortium folder) and/or --rpc (running nodes)");
  }

  const files: string[] = [];
  if (dir !== undefined) {
    const nodesDir = path.join(dir, "nodes");
    if (!existsSync(nodesDir)) throw new NetworkError(`${dir} is not a consortium folder (no nodes/ in it)`);
    for (const node of readdirSync(nodesDir).sort()) {
      const relative = path.join("nodes", node, "permissions_config.toml");
      const file = path.join(dir, relative);
      if (!existsSync(file)) continue;
      const current = parsePermissionsConfig(readFileSync(file, "utf8"));
      writeFileSync(
        file,
        buildPermissionsConfig({ ...current, [list]: apply(current[list], entries, action) }),
      );
      files.push(relative);
    }
    const staticNodes = path.join(dir, "static-nodes.json");
    if (list === "nodes" && existsSync(staticNodes)) {
      const current = (JSON.parse(readFileSync(staticNodes, "utf8")) as string[]).map((e) =>
        formatEnode(parseEnode(e)),
      );
      writeFileSync(staticNodes, `${JSON.stringify(apply(current, entries, action).sort(), null, 2)}\n`);
      files.push("static-nodes.json");
    }
  }

  const method = `perm_${action}${list === "nodes" ? "Nodes" : "Accounts"}${action === "add" ? "To" : "From"}Allowlist`;
  const nodes: string[] = [];
  for (const url of rpcUrls) {
    // Both methods take the list as their single parameter: params = [[…]].
    await callNode({ url, method, params: [entries] });
    nodes.push(url);
  }
  return { files, nodes };
}

function apply<T extends string>(
  current: readonly T[],
  entries: readonly string[],
  action: "add" | "remove",
): T[] {
  const set = new Set<string>(current);
  for (const entry of entries) {
    if (action === "add") set.add(entry);
    else set.delete(entry);
  }
  return [...set] as T[];
}
