import path from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigurationError } from "../internal/errors.js";
import { readSystemConfig, SETTINGS } from "./systemConfig.js";

describe("readSystemConfig()", () => {
  test("no settings: everything embedded under .gridledger", () => {
    const config = readSystemConfig({ PATH: "/usr/bin", HOME: "/root" }, "/srv/app");
    expect(config).toEqual({
      dataDir: "/srv/app/.gridledger",
      rpcUrl: undefined,
      chainPort: 8545,
      blockTimeSeconds: 1,
      databaseUrl: `sqlite:${path.join("/srv/app/.gridledger", "gateway.sqlite")}`,
      redisUrl: undefined,
      host: "127.0.0.1",
      gatewayPort: 4000,
      portalPort: 5173,
      logLevel: "info",
      demoData: true,
      relayerKeyFile: "/srv/app/.gridledger/keystore/relayer.key",
      deploymentsFile: undefined,
      maintenanceWindow: "off",
      keystoreDir: "/srv/app/.gridledger/keystore",
      webhookAllowPrivateTargets: undefined,
      webhookRetentionDays: 30,
    });
    expect(config).toHaveProperty("webhookAllowPrivateTargets", undefined);
  });

  test("the test suites' GRIDLEDGER_TEST_* variables are not system settings", () => {
    expect(
      readSystemConfig({ GRIDLEDGER_TEST_MYSQL_URL: "mysql://root@127.0.0.1:3306/test" }).databaseUrl,
    ).toMatch(/^sqlite:/);
  });

  test("production settings are taken as given", () => {
    const config = readSystemConfig({
      GRIDLEDGER_RPC_URL: "http://besu-rpc:8545",
      GRIDLEDGER_DATABASE_URL: "mysql://gridledger:secret@db:3306/gridledger",
      GRIDLEDGER_REDIS_URL: "redis://cache:6379",
      GRIDLEDGER_GATEWAY_PORT: "8080",
      GRIDLEDGER_DEMO_DATA: "off",
      GRIDLEDGER_WEBHOOK_ALLOW_PRIVATE_TARGETS: "off",
      GRIDLEDGER_WEBHOOK_RETENTION_DAYS: "90",
    });
    expect(config.rpcUrl).toBe("http://besu-rpc:8545");
    expect(config.databaseUrl).toBe("mysql://gridledger:secret@db:3306/gridledger");
    expect(config.redisUrl).toBe("redis://cache:6379");
    expect(config.gatewayPort).toBe(8080);
    expect(config.demoData).toBe(false);
    expect(config.webhookAllowPrivateTargets).toBe(false);
    expect(config.webhookRetentionDays).toBe(90);
    expect(
      readSystemConfig({ GRIDLEDGER_WEBHOOK_ALLOW_PRIVATE_TARGETS: "on" }).webhookAllowPrivateTargets,
    ).toBe(true);
  });

  test.each([
    [{ GRIDLEDGER_PORT: "1" }, /^Unknown setting GRIDLEDGER_PORT/],
    [{ GRIDLEDGER_GATEWAY_PORT: "abc" }, /^Invalid GRIDLEDGER_GATEWAY_PORT="abc": expected number/],
    [{ GRIDLEDGER_GATEWAY_PORT: "70000" }, /^Invalid GRIDLEDGER_GATEWAY_PORT="70000": must be at most 65535/],
    [
      { GRIDLEDGER_DATABASE_URL: "postgres://db/x" },
      /^Invalid GRIDLEDGER_DATABASE_URL=.*sqlite: or mysql: or mariadb: URL/,
    ],
    [{ GRIDLEDGER_LOG_LEVEL: "loud" }, /^Invalid GRIDLEDGER_LOG_LEVEL="loud": allowed: fatal, error/],
    [{ GRIDLEDGER_RPC_URL: "not a url" }, /^Invalid GRIDLEDGER_RPC_URL/],
    [
      { GRIDLEDGER_MAINTENANCE_WINDOW: "0-2" },
      /^Invalid GRIDLEDGER_MAINTENANCE_WINDOW="0-2": off or HH:MM-HH:MM/,
    ],
    [
      { GRIDLEDGER_WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" },
      /^Invalid GRIDLEDGER_WEBHOOK_ALLOW_PRIVATE_TARGETS="true": allowed: on, off/,
    ],
    [
      { GRIDLEDGER_WEBHOOK_RETENTION_DAYS: "0" },
      /^Invalid GRIDLEDGER_WEBHOOK_RETENTION_DAYS="0": must be at least 1/,
    ],
    [
      { GRIDLEDGER_WEBHOOK_RETENTION_DAYS: "1.5" },
      /^Invalid GRIDLEDGER_WEBHOOK_RETENTION_DAYS="1.5": expected int/,
    ],
  ])("%o is refused with one line naming the setting", (environment, message) => {
    const error = (() => {
      try {
        readSystemConfig(environment);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).shortMessage).toMatch(message);
    expect((error as ConfigurationError).shortMessage).not.toContain("\n");
  });

  test("every setting is documented in the README table", async () => {
    const { readFile } = await import("node:fs/promises");
    const readme = await readFile(new URL("../../../README.md", import.meta.url), "utf8");
    for (const name of Object.keys(SETTINGS)) expect(readme).toContain(`\`${name}\``);
  });
});
