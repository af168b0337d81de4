import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NonRetryableError } from "../internal/errors.js";
import type { ResolveHost } from "./guardedLookup.js";
import { postWebhook } from "./postWebhook.js";

let server: Server;
let port: number;
const received: { path: string; host: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ path: request.url ?? "", host: request.headers.host, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A name server under the test's control: `hooks.test` resolves to whatever `answers` hold now. */
function resolver(answers: { address: string; family: number }[][]): ResolveHost & { calls: number } {
  const resolve = Object.assign(
    async (hostname: string) => {
      if (hostname !== "hooks.test") throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
      return answers[Math.min(resolve.calls++, answers.length - 1)]!;
    },
    { calls: 0 },
  );
  return resolve;
}

const post = (url: string, allowPrivateTargets: boolean, resolve?: ResolveHost) =>
  postWebhook({ url, headers: {}, body: '{"x":1}', timeoutMs: 2000, allowPrivateTargets, resolve });

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NonRetryableError);
  return error as NonRetryableError;
};

describe("postWebhook()", () => {
  it("connects to the address its own lookup checked: a name resolved to 127.0.0.1 reaches the receiver only when private targets are allowed", async () => {
    const before = received.length;
    const resolve = resolver([[{ address: "127.0.0.1", family: 4 }]]);
    expect(await post(`http://hooks.test:${port}/pinned`, true, resolve)).toBe(204);
    expect(received.at(-1)).toEqual({ path: "/pinned", host: `hooks.test:${port}`, body: '{"x":1}' });

    const error = await refusal(post(`http://hooks.test:${port}/refused`, false, resolve));
    expect(error.code).toBe("BLOCKED_ADDRESS");
    expect(error.shortMessage).toBe("127.0.0.1 is a loopback address (127.0.0.0/8)");
    expect(received.length).toBe(before + 1);
    expect(resolve.calls).toBe(2);
  });

  it("every resolved address is checked, not only the first", async () => {
    const resolve = resolver([
      [
        { address: "93.184.216.34", family: 4 },
        { address: "::ffff:169.254.169.254", family: 6 },
      ],
    ]);
    const error = await refusal(post(`https://hooks.test:${port}/`, false, resolve));
    expect(error.shortMessage).toMatch(
      /^::ffff:169\.254\.169\.254 is IPv4-mapped 169\.254\.169\.254, a link-local/,
    );
  });

  it("literal addresses are checked before connecting (Node skips the lookup for them)", async () => {
    const before = received.length;
    for (const [url, address] of [
      [`http://127.0.0.1:${port}/`, "127.0.0.1"],
      [`http://[::1]:${port}/`, "::1"],
      [`https://[::ffff:127.0.0.1]:${port}/`, "::ffff:7f00:1"],
      // the URL parser turns these spellings into 127.0.0.1 before the check
      [`http://0x7f.1:${port}/`, "127.0.0.1"],
      [`http://2130706433:${port}/`, "127.0.0.1"],
      ["https://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ] as const) {
      const error = await refusal(post(url, false));
      expect(error.shortMessage.startsWith(`${address} is `)).toBe(true);
    }
    expect(received.length).toBe(before);
    expect(await post(`http://127.0.0.1:${port}/literal`, true)).toBe(204);
  });

  it("the system resolver's localhost is refused over http and https, and reached when allowed", async () => {
    const before = received.length;
    for (const scheme of ["http", "https"]) {
      const error = await refusal(post(`${scheme}://localhost:${port}/`, false));
      expect(error.code).toBe("BLOCKED_ADDRESS");
      expect(error.shortMessage).toMatch(/^(127\.0\.0\.1|::1) is a loopback address/);
    }
    expect(received.length).toBe(before);
    expect(await post(`http://localhost:${port}/local`, true)).toBe(204);
    expect(received.at(-1)?.path).toBe("/local");
  });

  it("a name that does not resolve is a network error, not a refusal", async () => {
    const error = await post(`http://nowhere.test:${port}/`, false, resolver([[]])).catch(
      (caught: unknown) => caught as NodeJS.ErrnoException,
    );
    expect(error).not.toBeInstanceOf(NonRetryableError);
    expect((error as NodeJS.ErrnoException).code).toBe("ENOTFOUND");
  });
});
