import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainRpcError } from "../errors.js";
import { createChainReader } from "./createChainReader.js";

/** A JSON-RPC node that refuses eth_getLogs over more than `limit` blocks the way Besu does. */
let server: Server;
let url: string;
const requested: [number, number][] = [];
let limit = 100;
let failing = false;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const { id, method, params } = JSON.parse(body);
      const reply = (payload: object) => {
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ jsonrpc: "2.0", id, ...payload }));
      };
      if (failing) {
        response.statusCode = 503;
        response.end("unavailable");
        return;
      }
      if (method !== "eth_getLogs") return reply({ error: { code: -32601, message: "no" } });
      const from = Number.parseInt(params[0].fromBlock, 16);
      const to = Number.parseInt(params[0].toBlock, 16);
      requested.push([from, to]);
      if (to - from + 1 > limit) {
        return reply({
          error: { code: -32005, message: `Requested range exceeds maximum range limit of ${limit}` },
        });
      }
      reply({ result: [] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("createChainReader().logs()", () => {
  it("halves the range until the node accepts it, never past the requested end, and grows back", async () => {
    limit = 700;
    requested.length = 0;
    const reader = createChainReader({ rpcUrl: url, addresses: [], maxRange: 5000 });
    const first = await reader.logs(1, 20_000);
    expect(first.fromBlock).toBe(1);
    expect(first.toBlock - first.fromBlock + 1).toBeLessThanOrEqual(700);
    expect(requested.map(([from, to]) => to - from + 1)).toEqual([5000, 2500, 1250, 625]);
    // Within the end asked for, even with a large range.
    const last = await reader.logs(19_990, 20_000);
    expect(last.toBlock).toBe(20_000);
    // After successes the range grows again (up to the cap), then shrinks again on refusal.
    limit = 5000;
    let from = 1;
    for (let i = 0; i < 12; i++) from = (await reader.logs(from, 1_000_000)).toBlock + 1;
    expect(reader.rangeSize()).toBe(5000);
  });

  it("reports an unavailable node as a retryable ChainRpcError", async () => {
    failing = true;
    try {
      const reader = createChainReader({ rpcUrl: url, addresses: [] });
      await expect(reader.logs(1, 10)).rejects.toBeInstanceOf(ChainRpcError);
    } finally {
      failing = false;
    }
  });
});
