import { readFileSync } from "node:fs";
import {
  applyPayment,
  type BillingCase,
  type BillingVectorFile,
  commonHouseShare,
  compareFigures,
  computeInvoice,
  DomainError,
  evaluateBillingCase,
  latePaymentPenalty,
  lineLoss,
  type PriceComponents,
  splitByLargestRemainder,
  splitRangesAcrossZones,
  transformerLoss,
  VatMode,
  zoneHoursToSlots,
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
import { evaluateBillingCaseOnChain } from "./evaluateBillingCaseOnChain.js";

const vectors = JSON.parse(
  readFileSync(new URL("../../../domain/vectors/billing.json", import.meta.url), "utf8"),
) as BillingVectorFile;

let publicClient: PublicClient;
let calculatorAddress: Address;
// biome-ignore lint/suspicious/noExplicitAny: generic reader over the typed ABI
const read = (functionName: string, args: readonly unknown[]): Promise<any> =>
  publicClient.readContract({
    address: calculatorAddress,
    abi: billingCalculatorAbi,
    functionName,
    args,
  } as never);

beforeAll(async () => {
  const rpcUrl = inject("devChainRpcUrl" as never) as string;
  publicClient = createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
  // A fresh key per test file, so files running in parallel never share a nonce.
  const account = privateKeyToAccount(generatePrivateKey());
  await publicClient.request({
    method: "anvil_setBalance" as never,
    params: [account.address, toHex(parseEther("10"))] as never,
  });
  calculatorAddress = await deployBillingCalculator({ rpcUrl, account });
});

describe("billing vectors in both languages", () => {
  test.each(vectors.cases.map((billingCase) => [billingCase.id, billingCase] as const))(
    "%s: domain and BillingCalculator agree with each other and with the reference",
    async (_id, billingCase: BillingCase) => {
      const domain = evaluateBillingCase(billingCase);
      const chain = await evaluateBillingCaseOnChain(billingCase, { publicClient, calculatorAddress });
      expect(chain).toEqual(domain);
      expect(compareFigures({ expected: billingCase.expected, actual: domain })).toEqual([]);
      expect(compareFigures({ expected: billingCase.expected, actual: chain })).toEqual([]);
    },
  );
});

// ---- property tests: random inputs through both languages, identical results required ----

// 300 runs per property keep the whole file well under 60 s on the embedded chain (≈ 1 ms per eth_call).
const RUNS = 300;
const wh = fc.bigInt({ min: 0n, max: 50_000_000_000n });
const price = fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 2_000_000n }));
const priceComponents = fc.record({
  energy: price,
  transmission: price,
  retailMarkup: price,
  infrastructure: price,
});
const flatInvoice = (invoice: ReturnType<typeof computeInvoice>) => ({
  ...invoice,
  lines: invoice.lines.map((line) => ({ ...line })),
});
const onChainInvoice = (raw: ReturnType<typeof computeInvoice> & { payableTotal: bigint }) => ({
  lines: raw.lines.map((line) => ({ ...line })),
  componentNet: [...raw.componentNet],
  netTotal: raw.netTotal,
  vat: raw.vat,
  vatByComponent: [...raw.vatByComponent],
  grossByComponent: [...raw.grossByComponent],
  grossTotal: raw.grossTotal,
  vatIncluded: raw.vatIncluded,
  exportCredit: raw.exportCredit,
  payableByComponent: [...raw.payableByComponent],
  payableTotal: raw.payableTotal,
});

