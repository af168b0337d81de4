import type { Hex } from "viem";
import { formatEnode } from "./formatEnode.js";
import { parseAddress } from "./parseAddress.js";
import { parseEnode } from "./parseEnode.js";

/** The two allowlists of Besu's local permissioning file. */
export type PermissionsConfig = {
  /** Enode URLs of the nodes this node may connect to, canonical form. */
  nodes: string[];
  /** Accounts whose transactions this node accepts and includes, lowercase. */
  accounts: Hex[];
};

const NODES_KEY = "nodes-allowlist";
const ACCOUNTS_KEY = "accounts-allowlist";

/**
 * Writes `permissions_config.toml` for `--permissions-nodes-config-file` and
 * `--permissions-accounts-config-file`.
 *
 * Each list is written on ONE line. Besu's `AllowlistPersistor` rewrites the file after a `perm_*`
 * call by dropping every line that contains the key and appending `key=[…]`; a list spread over
 * several lines would leave its tail behind and break the file on the first API change. For the
 * same reason the header comment never names the keys.
 *
 * @param config - {@link PermissionsConfig}; entries are validated, de-duplicated and sorted.
 * @returns The TOML text.
 */
export function buildPermissionsConfig(config: PermissionsConfig): string {
  const nodes = [...new Set(config.nodes.map((url) => formatEnode(parseEnode(url))))].sort();
  const accounts = [
    ...new Set(config.accounts.map((a) => parseAddress(a, "account address").toLowerCase())),
  ].sort();
  const list = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(",")}]`;
  return [
    "# Besu local permissioning, written by `gridledger network` (docs/network.md).",
    "# Keep each list on one line: Besu rewrites this file line by line after perm_* calls.",
    `${NODES_KEY}=${list(nodes)}`,
    `${ACCOUNTS_KEY}=${list(accounts)}`,
    "",
  ].join("\n");
}
