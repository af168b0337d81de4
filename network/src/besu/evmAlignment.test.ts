import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EVM_VERSION } from "../evmVersion.js";
import { buildGenesis, GENESIS_MILESTONES } from "./buildGenesis.js";

const repo = (relative: string) =>
  readFileSync(fileURLToPath(new URL(`../../../${relative}`, import.meta.url)), "utf8");

// The contracts are compiled by a plain .mjs script and by forge, which cannot import our constant;
// this keeps their EVM version and the genesis milestones from drifting apart (besu-qbft.md pitfall 18).
describe("EVM version alignment", () => {
  it("the contracts compile for the EVM version the genesis enables", () => {
    expect(/const EVM_VERSION = "(\w+)"/.exec(repo("contracts/scripts/compile.mjs"))?.[1]).toBe(EVM_VERSION);
    expect(/^evm_version = "(\w+)"/m.exec(repo("contracts/foundry.toml"))?.[1]).toBe(EVM_VERSION);
  });

  it("the genesis activates every milestone of that EVM version at genesis", () => {
    const config = buildGenesis({
      chainId: 5,
      validators: ["0x0000000000000000000000000000000000000001"],
      timestamp: 0,
    }).config as Record<string, unknown>;
    expect(GENESIS_MILESTONES[EVM_VERSION]).toContain("cancunTime");
    for (const milestone of GENESIS_MILESTONES[EVM_VERSION]) expect(config[milestone], milestone).toBe(0);
  });
});