describe("property: domain and BillingCalculator agree on random inputs", () => {
  test("computeInvoice() over random zones, ranges, prices, export and VAT", async () => {
    const arbitrary = fc
      .record({
        zoneCount: fc.integer({ min: 1, max: 3 }),
        bounds: fc.uniqueArray(fc.bigInt({ min: 1n, max: 20_000_000_000n }), { maxLength: 2 }),
        multiplier: fc.record({
          numerator: fc.bigInt({ min: 1n, max: 20n }),
          denominator: fc.bigInt({ min: 1n, max: 10n }),
        }),
        zoneVolumes: fc.array(wh, { minLength: 3, maxLength: 3 }),
        prices: fc.array(priceComponents, { minLength: 9, maxLength: 9 }),
        exported: fc.record({ volumeWh: fc.oneof(fc.constant(0n), wh), price }),
        vatMode: fc.constantFrom(VatMode.None, VatMode.Included, VatMode.Added),
        vatRateBp: fc.bigInt({ min: 0n, max: 3_000n }),
      })
      .map((r) => ({ ...r, bounds: [...r.bounds].sort((a, b) => (a < b ? -1 : 1)) }));
    await fc.assert(
      fc.asyncProperty(arbitrary, async (r) => {
        const zoneVolumes = r.zoneVolumes.slice(0, r.zoneCount);
        const prices: PriceComponents[] = r.prices.slice(0, r.zoneCount * (r.bounds.length + 1));
        const empty = { volumesWh: [], prices: [] };
        let domain: ReturnType<typeof computeInvoice> | "refused";
        try {
          domain = computeInvoice({
            zoneVolumes,
            rangeUpperBounds: r.bounds,
            thresholdMultiplier: r.multiplier,
            prices,
            hourly: empty,
            capacity: { dailyVolumesWh: [], rate: 0n },
            network: { dailyMaximaWh: [], maintenanceRate: 0n, lossRate: 0n },
            exported: r.exported,
            vat: { mode: r.vatMode, rateBp: r.vatRateBp },
          });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          domain = "refused";
        }
        let chain: unknown;
        try {
          chain = await read("computeInvoice", [
            {
              zoneVolumes,
              rangeUpperBounds: r.bounds,
              thresholdNumerator: r.multiplier.numerator,
              thresholdDenominator: r.multiplier.denominator,
              prices,
              hourlyVolumes: [],
              hourlyPrices: [],
              capacityDailyVolumes: [],
              capacityRate: 0n,
              networkDailyMaxima: [],
              maintenanceRate: 0n,
              lossRate: 0n,
              exportVolume: r.exported.volumeWh,
              exportPrice: r.exported.price,
              vatMode: r.vatMode,
              vatRateBp: r.vatRateBp,
            },
          ]);
        } catch (error) {
          if (!(error instanceof ContractFunctionExecutionError)) throw error;
          chain = "refused";
        }
        // Both refuse (scaled range bounds that collapse) or both compute the same invoice.
        if (domain === "refused" || chain === "refused") {
          expect(chain).toBe(domain);
          return;
        }
        expect(onChainInvoice(chain as never)).toEqual(flatInvoice(domain));
      }),
      { numRuns: RUNS },
    );
  });

  test("splitRangesAcrossZones() keeps every part non-negative, rows and columns exact, in both languages", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: 1_000n }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.bigInt({ min: 1n, max: 1_000n }), { maxLength: 3 }),
        async (zoneVolumes, cuts) => {
          const total = zoneVolumes.reduce((a, b) => a + b, 0n);
          // random range volumes that sum to the total
          const ranges: bigint[] = [];
          let left = total;
          for (const cut of cuts) {
            const take = left === 0n ? 0n : cut % (left + 1n);
            ranges.push(take);
            left -= take;
          }
          ranges.push(left);
          const domain = splitRangesAcrossZones({ zoneVolumes, rangeVolumes: ranges });
          const chain: readonly bigint[] = await read("splitRangesAcrossZones", [zoneVolumes, ranges]);
          expect([...chain]).toEqual(domain);
          const z = zoneVolumes.length;
          expect(domain.every((part) => part >= 0n)).toBe(true);
          ranges.forEach((range, k) => {
            expect(domain.slice(k * z, k * z + z).reduce((a, b) => a + b, 0n)).toBe(range);
          });
          zoneVolumes.forEach((volume, zone) => {
            expect(domain.filter((_, index) => index % z === zone).reduce((a, b) => a + b, 0n)).toBe(volume);
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("splitByLargestRemainder() and applyPayment(): parts sum exactly, same kopecks on chain", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: 10_000_000_000n }), { minLength: 1, maxLength: 6 }),
        fc.bigInt({ min: 0n, max: 20_000_000_000n }),
        async (weights, amount) => {
          if (!weights.some((w) => w > 0n)) weights[0] = 1n;
          const parts = splitByLargestRemainder({ amount, weights });
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(amount);
          expect([...(await read("splitByLargestRemainder", [amount, weights]))]).toEqual(parts);
          const paid = applyPayment({ outstanding: weights, amount });
          const [chainParts, chainAfter, chainCredit] = await read("applyPayment", [weights, amount]);
          expect({ parts: [...chainParts], outstandingAfter: [...chainAfter], credit: chainCredit }).toEqual(
            paid,
          );
          expect(paid.parts.every((part, i) => part <= weights[i]!)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("zoneHoursToSlots() and intervalZone() over random partitions of the day", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 48, maxLength: 48 }),
        fc.integer({ min: 0, max: 47 }),
        fc.integer({ min: 1_500_000_000, max: 1_900_000_000 }),
        async (slotZones, rotation, instant) => {
          // windows of consecutive equal slots, rotated so some wrap past midnight
          const windows: { zone: number; startMinute: number; endMinute: number }[] = [];
          for (let i = 0; i < 48; ) {
            const slot = (i + rotation) % 48;
            let length = 1;
            while (i + length < 48 && slotZones[(i + length + rotation) % 48] === slotZones[slot]) length++;
            windows.push({
              zone: slotZones[slot]!,
              startMinute: slot * 30,
              endMinute: ((slot + length) % 48) * 30,
            });
            i += length;
          }
          const zoneHours = { zoneCount: 3, windows };
          const slots = zoneHoursToSlots(zoneHours);
          expect(slots).toEqual(slotZones);
          const chainSlots: readonly number[] = await read("zoneSlots", [windows, 3]);
          expect([...chainSlots]).toEqual(slots);
          const intervalEnd = instant - (instant % 1800);
          const { intervalZone } = await import("@gridledger/domain");
          const domainZone = intervalZone({ intervalEnd, timeZone: "Asia/Irkutsk", slots });
          expect(await read("intervalZone", [BigInt(intervalEnd), 480, chainSlots])).toBe(domainZone);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("latePaymentPenalty() over random debts, dates and rates", async () => {
    const day0 = Date.UTC(2025, 0, 1) / 86_400_000;
    const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: 100_000_000_000n }),
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 0, max: 400 }),
        fc.bigInt({ min: 0n, max: 3_000n }),
        async (debt, due, overdue, rateBp) => {
          const tiers = [
            { fromDay: 31, divisor: 300n },
            { fromDay: 91, divisor: 130n },
          ];
          const domain = latePaymentPenalty({
            debt,
            dueDate: iso(day0 + due),
            paidDate: iso(day0 + due + overdue),
            rateBp,
            tiers,
          });
          const [days, tierDays, penalty] = await read("latePaymentPenalty", [
            debt,
            day0 + due,
            day0 + due + overdue,
            rateBp,
            [31, 91],
            [300n, 130n],
          ]);
          expect({
            overdueDays: Number(days),
            tierDays: (tierDays as bigint[]).map(Number),
            penalty,
          }).toEqual(domain);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("transformerLoss(), lineLoss() and commonHouseShare() over random physical inputs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          meteredWh: fc.bigInt({ min: 0n, max: 10_000_000_000n }),
          hours: fc.bigInt({ min: 1n, max: 744n }),
          hoursOn: fc.bigInt({ min: 0n, max: 744n }),
          powerFactorBp: fc.bigInt({ min: 1_000n, max: 10_000n }),
          ratedPowerVA: fc.bigInt({ min: 10_000n, max: 10_000_000n }),
          noLoadLossW: fc.bigInt({ min: 0n, max: 20_000n }),
          shortCircuitLossW: fc.bigInt({ min: 0n, max: 100_000n }),
          loadShapeBp: fc.bigInt({ min: 10_000n, max: 15_000n }),
          voltageV: fc.bigInt({ min: 220n, max: 110_000n }),
          resistanceMicroOhmPerM: fc.bigInt({ min: 1n, max: 5_000n }),
          lengthM: fc.bigInt({ min: 1n, max: 10_000n }),
        }),
        fc.record({
          commonMeterWh: fc.option(fc.bigInt({ min: 0n, max: 100_000_000n }), { nil: null }),
          residentialWh: fc.bigInt({ min: 0n, max: 80_000_000n }),
          nonResidentialWh: fc.bigInt({ min: 0n, max: 10_000_000n }),
          totalAreaDm2: fc.bigInt({ min: 1n, max: 10_000_000n }),
          commonAreaDm2: fc.bigInt({ min: 0n, max: 2_000_000n }),
          premisesShare: fc.bigInt({ min: 0n, max: 1_000n }),
          normWhPerM2: fc.bigInt({ min: 0n, max: 5_000n }),
          capAtNorm: fc.boolean(),
          distributeNegative: fc.boolean(),
        }),
        async (t, h) => {
          const {
            voltageV,
            resistanceMicroOhmPerM,
            lengthM,
            ratedPowerVA,
            noLoadLossW,
            shortCircuitLossW,
            hoursOn,
            ...base
          } = t;
          const transformer = { ...base, hoursOn, ratedPowerVA, noLoadLossW, shortCircuitLossW };
          const { hours, ...transformerRest } = transformer;
          expect(await read("transformerLoss", [{ ...transformerRest, hours_: hours }])).toBe(
            transformerLoss(transformer),
          );
          const line = { ...base, voltageV, resistanceMicroOhmPerM, lengthM };
          const { hours: lineHours, ...lineRest } = line;
          expect(await read("lineLoss", [{ ...lineRest, hours_: lineHours }])).toBe(lineLoss(line));

          const { premisesShare, ...house } = h;
          const input = { ...house, premisesAreaDm2: (house.totalAreaDm2 * premisesShare) / 1_000n };
          const domain = commonHouseShare(input);
          const chain = await read("commonHouseShare", [
            {
              ...input,
              hasCommonMeter: input.commonMeterWh !== null,
              commonMeterWh: input.commonMeterWh ?? 0n,
            },
          ]);
          expect({ ...chain }).toEqual(domain);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
