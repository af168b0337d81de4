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

type GenesisJson = {
  config: Record<string, unknown> & { qbft: Record<string, unknown> };
  [key: string]: unknown;
};

describe("checkGenesis()", () => {
  const good = (): GenesisJson => JSON.parse(JSON.stringify(buildGenesis(base)));

  it("reads keys case-insensitively, as Besu does", () => {
    const genesis = good();
    genesis.config.chainid = genesis.config.chainId;
    delete genesis.config.chainId;
    expect(checkGenesis(genesis).chainId).toBe(20261127);
  });

  it.each([
    ["a non-zero base fee", (g: GenesisJson) => (g.baseFeePerGas = "0x3b9aca00"), /baseFeePerGas/],
    ["zeroBaseFee missing", (g: GenesisJson) => delete g.config.zeroBaseFee, /zeroBaseFee/],
    ["Cancun not enabled", (g: GenesisJson) => delete g.config.cancunTime, /cancunTime must be 0/],
    [
      "Shanghai in the future",
      (g: GenesisJson) => (g.config.shanghaiTime = 1_900_000_000),
      /shanghaiTime must be 0/,
    ],
    [
      "Cancun header fields missing",
      (g: GenesisJson) => delete g.parentBeaconBlockRoot,
      /parentBeaconBlockRoot/,
    ],
    ["a PoW difficulty", (g: GenesisJson) => (g.difficulty = "0x400"), /difficulty/],
    ["a wrong mixHash", (g: GenesisJson) => (g.mixHash = `0x${"00".repeat(32)}`), /mixHash|mixhash/],
    [
      "the pre-26.5 empty block key",
      (g: GenesisJson) => (g.config.qbft.xemptyblockperiodseconds = 60),
      /use emptyblockperiodseconds/,
    ],
    [
      "an IBFT 2.0 extraData",
      (g: GenesisJson) => (g.extraData = (g.extraData as string).replace(/c080c0$/, "808400000000c0")),
      /extraData/,
    ],
    ["an ibft2 block", (g: GenesisJson) => (g.config.ibft2 = { blockperiodseconds: 2 }), /ibft2/],
    ["a zero block period", (g: GenesisJson) => (g.config.qbft.blockperiodseconds = 0), /blockperiodseconds/],
    [
      "contract validator mode",
      (g: GenesisJson) => (g.config.qbft.validatorcontractaddress = "0x01"),
      /validatorcontractaddress/,
    ],
  ])("refuses %s", (_name, spoil, message) => {
    const genesis = good();
    spoil(genesis);
    expect(() => checkGenesis(genesis)).toThrow(InvalidConsortiumError);
    try {
      checkGenesis(genesis);
    } catch (error) {
      expect((error as InvalidConsortiumError).details).toMatch(message);
    }
  });

  it("accepts the x-prefixed empty block key for a Besu version that reads it", () => {
    const genesis = good();
    genesis.config.qbft.xemptyblockperiodseconds = 60;
    expect(() => checkGenesis(genesis, { besuVersion: "25.11.0" })).not.toThrow();
  });
});
