import { createPublicClient, http, parseEventLogs, toHex } from "viem";
import { describe, expect, it } from "vitest";
import { readingsAbi } from "../../abi/Readings.js";
import { registryAbi } from "../../abi/Registry.js";
import { deployFor, freshActors, rpcUrl, send } from "../_test/fixture.js";
import { implementationOf, upgradeGridLedgerContract } from "./upgradeGridLedger.js";

describe("upgradeGridLedgerContract", () => {
  const url = rpcUrl();
  const client = createPublicClient({ transport: http(url) });

  it("points the proxy at a new implementation and keeps meters, keys and readings state", async () => {
    const actors = await freshActors(url);
    const deployment = await deployFor(url, actors);
    const registry = deployment.contracts.Registry!;
    const readings = deployment.contracts.Readings!;
    const receipt = await send(url, actors.grid, registry, registryAbi, "registerMeter", [
      {
        gridCompany: actors.grid.address,
        accountId: 0n,
        meterType: 1,
        tariffZones: 1,
        meteringScheme: 1,
        remoteReading: true,
        exportCapable: false,
        atBalanceBoundary: true,
        lossMethod: 0,
        lossPpm: 0,
        serial: toHex("U-1", { size: 32 }),
        model: toHex("M", { size: 32 }),
        lossParameters: toHex(0, { size: 32 }),
      },
    ]);
    const meterId = parseEventLogs({ abi: registryAbi, logs: receipt.logs, eventName: "MeterRegistered" })[0]!
      .args.meterId;
    await send(url, actors.grid, readings, readingsAbi, "registerDeviceKey", [
      [meterId],
      actors.device.address,
    ]);
    const end = Math.floor(Number((await client.getBlock()).timestamp) / 1800) * 1800;
    await send(url, actors.grid, readings, readingsAbi, "submitManualReadings", [
      meterId,
      1,
      `0x${end.toString(16).padStart(8, "0")}00${(123456).toString(16).padStart(12, "0")}`,
    ]);

    const before = await implementationOf(url, readings);
    expect(before.toLowerCase()).toBe(deployment.contracts.ReadingsImplementation!.toLowerCase());
    const upgraded = await upgradeGridLedgerContract({
      rpcUrl: url,
      upgrader: actors.operator,
      deployment,
      name: "Readings",
    });
    const after = await implementationOf(url, readings);
    expect(after.toLowerCase()).toBe(upgraded.contracts.ReadingsImplementation!.toLowerCase());
    expect(after.toLowerCase()).not.toBe(before.toLowerCase());

    const [lastEnd, registers] = await client.readContract({
      address: readings,
      abi: readingsAbi,
      functionName: "meterState",
      args: [meterId],
    });
    expect(lastEnd).toBe(end);
    expect(registers[0]).toBe(123456);
    expect(
      await client.readContract({
        address: readings,
        abi: readingsAbi,
        functionName: "deviceKeyStatus",
        args: [meterId, actors.device.address],
      }),
    ).toBe(1);
  });

  it("is refused for an account without UPGRADER_ROLE", async () => {
    const actors = await freshActors(url);
    const deployment = await deployFor(url, actors);
    await expect(
      upgradeGridLedgerContract({ rpcUrl: url, upgrader: actors.grid, deployment, name: "Tariffs" }),
    ).rejects.toThrow(/reverted/);
    expect((await implementationOf(url, deployment.contracts.Tariffs!)).toLowerCase()).toBe(
      deployment.contracts.TariffsImplementation!.toLowerCase(),
    );
  });
});
