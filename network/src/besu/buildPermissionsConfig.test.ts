import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvalidEnodeError } from "../errors.js";
import { buildPermissionsConfig } from "./buildPermissionsConfig.js";
import { parsePermissionsConfig } from "./parsePermissionsConfig.js";

const id1 =
  "8208a3f344695d44e9cf2c023683cbea7b9343e2f70a5e804bd2c93858e945f8f91439eef96a4ab6c47ff06637d6fbe6472f96de1655a1bee57ea896654f3a22";
const id2 =
  "b9050e002aa42464e6b07c811a1f9dfec01249af03f67b753e8415420649b184447bb2a784863ccbf327ad9e31aaba803464979dfe6a7facc669151a5fa6ad1b";
const node1 = `enode://${id1}@172.16.239.11:30303`;
const node2 = `enode://${id2}@172.16.239.12:30303`;
const account = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

describe("buildPermissionsConfig()", () => {
  it("writes each list on one line, sorted and de-duplicated, and reads back the same lists", () => {
    const text = buildPermissionsConfig({
      nodes: [node2, node1, node1],
      accounts: ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"],
    });
    expect(text).toContain(`nodes-allowlist=["${node1}","${node2}"]\n`);
    expect(text).toContain(`accounts-allowlist=["${account}"]\n`);
    expect(parsePermissionsConfig(text)).toEqual({ nodes: [node1, node2], accounts: [account] });
  });

  it("survives Besu's line-based rewrite: only the key lines contain the key names", () => {
    const text = buildPermissionsConfig({ nodes: [node1], accounts: [account] });
    // AllowlistPersistor.removeExistingConfigItem drops every line containing the key.
    const rewritten = text
      .split("\n")
      .filter((line) => !line.includes("nodes-allowlist"))
      .concat(`nodes-allowlist=["${node2}"]`)
      .join("\n");
    expect(parsePermissionsConfig(rewritten)).toEqual({ nodes: [node2], accounts: [account] });
  });

  it("refuses a malformed enode or account instead of writing it", () => {
    expect(() => buildPermissionsConfig({ nodes: ["enode://abc@1.2.3.4:30303"], accounts: [] })).toThrow(
      InvalidEnodeError,
    );
    expect(() => buildPermissionsConfig({ nodes: [], accounts: ["0x12"] })).toThrow(/account address/);
  });

  // Besu parses the file with a TOML 1.0 parser (tuweni); Python's tomllib is another strict one.
  it.runIf(existsSync("/usr/bin/python3"))(
    "is valid TOML 1.0 with the two lists as arrays of strings",
    () => {
      const text = buildPermissionsConfig({ nodes: [node1, node2], accounts: [account] });
      const script = "import json,sys,tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))";
      const parsed = JSON.parse(
        execFileSync("/usr/bin/python3", ["-c", script], { input: text, encoding: "utf8" }),
      );
      expect(parsed).toEqual({ "nodes-allowlist": [node1, node2], "accounts-allowlist": [account] });
    },
  );
});
