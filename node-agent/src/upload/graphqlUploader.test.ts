import { buildReadingBatch, readingBatchTypedData } from "@gridledger/domain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGateway } from "../_test/fakeGateway.js";
import { testAccount } from "../_test/harness.js";
import { GraphqlUploader } from "./graphqlUploader.js";
import {
  classifyGatewayError,
  DeviceRefusedByGatewayError,
  GatewayRejectedError,
  GatewayUnavailableError,
} from "./uploader.js";

// Runs against the interim boundary fake of the gateway (src/_test/fakeGateway.ts), which
// implements the agreed submitReadings mutation; the lead swaps it for the real gateway later.
const account = testAccount();
let gateway: FakeGateway;
beforeEach(async () => {
  gateway = new FakeGateway({ devices: [account.address] });
  await gateway.start();
});
afterEach(() => gateway.stop());

const T = 1_764_216_000;
const batch = buildReadingBatch([
  { meterId: 5n, intervalEnd: T, registerMask: 0b10001, status: 0, registers: [100n, 1n] },
  { meterId: 5n, intervalEnd: T + 1800, registerMask: 0b10001, status: 0, registers: [150n, 1n] },
]);

describe("GraphqlUploader (against the interim gateway fake)", () => {
  it("reads the EIP-712 domain and submits a signed batch idempotently", async () => {
    const uploader = new GraphqlUploader({ url: gateway.url });
    const domain = await uploader.readingsDomain();
    expect(domain).toEqual({ chainId: 31337, verifyingContract: gateway.verifyingContract });
    const signature = await account.signTypedData(readingBatchTypedData({ ...domain, batch }));
    const first = await uploader.submit(batch, signature);
    expect(first).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(first.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await uploader.submit(batch, signature)).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(gateway.records.size).toBe(2);
  });

  it("classifies gateway errors: device, retryable, rejected", async () => {
    const uploader = new GraphqlUploader({ url: gateway.url });
    const other = testAccount();
    const foreign = await other.signTypedData(
      readingBatchTypedData({ chainId: 31337, verifyingContract: gateway.verifyingContract, batch }),
    );
    await expect(uploader.submit(batch, foreign)).rejects.toThrow(DeviceRefusedByGatewayError);
    const signature = await account.signTypedData(
      readingBatchTypedData({ chainId: 31337, verifyingContract: gateway.verifyingContract, batch }),
    );
    gateway.failures.push(
      { status: 503, code: "CHAIN_UNAVAILABLE" },
      { status: 502, code: "SOMETHING_NEW" },
      { status: 400, code: "BAD_USER_INPUT" },
    );
    await expect(uploader.submit(batch, signature)).rejects.toThrow(GatewayUnavailableError);
    await expect(uploader.submit(batch, signature)).rejects.toThrow(GatewayUnavailableError);
    await expect(uploader.submit(batch, signature)).rejects.toThrow(GatewayRejectedError);
    gateway.unknownMeters.add("5");
    await expect(uploader.submit(batch, signature)).rejects.toThrow(/UNKNOWN_METER/);
  });

  it("works the same through the global fetch client", async () => {
    const uploader = new GraphqlUploader({ url: gateway.url, client: "fetch" });
    const domain = await uploader.readingsDomain();
    const signature = await account.signTypedData(readingBatchTypedData({ ...domain, batch }));
    expect(await uploader.submit(batch, signature)).toMatchObject({ accepted: 2, duplicates: 0 });
    gateway.failures.push({ status: 503, code: "SERVICE_MODE" });
    await expect(uploader.submit(batch, signature)).rejects.toThrow(GatewayUnavailableError);
  });

  it("treats an unreachable gateway as retryable", async () => {
    await gateway.stop();
    const uploader = new GraphqlUploader({ url: gateway.url, timeoutMs: 500 });
    await expect(uploader.readingsDomain()).rejects.toThrow(GatewayUnavailableError);
  });

  it("classifies codes without HTTP context", () => {
    expect(classifyGatewayError("SERVICE_MODE", 200, "")).toBeInstanceOf(GatewayUnavailableError);
    expect(classifyGatewayError("DECREASING_REGISTER", 200, "")).toBeInstanceOf(GatewayRejectedError);
    expect(classifyGatewayError("REVOKED_DEVICE", 403, "")).toBeInstanceOf(DeviceRefusedByGatewayError);
    expect(classifyGatewayError(undefined, 429, "")).toBeInstanceOf(GatewayUnavailableError);
  });
});
