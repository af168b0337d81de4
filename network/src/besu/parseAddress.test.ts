import { describe, expect, it } from "vitest";
import { InvalidAddressError } from "../errors.js";
import { parseAddress } from "./parseAddress.js";

describe("parseAddress()", () => {
  it("returns the EIP-55 form of a lowercase or uppercase address", () => {
    expect(parseAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")).toBe(
      "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    );
    expect(parseAddress(" 0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266 ")).toBe(
      "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    );
  });

  it("refuses a checksummed address with one character's case flipped", () => {
    expect(() => parseAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92267".replace("F6F4", "f6F4"))).toThrow(
      /wrong EIP-55 checksum/,
    );
  });

  it("refuses wrong lengths and non-hex text with a message naming what was expected", () => {
    expect(() => parseAddress("0x1234", "validator address")).toThrow(InvalidAddressError);
    expect(() => parseAddress("0x1234", "validator address")).toThrow(/Invalid validator address: "0x1234"/);
    expect(() => parseAddress("f39fd6e51aad88f6f4ce6ab8827279cfffb92266")).toThrow(/40 hexadecimal/);
    expect(() => parseAddress("0xg39fd6e51aad88f6f4ce6ab8827279cfffb92266")).toThrow(InvalidAddressError);
  });
});
