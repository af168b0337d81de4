import { describe, expect, it } from "vitest";
import { InvalidEnodeError } from "../errors.js";
import { formatEnode } from "./formatEnode.js";
import { parseEnode } from "./parseEnode.js";

const id =
  "8208a3f344695d44e9cf2c023683cbea7b9343e2f70a5e804bd2c93858e945f8f91439eef96a4ab6c47ff06637d6fbe6472f96de1655a1bee57ea896654f3a22";

describe("formatEnode()", () => {
  it("writes the canonical form and round-trips through parseEnode", () => {
    const url = formatEnode({ nodeId: `0x${id.toUpperCase()}`, ip: "172.16.239.11", port: 30303 });
    expect(url).toBe(`enode://${id}@172.16.239.11:30303`);
    expect(formatEnode(parseEnode(url))).toBe(url);
  });

  it("adds discport only when it differs from the port", () => {
    expect(formatEnode({ nodeId: id, ip: "10.0.0.1", port: 30303, discoveryPort: 30303 })).not.toContain(
      "discport",
    );
    expect(formatEnode({ nodeId: id, ip: "10.0.0.1", port: 30303, discoveryPort: 30304 })).toContain(
      "?discport=30304",
    );
  });

  it("refuses to format a malformed enode", () => {
    expect(() => formatEnode({ nodeId: "abcd", ip: "10.0.0.1", port: 30303 })).toThrow(InvalidEnodeError);
  });
});
