import { isIP } from "node:net";
import type { Hex } from "viem";
import { parseEnode } from "./parseEnode.js";

/**
 * Formats an enode URL in the canonical form Besu prints and compares (lowercase id, no 0x).
 *
 * @param enode - The parts; `nodeId` may carry 0x.
 * @returns `enode://<id>@<ip>:<port>` (with `?discport=` only when it differs from `port`).
 */
export function formatEnode(enode: {
  nodeId: string | Hex;
  ip: string;
  port: number;
  discoveryPort?: number | undefined;
}): string {
  const id = enode.nodeId.replace(/^0x/, "").toLowerCase();
  const host = isIP(enode.ip) === 6 ? `[${enode.ip}]` : enode.ip;
  const discport =
    enode.discoveryPort !== undefined && enode.discoveryPort !== enode.port
      ? `?discport=${enode.discoveryPort}`
      : "";
  const url = `enode://${id}@${host}:${enode.port}${discport}`;
  // Round-trip through the parser so that no malformed URL is ever written to a file.
  parseEnode(url);
  return url;
}
