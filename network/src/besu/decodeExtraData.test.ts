import { describe, expect, it } from "vitest";
import { InvalidExtraDataError } from "../errors.js";
import { decodeExtraData } from "./decodeExtraData.js";
import { encodeExtraData } from "./encodeExtraData.js";
import { extraDataVectors, fullHeaderVector, ibftExtraDataD1 } from "./extraDataVectors.js";

describe("decodeExtraData()", () => {
  for (const vector of extraDataVectors) {
    it(`decodes vector ${vector.name} back to its validators`, () => {
      const decoded = decodeExtraData(vector.extraData);
      expect(decoded.validators).toEqual(vector.validators);
      expect(decoded).toMatchObject({ vanity: `0x${"00".repeat(32)}`, vote: undefined, round: 0, seals: [] });
    });
  }

  it("decodes vector F's vote, round and seals", () => {
    const decoded = decodeExtraData(fullHeaderVector.extraData);
    expect(decoded).toEqual({
      vanity: fullHeaderVector.vanity,
      validators: fullHeaderVector.validators,
      vote: fullHeaderVector.vote,
      round: 0xfedcba,
      seals: fullHeaderVector.seals,
    });
  });

  it("round-trips a drop vote", () => {
    const vote = { recipient: "0x00000000000000000000000000000000000000aa" as const, add: false };
    expect(decodeExtraData(encodeExtraData({ validators: [], vote, round: 3 }))).toMatchObject({
      vote,
      round: 3,
    });
  });

  it("refuses the IBFT 2.0 encoding of the same validators", () => {
    expect(() => decodeExtraData(ibftExtraDataD1)).toThrow(InvalidExtraDataError);
    expect(() => decodeExtraData(ibftExtraDataD1)).toThrow(/IBFT 2.0/);
  });

  it("refuses a round written with leading zero bytes", () => {
    const nonCanonical = extraDataVectors[3]!.extraData
      .replace(/c080c0$/, "c08100c0")
      .replace(/^0xf84f/, "0xf850");
    expect(() => decodeExtraData(nonCanonical as `0x${string}`)).toThrow(InvalidExtraDataError);
  });

  it("refuses trailing bytes, a 4-item list and non-hex input", () => {
    expect(() => decodeExtraData(`${extraDataVectors[3]!.extraData}00`)).toThrow(InvalidExtraDataError);
    expect(() => decodeExtraData("0xc4c0c0c0c0")).toThrow(/list of 5 items/);
    expect(() => decodeExtraData("0xzz" as `0x${string}`)).toThrow(InvalidExtraDataError);
  });
});
