import { describe, expect, it } from "vitest";
import { InvalidKeyError } from "../errors.js";
import { nodeAddress } from "./nodeAddress.js";
import { nodeKey } from "./nodeKey.js";

describe("nodeKey()", () => {
  it("derives the well-known addresses of private keys 1 and anvil account 0", () => {
    expect(nodeKey({ privateKey: `${"0".repeat(63)}1` }).address).toBe(
      "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf",
    );
    const anvil0 = nodeKey({
      privateKey: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    });
    expect(anvil0.address).toBe("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    // Private key 1's public key is the generator point G.
    expect(nodeKey({ privateKey: `0x${"0".repeat(63)}1` }).publicKey).toBe(
      "0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
    );
  });

  it("generates distinct keys whose address matches their public key", () => {
    const a = nodeKey();
    const b = nodeKey();
    expect(a.privateKey).not.toBe(b.privateKey);
    expect(a.publicKey).toMatch(/^0x[0-9a-f]{128}$/);
    expect(nodeAddress(a.publicKey)).toBe(a.address);
    expect(nodeKey({ privateKey: a.privateKey })).toEqual(a);
  });

  it("refuses a private key that is not 32 bytes or is zero", () => {
    expect(() => nodeKey({ privateKey: "0x1234" })).toThrow(InvalidKeyError);
    expect(() => nodeKey({ privateKey: "0".repeat(64) })).toThrow(InvalidKeyError);
  });
});
