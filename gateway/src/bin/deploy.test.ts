import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { isDeploymentLive } from "@gridledger/contracts";
import { afterAll, describe, expect, test } from "vitest";
import { freshActors, testRpcUrl } from "../_test/chainFixture.js";

const run = promisify(execFile);
// The CLI as operators run it: the built file (npm test builds first).
const cli = fileURLToPath(new URL("../../dist/bin/deploy.js", import.meta.url));
const folder = mkdtempSync(path.join(os.tmpdir(), "gridledger-deploy-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("deploy CLI", () => {
  test("deploys to an RPC, writes the deployments file, and reuses it on a second run", async () => {
    const rpcUrl = testRpcUrl();
    const actors = await freshActors(rpcUrl);
    const keyFile = path.join(folder, "deployer.key");
    const out = path.join(folder, "deployments.json");
    const args = (key: string) => [
      cli,
      "--rpc",
      rpcUrl,
      "--key-file",
      key,
      "--operator",
      actors.operator.address,
      "--grid-company",
      actors.grid.address,
      "--retail",
      `${actors.retailA.address},${actors.retailB.address}`,
      "--payment-sources",
      actors.bank.address,
      "--out",
      out,
    ];
    const privateKey = `0x${"ab".repeat(32)}`;
    writeFileSync(keyFile, `${privateKey}\n`);
    chmodSync(keyFile, 0o600);
    const { privateKeyToAccount } = await import("viem/accounts");
    const deployer = privateKeyToAccount(privateKey as `0x${string}`);
    const { createPublicClient, http, parseEther, toHex } = await import("viem");
    await createPublicClient({ transport: http(rpcUrl) }).request({
      method: "anvil_setBalance" as never,
      params: [deployer.address, toHex(parseEther("100"))] as never,
    });

    const first = await run("node", args(keyFile), { timeout: 120_000 });
    expect(first.stdout).toMatch(/^deployed GridLedger on chain \d+/);
    const deployment = JSON.parse(readFileSync(out, "utf8"));
    expect(await isDeploymentLive(rpcUrl, deployment)).toBe(true);

    const second = await run("node", args(keyFile), { timeout: 120_000 });
    expect(second.stdout).toMatch(/^reused GridLedger/);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(deployment);
  });

  test("a key file without a key and a malformed address are refused with a clear line", async () => {
    const badKey = path.join(folder, "bad.key");
    writeFileSync(badKey, "not a key\n");
    const common = [
      "--rpc",
      "http://127.0.0.1:1",
      "--operator",
      `0x${"11".repeat(20)}`,
      "--grid-company",
      `0x${"22".repeat(20)}`,
    ];
    const keyError = await run("node", [
      cli,
      ...common,
      "--key-file",
      badKey,
      "--retail",
      `0x${"33".repeat(20)}`,
    ]).catch((error) => error);
    expect(keyError.code).toBe(1);
    expect(keyError.stderr).toContain("does not hold a 32-byte hex private key");
    const addressError = await run("node", [
      cli,
      ...common,
      "--key-file",
      badKey,
      "--retail",
      "0x1234",
    ]).catch((error) => error);
    expect(addressError.code).not.toBe(0);
    expect(addressError.stderr).toContain("not an address: 0x1234");
  });
});
