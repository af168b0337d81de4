import { describe, expect, it } from "vitest";
import { InvalidPermissionsFileError } from "../errors.js";
import { parsePermissionsConfig } from "./parsePermissionsConfig.js";

const id1 =
  "8208a3f344695d44e9cf2c023683cbea7b9343e2f70a5e804bd2c93858e945f8f91439eef96a4ab6c47ff06637d6fbe6472f96de1655a1bee57ea896654f3a22";
const node1 = `enode://${id1}@172.16.239.11:30303`;

describe("parsePermissionsConfig()", () => {
  it("reads the legacy whitelist keys", () => {
    expect(parsePermissionsConfig(`nodes-whitelist=["${node1}"]\naccounts-whitelist=[]\n`)).toEqual({
      nodes: [node1],
      accounts: [],
    });
  });

  it("refuses a missing list, a multi-line list and a bad entry", () => {
    expect(() => parsePermissionsConfig(`nodes-allowlist=[]\n`)).toThrow(/no accounts-allowlist/);
    expect(() => parsePermissionsConfig(`nodes-allowlist=[\n"${node1}"\n]\naccounts-allowlist=[]`)).toThrow(
      InvalidPermissionsFileError,
    );
    expect(() =>
      parsePermissionsConfig(`nodes-allowlist=["enode://x@1.2.3.4:1"]\naccounts-allowlist=[]`),
    ).toThrow(/invalid entry/);
  });
});
