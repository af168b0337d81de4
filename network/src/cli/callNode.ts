import { NodeRpcError } from "../errors.js";

export type CallNodeParameters = {
  /** HTTP JSON-RPC URL of the node, e.g. `http://127.0.0.1:21001`. */
  url: string;
  method: string;
  params: unknown[];
  /** Default: 10 s. */
  timeoutMs?: number | undefined;
};

/**
 * Makes one JSON-RPC call to a Besu node and returns its `result`.
 *
 * Plain fetch rather than a viem client because the calls here (`qbft_*`, `perm_*`) are not in
 * viem's typed schema and need no retries: an operator command should fail loudly and be re-run.
 *
 * @throws {NodeRpcError} On a transport failure, a non-200 answer or a JSON-RPC error object.
 */
export async function callNode({
  url,
  method,
  params,
  timeoutMs = 10_000,
}: CallNodeParameters): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new NodeRpcError(`${method} on ${url} failed: the node did not answer`, { cause });
  }
  const text = await response.text();
  let body: { result?: unknown; error?: { code?: number; message?: string } };
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new NodeRpcError(`${method} on ${url} failed: HTTP ${response.status}, not JSON-RPC`, {
      details: text.slice(0, 200),
      cause,
    });
  }
  if (body.error) {
    const hint =
      body.error.code === -32601
        ? " (is the API group enabled on this node? validators need QBFT and PERM)"
        : "";
    throw new NodeRpcError(`${method} on ${url} failed: ${body.error.message ?? "error"}${hint}`, {
      details: `JSON-RPC error code ${body.error.code}`,
    });
  }
  return body.result;
}
