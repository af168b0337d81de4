import {
  buildReadingBatch,
  decodeMeterRecords,
  METER_READINGS_TYPE,
  READING_BATCH_TYPE,
  type ReadingBatch,
  readingBatchTypedData,
} from "@gridledger/domain";
import {
  type Address,
  createPublicClient,
  decodeEventLog,
  hashTypedData,
  http,
  keccak256,
  parseEventLogs,
  toHex,
} from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { readingsAbi } from "../../abi/Readings.js";
import { registryAbi } from "../../abi/Registry.js";
import { deployFor, freshActors, rpcUrl, send, type TestActors } from "../_test/fixture.js";
import type { GridLedgerDeployment } from "../deploy/deployGridLedger.js";

describe("Readings and the domain's EIP-712 reading format", () => {
  const url = rpcUrl();
  const client = createPublicClient({ transport: http(url) });
  let actors: TestActors;
  let deployment: GridLedgerDeployment;
  let readings: Address;
  let chainId: number;
  let meterIds: bigint[];

  beforeAll(async () => {
    actors = await freshActors(url);
    deployment = await deployFor(url, actors);
    readings = deployment.contracts.Readings!;
    chainId = await client.getChainId();
    const registry = deployment.contracts.Registry!;
    meterIds = [];
    for (const serial of ["A-1", "A-2"]) {
      const receipt = await send(url, actors.grid, registry, registryAbi, "registerMeter", [
        {
          gridCompany: actors.grid.address,
          accountId: 0n,
          meterType: 1,
          tariffZones: 3,
          meteringScheme: 1,
          remoteReading: true,
          exportCapable: true,
          atBalanceBoundary: true,
          lossMethod: 0,
          lossPpm: 0,
          serial: toHex(serial, { size: 32 }),
          model: toHex("Mercury 234", { size: 32 }),
          lossParameters: toHex(0, { size: 32 }),
        },
      ]);
      const [event] = parseEventLogs({ abi: registryAbi, logs: receipt.logs, eventName: "MeterRegistered" });
      meterIds.push(event!.args.meterId);
    }
    await send(url, actors.grid, readings, readingsAbi, "registerDeviceKey", [
      meterIds,
      actors.device.address,
    ]);
  });

  it("uses the typehashes of domain's READING_BATCH_TYPE and METER_READINGS_TYPE", async () => {
    const [batchTypehash, meterTypehash] = await Promise.all([
      client.readContract({ address: readings, abi: readingsAbi, functionName: "READING_BATCH_TYPEHASH" }),
      client.readContract({ address: readings, abi: readingsAbi, functionName: "METER_READINGS_TYPEHASH" }),
    ]);
    expect(batchTypehash).toBe(keccak256(toHex(READING_BATCH_TYPE)));
    expect(meterTypehash).toBe(keccak256(toHex(METER_READINGS_TYPE)));
  });

  it("accepts a batch signed with viem's signTypedData(readingBatchTypedData(...)) and emits decodable records", async () => {
    const latest = await client.getBlock();
    const lastEnd = Math.floor(Number(latest.timestamp) / 1800) * 1800;
    const intervals = Array.from({ length: 4 }, (_, i) => lastEnd - 1800 * (3 - i));
    const batch: ReadingBatch = buildReadingBatch(
      meterIds.flatMap((meterId, m) =>
        intervals.map((intervalEnd, i) => ({
          meterId,
          registerMask: 0b10111,
          intervalEnd,
          status: i === 2 ? 2 : 0,
          registers: [1000n * BigInt(i + m), 500n * BigInt(i), 10n * BigInt(i), 7n * BigInt(i)],
        })),
      ),
    );
    const typedData = readingBatchTypedData({ chainId, verifyingContract: readings, batch });
    const digest = await client.readContract({
      address: readings,
      abi: readingsAbi,
      functionName: "batchDigest",
      args: [batch.meters],
    });
    expect(digest).toBe(hashTypedData(typedData));
    const signature = await actors.device.signTypedData!(typedData);

    const receipt = await send(url, actors.relayer, readings, readingsAbi, "submitReadings", [
      batch.meters,
      signature,
    ]);
    const recorded = parseEventLogs({
      abi: readingsAbi,
      logs: receipt.logs,
      eventName: "MeterReadingsRecorded",
    });
    expect(recorded).toHaveLength(2);
    recorded.forEach((log, m) => {
      expect(log.args.meterId).toBe(meterIds[m]);
      expect(log.args.source).toBe(0);
      expect(decodeMeterRecords(log.args.registerMask, log.args.records)).toEqual(
        decodeMeterRecords(batch.meters[m]!.registerMask, batch.meters[m]!.records),
      );
    });
    const [summary] = parseEventLogs({
      abi: readingsAbi,
      logs: receipt.logs,
      eventName: "ReadingBatchRecorded",
    });
    expect(summary!.args.signer).toBe(actors.device.address);
    expect(summary!.args.accepted).toBe(8n);
    expect(summary!.args.duplicates).toBe(0n);

    const state = await client.readContract({
      address: readings,
      abi: readingsAbi,
      functionName: "meterState",
      args: [meterIds[1]!],
    });
    expect(state[0]).toBe(lastEnd);
    expect(state[1]).toEqual([4000, 1500, 30, 0, 21]);

    // The exact same batch again: ignored, reported as duplicates, nothing emitted per meter.
    const replay = await send(url, actors.relayer, readings, readingsAbi, "submitReadings", [
      batch.meters,
      signature,
    ]);
    const replayed = replay.logs.map((log) => decodeEventLog({ abi: readingsAbi, ...log }));
    expect(replayed.map((event) => event.eventName)).toEqual(["ReadingBatchRecorded"]);
    expect(replayed[0]!.args).toMatchObject({ accepted: 0n, duplicates: 8n });
  });
});
