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

// Runs against the gateway test double (src/_test/fakeGateway.ts), which can be made to give any
// answer; the real gateway and chain are exercised by src/agent.fault.test.ts and
// test/system/agentToLedger.test.ts.
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

describe("GraphqlUploader (against the gateway test double)", () => {
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
    // the real gateway's answer for a key that is not registered for the meter
    await expect(uploader.submit(batch, foreign)).rejects.toThrow(DeviceRefusedByGatewayError);
    await expect(uploader.submit(batch, foreign)).rejects.toThrow(/UNAUTHORIZED_DEVICE/);
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
    gateway.unknownMeters.clear();
    // extensions.retryable decides over the code tables and the HTTP status
    gateway.failures.push(
      { status: 200, code: "REVERTED", retryable: true },
      { status: 200, code: "SOMETHING_NEW", retryable: true },
      { status: 503, code: "CHAIN_UNAVAILABLE", retryable: false },
      { status: 200, code: "INTERNAL" },
    );
    await expect(uploader.submit(batch, signature)).rejects.toThrow(GatewayUnavailableError);
    await expect(uploader.submit(batch, signature)).rejects.toThrow(GatewayUnavailableError);
    const refused = await uploader.submit(batch, signature).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayRejectedError);
    expect(refused).not.toBeInstanceOf(DeviceRefusedByGatewayError);
    await expect(uploader.submit(batch, signature)).rejects.toThrow(GatewayUnavailableError);
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

  it("classifies the real gateway's codes (docs/api.md) with and without extensions.retryable", () => {
    // device problems pause the agent whatever the flag says; nothing is quarantined for them
    for (const code of ["BAD_SIGNATURE", "UNAUTHORIZED_DEVICE", "REVOKED_DEVICE"]) {
      expect(classifyGatewayError(code, 200, "", false), code).toBeInstanceOf(DeviceRefusedByGatewayError);
      expect(classifyGatewayError(code, 200, ""), code).toBeInstanceOf(DeviceRefusedByGatewayError);
    }
    // refusals of the readings: split and quarantine (not the device class)
    for (const code of [
      "UNKNOWN_METER",
      "DECREASING_REGISTER",
      "CONFLICTING_REPLAY",
      "INTERVAL_NOT_ALIGNED",
      "INTERVAL_IN_FUTURE",
      "RECORDS_OUT_OF_ORDER",
      "INVALID_BATCH",
      "EMPTY_BATCH",
      "BATCH_TOO_LARGE",
    ]) {
      for (const flag of [false, undefined]) {
        const error = classifyGatewayError(code, 200, "", flag);
        expect(error, code).toBeInstanceOf(GatewayRejectedError);
        expect(error, code).not.toBeInstanceOf(DeviceRefusedByGatewayError);
      }
    }
    // later: the flag, or the code table when the flag is missing
    for (const code of ["CHAIN_UNAVAILABLE", "REVERTED"]) {
      expect(classifyGatewayError(code, 200, "", true), code).toBeInstanceOf(GatewayUnavailableError);
      expect(classifyGatewayError(code, 200, ""), code).toBeInstanceOf(GatewayUnavailableError);
    }
    // the flag wins over the code table and the HTTP status, both ways
    expect(classifyGatewayError("SOMETHING_NEW", 200, "", true)).toBeInstanceOf(GatewayUnavailableError);
    expect(classifyGatewayError("SOMETHING_NEW", 503, "", false)).toBeInstanceOf(GatewayRejectedError);
    expect(classifyGatewayError("SOMETHING_NEW", 503, "")).toBeInstanceOf(GatewayUnavailableError);
    // an unexpected failure inside the gateway is masked as INTERNAL without a flag: not a verdict on the readings
    expect(classifyGatewayError("INTERNAL", 200, "")).toBeInstanceOf(GatewayUnavailableError);
    expect(classifyGatewayError("GRAPHQL_VALIDATION_FAILED", 400, "")).toBeInstanceOf(GatewayRejectedError);
  });
});
