import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { InvalidAddressError, InvalidExtraDataError } from "../errors.js";
import { encodeExtraData } from "./encodeExtraData.js";
import { extraDataVectors, fullHeaderVector } from "./extraDataVectors.js";

describe("encodeExtraData()", () => {
  for (const vector of extraDataVectors) {
    it(`reproduces vector ${vector.name} byte for byte`, () => {
      expect(encodeExtraData({ validators: vector.validators })).toBe(vector.extraData);
    });
  }

  it("reproduces vector F (vote, round 0xFEDCBA and two seals) byte for byte", () => {
    const { vanity, validators, vote, round, seals, extraData } = fullHeaderVector;
    expect(encodeExtraData({ vanity, validators, vote, round, seals })).toBe(extraData);
  });

  it("keeps the caller's validator order, which changes the bytes", () => {
    const [a, b] = extraDataVectors[3]!.validators;
    expect(encodeExtraData({ validators: [b!, a!] })).not.toBe(extraDataVectors[3]!.extraData);
  });

  it("writes a drop vote as an empty string and a non-zero round as a minimal scalar", () => {
    const hex = encodeExtraData({
      validators: [],
      vote: { recipient: "0x0000000000000000000000000000000000000001", add: false },
      round: 0xdcba,
    });
    expect(hex.endsWith("d6940000000000000000000000000000000000000001" + "80" + "82dcba" + "c0")).toBe(true);
  });

  it("accepts checksummed addresses and writes them lowercase", () => {
    const hex = encodeExtraData({ validators: [getAddress("0x93917cadbace5dfce132b991732c6cda9bcc5b8a")] });
    expect(hex).toContain("9493917cadbace5dfce132b991732c6cda9bcc5b8a");
  });

  it("refuses a malformed validator address, a short vanity and a short seal", () => {
    expect(() => encodeExtraData({ validators: ["0x1234"] })).toThrow(InvalidAddressError);
    expect(() => encodeExtraData({ validators: [], vanity: "0x00" })).toThrow(InvalidExtraDataError);
    expect(() => encodeExtraData({ validators: [], seals: ["0x01"] })).toThrow(InvalidExtraDataError);
    expect(() => encodeExtraData({ validators: [], round: -1 })).toThrow(InvalidExtraDataError);
  });
});
