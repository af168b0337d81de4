import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readingsAbi } from "@gridledger/contracts";
import { alignDownToHalfHour, buildReadingBatch, decodeMeterRecords } from "@gridledger/domain";
import { type RunningSystem, readSystemConfig, startSystem } from "@gridledger/gateway";
import {
  deriveDeviceKey,
  GatewayRejectedError,
  GraphqlUploader,
  signBatch,
  startDemoAgents,
} from "@gridledger/node-agent";
import { createPublicClient, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Actors, registerMetersWithDevice } from "../../gateway/src/_test/chainFixture.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "gridledger-agent-ledger-"));
let system: RunningSystem;

beforeAll(async () => {
  const config = readSystemConfig(
    {
      GRIDLEDGER_DATA_DIR: dataDir,
      GRIDLEDGER_CHAIN_PORT: "0",
      GRIDLEDGER_GATEWAY_PORT: "0",
      GRIDLEDGER_PORTAL_PORT: "0",
      GRIDLEDGER_BLOCK_TIME: "0.25",
      GRIDLEDGER_LOG_LEVEL: "silent",
    },
    repoRoot,
  );
  // this suite starts its own demo agents on the seed's device keys
  system = await startSystem({ config, repoRoot, demoSize: { accounts: 16, days: 2 }, demoAgents: false });
});
afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the agent's uploader against the real gateway and chain", () => {
  test("a signed batch travels agent → portal origin → gateway → Readings contract, once", async () => {
    const accounts = system.chain!.accounts;
    const actors = { grid: accounts.gridCompany, device: accounts.device } as unknown as Actors;
    const meterIds = await registerMetersWithDevice(system.rpcUrl, actors, system.deployment, [
      "E2E-1",
      "E2E-2",
    ]);

    // the agent reaches the gateway through the same origin as the portal, as behind nginx
    const uploader = new GraphqlUploader({ url: `${system.portalUrl}/graphql`, client: "node-http" });
    const domain = await uploader.readingsDomain();
    expect(domain).toEqual({
      chainId: system.deployment.chainId,
      verifyingContract: system.deployment.contracts.Readings,
    });

    const client = createPublicClient({ transport: http(system.rpcUrl), cacheTime: 0 });
    const now = Number((await client.getBlock()).timestamp);
    const firstEnd = Math.floor(now / 1800) * 1800 - 47 * 1800;
    const batch = buildReadingBatch(
      meterIds.flatMap((meterId, index) =>
        Array.from({ length: 48 }, (_, slot) => ({
          meterId,
          registerMask: 1,
          intervalEnd: firstEnd + slot * 1800,
          status: 0,
          registers: [BigInt(index * 1_000_000 + slot * 250)],
        })),
      ),
    );
    const signature = await signBatch(accounts.device as never, domain, batch);
    const first = await uploader.submit(batch, signature);
    expect(first).toMatchObject({ accepted: 96, duplicates: 0 });
    const again = await uploader.submit(batch, signature);
    expect(again).toMatchObject({ accepted: 0, duplicates: 96 });

    const state = (await client.readContract({
      address: system.deployment.contracts.Readings!,
      abi: readingsAbi,
      functionName: "meterState",
      args: [meterIds[1]!],
    })) as readonly unknown[];
    expect(state[0]).toBe(firstEnd + 47 * 1800);
  });

  test("many agents at once: concurrent batches for different meters are all relayed (one relayer key, consecutive nonces)", async () => {
    const accounts = system.chain!.accounts;
    const actors = { grid: accounts.gridCompany, device: accounts.device } as unknown as Actors;
    const meterIds = await registerMetersWithDevice(system.rpcUrl, actors, system.deployment, [
      "C-1",
      "C-2",
      "C-3",
      "C-4",
      "C-5",
      "C-6",
    ]);
    const uploader = new GraphqlUploader({ url: `${system.gatewayUrl}/graphql`, client: "node-http" });
    const domain = await uploader.readingsDomain();
    const client = createPublicClient({ transport: http(system.rpcUrl), cacheTime: 0 });
    const lastEnd = Math.floor(Number((await client.getBlock()).timestamp) / 1800) * 1800;
    const results = await Promise.all(
      meterIds.map(async (meterId) => {
        const batch = buildReadingBatch(
          Array.from({ length: 8 }, (_, slot) => ({
            meterId,
            registerMask: 1,
            intervalEnd: lastEnd - (7 - slot) * 1800,
            status: 0,
            registers: [BigInt(slot * 10)],
          })),
        );
        return uploader.submit(batch, await signBatch(accounts.device as never, domain, batch));
      }),
    );
    expect(results.map((result) => result.accepted)).toEqual([8, 8, 8, 8, 8, 8]);
    expect(new Set(results.map((result) => result.transactionHash)).size).toBe(6);
  });

  test("a batch from a key that is not the meter's device is refused and the agent is told it is not retryable", async () => {
    const uploader = new GraphqlUploader({ url: `${system.gatewayUrl}/graphql`, client: "fetch" });
    const domain = await uploader.readingsDomain();
    const stranger = privateKeyToAccount(generatePrivateKey());
    const batch = buildReadingBatch([
      {
        meterId: 1n,
        registerMask: 1,
        intervalEnd: 1_800_000_000 - (1_800_000_000 % 1800),
        status: 0,
        registers: [1n],
      },
    ]);
    const error = await uploader
      .submit(batch, await signBatch(stranger, domain, batch))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/UNAUTHORIZED_DEVICE|UNKNOWN_METER/);
    expect(error).toBeInstanceOf(GatewayRejectedError);
  });

  test("the demo agents: simulated meters on TCP bridges read by the real agent with the seeded device keys, live readings on chain", async () => {
    const client = createPublicClient({ transport: http(system.rpcUrl), cacheTime: 0 });
    const { Readings, Registry } = system.deployment.contracts;
    const fromBlock = await client.getBlockNumber();
    const boundary = alignDownToHalfHour(Number((await client.getBlock()).timestamp));
    // the demo seed's data concentrators: device keys at m/44'/60'/0'/0/(1000 + j)
    const deviceKeys = [0, 1].map((j) => deriveDeviceKey(system.chain!.mnemonic, 1000 + j));
    const demo = await startDemoAgents({
      gatewayUrl: system.gatewayUrl,
      rpcUrl: system.rpcUrl,
      contracts: { Readings: Readings!, Registry: Registry! },
      deviceKeys,
      dataDir: path.join(dataDir, "demo-agents"),
      maxMetersPerAgent: 3,
    });
    try {
      const meters = demo.agents.flatMap((agent) => agent.meters);
      expect(demo.agents.length).toBeGreaterThan(0);
      expect(meters.length).toBeGreaterThanOrEqual(3);
      const stateOf = async (meterId: string) =>
        (await client.readContract({
          address: Readings!,
          abi: readingsAbi,
          functionName: "meterState",
          args: [BigInt(meterId)],
        })) as unknown as readonly [number, readonly bigint[], number];
      const before = new Map<string, readonly [number, readonly bigint[], number]>();
      for (const meter of meters) before.set(meter.meterId, await stateOf(meter.meterId));
      // the seeded readings end before the boundary just passed, which the agents read at start
      for (const meter of meters) expect(before.get(meter.meterId)![0]).toBeLessThan(boundary);

      const deadline = Date.now() + 90_000;
      for (;;) {
        const states = await Promise.all(meters.map((meter) => stateOf(meter.meterId)));
        if (states.every((state) => state[0] >= boundary)) break;
        if (Date.now() > deadline)
          throw new Error(
            `demo readings did not reach the chain: ${JSON.stringify(states.map((s) => s[0]))}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 500));
      }

      const recorded = await client.getContractEvents({
        address: Readings!,
        abi: readingsAbi,
        eventName: "MeterReadingsRecorded",
        fromBlock,
      });
      for (const meter of meters) {
        const records = recorded
          .filter((log) => String(log.args.meterId) === meter.meterId)
          .flatMap((log) => decodeMeterRecords(log.args.registerMask!, log.args.records!));
        // one live record for the boundary, flagged as read at the boundary, counters carried on from the seed
        expect(records.map((record) => record.intervalEnd)).toContain(boundary);
        const live = records.find((record) => record.intervalEnd === boundary)!;
        expect(live.status).toBe(0);
        const seeded = before.get(meter.meterId)![1];
        const [t1] = live.registers;
        expect(t1!).toBeGreaterThan(seeded[0]!);
      }
      const batches = await client.getContractEvents({
        address: Readings!,
        abi: readingsAbi,
        eventName: "ReadingBatchRecorded",
        fromBlock,
      });
      const signers = new Set(batches.map((log) => log.args.signer!.toLowerCase()));
      for (const agent of demo.agents) expect(signers).toContain(agent.address.toLowerCase());
    } finally {
      await demo.stop();
    }
  });
});
