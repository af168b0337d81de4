import {
  computeInvoice,
  DomainError,
  datedValueAt,
  fillIntervalGaps,
  type HouseholdReason,
  hourlyFromHalfHours,
  householdSubstituteVolume,
  latePaymentPenalty,
  legalEntitySubstituteVolume,
  scaleProfile,
  VatMode,
  zoneHoursToSlots,
  zoneVolumesFromIntervals,
  zoneVolumesFromRegisters,
} from "@gridledger/domain";
import fc from "fast-check";
import {
  type Address,
  ContractFunctionExecutionError,
  createPublicClient,
  http,
  type PublicClient,
  parseEther,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { billingCalculatorAbi } from "../../abi/BillingCalculator.js";
import { deployBillingCalculator } from "./deployBillingCalculator.js";

// Property tests, part 2: ПЦК 3/4 invoices, substitute volumes, register/interval volumes, gaps and
// penalties with random tiers. Each property requires the domain and BillingCalculator to compute
// the same figures, or BOTH to refuse the input.

const RUNS = 200;
let publicClient: PublicClient;
let calculatorAddress: Address;

beforeAll(async () => {
  const rpcUrl = inject("devChainRpcUrl" as never) as string;
  publicClient = createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
  const account = privateKeyToAccount(generatePrivateKey());
  await publicClient.request({
    method: "anvil_setBalance" as never,
    params: [account.address, toHex(parseEther("10"))] as never,
  });
  calculatorAddress = await deployBillingCalculator({ rpcUrl, account });
});

const REFUSED = "refused" as const;
function domainSide<T>(compute: () => T): T | typeof REFUSED {
  try {
    return compute();
  } catch (error) {
    if (error instanceof DomainError) return REFUSED;
    throw error;
  }
}
async function chainSide(functionName: string, args: readonly unknown[]): Promise<unknown> {
  try {
    return await publicClient.readContract({
      address: calculatorAddress,
      abi: billingCalculatorAbi,
      functionName,
      args,
    } as never);
  } catch (error) {
    if (error instanceof ContractFunctionExecutionError) return REFUSED;
    throw error;
  }
}
/** Plain copies of viem's read-only results, so that toEqual compares values only. */
const plain = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(plain)
    : value !== null && typeof value === "object"
      ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]))
      : value;

const small = fc.bigInt({ min: 0n, max: 2_000_000n });

