import { describe, expect, test } from "vitest";
import { buildReadingBatch } from "./readingBatch.js";
import {
  METER_READINGS_TYPE,
  READING_BATCH_TYPE,
  readingBatchTypedData,
  readingBatchTypes,
} from "./typedData.js";

/** EIP-712 encodeType from the field lists, so the Solidity-facing strings can't drift from the types. */
function encodeType(primary: keyof typeof readingBatchTypes): string {
  const render = (name: keyof typeof readingBatchTypes) =>
    `${name}(${readingBatchTypes[name].map((field) => `${field.type} ${field.name}`).join(",")})`;
  const referenced = (Object.keys(readingBatchTypes) as (keyof typeof readingBatchTypes)[]).filter(
    (name) =>
      name !== primary && readingBatchTypes[primary].some((field) => field.type.replace("[]", "") === name),
  );
  return render(primary) + referenced.sort().map(render).join("");
}

describe("reading batch EIP-712 definition", () => {
  test("the type strings match the field lists", () => {
    expect(encodeType("MeterReadings")).toBe(METER_READINGS_TYPE);
    expect(encodeType("ReadingBatch")).toBe(READING_BATCH_TYPE);
  });

  test("typed data carries the domain and the batch unchanged", () => {
    const batch = buildReadingBatch([
      {
        meterId: 7n,
        registerMask: 1,
        intervalEnd: 1_800_000_000 - (1_800_000_000 % 1800),
        status: 0,
        registers: [5n],
      },
    ]);
    const typedData = readingBatchTypedData({
      chainId: 17001,
      verifyingContract: "0x00000000000000000000000000000000000000aa",
      batch,
    });
    expect(typedData.domain).toEqual({
      name: "GridLedger Readings",
      version: "1",
      chainId: 17001,
      verifyingContract: "0x00000000000000000000000000000000000000aa",
    });
    expect(typedData.primaryType).toBe("ReadingBatch");
    expect(typedData.message.meters).toEqual(batch.meters);
  });
});
