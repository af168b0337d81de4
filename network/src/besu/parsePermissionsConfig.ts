import type { Hex } from "viem";
import { InvalidPermissionsFileError } from "../errors.js";
import type { PermissionsConfig } from "./buildPermissionsConfig.js";
import { formatEnode } from "./formatEnode.js";
import { parseAddress } from "./parseAddress.js";
import { parseEnode } from "./parseEnode.js";

const NODES_KEY = "nodes-allowlist";
const ACCOUNTS_KEY = "accounts-allowlist";

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