describe("property: domain and BillingCalculator agree (part 2)", () => {
  test("ПЦК 3/4 invoices: hourly energy, capacity, maintenance, losses, adders, VAT added", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(small, fc.bigInt({ min: 0n, max: 1_500_000n })), { maxLength: 48 }),
        fc.array(small, { maxLength: 23 }),
        fc.array(small, { maxLength: 23 }),
        fc.record({
          capacityRate: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 300_000_000n })),
          maintenanceRate: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 300_000_000n })),
          lossRate: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 100_000n })),
          transmission: fc.bigInt({ min: 0n, max: 400_000n }),
          retailMarkup: fc.bigInt({ min: 0n, max: 20_000n }),
          infrastructure: fc.bigInt({ min: 0n, max: 1_000n }),
          vatRateBp: fc.bigInt({ min: 0n, max: 3_000n }),
        }),
        async (hours, capacityDays, networkDays, r) => {
          const volumesWh = hours.map(([volume]) => volume);
          const prices = hours.map(([, price]) => price);
          const total = volumesWh.reduce((a, b) => a + b, 0n);
          const adders = {
            energy: 0n,
            transmission: r.transmission,
            retailMarkup: r.retailMarkup,
            infrastructure: r.infrastructure,
          };
          const domain = domainSide(() =>
            computeInvoice({
              zoneVolumes: [total],
              rangeUpperBounds: [],
              thresholdMultiplier: { numerator: 1n, denominator: 1n },
              prices: [adders],
              hourly: { volumesWh, prices },
              capacity: { dailyVolumesWh: capacityDays, rate: r.capacityRate },
              network: {
                dailyMaximaWh: networkDays,
                maintenanceRate: r.maintenanceRate,
                lossRate: r.lossRate,
              },
              exported: { volumeWh: 0n, price: 0n },
              vat: { mode: VatMode.Added, rateBp: r.vatRateBp },
            }),
          );
          const chain = await chainSide("computeInvoice", [
            {
              zoneVolumes: [total],
              rangeUpperBounds: [],
              thresholdNumerator: 1n,
              thresholdDenominator: 1n,
              prices: [adders],
              hourlyVolumes: volumesWh,
              hourlyPrices: prices,
              capacityDailyVolumes: capacityDays,
              capacityRate: r.capacityRate,
              networkDailyMaxima: networkDays,
              maintenanceRate: r.maintenanceRate,
              lossRate: r.lossRate,
              exportVolume: 0n,
              exportPrice: 0n,
              vatMode: VatMode.Added,
              vatRateBp: r.vatRateBp,
            },
          ]);
          expect(plain(chain)).toEqual(plain(domain));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("householdSubstituteVolume() over every reason and parameter", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          reason: fc.integer({ min: 0, max: 3 }),
          history: fc.array(fc.bigInt({ min: 0n, max: 5_000_000n }), { maxLength: 14 }),
          averagingWindow: fc.integer({ min: 0, max: 12 }),
          minimumHistory: fc.integer({ min: 0, max: 6 }),
          periodsWithoutReadings: fc.integer({ min: 0, max: 10 }),
          maxAveragePeriods: fc.integer({ min: 0, max: 8 }),
          residents: fc.bigInt({ min: 0n, max: 12n }),
          normPerPersonWh: fc.bigInt({ min: 0n, max: 300_000n }),
          refused: fc.tuple(fc.bigInt({ min: 0n, max: 5n }), fc.bigInt({ min: 0n, max: 4n })),
          tampering: fc.tuple(fc.bigInt({ min: 0n, max: 20n }), fc.bigInt({ min: 0n, max: 2n })),
          tamperingMonths: fc.integer({ min: 0, max: 5 }),
          tamperingMaxMonths: fc.integer({ min: 0, max: 4 }),
        }),
        async (p) => {
          const domain = domainSide(() =>
            householdSubstituteVolume({
              ...p,
              reason: p.reason as HouseholdReason,
              refusedAccessMultiplier: { numerator: p.refused[0], denominator: p.refused[1] },
              tamperingMultiplier: { numerator: p.tampering[0], denominator: p.tampering[1] },
            }),
          );
          const chain = await chainSide("householdSubstituteVolume", [
            {
              reason: p.reason,
              history: p.history,
              averagingWindow: BigInt(p.averagingWindow),
              minimumHistory: BigInt(p.minimumHistory),
              periodsWithoutReadings: BigInt(p.periodsWithoutReadings),
              maxAveragePeriods: BigInt(p.maxAveragePeriods),
              residents: p.residents,
              normPerPersonWh: p.normPerPersonWh,
              refusedAccessNumerator: p.refused[0],
              refusedAccessDenominator: p.refused[1],
              tamperingNumerator: p.tampering[0],
              tamperingDenominator: p.tampering[1],
              tamperingMonths: BigInt(p.tamperingMonths),
              tamperingMaxMonths: BigInt(p.tamperingMaxMonths),
            },
          ]);
          if (domain === REFUSED || chain === REFUSED) {
            expect(chain).toBe(domain);
            return;
          }
          const [method, volumeWh, periods, totalWh] = chain as [number, bigint, bigint, bigint];
          expect({ method, volumeWh, periods: Number(periods), totalWh }).toEqual(domain);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("legalEntitySubstituteVolume() over present and missing data", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          consecutivePeriod: fc.integer({ min: 0, max: 5 }),
          substitutePeriods: fc.integer({ min: 0, max: 3 }),
          analogousPeriodWh: fc.option(fc.bigInt({ min: 0n, max: 10n ** 9n }), { nil: null }),
          nearestPeriod: fc.option(
            fc.record({
              volumeWh: fc.bigInt({ min: 0n, max: 10n ** 9n }),
              days: fc.bigInt({ min: 0n, max: 31n }),
            }),
            { nil: null },
          ),
          currentDays: fc.bigInt({ min: 28n, max: 31n }),
          maxPowerW: fc.option(fc.bigInt({ min: 0n, max: 10n ** 7n }), { nil: null }),
          hours: fc.bigInt({ min: 0n, max: 8_760n }),
          cable: fc.option(
            fc.record({
              phases: fc.constantFrom(1n, 2n, 3n),
              phaseVoltageV: fc.bigInt({ min: 0n, max: 400n }),
              currentA: fc.bigInt({ min: 0n, max: 1_000n }),
              powerFactorBp: fc.bigInt({ min: 0n, max: 10_000n }),
            }),
            { nil: null },
          ),
        }),
        async (p) => {
          const domain = domainSide(() => legalEntitySubstituteVolume(p));
          const chain = await chainSide("legalEntitySubstituteVolume", [
            {
              consecutivePeriod: BigInt(p.consecutivePeriod),
              substitutePeriods: BigInt(p.substitutePeriods),
              hasAnalogousPeriod: p.analogousPeriodWh !== null,
              analogousPeriodWh: p.analogousPeriodWh ?? 0n,
              hasNearestPeriod: p.nearestPeriod !== null,
              nearestVolumeWh: p.nearestPeriod?.volumeWh ?? 0n,
              nearestDays: p.nearestPeriod?.days ?? 0n,
              currentDays: p.currentDays,
              hasMaxPower: p.maxPowerW !== null,
              maxPowerW: p.maxPowerW ?? 0n,
              hours_: p.hours,
              hasCable: p.cable !== null,
              cable: p.cable ?? { phases: 0n, phaseVoltageV: 0n, currentA: 0n, powerFactorBp: 0n },
            },
          ]);
          if (domain === REFUSED || chain === REFUSED) {
            expect(chain).toBe(domain);
            return;
          }
          const [method, volumeWh] = chain as [number, bigint];
          expect({ method, volumeWh }).toEqual(domain);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("zone volumes from registers and from half-hour intervals; interval gaps", async () => {
    const zoneHours = {
      zoneCount: 3,
      windows: [
        { zone: 0, startMinute: 420, endMinute: 600 },
        { zone: 0, startMinute: 1020, endMinute: 1260 },
        { zone: 1, startMinute: 600, endMinute: 1020 },
        { zone: 1, startMinute: 1260, endMinute: 1380 },
        { zone: 2, startMinute: 1380, endMinute: 420 },
      ],
    };
    const slots = zoneHoursToSlots(zoneHours);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.bigInt({ min: 5n, max: 10n ** 9n }), fc.bigInt({ min: -5n, max: 10n ** 6n })), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2_000 }), fc.bigInt({ min: 0n, max: 100_000n })), {
          maxLength: 60,
        }),
        fc.tuple(
          fc.bigInt({ min: 0n, max: 10n ** 8n }),
          fc.bigInt({ min: 0n, max: 10n ** 8n }),
          fc.integer({ min: 0, max: 40 }),
        ),
        async (registers, intervals, [registerWh, knownWh, missingCount]) => {
          const previous = registers.map(([value]) => value);
          const current = registers.map(([value, delta]) => value + delta);
          const domainRegisters = domainSide(() => zoneVolumesFromRegisters({ previous, current }));
          expect(plain(await chainSide("zoneVolumesFromRegisters", [previous, current]))).toEqual(
            domainRegisters,
          );

          // Half-hour intervals from 2026-01-01 onwards in Yekaterinburg (UTC+5).
          const start = Date.UTC(2026, 0, 1) / 1000;
          const data = intervals.map(([index, energyWh]) => ({
            intervalEnd: start + index * 1800,
            energyWh,
          }));
          const domainIntervals = zoneVolumesFromIntervals({
            intervals: data,
            timeZone: "Asia/Yekaterinburg",
            slots,
            zoneCount: 3,
          });
          const chainIntervals = await chainSide("zoneVolumesFromIntervals", [
            data.map(({ intervalEnd }) => BigInt(intervalEnd)),
            data.map(({ energyWh }) => energyWh),
            300,
            slots,
            3,
          ]);
          expect(plain(chainIntervals)).toEqual(domainIntervals);

          const domainGaps = domainSide(() => fillIntervalGaps({ registerWh, knownWh, missingCount }));
          expect(
            plain(await chainSide("fillIntervalGaps", [registerWh, knownWh, BigInt(missingCount)])),
          ).toEqual(domainGaps);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("latePaymentPenalty() with random tiers (valid or not)", async () => {
    const day0 = Date.UTC(2026, 0, 1) / 86_400_000;
    const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: -20, max: 500 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.bigInt({ min: 0n, max: 400n })), {
          maxLength: 3,
        }),
        async (debt, due, overdue, tiers) => {
          const domain = domainSide(() =>
            latePaymentPenalty({
              debt,
              dueDate: iso(day0 + due),
              paidDate: iso(day0 + due + overdue),
              rateBp: 1_600n,
              tiers: tiers.map(([fromDay, divisor]) => ({ fromDay, divisor })),
            }),
          );
          const chain = await chainSide("latePaymentPenalty", [
            debt,
            day0 + due,
            day0 + due + overdue,
            1_600n,
            tiers.map(([fromDay]) => fromDay),
            tiers.map(([, divisor]) => divisor),
          ]);
          if (domain === REFUSED || chain === REFUSED) {
            expect(chain).toBe(domain);
            return;
          }
          const [overdueDays, tierDays, penalty] = chain as [bigint, bigint[], bigint];
          expect({ overdueDays: Number(overdueDays), tierDays: tierDays.map(Number), penalty }).toEqual(
            domain,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
  test("scaleProfile() and hourlyFromHalfHours(): hourly profiles under substitution", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: 500_000n }), { maxLength: 50 }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        async (profileWh, targetWh) => {
          const domainScaled = domainSide(() => scaleProfile({ profileWh, targetWh }));
          expect(plain(await chainSide("scaleProfile", [profileWh, targetWh]))).toEqual(domainScaled);
          if (domainScaled !== REFUSED) expect(domainScaled.reduce((a, b) => a + b, 0n)).toBe(targetWh);
          const domainHours = domainSide(() => hourlyFromHalfHours({ halfHoursWh: profileWh }));
          expect(plain(await chainSide("hourlyFromHalfHours", [profileWh]))).toEqual(domainHours);
        },
      ),
      { numRuns: RUNS },
    );
  });
  test("datedValueAt(): dated parameters by day, ascending or refused", async () => {
    const day0 = Date.UTC(2019, 0, 1) / 86_400_000;
    const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3_000 }), fc.bigInt({ min: 0n, max: 5_000n })), {
          maxLength: 5,
        }),
        fc.integer({ min: -10, max: 3_100 }),
        async (entries, day) => {
          const domain = domainSide(() =>
            datedValueAt({
              schedule: entries.map(([from, value]) => ({ from: iso(day0 + from), value })),
              date: iso(day0 + day),
            }),
          );
          const chain = await chainSide("datedValueAt", [
            entries.map(([from]) => day0 + from),
            entries.map(([, value]) => value),
            day0 + day,
          ]);
          expect(chain).toEqual(domain);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
