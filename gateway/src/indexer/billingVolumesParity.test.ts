import {
  billingVolumesAbi,
  type GridLedgerDeployment,
  readingsAbi,
  settlementAbi,
  tariffsAbi,
} from "@gridledger/contracts";
import { HouseholdReason, householdSubstituteVolume, scaleProfile } from "@gridledger/domain";
import { type DevChain, devAccounts, startDevChain } from "@gridledger/network";
import fc from "fast-check";
import { type Address, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addTariffPlan,
  chainNow,
  createTariffGroup,
  deployForDevAccounts,
  openAccount,
  registerDeviceKey,
  registerMeter,
  submitReadings,
  warpTo,
} from "../_test/ledgerSteps.js";
import { connect } from "./_test/scenario.js";

/**
 * Property: a household period without readings is billed on chain (BillingVolumes through
 * Settlement.closePeriod) exactly as the domain's `householdSubstituteVolume` computes it from the same
 * history — the average of the last six periods with readings, or the norm with fewer than three —
 * and split over the registers by `scaleProfile` of the history's per-register sums. Random histories
 * of a three-register meter, 1-3 missing periods in a row. A chain of its own (the test moves time).
 */
let chain: DevChain;
let deployment: GridLedgerDeployment;

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.1 });
  deployment = await deployForDevAccounts(chain.rpcUrl, devAccounts());
}, 120_000);

afterAll(async () => {
  await chain?.stop();
});

describe("BillingVolumes against the domain", () => {
  it("substitutes a household's missing periods as householdSubstituteVolume and scaleProfile do", async () => {
    const { client, chainId, send } = await connect(chain.rpcUrl);
    const c = deployment.contracts as Record<string, Address>;
    const { operator, gridCompany: grid, retailCompanyA: retail, consumer, device, relayer } = devAccounts();
    const start = await chainNow(client);
    const groupId = await createTariffGroup(send, {
      tariffs: c.Tariffs!,
      retail,
      name: "Urban",
      consumerType: 1,
      priceCategory: 0,
    });
    await addTariffPlan(send, {
      tariffs: c.Tariffs!,
      retail,
      groupId,
      kind: 1,
      validFrom: start - 86_400,
      vatIncluded: true,
      rates: [[218_000n, 121_000n, 64_000n, 1_000n]],
    });
    let lastPeriod = 0;
    let run = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(400_000), fc.nat(200_000), fc.nat(100_000)), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 20_000, max: 80_000 }),
        async (monthly, missing, residents, normPerPersonWh) => {
          run += 1;
          const meterId = await registerMeter(send, {
            registry: c.Registry!,
            grid,
            serial: `P-${run}`,
            model: "CE308",
            tariffZones: 3,
          });
          await registerDeviceKey(send, {
            readings: c.Readings!,
            grid,
            meterIds: [meterId],
            device: device.address,
          });
          const accountId = await openAccount(send, {
            registry: c.Registry!,
            retail,
            grid: grid.address,
            consumer: consumer.address,
            meterId,
            consumerType: 1,
            priceCategory: 0,
            accountNumber: `LS-P-${run}`,
            siteId: "Centre",
            addressRef: "Lenina 3",
          });
          await send(retail, c.Tariffs!, tariffsAbi, "assignTariff", [accountId, groupId, 1]);
          await send(retail, c.BillingVolumes!, billingVolumesAbi, "setAccountProfile", [
            accountId,
            { residents, normPerPersonWh: BigInt(normPerPersonWh), maxPowerW: 0n },
          ]);

          // periods first … first + history + missing, one hour each, after the chain's clock
          const first = lastPeriod + 1;
          const base = Math.ceil(((await chainNow(client)) + 600) / 1800) * 1800;
          const count = monthly.length + 1 + missing;
          for (let k = 0; k < count; k++) {
            await send(operator, c.Readings!, readingsAbi, "schedulePeriod", [
              first + k,
              base + (k + 1) * 3600,
            ]);
          }
          lastPeriod = first + count - 1;
          const end = (period: number) => base + (period - first + 1) * 3600;
          const registers = [1_000_000n, 500_000n, 200_000n];
          const points: [number, bigint[]][] = [[end(first), [...registers]]];
          for (const [index, volumes] of monthly.entries()) {
            volumes.forEach((volume, r) => {
              registers[r]! += BigInt(volume);
            });
            points.push([end(first + index + 1), [...registers]]);
          }
          const lastRead = first + monthly.length;
          points.push([end(lastRead) + 1800, [...registers]]);
          await warpTo(client, end(lastRead) + 1860);
          await submitReadings(send, {
            readings: c.Readings!,
            chainId,
            device,
            relayer,
            points: points.map(([intervalEnd, registers]) => ({ meterId, intervalEnd, registers })),
          });
          await warpTo(client, end(lastPeriod) + 60);
          for (let period = first + 1; period <= lastRead; period++) {
            await send(retail, c.Settlement!, settlementAbi, "closePeriod", [period, [accountId]]);
          }

          const window = monthly.slice(-6);
          const history = window.map((volumes) => BigInt(volumes[0] + volumes[1] + volumes[2]));
          const sums = [0, 1, 2].map((r) => window.reduce((sum, volumes) => sum + BigInt(volumes[r]!), 0n));
          for (let gap = 1; gap <= missing; gap++) {
            const closed = await send(retail, c.Settlement!, settlementAbi, "closePeriod", [
              lastRead + gap,
              [accountId],
            ]);
            const event = parseEventLogs({
              abi: billingVolumesAbi,
              logs: closed.logs,
              eventName: "VolumesSubstituted",
            })[0]!.args;
            const expected = householdSubstituteVolume({
              reason: HouseholdReason.MissingReadings,
              history,
              averagingWindow: 6,
              minimumHistory: 3,
              periodsWithoutReadings: gap,
              maxAveragePeriods: 6,
              residents: BigInt(residents),
              normPerPersonWh: BigInt(normPerPersonWh),
              refusedAccessMultiplier: { numerator: 3n, denominator: 2n },
              tamperingMultiplier: { numerator: 10n, denominator: 1n },
              tamperingMonths: 1,
              tamperingMaxMonths: 3,
            });
            expect(event.method).toBe(expected.method + 1); // VolumeMethod 0 is Metered
            expect(event.volumeWh).toBe(expected.volumeWh);
            expect(event.consecutivePeriods).toBe(BigInt(gap));
            const used = sums.slice(0, sums.findLastIndex((sum) => sum !== 0n) + 1);
            const split =
              used.length === 0
                ? [expected.volumeWh]
                : scaleProfile({ profileWh: used, targetWh: expected.volumeWh });
            expect(event.registersWh).toEqual([0, 1, 2, 3].map((r) => split[r] ?? 0n));
          }
        },
      ),
      { numRuns: 6 },
    );
  }, 300_000);
});
