import { describe, expect, it } from "vitest";
import { InvalidAddressError, InvalidConsortiumError } from "../errors.js";
import { EVM_VERSION } from "../evmVersion.js";
import { buildGenesis, QBFT_MIX_HASH } from "./buildGenesis.js";
import { checkGenesis } from "./checkGenesis.js";
import { decodeExtraData } from "./decodeExtraData.js";
import { extraDataVectors } from "./extraDataVectors.js";

const validators = extraDataVectors[0]!.validators;
const base = { chainId: 20261127, validators, timestamp: 1_790_000_000 };

describe("buildGenesis()", () => {
  it("writes a free-gas Cancun QBFT genesis that passes the schema check", () => {
    const genesis = buildGenesis({
      ...base,
      alloc: { "0x00000000000000000000000000000000000000aa": 10n ** 24n },
    });
    expect(EVM_VERSION).toBe("cancun");
    expect(genesis.config).toMatchObject({
      chainId: 20261127,
      londonBlock: 0,
      shanghaiTime: 0,
      cancunTime: 0,
      zeroBaseFee: true,
    });
    expect(genesis.config.qbft).toEqual({
      blockperiodseconds: 2,
      epochlength: 30000,
      requesttimeoutseconds: 4,
    });
    expect(genesis).toMatchObject({
      difficulty: "0x1",
      mixHash: QBFT_MIX_HASH,
      baseFeePerGas: "0x0",
      blobGasUsed: "0x0",
      excessBlobGas: "0x0",
      parentBeaconBlockRoot: `0x${"00".repeat(32)}`,
      gasLimit: "0x5f5e100",
      timestamp: "0x6ab13b80",
      alloc: { "0x00000000000000000000000000000000000000aa": { balance: "0xd3c21bcecceda1000000" } },
    });
    expect(checkGenesis(genesis)).toEqual({ chainId: 20261127, validators: [...validators].sort() });
  });

  it("sorts validators, so that the genesis does not depend on the order they were given in", () => {
    const reversed = buildGenesis({ ...base, validators: [...validators].reverse() });
    expect(reversed.extraData).toBe(buildGenesis(base).extraData);
    expect(decodeExtraData(reversed.extraData).validators).toEqual([...validators].sort());
  });

  it("writes the empty block period under the key of the Besu version", () => {
    expect(buildGenesis({ ...base, emptyBlockPeriodSeconds: 60 }).config.qbft).toHaveProperty(
      "emptyblockperiodseconds",
      60,
    );
    const old = buildGenesis({ ...base, emptyBlockPeriodSeconds: 60, besuVersion: "25.11.0" });
    expect(old.config.qbft).toHaveProperty("xemptyblockperiodseconds", 60);
    expect(() => buildGenesis({ ...base, emptyBlockPeriodSeconds: 60, besuVersion: "24.7.0" })).toThrow(
      /24.10.0/,
    );
  });

  it("refuses no validators, duplicates, dev chain ids, bad numbers and bad addresses", () => {
    expect(() => buildGenesis({ ...base, validators: [] })).toThrow(InvalidConsortiumError);
    expect(() => buildGenesis({ ...base, validators: [validators[0]!, validators[0]!] })).toThrow(/twice/);
    expect(() => buildGenesis({ ...base, chainId: 31337 })).toThrow(/development default/);
    expect(() => buildGenesis({ ...base, blockPeriodSeconds: 0 })).toThrow(/blockPeriodSeconds/);
    expect(() => buildGenesis({ ...base, gasLimit: 10n })).toThrow(/5000/);
    expect(() => buildGenesis({ ...base, validators: ["0x12"] })).toThrow(InvalidAddressError);
  });
});
