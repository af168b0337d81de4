import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parsePermissionsConfig } from "../besu/parsePermissionsConfig.js";
import { registerBesuCommands } from "./besuCommands.js";

let tmp: string;
let stdout: string[];
let stderr: string[];

beforeEach(() => {
  tmp = mkdtempSync(path.join(tmpdir(), "gridledger-cli-"));
  stdout = [];
  stderr = [];
  vi.spyOn(console, "log").mockImplementation((...args) => void stdout.push(args.join(" ")));
  vi.spyOn(console, "warn").mockImplementation((...args) => void stderr.push(args.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...args) => void stderr.push(args.join(" ")));
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  rmSync(tmp, { recursive: true, force: true });
});

async function network(...args: string[]): Promise<void> {
  const program = new Command("network").exitOverride().configureOutput({ writeErr: () => {} });
  registerBesuCommands(program);
  await program.parseAsync(args, { from: "user" });
}

const enode = (ip: string) =>
  `enode://79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8@${ip}:30303`;

/** A stand-in Besu JSON-RPC endpoint that records calls and answers `result`. */
async function fakeNode(result: unknown = true): Promise<{ url: string; calls: unknown[]; server: Server }> {
  const calls: unknown[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const call = JSON.parse(body);
      calls.push({ method: call.method, params: call.params });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ jsonrpc: "2.0", id: call.id, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server };
}

describe("network init", () => {
  it("creates the consortium and prints the genesis checksum and the start command", async () => {
    const out = path.join(tmp, "c");
    await network(
      "init",
      "--validators",
      "4",
      "--members",
      "Grid Co,Retail A",
      "--out",
      out,
      "--chain-id",
      "777001",
    );
    expect(process.exitCode).toBeUndefined();
    const definition = JSON.parse(readFileSync(path.join(out, "consortium.json"), "utf8"));
    expect(definition.chainId).toBe(777001);
    expect(stdout.join("\n")).toContain(`genesis.json sha256 ${definition.genesisSha256}`);
    expect(stdout.join("\n")).toContain(
      `docker-compose --env-file ${path.join(out, "compose.env")} -f docker-compose.besu.yml`,
    );
    expect(stdout.join("\n")).toContain("tolerates 1 faulty validator");
  });

  it("warns that fewer than 4 validators tolerate no fault", async () => {
    await network("init", "--validators", "3", "--out", path.join(tmp, "c"));
    expect(stderr.join("\n")).toMatch(/warning: 3 validators tolerate no faulty validator/);
    expect(process.exitCode).toBeUndefined();
  });

  it("refuses an existing output folder rather than overwriting keys", async () => {
    const out = path.join(tmp, "c");
    await network("init", "--out", out);
    const key = readFileSync(path.join(out, "nodes", "validator1", "key"), "utf8");
    await network("init", "--out", out);
    expect(process.exitCode).toBe(1);
    expect(stderr.join("\n")).toMatch(
      /error: .* already exists and is not empty; refusing to overwrite node keys/,
    );
    expect(readFileSync(path.join(out, "nodes", "validator1", "key"), "utf8")).toBe(key);
  });

  it("rejects a non-numeric option through commander", async () => {
    await expect(network("init", "--validators", "four", "--out", path.join(tmp, "c"))).rejects.toThrow(
      /expected a whole number/,
    );
  });
});

describe("network add-node / add-account", () => {
  it("adds an enode to every node's permissions file and to static-nodes.json", async () => {
    const out = path.join(tmp, "c");
    await network("init", "--out", out, "--members", "A");
    await network("add-node", enode("203.0.113.7"), "--dir", out);
    expect(process.exitCode).toBeUndefined();
    for (const node of ["validator1", "validator4", "rpc1"]) {
      const list = parsePermissionsConfig(
        readFileSync(path.join(out, "nodes", node, "permissions_config.toml"), "utf8"),
      );
      expect(list.nodes).toContain(enode("203.0.113.7"));
      expect(list.nodes).toHaveLength(6);
    }
    expect(JSON.parse(readFileSync(path.join(out, "static-nodes.json"), "utf8"))).toContain(
      enode("203.0.113.7"),
    );
    await network("remove-node", enode("203.0.113.7"), "--dir", out);
    const list = parsePermissionsConfig(
      readFileSync(path.join(out, "nodes", "rpc1", "permissions_config.toml"), "utf8"),
    );
    expect(list.nodes).toHaveLength(5);
  });

  it("refuses a malformed enode with a clear message and changes nothing", async () => {
    const out = path.join(tmp, "c");
    await network("init", "--out", out, "--members", "A");
    const before = readFileSync(path.join(out, "nodes", "validator1", "permissions_config.toml"), "utf8");
    const node = await fakeNode();
    await network(
      "add-node",
      enode("203.0.113.7"),
      "enode://1234@10.0.0.1:30303",
      "--dir",
      out,
      "--rpc",
      node.url,
    );
    node.server.close();
    expect(process.exitCode).toBe(1);
    expect(stderr.join("\n")).toMatch(
      /error: Invalid enode URL "enode:\/\/1234@10.0.0.1:30303": the node id must be 128 hex/,
    );
    expect(readFileSync(path.join(out, "nodes", "validator1", "permissions_config.toml"), "utf8")).toBe(
      before,
    );
    expect(node.calls).toEqual([]);
  });

  it("refuses a malformed account address with a clear message", async () => {
    const node = await fakeNode();
    await network("add-account", "0x12345", "--rpc", node.url);
    node.server.close();
    expect(process.exitCode).toBe(1);
    expect(stderr.join("\n")).toMatch(/error: Invalid account address: "0x12345"/);
    expect(node.calls).toEqual([]);
  });

  it("calls perm_* on running nodes with the list as the single parameter", async () => {
    const a = await fakeNode();
    const b = await fakeNode();
    await network(
      "add-account",
      "0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266",
      "--rpc",
      a.url,
      "--rpc",
      b.url,
    );
    await network("remove-node", enode("10.1.2.3"), "--rpc", a.url);
    a.server.close();
    b.server.close();
    expect(process.exitCode).toBeUndefined();
    const add = {
      method: "perm_addAccountsToAllowlist",
      params: [["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"]],
    };
    expect(a.calls).toEqual([
      add,
      { method: "perm_removeNodesFromAllowlist", params: [[enode("10.1.2.3")]] },
    ]);
    expect(b.calls).toEqual([add]);
  });
});

