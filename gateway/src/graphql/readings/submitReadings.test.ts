import { type GridLedgerDeployment, readingsAbi } from "@gridledger/contracts";
import { buildReadingBatch, type ReadingBatch, readingBatchTypedData } from "@gridledger/domain";
import { type Abi, createPublicClient, createWalletClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type Actors,
  deployForActors,
  freshActors,
  registerMetersWithDevice,
  sendCall,
  testRpcUrl,
} from "../../_test/chainFixture.js";
import { createGatewayServer, type GatewayServer } from "../../server/createGatewayServer.js";

const SUBMIT = `mutation Submit($batch: ReadingBatchInput!, $signature: String!) {
  submitReadings(batch: $batch, signature: $signature) { transactionHash blockNumber signer accepted duplicates }
}`;

describe("submitReadings (the agent's ingest path) through GraphQL", () => {
  const rpcUrl = testRpcUrl();
  const client = createPublicClient({ transport: http(rpcUrl), cacheTime: 0 });
  let actors: Actors;
  let deployment: GridLedgerDeployment;
  let meterIds: bigint[];
  let gateway: GatewayServer;
  let chainId: number;
  let baseEnd: number;

  beforeAll(async () => {
    actors = await freshActors(rpcUrl);
    deployment = await deployForActors(rpcUrl, actors);
    meterIds = await registerMetersWithDevice(rpcUrl, actors, deployment, ["GW-1", "GW-2"]);
    chainId = await client.getChainId();
    const now = Number((await client.getBlock()).timestamp);
    baseEnd = Math.floor(now / 1800) * 1800 - 48 * 1800;
    gateway = await createGatewayServer({
      rpcUrl,
      deployment,
      logLevel: "silent",
      services: {
        chain: {
          publicClient: client,
          walletClient: createWalletClient({ transport: http(rpcUrl) }),
          relayer: actors.relayer,
          chainId,
          deployedAtBlock: BigInt(deployment.deployedAtBlock),
          contracts: deployment.contracts,
          zeroGasPrice: true,
        },
        indexStatus: async () => ({ indexedBlock: 5n }),
      },
    });
  });
  afterAll(async () => {
    await gateway?.app.close();
  });

  const batchFor = (slots: number[], value: (slot: number) => bigint, meters = meterIds): ReadingBatch =>
    buildReadingBatch(
      meters.flatMap((meterId) =>
        slots.map((slot) => ({
          meterId,
          registerMask: 1,
          intervalEnd: baseEnd + slot * 1800,
          status: 0,
          registers: [value(slot)],
        })),
      ),
    );
  const variables = (batch: ReadingBatch, signature: string) => ({
    batch: {
      meters: batch.meters.map((entry) => ({
        meterId: entry.meterId.toString(),
        registerMask: entry.registerMask,
        records: entry.records,
      })),
    },
    signature,
  });
  const sign = (batch: ReadingBatch, signer = actors.device) =>
    signer.signTypedData!(
      readingBatchTypedData({ chainId, verifyingContract: deployment.contracts.Readings!, batch }),
    );
  type GraphQLAnswer = {
    data?: Record<string, Record<string, unknown> | null> | null;
    errors?: { message: string; extensions: { code: string } }[];
  };
  const graphql = async (query: string, vars?: Record<string, unknown>): Promise<GraphQLAnswer> => {
    const response = await gateway.app.inject({
      method: "POST",
      url: "/graphql",
      payload: { query, variables: vars },
      headers: { "content-type": "application/json" },
    });
    return response.json() as GraphQLAnswer;
  };

  test("a signed batch is verified, relayed and mined; a replay is acknowledged as duplicates", async () => {
    const batch = batchFor([1, 2, 3], (slot) => BigInt(slot) * 1000n);
    const signature = await sign(batch);
    const first = await graphql(SUBMIT, variables(batch, signature));
    expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
    expect(first.data?.submitReadings).toMatchObject({
      accepted: 6,
      duplicates: 0,
      signer: actors.device.address,
    });
    const receipt = await client.getTransactionReceipt({
      hash: first.data?.submitReadings?.transactionHash as `0x${string}`,
    });
    expect(receipt.status).toBe("success");

    const again = await graphql(SUBMIT, variables(batch, signature));
    expect(again.data?.submitReadings).toMatchObject({ accepted: 0, duplicates: 6 });
  });

  test("a batch signed by a key not registered for the meters is refused before any transaction", async () => {
    const batch = batchFor([4], () => 4000n);
    const nonceBefore = await client.getTransactionCount({ address: actors.relayer.address });
    const answer = await graphql(SUBMIT, variables(batch, await sign(batch, actors.stranger)));
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHORIZED_DEVICE", retryable: false });
    expect(answer.errors?.[0]?.message).toContain(
      `ReadingsUnauthorizedDevice(${meterIds[0]}, ${actors.stranger.address})`,
    );
    expect(await client.getTransactionCount({ address: actors.relayer.address })).toBe(nonceBefore);
  });

  test("a register that goes down is refused with DECREASING_REGISTER and nothing stored changes", async () => {
    const batch = batchFor([5], () => 10n, [meterIds[0]!]);
    const answer = await graphql(SUBMIT, variables(batch, await sign(batch)));
    expect(answer.errors?.[0]?.extensions.code).toBe("DECREASING_REGISTER");
    const state = (await client.readContract({
      address: deployment.contracts.Readings!,
      abi: readingsAbi,
      functionName: "meterState",
      args: [meterIds[0]!],
    })) as readonly unknown[];
    expect(state[0]).toBe(baseEnd + 3 * 1800);
  });

  test("a tampered record (signature over different bytes) never verifies", async () => {
    const batch = batchFor([6], () => 6000n, [meterIds[0]!]);
    const signature = await sign(batch);
    const tampered = batchFor([6], () => 6001n, [meterIds[0]!]);
    const answer = await graphql(SUBMIT, variables(tampered, signature));
    expect(answer.errors?.[0]?.extensions.code).toBe("UNAUTHORIZED_DEVICE");
  });

  test("a revoked device key is refused with REVOKED_DEVICE", async () => {
    const [meterId] = await registerMetersWithDevice(rpcUrl, actors, deployment, ["GW-REVOKED"]);
    await sendCall(
      rpcUrl,
      actors.grid,
      deployment.contracts.Readings!,
      readingsAbi as Abi,
      "revokeDeviceKey",
      [[meterId], actors.device.address],
    );
    const batch = batchFor([1], () => 1n, [meterId!]);
    const answer = await graphql(SUBMIT, variables(batch, await sign(batch)));
    expect(answer.errors?.[0]?.extensions.code).toBe("REVOKED_DEVICE");
  });

  test.each([
    [
      { meters: [{ meterId: "1", registerMask: 1, records: "0x00" }] },
      `0x${"11".repeat(65)}`,
      "INVALID_BATCH",
    ],
    [
      { meters: [{ meterId: "abc", registerMask: 1, records: "0x00" }] },
      `0x${"11".repeat(65)}`,
      "BAD_USER_INPUT",
    ],
    [
      { meters: [{ meterId: "1", registerMask: 64, records: "0x00" }] },
      `0x${"11".repeat(65)}`,
      "BAD_USER_INPUT",
    ],
    [{ meters: [] }, `0x${"11".repeat(65)}`, "BAD_USER_INPUT"],
    [
      { meters: [{ meterId: "1", registerMask: 1, records: `0x${"00".repeat(11)}` }] },
      "0x1234",
      "BAD_SIGNATURE",
    ],
  ])("malformed input %#: %o is refused with a specific code", async (batch, signature, code) => {
    const answer = await graphql(SUBMIT, { batch, signature });
    expect(answer.errors?.[0]?.extensions.code).toBe(code);
  });
});

