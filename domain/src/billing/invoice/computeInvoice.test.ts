import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { latePaymentPenalty } from "../penalties/latePaymentPenalty.js";
import { planSchedule } from "../tariffs/planSchedule.js";
import { LineKind } from "../types.js";
import { computeInvoice } from "./computeInvoice.js";
import { VatMode } from "./vatMode.js";
import { vatRateAt } from "./vatRateAt.js";

const ZERO = { energy: 0n, transmission: 0n, retailMarkup: 0n, infrastructure: 0n };
const none = {
  hourly: { volumesWh: [], prices: [] },
  capacity: { dailyVolumesWh: [], rate: 0n },
  network: { dailyMaximaWh: [], maintenanceRate: 0n, lossRate: 0n },
  exported: { volumeWh: 0n, price: 0n },
};

describe("computeInvoice()", () => {
  test("an export larger than the import leaves a credit (negative payable)", () => {
    const invoice = computeInvoice({
      ...none,
      zoneVolumes: [100_000n],
      rangeUpperBounds: [],
      thresholdMultiplier: { numerator: 1n, denominator: 1n },
      prices: [{ ...ZERO, energy: 500_000n, transmission: 100_000n }],
      exported: { volumeWh: 300_000n, price: 300_000n },
      vat: { mode: VatMode.Included, rateBp: 2_200n },
    });
    expect(invoice.grossTotal).toBe(60_000n);
    expect(invoice.exportCredit).toBe(90_000n);
    expect(invoice.payableByComponent).toEqual([0n, 0n, 0n, 0n]);
    expect(invoice.payableTotal).toBe(-30_000n);
  });

  test("the seasonal multiplier scales range thresholds (×1.8 = 9/5)", () => {
    const schedule = planSchedule({
      plan: {
        kind: "volumeRange",
        rangeUpperBounds: [3_900_000n],
        thresholdMultiplier: { numerator: 9n, denominator: 5n },
        prices: [[{ ...ZERO, energy: 178_000n }], [{ ...ZERO, energy: 331_000n }]],
      },
    });
    const invoice = computeInvoice({
      ...none,
      zoneVolumes: [7_200_000n],
      rangeUpperBounds: schedule.rangeUpperBounds,
      thresholdMultiplier: schedule.thresholdMultiplier,
      prices: schedule.prices,
      vat: { mode: schedule.vatMode, rateBp: 0n },
    });
    expect(invoice.lines.map((line) => line.quantity)).toEqual([7_020_000n, 180_000n]);
  });

  test("ПЦК 4 lines: hourly energy, capacity, maintenance, losses", () => {
    const invoice = computeInvoice({
      ...none,
      zoneVolumes: [2_000n],
      rangeUpperBounds: [],
      thresholdMultiplier: { numerator: 1n, denominator: 1n },
      prices: [{ ...ZERO, retailMarkup: 10_000n }],
      hourly: { volumesWh: [1_000n, 1_000n], prices: [300_000n, 500_000n] },
      capacity: { dailyVolumesWh: [1_000n], rate: 100_000_000n },
      network: { dailyMaximaWh: [1_000n], maintenanceRate: 200_000_000n, lossRate: 50_000n },
      vat: { mode: VatMode.Added, rateBp: 2_200n },
    });
    expect(invoice.lines.map((line) => [line.kind, line.amount])).toEqual([
      [LineKind.Energy, 20n],
      [LineKind.HourlyEnergy, 800n],
      [LineKind.Capacity, 100_000n],
      [LineKind.NetworkMaintenance, 200_000n],
      [LineKind.NetworkLosses, 100n],
    ]);
    expect(invoice.componentNet).toEqual([100_800n, 200_100n, 20n, 0n]);
  });

  test("property: totals are sums of lines and gross = Σ per component", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 10n }), { minLength: 1, maxLength: 3 }),
        fc.bigInt({ min: 0n, max: 3_000_000n }),
        fc.bigInt({ min: 0n, max: 3_000n }),
        (zoneVolumes, energy, rateBp) => {
          const invoice = computeInvoice({
            ...none,
            zoneVolumes,
            rangeUpperBounds: [],
            thresholdMultiplier: { numerator: 1n, denominator: 1n },
            prices: zoneVolumes.map(() => ({ ...ZERO, energy, infrastructure: 272n })),
            vat: { mode: VatMode.Added, rateBp },
          });
          expect(invoice.netTotal).toBe(invoice.lines.reduce((sum, line) => sum + line.amount, 0n));
          expect(invoice.grossByComponent.reduce((a, b) => a + b, 0n)).toBe(invoice.grossTotal);
        },
      ),
    );
  });
});

describe("vatRateAt() and latePaymentPenalty()", () => {
  const schedule = [
    { from: "2019-01-01", rateBp: 2_000n },
    { from: "2026-01-01", rateBp: 2_200n },
  ];
  test("VAT is picked by the supply period", () => {
    expect(vatRateAt({ schedule, date: "2025-12-01" })).toBe(2_000n);
    expect(vatRateAt({ schedule, date: "2026-01-01" })).toBe(2_200n);
    expect(() => vatRateAt({ schedule, date: "2018-12-31" })).toThrow(/No value in force/);
  });

  test("legal entities: 1/130 of the key rate from day 1", () => {
    const result = latePaymentPenalty({
      debt: 1_000_000n,
      dueDate: "2026-03-18",
      paidDate: "2026-03-28",
      rateBp: 1_600n,
      tiers: [{ fromDay: 1, divisor: 130n }],
    });
    // 10 000.00 RUB × 16 % × 10 / 130 = 123.08 RUB
    expect(result).toEqual({ overdueDays: 10, tierDays: [10], penalty: 12_308n });
  });

  test("no penalty within the first 30 days for households", () => {
    const tiers = [
      { fromDay: 31, divisor: 300n },
      { fromDay: 91, divisor: 130n },
    ];
    expect(
      latePaymentPenalty({
        debt: 200_000n,
        dueDate: "2026-04-15",
        paidDate: "2026-05-15",
        rateBp: 950n,
        tiers,
      }).penalty,
    ).toBe(0n);
  });
});
