import { describe, expect, it } from "vitest";
import { InvalidEnodeError } from "../errors.js";
import { parseEnode } from "./parseEnode.js";

const id =
  "8208a3f344695d44e9cf2c023683cbea7b9343e2f70a5e804bd2c93858e945f8f91439eef96a4ab6c47ff06637d6fbe6472f96de1655a1bee57ea896654f3a22";

describe("parseEnode()", () => {
  it("reads a quickstart enode URL", () => {
    expect(parseEnode(`enode://${id}@172.16.239.11:30303`)).toEqual({
      nodeId: id,
      ip: "172.16.239.11",
      port: 30303,
    });
  });

  it("reads a discovery port and an IPv6 host", () => {
    expect(parseEnode(`enode://${id}@[2001:db8::1]:30303?discport=30301`)).toEqual({
      nodeId: id,
      ip: "2001:db8::1",
      port: 30303,
      discoveryPort: 30301,
    });
  });

  it.each([
    ["no scheme", `${id}@10.0.0.1:30303`, /does not start with enode/],
    ["short id", `enode://${id.slice(2)}@10.0.0.1:30303`, /128 hex characters/],
    ["0x id", `enode://0x${id.slice(2)}@10.0.0.1:30303`, /128 hex characters/],
    ["id off the curve", `enode://${id.slice(0, -1)}3@10.0.0.1:30303`, /not a secp256k1 public key/],
    ["host name", `enode://${id}@validator1:30303`, /must be an IP address/],
    ["bad IP", `enode://${id}@10.0.0.300:30303`, /must be an IP address/],
    ["no port", `enode://${id}@10.0.0.1`, /port is missing/],
    ["port 0", `enode://${id}@10.0.0.1:0`, /port must be 1-65535/],
    ["port too big", `enode://${id}@10.0.0.1:70000`, /port must be 1-65535/],
    ["unknown query", `enode://${id}@10.0.0.1:30303?foo=1`, /only query parameter/],
  ])("refuses %s with a message saying what is wrong", (_name, url, message) => {
    expect(() => parseEnode(url)).toThrow(InvalidEnodeError);
    expect(() => parseEnode(url)).toThrow(message);
  });
});
