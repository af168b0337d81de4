import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkGenesis } from "../besu/checkGenesis.js";
import { decodeExtraData } from "../besu/decodeExtraData.js";
import { nodeKey } from "../besu/nodeKey.js";
import { parseEnode } from "../besu/parseEnode.js";
import { parsePermissionsConfig } from "../besu/parsePermissionsConfig.js";
import { InvalidConsortiumError, OutputExistsError } from "../errors.js";
import { initConsortium } from "./initConsortium.js";

const dirs: string[] = [];
function tempOut(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gridledger-init-"));
  dirs.push(dir);
  return path.join(dir, "consortium");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const members = ["Grid Co", "Retail A", "Retail B", "Market Operator"];

describe("initConsortium()", () => {
  it("writes keys whose addresses and enodes match the definition, owner-only", () => {
    const out = tempOut();
    const { definition, warnings } = initConsortium({ outDir: out, validators: 4, members });
    expect(warnings).toEqual([]);
    expect(definition.nodes.map((n) => n.name)).toEqual([
      "validator1",
      "validator2",
      "validator3",
      "validator4",
      "rpc1",
      "rpc2",
      "rpc3",
      "rpc4",
    ]);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    for (const node of definition.nodes) {
      const keyFile = path.join(out, "nodes", node.name, "key");
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      // Besu reads the key with Files.readAllLines and wants exactly one line of hex.
      expect(readFileSync(keyFile, "utf8")).toMatch(/^[0-9a-f]{64}\n$/);
      const key = nodeKey({ privateKey: readFileSync(keyFile, "utf8") });
      expect(key.address).toBe(node.address);
      expect(readFileSync(path.join(out, "nodes", node.name, "address"), "utf8").trim()).toBe(node.address);
      expect(parseEnode(node.enode).nodeId).toBe(key.publicKey.slice(2));
      expect(existsSync(path.join(out, "nodes", node.name, "data"))).toBe(true);
    }
    for (const member of definition.members) {
      const keyFile = path.join(out, "accounts", member.id, "key");
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(nodeKey({ privateKey: readFileSync(keyFile, "utf8") }).address).toBe(member.account);
    }
    expect(definition.members.map((m) => [m.name, m.validators])).toEqual([
      ["Grid Co", ["validator1"]],
      ["Retail A", ["validator2"]],
      ["Retail B", ["validator3"]],
      ["Market Operator", ["validator4"]],
    ]);
    expect(definition.faultTolerance).toEqual({ validators: 4, quorum: 3, faultyTolerated: 1 });
  });

  it("writes a genesis with exactly the validators and funded organisation accounts", () => {
    const out = tempOut();
    const { definition } = initConsortium({
      outDir: out,
      members,
      chainId: 4242,
      emptyBlockPeriodSeconds: 60,
    });
    const genesis = JSON.parse(readFileSync(path.join(out, "genesis.json"), "utf8"));
    const validators = definition.nodes.filter((n) => n.role === "validator").map((n) => n.address);
    expect(checkGenesis(genesis)).toEqual({ chainId: 4242, validators: [...validators].sort() });
    expect(decodeExtraData(genesis.extraData).validators).toHaveLength(4);
    expect(Object.keys(genesis.alloc).sort()).toEqual(definition.members.map((m) => m.account).sort());
    expect(genesis.config.qbft.emptyblockperiodseconds).toBe(60);
  });

  it("lists exactly the generated nodes and accounts in every node's permissions file and in static-nodes", () => {
    const out = tempOut();
    const { definition } = initConsortium({ outDir: out, validators: 4, members: members.slice(0, 2) });
    const enodes = definition.nodes.map((n) => n.enode).sort();
    const accounts = definition.members.map((m) => m.account).sort();
    expect(definition.nodes).toHaveLength(6);
    for (const node of definition.nodes) {
      const text = readFileSync(path.join(out, "nodes", node.name, "permissions_config.toml"), "utf8");
      expect(parsePermissionsConfig(text)).toEqual({ nodes: enodes, accounts });
    }
    expect(JSON.parse(readFileSync(path.join(out, "static-nodes.json"), "utf8"))).toEqual(enodes);
  });

  it("puts nodes at the compose addresses unless an IP is given for a node", () => {
    const out = tempOut();
    const { definition } = initConsortium({
      outDir: out,
      members: members.slice(0, 1),
      nodeIps: { validator3: "203.0.113.7" },
    });
    const ips = Object.fromEntries(definition.nodes.map((n) => [n.name, parseEnode(n.enode).ip]));
    expect(ips).toEqual({
      validator1: "172.16.239.11",
      validator2: "172.16.239.12",
      validator3: "203.0.113.7",
      validator4: "172.16.239.14",
      rpc1: "172.16.239.31",
    });
    expect(definition.members[0]!.validators).toEqual([
      "validator1",
      "validator2",
      "validator3",
      "validator4",
    ]);
  });

  it("writes a TLS certificate for the host and compose.env for docker-compose", () => {
    const out = tempOut();
    initConsortium({ outDir: out, members, tlsHost: "ledger.example.org" });
    const cert = new X509Certificate(readFileSync(path.join(out, "tls", "server.crt")));
    expect(cert.subjectAltName).toContain("DNS:ledger.example.org");
    expect(statSync(path.join(out, "tls", "server.key")).mode & 0o077).toBe(0);
    const env = readFileSync(path.join(out, "compose.env"), "utf8");
    expect(env).toContain(`GRIDLEDGER_NETWORK_DIR=${path.resolve(out)}\n`);
    expect(env).toContain(`GRIDLEDGER_UID=${process.getuid!()}\n`);
    expect(readFileSync(path.join(out, ".gitignore"), "utf8")).toContain("*");
  });

  it("warns that fewer than 4 validators tolerate no fault", () => {
    const { warnings, definition } = initConsortium({ outDir: tempOut(), validators: 3, members });
    expect(warnings[0]).toMatch(/3 validators tolerate no faulty validator/);
    expect(warnings[1]).toMatch(/mounts validator1-validator4; with 3 validators it does not start/);
    expect(definition.faultTolerance.faultyTolerated).toBe(0);
    expect(initConsortium({ outDir: tempOut(), validators: 1 }).warnings[0]).toMatch(/1 validator tolerate/);
  });

  it("says which validators the compose file leaves to other hosts", () => {
    const { warnings } = initConsortium({ outDir: tempOut(), validators: 7, members });
    expect(warnings).toEqual([expect.stringMatching(/run validator5-validator7 on their members' hosts/)]);
  });

  it("refuses an existing folder with content and leaves its keys untouched", () => {
    const out = tempOut();
    initConsortium({ outDir: out, members });
    const keyFile = path.join(out, "nodes", "validator1", "key");
    const before = readFileSync(keyFile, "utf8");
    expect(() => initConsortium({ outDir: out, members })).toThrow(OutputExistsError);
    expect(readFileSync(keyFile, "utf8")).toBe(before);
  });

  it("accepts an existing empty folder", () => {
    const out = tempOut();
    mkdirSync(out);
    expect(initConsortium({ outDir: out, validators: 4 }).definition.nodes).toHaveLength(8);
    expect(existsSync(path.join(out, "nodes", "rpc4", "key"))).toBe(true);
  });

  it("refuses impossible consortia before writing anything", () => {
    const out = tempOut();
    expect(() => initConsortium({ outDir: out, validators: 0 })).toThrow(InvalidConsortiumError);
    expect(() => initConsortium({ outDir: out, members: ["A", "a"] })).toThrow(/same organisation twice/);
    expect(() => initConsortium({ outDir: out, members: ["A", " "] })).toThrow(/non-empty/);
    expect(() => initConsortium({ outDir: out, subnetPrefix: "10.0" })).toThrow(/three octets/);
    expect(() => initConsortium({ outDir: out, nodeIps: { validator9: "10.0.0.1" } })).toThrow(/not a node/);
    expect(() => initConsortium({ outDir: out, nodeIps: { validator1: "host.example" } })).toThrow(
      /--node-ip validator1=host.example: host.example is not an IP address/,
    );
    expect(() => initConsortium({ outDir: out, chainId: 1337 })).toThrow(/development default/);
    expect(existsSync(out)).toBe(false);
  });
});
