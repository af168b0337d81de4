import type { LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { NonRetryableError } from "../internal/errors.js";
import { createGuardedLookup, type ResolveHost } from "./guardedLookup.js";

export type PostWebhookParameters = {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The whole attempt (resolve, connect, send, status line) must finish within this. */
  timeoutMs: number;
  /** Private, loopback and other non-public addresses are allowed (development, tests). */
  allowPrivateTargets: boolean;
  resolve?: ResolveHost | undefined;
};

/**
 * POSTs `body` to `url` over a fresh connection and resolves with the HTTP status (the response body
 * is not read; redirects are not followed). The socket's lookup is {@link createGuardedLookup}: unless
 * `allowPrivateTargets`, only public addresses are connected to. A literal IP host is checked here
 * first, because Node connects to a literal without calling lookup.
 *
 * @throws NonRetryableError `BLOCKED_ADDRESS` (the address and its range) or `BAD_URL`; network
 * errors and the timeout (`AbortError`) as Node raises them.
 */
export async function postWebhook(parameters: PostWebhookParameters): Promise<number> {
  const url = new URL(parameters.url);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new NonRetryableError(`The webhook URL's protocol ${url.protocol} is not http: or https:`, {
      code: "BAD_URL",
    });
  }
  const lookup = createGuardedLookup(parameters);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIP(host) !== 0) {
    await new Promise<LookupAddress[]>((resolve, reject) =>
      lookup(host, { all: true }, (error, addresses) =>
        error ? reject(error) : resolve(addresses as LookupAddress[]),
      ),
    );
  }
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const request = send(url, {
      method: "POST",
      headers: { ...parameters.headers, "content-length": String(Buffer.byteLength(parameters.body)) },
      lookup,
      // no pooled sockets: every attempt resolves and checks the name again
      agent: false,
      signal: AbortSignal.timeout(parameters.timeoutMs),
    });
    request.once("response", (response: IncomingMessage) => {
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    request.once("error", reject);
    request.end(parameters.body);
  });
}