describe("network propose-validator / validators", () => {
  it("casts qbft_proposeValidatorVote on each validator", async () => {
    const a = await fakeNode();
    const b = await fakeNode();
    await network(
      "propose-validator",
      "0x93917cadbace5dfce132b991732c6cda9bcc5b8a",
      "--rpc",
      a.url,
      "--rpc",
      b.url,
    );
    await network(
      "propose-validator",
      "0x93917cadbace5dfce132b991732c6cda9bcc5b8a",
      "--remove",
      "--rpc",
      a.url,
    );
    a.server.close();
    b.server.close();
    const vote = (add: boolean) => ({
      method: "qbft_proposeValidatorVote",
      params: ["0x93917cadbace5dfce132b991732c6cda9bcc5b8a", add],
    });
    expect(a.calls).toEqual([vote(true), vote(false)]);
    expect(b.calls).toEqual([vote(true)]);
  });

  it("refuses a malformed validator address without sending anything", async () => {
    const a = await fakeNode();
    await network("propose-validator", "0x93917cadbace5dfce132b991732c6cda9bcc5b8", "--rpc", a.url);
    a.server.close();
    expect(process.exitCode).toBe(1);
    expect(stderr.join("\n")).toMatch(/error: Invalid validator address/);
    expect(a.calls).toEqual([]);
  });

  it("reports a node without the QBFT API clearly", async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code: -32601, message: "Method not found" } }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await network("validators", "--rpc", url);
    server.close();
    expect(process.exitCode).toBe(1);
    expect(stderr.join("\n")).toMatch(
      /qbft_getValidatorsByBlockNumber .* Method not found \(is the API group enabled/,
    );
  });

  it("prints the validator set", async () => {
    const a = await fakeNode(["0x93917cadbace5dfce132b991732c6cda9bcc5b8a"]);
    await network("validators", "--rpc", a.url);
    a.server.close();
    expect(a.calls).toEqual([{ method: "qbft_getValidatorsByBlockNumber", params: ["latest"] }]);
    expect(stdout).toEqual(["0x93917cadbace5dfce132b991732c6cda9bcc5b8a"]);
  });
});

describe("network keygen / check-genesis", () => {
  it("creates a joining node's key and refuses to overwrite it", async () => {
    const out = path.join(tmp, "newnode");
    await network("keygen", "--out", out, "--ip", "203.0.113.9");
    const enodeLine = stdout.find((line) => line.startsWith("enode:"))!;
    expect(enodeLine).toMatch(/^enode: {3}enode:\/\/[0-9a-f]{128}@203\.0\.113\.9:30303$/);
    expect(readFileSync(path.join(out, "enode"), "utf8").trim()).toBe(enodeLine.slice(9));
    await network("keygen", "--out", out, "--ip", "203.0.113.9");
    expect(process.exitCode).toBe(1);
    await network("keygen", "--out", path.join(tmp, "other"), "--ip", "node.example");
    expect(stderr.join("\n")).toMatch(/must be an IP address/);
  });

  it("accepts init's genesis and refuses one with a non-zero base fee", async () => {
    const out = path.join(tmp, "c");
    await network("init", "--out", out);
    await network("check-genesis", path.join(out, "genesis.json"));
    expect(stdout.at(-1)).toMatch(/^OK: chain id 20261127, 4 validators/);
    const genesis = JSON.parse(readFileSync(path.join(out, "genesis.json"), "utf8"));
    genesis.baseFeePerGas = "0x3b9aca00";
    writeFileSync(path.join(tmp, "bad.json"), JSON.stringify(genesis));
    await network("check-genesis", path.join(tmp, "bad.json"));
    expect(process.exitCode).toBe(1);
    expect(stderr.join("\n")).toMatch(/baseFeePerGas/);
  });
});
