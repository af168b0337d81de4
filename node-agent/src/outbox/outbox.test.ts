import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_METERS_PER_BATCH } from "@gridledger/domain";
import { describe, expect, it } from "vitest";
import { Outbox, type StoredReading } from "./outbox.js";

const T = 1_764_216_000;
const reading = (meterId: number, k: number): StoredReading => ({
  meterId: BigInt(meterId),
  intervalEnd: T + k * 1800,
  registerMask: 1,
  status: 0,
  registers: [BigInt(1000 + k)],
  source: "boundary",
  readAtMs: 0,
});
const file = () => join(mkdtempSync(join(tmpdir(), "outbox-")), "outbox.sqlite");

describe("Outbox", () => {
  it("stores a reading once per (meter, interval) and survives reopening", () => {
    const path = file();
    const outbox = new Outbox(path);
    expect(outbox.record(reading(1, 0), undefined)).toBe(true);
    expect(outbox.record({ ...reading(1, 0), registers: [5n] }, undefined)).toBe(false);
    outbox.close();
    const again = new Outbox(path);
    expect(again.counts().pending).toBe(1);
    expect(again.nextBatch()?.readings[0]?.registers).toEqual([1000n]);
  });

  it("is durable against power cuts: WAL journal, synchronous=FULL", () => {
    const outbox = new Outbox(file());
    expect(outbox.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(outbox.db.pragma("synchronous", { simple: true })).toBe(2);
    outbox.close();
  });

  it("re-sends the same unconfirmed batch until it is confirmed, then moves on", () => {
    const outbox = new Outbox(file());
    for (let k = 0; k < 5; k++) outbox.record(reading(1, k), undefined);
    const first = outbox.nextBatch(3)!;
    outbox.storeSignature(first.id, "0xabc", "1:0x0");
    outbox.record(reading(1, 5), undefined);
    const again = outbox.nextBatch(3)!;
    expect(again.id).toBe(first.id);
    expect(again.signature).toBe("0xabc");
    expect(again.readings).toEqual(first.readings);
    expect(outbox.confirm(first.id, "0xtx")).toBe(3);
    const next = outbox.nextBatch(3)!;
    expect(next.readings.map((r) => r.intervalEnd)).toEqual([T + 3 * 1800, T + 4 * 1800, T + 5 * 1800]);
    expect(outbox.counts()).toEqual({ pending: 0, batched: 3, quarantined: 0, confirmed: 3 });
  });

  it("splits a refused batch and quarantines a single refused reading with its reason", () => {
    const outbox = new Outbox(file());
    for (let k = 0; k < 3; k++) outbox.record(reading(1, k), undefined);
    const batch = outbox.nextBatch()!;
    expect(outbox.splitOrQuarantine(batch.id, "x")).toBe("split");
    const left = outbox.nextBatch()!;
    expect(left.readings).toHaveLength(2);
    expect(outbox.splitOrQuarantine(left.id, "x")).toBe("split");
    const single = outbox.nextBatch()!;
    expect(single.readings).toHaveLength(1);
    expect(outbox.splitOrQuarantine(single.id, "UNKNOWN_METER: meter 1")).toBe("quarantined");
    expect(outbox.quarantined()).toEqual([
      { meterId: "1", intervalEnd: T, reason: "UNKNOWN_METER: meter 1" },
    ]);
    expect(outbox.counts().quarantined + outbox.counts().batched + outbox.counts().pending).toBe(3);
    expect(outbox.requeueQuarantined()).toBe(1);
  });

  it("respects the per-batch meter limit and orders by interval", () => {
    const outbox = new Outbox(file());
    for (let m = 0; m < MAX_METERS_PER_BATCH + 10; m++) outbox.record(reading(m + 1, 0), undefined);
    const batch = outbox.nextBatch()!;
    expect(new Set(batch.readings.map((r) => r.meterId)).size).toBe(MAX_METERS_PER_BATCH);
  });
});
