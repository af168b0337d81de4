import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export type HttpResponse = { status: number; statusText: string; text: string };

/**
 * POSTs a JSON body with Node's built-in `http`/`https` client. The agent uses this instead of the
 * global `fetch` by default because, on a 32-meter Pi, undici (the engine behind `fetch`) adds about
 * 14 MB of resident memory against a budget of 80 MB; `node:http` adds about 2 MB.
 */
export function postJson(
  url: string,
  body: string,
  options: { timeoutMs: number; headers?: Record<string, string> },
): Promise<HttpResponse> {
  const target = new URL(url);
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...options.headers,
        },
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? "",
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** The same through the global `fetch` (undici). */
export async function postJsonWithFetch(
  url: string,
  body: string,
  options: { timeoutMs: number; headers?: Record<string, string> },
): Promise<HttpResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    body,
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  return {
    status: response.status,
    statusText: response.statusText,
    text: await response.text().catch(() => ""),
  };
}
