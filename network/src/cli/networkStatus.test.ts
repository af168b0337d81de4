import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NodeRpcError } from "../errors.js";
import { networkStatus } from "./networkStatus.js";

const A = "0x93917cadbace5dfce132b991732c6cda9bcc5b8a";
const B = "0x27a97c9aaf04f18f3014c32e036dd0ac76da5f18";
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A stand-in Besu node answering eth_blockNumber, net_peerCount and the QBFT validator set. */
async function fakeBesu(answers: Record<string, unknown>): Promise<string> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const { id, method } = JSON.parse(body);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify(
          method in answers
            ? { jsonrpc: "2.0", id, result: answers[method] }
            : { jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } },
        ),
      );
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("networkStatus()", () => {
  it("reports head, peers and validators, and no problem when all agree with consortium.json", async () => {
    const answers = {
      eth_blockNumber: "0x2a",
      net_peerCount: "0x4",
      qbft_getValidatorsByBlockNumber: [B, A],
    };
    const urls = [await fakeBesu(answers), await fakeBesu(answers)];
    const dir = mkdtempSync(path.join(tmpdir(), "gridledger-status-"));
    const nodes = [A, B].map((address) => ({ role: "validator", address }));
    writeFileSync(
      path.join(dir, "consortium.json"),
      JSON.stringify({ nodes: [...nodes, { role: "rpc", address: "0x01" }] }),
    );
    const status = await networkStatus({ rpcUrls: urls, dir });
    rmSync(dir, { recursive: true });
    expect(status.problems).toEqual([]);
    expect(status.nodes[0]).toEqual({ url: urls[0], blockNumber: 42, peerCount: 4, validators: [B, A] });
  });

  it("flags a node without peers, disagreeing nodes and a validator missing from the chain", async () => {
    const good = await fakeBesu({
      eth_blockNumber: "0x2a",
      net_peerCount: "0x1",
      qbft_getValidatorsByBlockNumber: [A],
    });
    const lonely = await fakeBesu({
      eth_blockNumber: "0x0",
      net_peerCount: "0x0",
      qbft_getValidatorsByBlockNumber: [A, B],
    });
    const dir = mkdtempSync(path.join(tmpdir(), "gridledger-status-"));
    writeFileSync(
      path.join(dir, "consortium.json"),
      JSON.stringify({ nodes: [A, B].map((address) => ({ role: "validator", address })) }),
    );
    const { problems } = await networkStatus({ rpcUrls: [good, lonely], dir });
    rmSync(dir, { recursive: true });
    expect(problems).toEqual([
      `${lonely} has no peers`,
      `${lonely} sees other validators than ${good}`,
      `validators in consortium.json but not on chain: ${B}`,
    ]);
  });

  it("says which API is missing on a node without QBFT", async () => {
    const url = await fakeBesu({ eth_blockNumber: "0x1", net_peerCount: "0x1" });
    await expect(networkStatus({ rpcUrls: [url] })).rejects.toThrow(NodeRpcError);
    await expect(networkStatus({ rpcUrls: [url] })).rejects.toThrow(/is the API group enabled/);
  });
});
