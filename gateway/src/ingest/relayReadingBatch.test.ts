import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GridLedgerDeployment } from "@gridledger/contracts";
import { buildReadingBatch, type ReadingBatch, readingBatchTypedData } from "@gridledger/domain";
import { createPublicClient, createWalletClient, http, type LocalAccount } from "viem";
import { beforeAll, describe, expect, test } from "vitest";
import {
  type Actors,
  deployForActors,
  freshActors,
  registerMetersWithDevice,
  testRpcUrl,
} from "../_test/chainFixture.js";
import { GatewayError, NonRetryableError } from "../internal/errors.js";
import { relayReadingBatch } from "./relayReadingBatch.js";

/**
 * A JSON-RPC proxy in front of the shared dev chain that answers "method not found" for the given
 * methods, as a node without them would (Besu versions before eth_getBlockReceipts, other clients
 * without eth_createAccessList), and counts the methods it forwards.
 */
async function startRefusingProxy(target: string, refused: string[]) {
  const calls = new Map<string, number>();
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const { id, method } = JSON.parse(body) as { id: number; method: string };
    calls.set(method, (calls.get(method) ?? 0) + 1);
    response.setHeader("content-type", "application/json");
    if (refused.includes(method)) {
      response.end(
        JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } }),
      );
      return;
    }
    const forwarded = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    response.end(await forwarded.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("relayReadingBatch()", () => {
  const rpcUrl = testRpcUrl();
  let actors: Actors;
  let deployment: GridLedgerDeployment;
  let meterIds: bigint[];
  let chainId: number;
  let baseEnd: number;

  beforeAll(async () => {
    actors = await freshActors(rpcUrl);
    deployment = await deployForActors(rpcUrl, actors);
    meterIds = await registerMetersWithDevice(rpcUrl, actors, deployment, ["RB-1", "RB-2", "RB-3", "RB-4"]);
    const client = createPublicClient({ transport: http(rpcUrl) });
    chainId = await client.getChainId();
    const now = Number((await client.getBlock()).timestamp);
    baseEnd = Math.floor(now / 1800) * 1800 - 48 * 1800;
  });

  const signedBatch = async (meters: bigint[], slots: number[], signer: LocalAccount = actors.device) => {
    const batch: ReadingBatch = buildReadingBatch(
      meters.flatMap((meterId) =>
        slots.map((slot) => ({
          meterId,
          registerMask: 1,
          intervalEnd: baseEnd + slot * 1800,
          status: 0,
          registers: [BigInt(slot) * 125n],
        })),
      ),
    );
    const signature = await signer.signTypedData(
      readingBatchTypedData({ chainId, verifyingContract: deployment.contracts.Readings!, batch }),
    );
    return { batch, signature };
  };

  const relay = (url: string, signed: Awaited<ReturnType<typeof signedBatch>>) =>
    relayReadingBatch({
      publicClient: createPublicClient({ transport: http(url), cacheTime: 0 }),
      walletClient: createWalletClient({ transport: http(url) }),
      relayer: actors.relayer,
      readingsAddress: deployment.contracts.Readings!,
      chainId,
      zeroGasPrice: true,
      ...signed,
    });

  test("the gas limit comes from one execution of the batch: enough for meters' first readings, within 10 % + 30,000 of the gas used", async () => {
    // the first readings ever of two meters create their storage: the costliest batch per reading
    const result = await relay(rpcUrl, await signedBatch(meterIds.slice(0, 2), [0, 1, 2, 3, 4, 5]));
    expect(result.accepted).toBe(12);
    const client = createPublicClient({ transport: http(rpcUrl) });
    const [transaction, receipt] = await Promise.all([
      client.getTransaction({ hash: result.transactionHash }),
      client.getTransactionReceipt({ hash: result.transactionHash }),
    ]);
    expect(receipt.status).toBe("success");
    expect(transaction.gas).toBeGreaterThan(receipt.gasUsed);
    expect(transaction.gas).toBeLessThanOrEqual((receipt.gasUsed * 11n) / 10n + 30_000n + 5_000n);
  });

  test("a node without eth_createAccessList and eth_getBlockReceipts: estimated, receipts one by one, same result", async () => {
    const proxy = await startRefusingProxy(rpcUrl, ["eth_createAccessList", "eth_getBlockReceipts"]);
    try {
      const result = await relay(proxy.url, await signedBatch(meterIds.slice(2, 4), [0, 1, 2]));
      expect(result).toMatchObject({ accepted: 6, duplicates: 0, signer: actors.device.address });
      // viem estimates through eth_fillTransaction where the node has it, else eth_estimateGas
      const estimates =
        (proxy.calls.get("eth_estimateGas") ?? 0) + (proxy.calls.get("eth_fillTransaction") ?? 0);
      expect(estimates).toBeGreaterThanOrEqual(1);
      expect(proxy.calls.get("eth_getTransactionReceipt")).toBeGreaterThanOrEqual(1);

      // a refusal still names the contract's error
      const foreign = await signedBatch(meterIds.slice(2, 3), [5], actors.stranger);
      const refusal = await relay(proxy.url, foreign).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(GatewayError);
      expect((refusal as GatewayError).code).toBe("UNAUTHORIZED_DEVICE");
    } finally {
      await proxy.close();
    }
  });

  test("a refused batch costs no transaction and carries the contract's error from the node that has both methods", async () => {
    const client = createPublicClient({ transport: http(rpcUrl) });
    const nonceBefore = await client.getTransactionCount({ address: actors.relayer.address });
    const refusal = await relay(rpcUrl, await signedBatch(meterIds.slice(0, 1), [10], actors.stranger)).catch(
      (error: unknown) => error,
    );
    expect((refusal as GatewayError).code).toBe("UNAUTHORIZED_DEVICE");
    expect(refusal).toBeInstanceOf(NonRetryableError);
    expect(await client.getTransactionCount({ address: actors.relayer.address })).toBe(nonceBefore);
  });
});
