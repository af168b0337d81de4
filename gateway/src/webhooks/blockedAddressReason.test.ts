import { describe, expect, it } from "vitest";
import { blockedAddressReason } from "./blockedAddressReason.js";

// each blocked range by its first and last address, and the public neighbours just outside it
const BLOCKED_V4: [string, string, string, RegExp][] = [
  ["0.0.0.0", "0.255.255.255", "0.0.0.0/8", /this network/],
  ["10.0.0.0", "10.255.255.255", "10.0.0.0/8", /private network/],
  ["100.64.0.0", "100.127.255.255", "100.64.0.0/10", /carrier-grade NAT/],
  ["127.0.0.0", "127.255.255.255", "127.0.0.0/8", /loopback/],
  ["169.254.0.0", "169.254.255.255", "169.254.0.0/16", /link-local.*metadata/],
  ["172.16.0.0", "172.31.255.255", "172.16.0.0/12", /private network/],
  ["192.0.0.0", "192.0.0.255", "192.0.0.0/24", /IETF/],
  ["192.0.2.0", "192.0.2.255", "192.0.2.0/24", /documentation/],
  ["192.88.99.0", "192.88.99.255", "192.88.99.0/24", /6to4/],
  ["192.168.0.0", "192.168.255.255", "192.168.0.0/16", /private network/],
  ["198.18.0.0", "198.19.255.255", "198.18.0.0/15", /benchmarking/],
  ["198.51.100.0", "198.51.100.255", "198.51.100.0/24", /documentation/],
  ["203.0.113.0", "203.0.113.255", "203.0.113.0/24", /documentation/],
  ["224.0.0.0", "239.255.255.255", "224.0.0.0/4", /multicast/],
  ["240.0.0.0", "255.255.255.255", "240.0.0.0/4", /reserved or broadcast/],
];

const PUBLIC_V4 = [
  "1.0.0.0",
  "9.255.255.255",
  "11.0.0.0",
  "100.63.255.255",
  "100.128.0.0",
  "126.255.255.255",
  "128.0.0.0",
  "169.253.255.255",
  "169.255.0.0",
  "172.15.255.255",
  "172.32.0.0",
  "192.0.1.0",
  "192.0.3.0",
  "192.88.98.255",
  "192.88.100.0",
  "192.167.255.255",
  "192.169.0.0",
  "198.17.255.255",
  "198.20.0.0",
  "198.51.99.255",
  "198.51.101.0",
  "203.0.112.255",
  "203.0.114.0",
  "223.255.255.255",
  "8.8.8.8",
  "93.184.216.34",
];

const BLOCKED_V6: [string, RegExp][] = [
  ["::", /unspecified/],
  ["::1", /loopback/],
  ["0:0:0:0:0:0:0:1", /loopback/],
  ["::2", /IPv4-compatible/],
  ["::0.0.255.255", /IPv4-compatible/],
  ["64:ff9b:1::", /local-use NAT64/],
  ["64:ff9b:1:ffff:ffff:ffff:ffff:ffff", /local-use NAT64/],
  ["100::", /discard-only/],
  ["100::ffff:ffff:ffff:ffff", /discard-only/],
  ["2001::", /Teredo/],
  ["2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", /IETF/],
  ["2001:db8::", /documentation/],
  ["2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", /documentation/],
  ["2002::", /6to4/],
  ["2002:a00:5::1", /6to4/],
  ["3fff::", /documentation/],
  ["3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", /documentation/],
  ["5f00::1", /SRv6/],
  ["fc00::", /unique local/],
  ["fd12:3456:789a::1", /unique local/],
  ["fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", /unique local/],
  ["fe80::", /link-local/],
  ["fe80::1%eth0", /link-local/],
  ["febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", /link-local/],
  ["fec0::1", /site-local/],
  ["ff02::1", /multicast/],
  ["FF05::1:3", /multicast/],
  ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", /multicast/],
];

const PUBLIC_V6 = [
  "2001:200::",
  "2001:4860:4860::8888",
  "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
  "2001:db9::",
  "2003::",
  "2a00:1450:4001:82a::200e",
  "3ffe:ffff::",
  "3fff:1000::",
  "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
  "fe00::",
  "::ffff:8.8.8.8",
  "64:ff9b::808:808",
];

describe("blockedAddressReason()", () => {
  it.each(BLOCKED_V4)("%s to %s: %s", (first, last, cidr, what) => {
    for (const address of [first, last]) {
      const reason = blockedAddressReason(address);
      expect(reason).toMatch(what);
      expect(reason).toContain(`(${cidr})`);
    }
  });

  it.each(PUBLIC_V4)("%s is public", (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });

  it.each(BLOCKED_V6)("%s", (address, what) => {
    expect(blockedAddressReason(address)).toMatch(what);
  });

  it.each(PUBLIC_V6)("%s is public", (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });

  it("judges IPv4-mapped, IPv4-translated and NAT64 IPv6 by the IPv4 address they carry", () => {
    expect(blockedAddressReason("::ffff:10.0.0.5")).toBe(
      "IPv4-mapped 10.0.0.5, a private network address (10.0.0.0/8)",
    );
    // the same in hex, as the URL parser writes it
    expect(blockedAddressReason("::ffff:a00:5")).toMatch(/^IPv4-mapped 10\.0\.0\.5, a private network/);
    expect(blockedAddressReason("0:0:0:0:0:ffff:7f00:1")).toMatch(/^IPv4-mapped 127\.0\.0\.1, a loopback/);
    expect(blockedAddressReason("::ffff:169.254.169.254")).toMatch(/169\.254\.169\.254, a link-local/);
    expect(blockedAddressReason("::ffff:0.0.0.0")).toMatch(/^IPv4-mapped 0\.0\.0\.0, a "this network"/);
    expect(blockedAddressReason("::ffff:255.255.255.255")).toMatch(/broadcast/);
    expect(blockedAddressReason("::ffff:100.64.0.1")).toMatch(/carrier-grade NAT/);
    expect(blockedAddressReason("::ffff:0:192.168.1.1")).toMatch(
      /^IPv4-translated 192\.168\.1\.1, a private/,
    );
    expect(blockedAddressReason("64:ff9b::192.168.0.1")).toMatch(/^NAT64 192\.168\.0\.1, a private/);
    expect(blockedAddressReason("64:ff9b::")).toMatch(/^NAT64 0\.0\.0\.0/);
    // public IPv4 inside them stays public
    expect(blockedAddressReason("::ffff:1.1.1.1")).toBeUndefined();
    expect(blockedAddressReason("64:ff9b::1.1.1.1")).toBeUndefined();
  });

  it("the cloud metadata address is named", () => {
    expect(blockedAddressReason("169.254.169.254")).toBe(
      "a link-local address (cloud metadata lives here) (169.254.0.0/16)",
    );
  });

  it("refuses what is not an IP address, so a host name cannot slip through unresolved", () => {
    for (const value of ["localhost", "example.org", "", "10.0.0", "0x7f.1", "[::1]", "1.2.3.4.5"]) {
      expect(() => blockedAddressReason(value)).toThrow(TypeError);
    }
  });
});
