import { PassThrough } from "node:stream";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createGatewayServer, type GatewayServer } from "../server/createGatewayServer.js";
import { createModeController } from "./createModeController.js";

describe("structured logs", () => {
  const lines: Record<string, unknown>[] = [];
  let gateway: GatewayServer;

  beforeAll(async () => {
    const stream = new PassThrough();
    let buffer = "";
    stream.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
        lines.push(JSON.parse(buffer.slice(0, end)) as Record<string, unknown>);
        buffer = buffer.slice(end + 1);
      }
    });
    const modes = createModeController({ probes: {} });
    modes.enterServiceMode({
      message: "Замена диска",
      plannedEnd: new Date(Date.now() + 600_000),
      by: "operator",
    });
    const unused = "http://127.0.0.1:9";
    gateway = await createGatewayServer({
      rpcUrl: unused,
      deployment: { chainId: 1, deployedAtBlock: "1", contracts: {} },
      logLevel: "info",
      logStream: stream,
      services: {
        modes,
        chain: {
          publicClient: createPublicClient({ transport: http(unused) }),
          walletClient: createWalletClient({ transport: http(unused) }),
          relayer: privateKeyToAccount(`0x${"01".repeat(32)}`),
          chainId: 1,
          deployedAtBlock: 1n,
          contracts: {},
          zeroGasPrice: true,
        },
        indexStatus: async () => ({ indexedBlock: undefined }),
      },
    });
  });
  afterAll(async () => {
    await gateway?.app.close();
  });

  test("every line of a request is JSON with its request id; a refused write is logged with its code", async () => {
    const response = await gateway.app.inject({
      method: "POST",
      url: "/graphql",
      headers: { "content-type": "application/json", "x-request-id": "agent-7f3a" },
      payload: { query: 'mutation { submitReadings(batch: { meters: [] }, signature: "0x") { accepted } }' },
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers["x-request-id"]).toBe("agent-7f3a");
    const ofRequest = lines.filter((line) => line.reqId === "agent-7f3a");
    expect(ofRequest.map((line) => line.msg)).toEqual([
      "incoming request",
      "The system is in service mode: Замена диска",
      "request completed",
    ]);
    expect(ofRequest[1]).toMatchObject({ level: 40, code: "SERVICE_MODE" });
    expect(ofRequest[2]).toMatchObject({ res: { statusCode: 503 } });
    expect(typeof ofRequest[2]!.responseTime).toBe("number");
  });
});
