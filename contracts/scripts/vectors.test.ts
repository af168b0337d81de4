import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, test } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const vectorsFile = path.join(root, "domain/vectors/billing.json");

/** Runs the vector runner the way `npm run vectors` does, against the test run's chain. */
function runVectors(file: string) {
  const rpcUrl = inject("devChainRpcUrl" as never) as string;
  return spawnSync(
    path.join(root, "node_modules/.bin/vite-node"),
    ["--config", "../vitest.config.ts", "scripts/vectors.ts", "--", file, "--rpc-url", rpcUrl],
    { cwd: path.join(root, "contracts"), encoding: "utf8", timeout: 120_000 },
  );
}

describe("npm run vectors", () => {
  test("vectors FILE passes every case of domain/vectors/billing.json in both languages", () => {
    const cases = (JSON.parse(readFileSync(vectorsFile, "utf8")) as { cases: unknown[] }).cases.length;
    const result = runVectors(vectorsFile);
    expect(result.stderr).not.toMatch(/vectors:/);
    expect(result.stdout).toContain(`${cases} passed, 0 failed`);
    expect(result.status).toBe(0);
  });

  test("vectors FILE reports a case whose expected figure is wrong and exits 1", () => {
    const file = JSON.parse(readFileSync(vectorsFile, "utf8")) as {
      cases: { id: string; expected: Record<string, unknown> }[];
    };
    const broken = file.cases.filter((c) => c.id === "TV-01" || c.id === "TV-16");
    broken[1]!.expected.penalty = "6139";
    const out = path.join(mkdtempSync(path.join(tmpdir(), "vectors-")), "broken.json");
    writeFileSync(out, JSON.stringify({ ...file, cases: broken }));
    const result = runVectors(out);
    expect(result.stdout).toContain("FAIL  TV-16");
    expect(result.stdout).toContain('domain $.penalty: expected "6139", got "6138"');
    expect(result.stdout).toContain('contract $.penalty: expected "6139", got "6138"');
    expect(result.stdout).toContain("1 passed, 1 failed");
    expect(result.status).toBe(1);
  });
});
