import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { NonRetryableError } from "../internal/errors.js";
import { blockedAddressReason } from "./blockedAddressReason.js";

/** Resolves a host name to all its addresses (`dns.lookup` with `all: true`); injectable for tests. */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: ResolveHost = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

/**
 * A socket `lookup` that resolves the host and, unless `allowPrivateTargets`, refuses the connection
 * when any resolved address is not public ({@link blockedAddressReason}) — all of them, not only the
 * one tried first, so Happy Eyeballs cannot fall back to a private one. A socket connects to exactly
 * the addresses its lookup returns, so the address checked is the address connected to: a name that
 * answers public once and private later (DNS rebinding) is refused at the attempt that would reach
 * the private one. A literal IP host is passed through the same check.
 *
 * @dev The refusal is a NonRetryableError `BLOCKED_ADDRESS` naming the address and its range.
 */
export function createGuardedLookup(parameters: {
  allowPrivateTargets: boolean;
  resolve?: ResolveHost | undefined;
}): LookupFunction {
  const resolveHost = parameters.resolve ?? systemResolve;
  return (hostname, options, callback) => {
    const family = isIP(hostname);
    const resolved = family !== 0 ? Promise.resolve([{ address: hostname, family }]) : resolveHost(hostname);
    resolved.then(
      (found) => {
        if (!parameters.allowPrivateTargets) {
          // all of them, also those of a family the socket did not ask for
          for (const { address } of found) {
            const reason = blockedAddressReason(address);
            if (reason) {
              const error = new NonRetryableError(`${address} is ${reason}`, {
                code: "BLOCKED_ADDRESS",
                details: "webhooks are delivered only to public addresses (docs/security.md)",
              });
              return callback(error as NodeJS.ErrnoException, "", 0);
            }
          }
        }
        const addresses = found.filter((each) => !options.family || each.family === options.family);
        if (addresses.length === 0) {
          const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
          return callback(error, "", 0);
        }
        // Happy Eyeballs (autoSelectFamily) asks for all addresses, a plain connect for one
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}
