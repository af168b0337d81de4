import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { loadConfig, parseConfig, registerMaskOf } from "./config.js";

const valid = () => ({
  dataDir: "./data",
  deviceKeyFile: "./device.key",
  gateway: { url: "http://127.0.0.1:4000/graphql" },
  buses: [{ name: "rs485", transport: { type: "serial", path: "/dev/ttyUSB0", baudRate: 9600 } }],
  meters: [{ meterId: "1001", bus: "rs485", driver: "sdm630", address: 1, export: true }],
});

describe("parseConfig", () => {
  it("accepts a minimal config and fills defaults", () => {
    const config = parseConfig(valid());
    expect(config.schedule.maxLateSeconds).toBe(300);
    expect(config.buses[0]!.timeoutMs).toBe(1000);
    expect(registerMaskOf(config.meters[0]!)).toBe(0b10001);
  });
  it("names an unknown driver in one line", () => {
    const config = valid();
    config.meters[0]!.driver = "sdm999";
    expect(() => parseConfig(config, "agent.json")).toThrow(ConfigError);
    expect(() => parseConfig(config, "agent.json")).toThrow(
      /^agent\.json: meters\[0\]\.driver: unknown driver "sdm999" \(known: .*sdm630/,
    );
  });
  it("names a missing field", () => {
    const config = valid() as Record<string, unknown>;
    delete (config.gateway as Record<string, unknown>).url;
    expect(() => parseConfig(config, "agent.json")).toThrow(
      "agent.json: gateway.url: missing required setting",
    );
    const noMeterId = valid();
    delete (noMeterId.meters[0] as Record<string, unknown>).meterId;
    expect(() => parseConfig(noMeterId)).toThrow("config: meters[0].meterId: missing required setting");
  });
  it("refuses unknown settings, a bus that does not exist, duplicate meters", () => {
    expect(() => parseConfig({ ...valid(), colour: "red" })).toThrow(/colour/);
    const badBus = valid();
    badBus.meters[0]!.bus = "nope";
    expect(() => parseConfig(badBus)).toThrow(/meters\[0\]\.bus: no bus named "nope"/);
    const dup = valid();
    dup.meters.push({ ...dup.meters[0]! });
    expect(() => parseConfig(dup)).toThrow(/duplicate meter id 1001/);
  });
  it("accepts a register map from the config as a driver", () => {
    const config = valid();
    config.meters[0]!.driver = "acme-x1";
    const parsed = parseConfig({
      ...config,
      registerMaps: {
        "acme-x1": {
          function: 4,
          registers: [{ name: "e", address: 0, type: "uint32", role: "import.total" }],
        },
      },
    });
    expect(parsed.meters[0]!.driver).toBe("acme-x1");
  });
  it("accepts the example config shipped in deploy/", () => {
    const config = loadConfig(join(import.meta.dirname, "..", "..", "deploy", "agent.example.json"));
    expect(config.meters.map((m) => m.driver)).toEqual([
      "sdm630",
      "sdm120",
      "mercury230",
      "wb-map3e",
      "ce303",
      "mtr-can",
      "acme-em100",
    ]);
  });

  it("loads a file, resolving paths against it, and reports bad JSON clearly", () => {
    const dir = mkdtempSync(join(tmpdir(), "agent-config-"));
    writeFileSync(join(dir, "agent.json"), JSON.stringify(valid()));
    expect(loadConfig(join(dir, "agent.json")).dataDir).toBe(join(dir, "data"));
    writeFileSync(join(dir, "bad.json"), "{ nope");
    expect(() => loadConfig(join(dir, "bad.json"))).toThrow(/bad\.json: not valid JSON/);
    expect(() => loadConfig(join(dir, "missing.json"))).toThrow(/Cannot read config file/);
  });
});
