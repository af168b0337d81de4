import { describe, expect, it } from "vitest";
import { InvalidConsortiumError } from "../errors.js";
import { buildGenesis } from "./buildGenesis.js";
import { checkGenesis } from "./checkGenesis.js";
import { extraDataVectors } from "./extraDataVectors.js";

const validators = extraDataVectors[0]!.validators;
const base = { chainId: 20261127, validators, timestamp: 1_790_000_000 };

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
