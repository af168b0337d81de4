import { describe, expect, it } from "vitest";
import { demoDriverFor, demoEnergy, demoRegisterWh } from "./startDemoAgents.js";

// The end-to-end run (seeded chain, real gateway, readings on chain) is in test/system/agentToLedger.test.ts.
describe("demo meters", () => {
  it("continue from the ledger's values and add whole Wh each half hour, per zone and export", () => {
    const since = 1_800_000_000 - (1_800_000_000 % 1800);
    const energy = demoEnergy({
      tariffs: 3,
      exported: true,
      since,
      last: [1000n, 2000n, 3000n, 0n, 500n],
      index: 2,
    });
    expect(energy.powerW.every((watts) => watts % 2 === 0)).toBe(true);
    expect([0, 1, 2, 4].map((k) => demoRegisterWh(energy, k, since))).toEqual([1000n, 2000n, 3000n, 500n]);
    // before the ledger's last interval the counters do not go below it
    expect(demoRegisterWh(energy, 0, since - 3600)).toBe(1000n);
    const halfHour = [0, 1, 2, 3, 4].map((k) => demoRegisterWh(energy, k, since + 1800) - energy.last[k]!);
    expect(halfHour).toEqual(energy.powerW.map((watts) => BigInt(watts / 2)));
    expect(halfHour[3]).toBe(0n); // no fourth zone
  });

  it("pick a driver that can carry the meter's registers", () => {
    expect(demoDriverFor("Energomera CE301 R33", 1, false)).toBe("ce301");
    expect(demoDriverFor("Eastron SDM120-Modbus", 1, false)).toBe("sdm120");
    expect(demoDriverFor("Eastron SDM630", 1, true)).toBe("sdm630");
    expect(demoDriverFor("Wiren Board WB-MAP3E", 1, false)).toBe("wb-map3e");
    // zones or export the Modbus map cannot carry → Mercury; past a u32 counter → Energomera
    expect(demoDriverFor("Eastron SDM630", 2, false)).toBe("mercury230");
    expect(demoDriverFor("Wiren Board WB-MAP3E", 1, true)).toBe("mercury230");
    expect(demoDriverFor("Mercury 230 ART-01", 3, false, [5_000_000_000n])).toBe("ce303");
  });
});
