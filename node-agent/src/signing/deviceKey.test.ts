import { chmodSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildReadingBatch, readingBatchTypedData } from "@gridledger/domain";
import { recoverTypedDataAddress } from "viem";
import { describe, expect, it } from "vitest";
import { ConfigError, NonRetryableError, UnavailableError } from "../errors.js";
import { SocketCanTransport } from "../transport/socketcan.js";
import { keygen, loadDeviceKey, signBatch } from "./deviceKey.js";

describe("device key", () => {
  it("keygen writes a 0600 key, prints its address and never overwrites it", () => {
    const file = join(mkdtempSync(join(tmpdir(), "key-")), "sub", "device.key");
    const { address } = keygen(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^0x[0-9a-f]{64}\n$/);
    expect(loadDeviceKey(file).address).toBe(address);
    expect(() => keygen(file)).toThrow(NonRetryableError);
    expect(() => keygen(file)).toThrow(/already exists/);
  });

  it("refuses a key readable by others, and a missing key, with the fix in the message", () => {
    const file = join(mkdtempSync(join(tmpdir(), "key-")), "device.key");
    keygen(file);
    chmodSync(file, 0o644);
    expect(() => loadDeviceKey(file)).toThrow(ConfigError);
    expect(() => loadDeviceKey(file)).toThrow(/chmod 600/);
    expect(() => loadDeviceKey(`${file}.nope`)).toThrow(/agent keygen/);
  });

  it("signs batches with EIP-712 as domain/ defines them (the signer is recoverable)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "key-")), "device.key");
    const { address } = keygen(file);
    const domain = {
      chainId: 1337,
      verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const,
    };
    const batch = buildReadingBatch([
      { meterId: 9n, intervalEnd: 1_764_216_000, registerMask: 1, status: 0, registers: [1n] },
    ]);
    const signature = await signBatch(loadDeviceKey(file), domain, batch);
    expect(await signBatch(loadDeviceKey(file), domain, batch)).toBe(signature); // deterministic: a resend is identical
    expect(await recoverTypedDataAddress({ ...readingBatchTypedData({ ...domain, batch }), signature })).toBe(
      address,
    );
  });
});

describe("SocketCAN", () => {
  it("is documented-unavailable with a clear error pointing at slcan", async () => {
    await expect(new SocketCanTransport("can0").open()).rejects.toThrow(UnavailableError);
    await expect(new SocketCanTransport("can0").open()).rejects.toThrow(/slcan/);
  });
});
