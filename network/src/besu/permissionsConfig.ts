import type { Hex } from "viem";
import { InvalidPermissionsFileError } from "../errors.js";
import { formatEnode, parseEnode } from "./enode.js";
import { parseAddress } from "./parseAddress.js";

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

/**
 * Reads the two allowlists back from a permissions file written by us or rewritten by Besu.
 * Accepts the pre-2020 `*-whitelist` key names too, as Besu does.
 *
 * @param text - The TOML text.
 * @throws {InvalidPermissionsFileError} If a list is missing, malformed, or holds a bad entry.
 */
export function parsePermissionsConfig(text: string): PermissionsConfig {
  const read = (key: string, legacy: string): string[] => {
    const line = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => !l.startsWith("#") && new RegExp(`^(${key}|${legacy})\\s*=`).test(l));
    if (line === undefined) throw new InvalidPermissionsFileError(`The permissions file has no ${key} line`);
    const value = line.slice(line.indexOf("=") + 1).trim();
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) return parsed;
    } catch {
      // fall through to the error below
    }
    throw new InvalidPermissionsFileError(`The ${key} line is not a one-line array of strings`, {
      details: line,
    });
  };
  try {
    return {
      nodes: read(NODES_KEY, "nodes-whitelist").map((url) => formatEnode(parseEnode(url))),
      accounts: read(ACCOUNTS_KEY, "accounts-whitelist").map(
        (a) => parseAddress(a, "allowlisted account").toLowerCase() as Hex,
      ),
    };
  } catch (cause) {
    if (cause instanceof InvalidPermissionsFileError) throw cause;
    throw new InvalidPermissionsFileError("The permissions file holds an invalid entry", { cause });
  }
}
