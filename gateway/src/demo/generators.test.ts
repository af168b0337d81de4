import { TEST_MNEMONIC } from "@gridledger/network";
import { mnemonicToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  buildDemoPlan,
  DEMO_GROUPS,
  FULL_DEMO_SIZE,
  isValidLegalInn,
  legalInn,
  MeterType,
} from "./demoPlan.js";
import {
  cumulativeRegisters,
  generateLoadProfile,
  LOAD_KINDS,
  localHourOfInterval,
  localWeekday,
  registerOfInterval,
  scaleToIntegers,
  solarProfile,
} from "./loadProfile.js";
import { bytes32ToUtf8, DEMO_UTC_OFFSET_MINUTES, personName, utf8Bytes32 } from "./people.js";
import { createRng } from "./prng.js";
import {
  demoKeyDeriver,
  demoTimeline,
  manualRecordTimes,
  meterSeries,
  paymentAmount,
} from "./seedDemoData.js";

const OFFSET = DEMO_UTC_OFFSET_MINUTES;
// Monday 2026-11-30 00:00 Moscow time = 2026-11-29T21:00Z
const MONDAY = Date.UTC(2026, 10, 29, 21) / 1000;

describe("createRng", () => {
  it("repeats a sequence for a seed and differs between seeds and forks", () => {
    const draw = (seed: string) => Array.from({ length: 5 }, createRng(seed).next);
    expect(draw("a")).toEqual(draw("a"));
    expect(draw("a")).not.toEqual(draw("b"));
    const rng = createRng("x");
    expect(Array.from({ length: 3 }, rng.fork("f").next)).toEqual(
      Array.from({ length: 3 }, createRng("x/f").next),
    );
  });

  it("keeps int within bounds and normal roughly standard", () => {
    const rng = createRng("bounds");
    const ints = Array.from({ length: 2000 }, () => rng.int(3, 7));
    expect(Math.min(...ints)).toBe(3);
    expect(Math.max(...ints)).toBe(7);
    const normals = Array.from({ length: 4000 }, rng.normal);
    const mean = normals.reduce((a, b) => a + b, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
  });
});

describe("names and texts", () => {
  it("agrees the surname and patronymic with the gender", () => {
    const rng = createRng("names");
    for (let i = 0; i < 200; i++) {
      const person = personName(rng);
      expect(person.patronymic.endsWith(person.female ? "на" : "ич")).toBe(true);
      expect(person.fullName).toBe(`${person.surname} ${person.givenName} ${person.patronymic}`);
    }
  });

  it("encodes UTF-8 bytes32 texts and refuses longer ones", () => {
    expect(bytes32ToUtf8(utf8Bytes32("Сосновый Бор"))).toBe("Сосновый Бор");
    expect(() => utf8Bytes32("Население городское с электроплитами")).toThrow(RangeError);
  });

  it("makes legal INNs with a valid check digit", () => {
    const rng = createRng("inn");
    for (let i = 0; i < 50; i++) expect(isValidLegalInn(legalInn(rng))).toBe(true);
    expect(isValidLegalInn("5800000001")).toBe(false);
  });
});

describe("load profiles", () => {
  const profile = (kind: (typeof LOAD_KINDS)[number], extra: { solarKwp?: number } = {}) =>
    generateLoadProfile({
      kind,
      monthlyKwh: 300,
      start: MONDAY,
      intervals: 28 * 48,
      utcOffsetMinutes: OFFSET,
      rng: createRng(kind),
      ...extra,
    });

  it("is deterministic and sums to the monthly target pro rata", () => {
    for (const kind of LOAD_KINDS) {
      const a = profile(kind);
      expect(a).toEqual(profile(kind));
      expect(a.importWh).toHaveLength(28 * 48);
      expect(a.importWh.every((wh) => Number.isInteger(wh) && wh >= 0)).toBe(true);
      expect(a.importWh.reduce((x, y) => x + y, 0)).toBe(280_000);
    }
  });

  it("has a daily and a weekly shape", () => {
    const byHour = (values: number[], hour: number) =>
      values
        .filter((_, i) => localHourOfInterval(MONDAY + (i + 1) * 1800, OFFSET) === hour)
        .reduce((a, b) => a + b, 0);
    const flat = profile("flat").importWh;
    expect(byHour(flat, 20)).toBeGreaterThan(3 * byHour(flat, 3)); // evening peak, night trough
    const office = profile("office").importWh;
    const weekdaySum = (weekend: boolean) =>
      office
        .filter((_, i) => {
          const day = localWeekday(MONDAY + (i + 1) * 1800, OFFSET);
          return (day === 0 || day === 6) === weekend;
        })
        .reduce((a, b) => a + b, 0);
    expect(weekdaySum(false) / 20).toBeGreaterThan((3 * weekdaySum(true)) / 8); // per day: working days ≫ weekends
    expect(localWeekday(MONDAY + 1800, OFFSET)).toBe(1);
  });

  it("exports solar surplus by day only", () => {
    const solar = solarProfile(10, MONDAY, 48, OFFSET, createRng("sun"));
    expect(solar.slice(0, 12).every((wh) => wh === 0)).toBe(true); // 00:00-06:00 local
    expect(Math.max(...solar)).toBeGreaterThan(0);
    const prosumer = profile("house", { solarKwp: 15 });
    expect(prosumer.exportWh.some((wh) => wh > 0)).toBe(true);
    prosumer.importWh.forEach((wh, i) => {
      expect(wh === 0 || prosumer.exportWh[i] === 0).toBe(true);
    });
  });

  it("scales to integers with an exact total", () => {
    expect(scaleToIntegers([1, 1, 1], 10)).toEqual([3, 4, 3]);
    expect(scaleToIntegers([0.2, 5, 3.3], 1234).reduce((a, b) => a + b, 0)).toBe(1234);
  });

  it("counts intervals in the meter's zone registers by local hour", () => {
    const at = (hour: number) => MONDAY + hour * 3600 + 1800; // interval starting at `hour`:00 local
    expect([at(6), at(7), at(22), at(23)].map((end) => registerOfInterval(end, 2, OFFSET))).toEqual([
      1, 0, 0, 1,
    ]);
    expect([at(8), at(12), at(18), at(21), at(2)].map((end) => registerOfInterval(end, 3, OFFSET))).toEqual([
      0, 2, 0, 2, 1,
    ]);
    expect(registerOfInterval(at(8), 1, OFFSET)).toBe(0);
  });

  it("accumulates registers monotonically from the opening values", () => {
    const p = profile("house", { solarKwp: 8 });
    const records = cumulativeRegisters({
      profile: p,
      start: MONDAY,
      zones: 2,
      withExport: true,
      opening: [1000n, 500n, 70n],
      utcOffsetMinutes: OFFSET,
    });
    expect(records).toHaveLength(28 * 48 + 1);
    expect(records[0]).toEqual({ intervalEnd: MONDAY, registers: [1000n, 500n, 70n] });
    for (let i = 1; i < records.length; i++) {
      for (const [r, value] of records[i]!.registers.entries()) {
        expect(value).toBeGreaterThanOrEqual(records[i - 1]!.registers[r]!);
      }
    }
    const last = records.at(-1)!.registers;
    expect(last[0]! + last[1]! - 1500n).toBe(BigInt(p.importWh.reduce((a, b) => a + b, 0)));
    expect(last[2]! - 70n).toBe(BigInt(p.exportWh.reduce((a, b) => a + b, 0)));
  });
});

describe("buildDemoPlan", () => {
  const plan = buildDemoPlan();

  it("is the same every time", () => {
    expect(JSON.stringify(buildDemoPlan(), (_, v) => (typeof v === "bigint" ? v.toString() : v))).toBe(
      JSON.stringify(plan, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
    );
  });

  it("has the issue's variety: 200 accounts, categories 1-4, every tariff kind from both retail companies, several models", () => {
    expect(plan.consumers).toHaveLength(FULL_DEMO_SIZE.accounts);
    expect(new Set(plan.consumers.filter((c) => c.legal).map((c) => c.priceCategory))).toEqual(
      new Set([1, 2, 3, 4]),
    );
    for (const retail of ["A", "B"]) {
      const kinds = new Set(
        DEMO_GROUPS.filter((g) => g.retail === retail).flatMap((g) => g.plans.map((p) => p.kind)),
      );
      // company B's ПЦК 3/4 groups also carry the hourly-priced plans
      const hourly = retail === "B" ? ["PriceCategory3", "PriceCategory4"] : [];
      expect(kinds).toEqual(
        new Set(["SingleRate", "TwoZone", "ThreeZone", "VolumeRange", "SocialNorm", ...hourly]),
      );
    }
    const models = new Set(plan.consumers.map((c) => c.meter.model.split(" ").slice(0, 2).join(" ")));
    for (const model of [
      "Mercury 230",
      "Mercury 234",
      "Energomera CE301",
      "Energomera CE303",
      "Eastron SDM120-Modbus",
      "Eastron SDM630-Modbus",
      "Wiren Board",
    ]) {
      expect(models).toContain(model);
    }
    const used = new Set(plan.consumers.map((c) => `${c.tariff.group}/${c.tariff.kind}`));
    expect([...used].some((t) => t.endsWith("SocialNorm"))).toBe(true);
    expect([...used].some((t) => t.endsWith("VolumeRange"))).toBe(true);
    expect(plan.consumers.filter((c) => c.meter.exportCapable).length).toBeGreaterThanOrEqual(3);
    expect(plan.consumers.filter((c) => !c.meter.remoteReading).length).toBeGreaterThanOrEqual(3);
    expect(plan.consumers.filter((c) => !c.meter.atBalanceBoundary).length).toBeGreaterThanOrEqual(3);
    expect(plan.consumers.filter((c) => c.meter.meterType === MeterType.CommonHouse)).toHaveLength(1);
    expect(new Set(plan.consumers.map((c) => c.address.site.code)).size).toBe(4);
  });

  it("is consistent with the contracts: unique serials and account numbers, texts fit bytes32, tariffs fit meters", () => {
    expect(new Set(plan.consumers.map((c) => `${c.meter.model}/${c.meter.serial}`)).size).toBe(
      plan.consumers.length,
    );
    expect(new Set(plan.consumers.map((c) => c.accountNumber)).size).toBe(plan.consumers.length);
    expect(new Set(plan.consumers.map((c) => c.address.full)).size).toBe(plan.consumers.length);
    for (const c of plan.consumers) {
      expect(() => utf8Bytes32(c.address.short)).not.toThrow();
      expect(() => utf8Bytes32(c.address.site.name)).not.toThrow();
      expect(c.meter.serial.length + c.meter.model.length).toBeLessThan(64);
      const group = DEMO_GROUPS.find((g) => g.key === c.tariff.group)!;
      expect(group.retail).toBe(c.retail);
      expect(group.priceCategory).toBe(c.priceCategory);
      expect(group.plans.map((p) => p.kind)).toContain(c.tariff.kind);
      // a zone plan has exactly the meter's registers (a 3-zone meter on a 2-zone plan would bill half-peak as night)
      const zones = { TwoZone: 2, ThreeZone: 3 }[c.tariff.kind as "TwoZone"];
      if (zones) expect(c.meter.tariffZones).toBe(zones);
      if (c.nextTariff) {
        const next = { TwoZone: 2, ThreeZone: 3 }[c.nextTariff.kind as "TwoZone"];
        if (next) expect(c.meter.tariffZones).toBe(next);
      }
      expect(c.meter.openingWh).toHaveLength(c.meter.tariffZones + (c.meter.exportCapable ? 1 : 0));
    }
    for (const group of DEMO_GROUPS) expect(() => utf8Bytes32(group.name)).not.toThrow();
    for (const agent of plan.agents) expect(agent.meters.length).toBeLessThanOrEqual(10);
    expect(plan.agents.flatMap((a) => a.meters).length).toBe(
      plan.consumers.filter((c) => c.meter.remoteReading).length,
    );
  });

  it("gives the invoices their fate: most confirmed and paid, two disputed, some partial, one overpaid, a few unpaid", () => {
    const count = (f: (c: (typeof plan.consumers)[number]) => boolean) => plan.consumers.filter(f).length;
    expect(count((c) => c.invoice === "dispute")).toBe(2);
    expect(count((c) => c.invoice === "confirm")).toBeGreaterThan(150);
    expect(count((c) => c.payment === "over")).toBe(1);
    expect(count((c) => c.payment === "partial")).toBeGreaterThanOrEqual(5);
    expect(count((c) => c.payment === "none")).toBeGreaterThanOrEqual(5);
    expect(count((c) => c.nextTariff !== undefined)).toBeGreaterThanOrEqual(2);
    expect(count((c) => c.events.tamper !== undefined)).toBe(2);
  });

  it("refuses sizes the scenario cannot fill", () => {
    expect(() => buildDemoPlan({ accounts: 5, days: 30 })).toThrow(RangeError);
    expect(() => buildDemoPlan({ accounts: 50, days: 40 })).toThrow(RangeError);
  });
});

describe("seed helpers", () => {
  it("derives the same keys as viem's mnemonicToAccount", () => {
    const derive = demoKeyDeriver(TEST_MNEMONIC);
    for (const index of [0, 5, 100, 1003]) {
      expect(derive(index).address).toBe(mnemonicToAccount(TEST_MNEMONIC, { addressIndex: index }).address);
    }
  });

  it("places the period on local midnights after the chain time", () => {
    const chainTime = Date.UTC(2026, 10, 27, 5, 29) / 1000;
    const t = demoTimeline(chainTime, chainTime, 30);
    expect(t.start).toBe(Date.UTC(2026, 10, 27, 21) / 1000); // 28 Nov 00:00 Moscow
    expect(t.end - t.start).toBe(30 * 86_400);
    expect(t.readUntil).toBeGreaterThan(t.end);
    expect(t.warpTo).toBeGreaterThan(t.readUntil);
    // a chain running 40 days behind the wall clock: the last period ending ≥ 3 h ago, then the wall clock
    const behind = demoTimeline(chainTime - 40 * 86_400, chainTime, 30);
    expect(behind.end).toBe(Date.UTC(2026, 10, 26, 21) / 1000); // 27 Nov 00:00 Moscow, 8.5 h before 08:29
    expect(behind.warpTo).toBe(chainTime);
  });

  it("times consumers' manual readings on half hours from the period start to after its end", () => {
    const t = demoTimeline(MONDAY, MONDAY, 30);
    const times = manualRecordTimes(t.start, t.end, t.readUntil, 30);
    expect(times[0]).toBe(t.start);
    expect(times).toContain(t.end);
    expect(times.at(-1)).toBe(t.readUntil);
    expect(times.every((x) => x % 1800 === 0)).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("builds a meter's series with the period's records and its status flags", () => {
    const plan = buildDemoPlan({ accounts: 20, days: 3 });
    const tampered = plan.consumers.find((c) => c.events.tamper)!;
    const series = meterSeries(tampered, MONDAY, 3);
    expect(series).toHaveLength(1 + 3 * 48 + 4);
    expect(series.filter((r) => r.status & 4).length).toBe(3);
  });

  it("computes payment amounts: full, partial in whole rubles below the total, overpaid to the next 500 RUB", () => {
    expect(paymentAmount({ payment: "full", partialShare: 0 }, 123_456n)).toBe(123_456n);
    const partial = paymentAmount({ payment: "partial", partialShare: 0.5 }, 123_456n);
    expect(partial).toBe(61_700n);
    expect(paymentAmount({ payment: "over", partialShare: 0 }, 123_456n)).toBe(150_000n);
    expect(paymentAmount({ payment: "none", partialShare: 0 }, 123_456n)).toBe(0n);
    expect(paymentAmount({ payment: "full", partialShare: 0 }, 0n)).toBe(0n);
  });
});
