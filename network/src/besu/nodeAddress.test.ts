import { describe, expect, it } from "vitest";
import { InvalidKeyError } from "../errors.js";
import { extraDataVectors } from "./extraDataVectors.js";
import { nodeAddress } from "./nodeAddress.js";

// Vector A's public keys and addresses (besu-qbft.md §2.4, quickstart nodekey.pub / address files).
const quickstart = [
  [
    "8208a3f344695d44e9cf2c023683cbea7b9343e2f70a5e804bd2c93858e945f8f91439eef96a4ab6c47ff06637d6fbe6472f96de1655a1bee57ea896654f3a22",
    "0x93917cadbace5dfce132b991732c6cda9bcc5b8a",
  ],
  [
    "b9050e002aa42464e6b07c811a1f9dfec01249af03f67b753e8415420649b184447bb2a784863ccbf327ad9e31aaba803464979dfe6a7facc669151a5fa6ad1b",
    "0x27a97c9aaf04f18f3014c32e036dd0ac76da5f18",
  ],
  [
    "59cf0c623c582fa9b19bdf70fb6bade07f4ae32218dd4d1c7e2c7e65acf87da45cf2ab55d16d27360aafef17622c37c09db60d7680ebcc17b78867f4c05bcaa4",
    "0xce412f988377e31f4d0ff12d74df73b51c42d0ca",
  ],
  [
    "2fd5b5b6ad529f55b71602026d1849d0036f06482368b5812fa793014195d3571b0840dbc4175617de2a12db8f1222c012420d471ae5c0d982118625cae58868",
    "0x98c1334496614aed49d2e81526d089f7264fed9c",
  ],
] as const;

describe("nodeAddress()", () => {
  it("derives each quickstart validator's address from its public key", () => {
    expect(quickstart.map(([publicKey]) => nodeAddress(publicKey))).toEqual(
      quickstart.map(([, address]) => address),
    );
    // …and those are the validators of the quickstart genesis extraData.
    expect(quickstart.map(([, address]) => address)).toEqual(extraDataVectors[0]!.validators);
  });

  it("refuses a public key with the 04 prefix or of the wrong length", () => {
    expect(() => nodeAddress(`04${quickstart[0][0]}`)).toThrow(InvalidKeyError);
    expect(() => nodeAddress("0x1234")).toThrow(/64 bytes/);
  });
});
