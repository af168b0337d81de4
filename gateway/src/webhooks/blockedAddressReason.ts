import { BlockList, isIP } from "node:net";

type Range = { prefix: string; bits: number; what: string };

/**
 * Addresses a webhook must never reach (IANA special-purpose registries): the gateway's own host,
 * the private networks around it and the cloud metadata service, plus everything not globally
 * routable. A delivery to any of them would let an organisation use the gateway to reach inside its
 * network and read the delivery status as a port-scan oracle. Checked in order; the first match names
 * the reason.
 */
const IPV4: Range[] = [
  { prefix: "0.0.0.0", bits: 8, what: 'a "this network" address' },
  { prefix: "10.0.0.0", bits: 8, what: "a private network address" },
  { prefix: "100.64.0.0", bits: 10, what: "a shared (carrier-grade NAT) address" },
  { prefix: "127.0.0.0", bits: 8, what: "a loopback address" },
  { prefix: "169.254.0.0", bits: 16, what: "a link-local address (cloud metadata lives here)" },
  { prefix: "172.16.0.0", bits: 12, what: "a private network address" },
  { prefix: "192.0.0.0", bits: 24, what: "an IETF protocol assignment" },
  { prefix: "192.0.2.0", bits: 24, what: "a documentation address" },
  { prefix: "192.88.99.0", bits: 24, what: "a 6to4 relay anycast address" },
  { prefix: "192.168.0.0", bits: 16, what: "a private network address" },
  { prefix: "198.18.0.0", bits: 15, what: "a benchmarking address" },
  { prefix: "198.51.100.0", bits: 24, what: "a documentation address" },
  { prefix: "203.0.113.0", bits: 24, what: "a documentation address" },
  { prefix: "224.0.0.0", bits: 4, what: "a multicast address" },
  { prefix: "240.0.0.0", bits: 4, what: "a reserved or broadcast address" },
];

/** IPv6 prefixes that carry an IPv4 address in their last 32 bits: judged by that address. */
const IPV6_EMBEDDING: Range[] = [
  { prefix: "::ffff:0:0", bits: 96, what: "IPv4-mapped" },
  { prefix: "::ffff:0:0:0", bits: 96, what: "IPv4-translated" },
  { prefix: "64:ff9b::", bits: 96, what: "NAT64" },
];

const IPV6: Range[] = [
  { prefix: "::", bits: 128, what: "the unspecified address" },
  { prefix: "::1", bits: 128, what: "a loopback address" },
  { prefix: "::", bits: 96, what: "an IPv4-compatible address (deprecated)" },
  { prefix: "64:ff9b:1::", bits: 48, what: "a local-use NAT64 address" },
  { prefix: "100::", bits: 64, what: "a discard-only address" },
  { prefix: "2001::", bits: 23, what: "an IETF protocol assignment (Teredo, benchmarking, ORCHID)" },
  { prefix: "2001:db8::", bits: 32, what: "a documentation address" },
  { prefix: "2002::", bits: 16, what: "a 6to4 address" },
  { prefix: "3fff::", bits: 20, what: "a documentation address" },
  { prefix: "5f00::", bits: 16, what: "an SRv6 segment identifier" },
  { prefix: "fc00::", bits: 7, what: "a unique local (private network) address" },
  { prefix: "fe80::", bits: 10, what: "a link-local address" },
  { prefix: "fec0::", bits: 10, what: "a site-local address (deprecated)" },
  { prefix: "ff00::", bits: 8, what: "a multicast address" },
];

const compile = (ranges: Range[], type: "ipv4" | "ipv6") =>
  ranges.map((range) => {
    const list = new BlockList();
    list.addSubnet(range.prefix, range.bits, type);
    return { list, type, ...range };
  });
const V4 = compile(IPV4, "ipv4");
const V6_EMBEDDING = compile(IPV6_EMBEDDING, "ipv6");
const V6 = compile(IPV6, "ipv6");

/**
 * Why a webhook may not be delivered to the IP address `address`, or undefined when it is a public
 * (globally routable) address. IPv6 forms that embed an IPv4 address (`::ffff:10.0.0.5`, NAT64
 * `64:ff9b::a00:5`) are judged by the IPv4 address; a zone (`fe80::1%eth0`) is ignored.
 *
 * @throws TypeError when `address` is not an IP address (a host name must be resolved first).
 * @example blockedAddressReason("10.0.0.5") // "a private network address (10.0.0.0/8)"
 * @example blockedAddressReason("93.184.216.34") // undefined
 */
export function blockedAddressReason(address: string): string | undefined {
  const bare = address.split("%")[0]!;
  const family = isIP(bare);
  if (family === 0) throw new TypeError(`"${address}" is not an IP address`);
  if (family === 4) {
    const range = V4.find((each) => each.list.check(bare, "ipv4"));
    return range && `${range.what} (${range.prefix}/${range.bits})`;
  }
  const embedding = V6_EMBEDDING.find((each) => each.list.check(bare, "ipv6"));
  if (embedding) {
    const ipv4 = lastIpv4Of(bare);
    const reason = blockedAddressReason(ipv4);
    return reason && `${embedding.what} ${ipv4}, ${reason}`;
  }
  const range = V6.find((each) => each.list.check(bare, "ipv6"));
  return range && `${range.what} (${range.prefix}/${range.bits})`;
}

/** The IPv4 address in the last 32 bits of an IPv6 address (any notation: the URL parser normalises it). */
function lastIpv4Of(ipv6: string): string {
  const canonical = new URL(`http://[${ipv6}]`).hostname.slice(1, -1);
  const [head = "", tail] = canonical.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  const high = Number.parseInt(groups[6]!, 16);
  const low = Number.parseInt(groups[7]!, 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}
