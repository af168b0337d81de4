import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { bundle, writeLauncher } from "../_test/bundle.js";
import { Outbox } from "../outbox/outbox.js";

const run = promisify(execFile);
let launcher: string;
beforeAll(async () => {
  await bundle(join(import.meta.dirname, "main.ts"), "cli-test");
  launcher = writeLauncher("agent-cli-test.mjs", `import { main } from "./cli-test.mjs";\nawait main();\n`);
});
const agent = (...args: string[]) =>
  run(process.execPath, [launcher, ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );

function configFile(overrides: Record<string, unknown> = {}, meter: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "agent-cli-"));
  const file = join(dir, "agent.json");
  writeFileSync(
    file,
    JSON.stringify({
      dataDir: "./data",
      deviceKeyFile: "./device.key",
      gateway: { url: "http://127.0.0.1:9/graphql" },
      buses: [{ name: "rs485", transport: { type: "simulator" } }],
      meters: [{ meterId: "1", bus: "rs485", driver: "sdm630", ...meter }],
      ...overrides,
    }),
  );
  return { dir, file };
}

describe("agent CLI", () => {
  it("check-config names an unknown driver or a missing field in one line, exit code 2", async () => {
    const unknown = await agent("check-config", "--config", configFile({}, { driver: "sdm999" }).file);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    expect(unknown.stderr).toMatch(/agent\.json: meters\[0\]\.driver: unknown driver "sdm999"/);
    const missing = await agent("check-config", "--config", configFile({ gateway: {} }).file);
    expect(missing.stderr).toMatch(/gateway\.url: missing required setting/);
    expect((await agent("check-config", "--config", configFile().file)).stdout).toBe(
      "ok: 1 meter(s) on 1 bus(es)\n",
    );
  });

  it("keygen creates a 0600 key and prints the address; run refuses a world-readable key", async () => {
    const { dir, file } = configFile();
    const created = await agent("keygen", "--config", file);
    expect(created.stdout).toMatch(/address: 0x[0-9a-fA-F]{40}/);
    expect(statSync(join(dir, "device.key")).mode & 0o777).toBe(0o600);
    expect((await agent("keygen", "--config", file)).stderr).toMatch(/already exists/);
    const { chmodSync } = await import("node:fs");
    chmodSync(join(dir, "device.key"), 0o644);
    const refused = await agent("run", "--config", file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/readable by other users/);
  });

  it("status works before the first run", async () => {
    const status = await agent("status", "--config", configFile().file);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/outbox: 0 waiting/);
    expect(status.stdout).toMatch(/last upload: never/);
  });

  it("run with a broken config (unknown driver, missing field) exits 2 naming the setting and leaves the readings already taken", async () => {
    const { dir, file } = configFile();
    mkdirSync(join(dir, "data"));
    const outbox = new Outbox(join(dir, "data", "outbox.sqlite"));
    outbox.record(
      {
        meterId: 1n,
        intervalEnd: 1_700_001_000,
        registerMask: 1,
        status: 0,
        registers: [123_456n],
        source: "boundary",
        readAtMs: 0,
      },
      undefined,
    );
    outbox.close();
    const good = JSON.parse(readFileSync(file, "utf8"));
    const broken = [
      [
        { ...good, meters: [{ ...good.meters[0], driver: "sdm999" }] },
        /meters\[0\]\.driver: unknown driver "sdm999"/,
      ],
      [
        { ...good, meters: [{ bus: "rs485", driver: "sdm630" }] },
        /meters\[0\]\.meterId: missing required setting/,
      ],
    ] as const;
    for (const [config, reason] of broken) {
      writeFileSync(file, JSON.stringify(config));
      const run = await agent("run", "--config", file);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(reason);
    }
    writeFileSync(file, JSON.stringify(good));
    const status = JSON.parse((await agent("status", "--config", file, "--json")).stdout);
    expect(status.outbox).toMatchObject({ pending: 1, quarantined: 0 });
  });
});
