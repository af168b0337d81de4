import { isIP } from "node:net";
import { InvalidEnodeError } from "../errors.js";

/** The parts of an enode URL as Besu's `EnodeURLImpl` reads them. */
export type Enode = {
  /** 64-byte public key, lowercase, without 0x. */
  nodeId: string;
  /** IPv4 or IPv6 address (Besu needs `--Xdns-enabled` for host names, which we do not use). */
  ip: string;
  /** TCP listening port (RLPx). */
  port: number;
  /** UDP discovery port when it differs from `port`. */
  discoveryPort?: number | undefined;
};

// secp256k1 field prime and curve y² = x³ + 7: a 128-hex string that is not a point on the curve
// cannot be anyone's node id, and Besu would fail the handshake with it at run time.
const P = 2n ** 256n - 2n ** 32n - 977n;

/**
 * Parses and validates an enode URL: `enode://<128 hex>@<ip>:<port>[?discport=<port>]`.
 *
 * @param url - The URL, as given on the command line or read from a file.
 * @returns The node id, IP and ports.
 * @throws {InvalidEnodeError} With a message that says which part is wrong.
 */
export function parseEnode(url: string): Enode {
  const text = url.trim();
  const fail = (problem: string): never => {
    throw new InvalidEnodeError(`Invalid enode URL ${JSON.stringify(url)}: ${problem}`, {
      details: "expected enode://<128 hex characters of the node public key>@<IP address>:<port>",
    });
  };
  const match = /^enode:\/\/([^@]*)@(\[[^\]]*\]|[^:/?]*)(?::([^?/]*))?(?:\?(.*))?$/.exec(text);
  if (!match) return fail("it does not start with enode:// or has no @");
  const [, id = "", rawHost = "", rawPort, query] = match;
  if (!/^[0-9a-fA-F]{128}$/.test(id)) {
    return fail(`the node id must be 128 hex characters (64 bytes, no 0x or 04 prefix), got ${id.length}`);
  }
  if (!isOnCurve(id)) return fail("the node id is not a secp256k1 public key");
  const ip = rawHost.startsWith("[") ? rawHost.slice(1, -1) : rawHost;
  if (isIP(ip) === 0) {
    return fail(
      `the host must be an IP address, got ${JSON.stringify(ip)} (Besu does not resolve names here)`,
    );
  }
  if (rawPort === undefined) return fail("the port is missing");
  const port = parsePort(rawPort) ?? fail(`the port must be 1-65535, got ${JSON.stringify(rawPort)}`);
  let discoveryPort: number | undefined;
  if (query !== undefined && query !== "") {
    const discport = /^discport=(.*)$/.exec(query);
    if (!discport) return fail(`the only query parameter allowed is discport, got ${JSON.stringify(query)}`);
    discoveryPort = parsePort(discport[1] ?? "") ?? fail("the discport must be 1-65535");
  }
  return { nodeId: id.toLowerCase(), ip, port, ...(discoveryPort === undefined ? {} : { discoveryPort }) };
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function isOnCurve(nodeId: string): boolean {
  const x = BigInt(`0x${nodeId.slice(0, 64)}`);
  const y = BigInt(`0x${nodeId.slice(64)}`);
  if (x >= P || y >= P) return false;
  return (y * y - (x * x * x + 7n)) % P === 0n;
}