describe("_meta, readingsDomain and the query guards", () => {
  const rpcUrl = testRpcUrl();
  let gateway: GatewayServer;
  const readings = "0x00000000000000000000000000000000000000aa";

  beforeAll(async () => {
    const client = createPublicClient({ transport: http(rpcUrl), cacheTime: 0 });
    const chainId = await client.getChainId();
    gateway = await createGatewayServer({
      rpcUrl,
      deployment: { chainId, deployedAtBlock: "1", contracts: { Readings: readings } },
      logLevel: "silent",
      services: {
        chain: {
          publicClient: client,
          walletClient: createWalletClient({ transport: http(rpcUrl) }),
          relayer: (await freshActors(rpcUrl)).relayer,
          chainId,
          deployedAtBlock: 1n,
          contracts: { Readings: readings },
          zeroGasPrice: true,
        },
        indexStatus: async () => ({ indexedBlock: 3n }),
      },
    });
  });
  afterAll(async () => {
    await gateway?.app.close();
  });
  const post = async (query: string) =>
    (
      await gateway.app.inject({
        method: "POST",
        url: "/graphql",
        payload: { query },
        headers: { "content-type": "application/json" },
      })
    ).json() as {
      data?: Record<string, Record<string, unknown>>;
      errors?: { message: string; extensions: { code: string } }[];
    };

  test("_meta gives the chain head, the indexed block and the lag", async () => {
    const answer = await post("{ _meta { chainId chainHead indexedBlock lag mode } }");
    const meta = answer.data?._meta as { chainHead: string; indexedBlock: string; lag: string; mode: string };
    expect(meta.indexedBlock).toBe("3");
    expect(BigInt(meta.lag)).toBe(BigInt(meta.chainHead) - 3n);
    expect(meta.mode).toBe("normal");
  });

  test("readingsDomain is what devices sign for", async () => {
    const answer = await post("{ readingsDomain { name version chainId verifyingContract } }");
    expect(answer.data?.readingsDomain).toMatchObject({
      name: "GridLedger Readings",
      version: "1",
      verifyingContract: readings,
    });
  });

  test("unknown fields, malformed documents and too-deep queries get specific codes", async () => {
    expect((await post("{ _meta { nope } }")).errors?.[0]?.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect((await post("{ _meta { ")).errors?.[0]?.extensions.code).toBe("GRAPHQL_PARSE_FAILED");
    const deep =
      "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }";
    const answer = await post(deep);
    expect(answer.errors?.[0]?.extensions.code).toBe("QUERY_TOO_DEEP");
    expect(answer.errors?.[0]?.message).toContain("at most 8");
  });
});
