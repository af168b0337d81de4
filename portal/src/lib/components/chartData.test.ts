import { expect, test } from "vitest";
import { stackSeries } from "./chartData";

const point = (bucketStart: number, t1: string, t2: string, exported = "0") => ({
  bucketStart,
  importT1: t1,
  importT2: t2,
  importT3: "0",
  importT4: "0",
  export: exported,
  readings: 48,
});

test("zones with energy are stacked in order; empty zones and export are left out", () => {
  const series = stackSeries([point(100, "1000", "500"), point(200, "2500", "0")]);
  expect(series.x).toEqual([100, 200]);
  expect(series.zones).toEqual(["importT1", "importT2"]);
  expect(series.stacked).toEqual([
    [1, 2.5],
    [1.5, 2.5],
  ]);
  expect(series.exported).toBeUndefined();
  expect(series.totalWh).toBe(4000n);
});

test("export is its own line; T1 is always there, even with no points", () => {
  expect(stackSeries([point(1, "0", "0", "750")]).exported).toEqual([0.75]);
  const empty = stackSeries([]);
  expect(empty.zones).toEqual(["importT1"]);
  expect(empty.totalWh).toBe(0n);
});
