import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readingsAbi } from "@gridledger/contracts";
import { alignDownToHalfHour, HALF_HOUR_SECONDS } from "@gridledger/domain";
import { type ProgressEvent, type RunningSystem, readSystemConfig, startSystem } from "@gridledger/gateway";
import { chromium } from "playwright-core";
import { createPublicClient, http } from "viem";
import { afterAll, describe, expect, test } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "gridledger-system-"));
const config = readSystemConfig(
  {
    GRIDLEDGER_DATA_DIR: dataDir,
    GRIDLEDGER_CHAIN_PORT: "0",
    GRIDLEDGER_GATEWAY_PORT: "0",
    GRIDLEDGER_PORTAL_PORT: "0",
    GRIDLEDGER_BLOCK_TIME: "0.25",
    GRIDLEDGER_LOG_LEVEL: "silent",
  },
  repoRoot,
);
const running: RunningSystem[] = [];
afterAll(async () => {
  for (const system of running) await system.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Health = {
  mode: string;
  chain: { chainId: number; blockNumber: string };
  deployment: { contracts: Record<string, string> };
};

describe("the whole system on embedded defaults (npm start)", () => {
  let first: RunningSystem;
  let firstHealth: Health;

  test("starts chain, contracts, gateway and portal; /health shows chain id and block", async () => {
    const progress: ProgressEvent[] = [];
    first = await startSystem({
      config,
      repoRoot,
      demoSize: { accounts: 16, days: 2 },
      onProgress: (event) => progress.push(event),
    });
    running.push(first);
    expect(first.deployed).toBe(true);
    // one login per role, and one per demo consumer (consumer1, …)
    const roles = first.demoUsers.map((user) => user.role);
    for (const role of ["OPERATOR", "GRID_COMPANY", "RETAIL_COMPANY", "PAYMENT_SOURCE", "CONSUMER"]) {
      expect(roles).toContain(role);
    }
    expect(roles.filter((role) => role === "RETAIL_COMPANY")).toHaveLength(2);
    expect(first.demoUsers.map((user) => user.login)).toContain("consumer1");
    expect(statSync(path.join(dataDir, "demo-logins.json")).mode & 0o777).toBe(0o600);
    const response = await fetch(`${first.gatewayUrl}/health`);
    expect(response.status).toBe(200);
    firstHealth = (await response.json()) as Health;
    expect(firstHealth.mode).toBe("normal");
    expect(firstHealth.chain.chainId).toBe(first.deployment.chainId);
    expect(Number(firstHealth.chain.blockNumber)).toBeGreaterThan(0);
    expect(firstHealth.deployment.contracts).toEqual(first.deployment.contracts);
    // the portal origin proxies the gateway exactly as nginx does in production
    const proxied = (await (await fetch(`${first.portalUrl}/health`)).json()) as Health;
    expect(proxied.chain.chainId).toBe(first.deployment.chainId);
    expect((await fetch(`${first.gatewayUrl}/ready`)).status).toBe(200);
    expect(await (await fetch(`${first.gatewayUrl}/metrics`)).text()).toMatch(
      /gridledger_chain_head_block \d+/,
    );
    // the indexer follows the chain from the deployment block: _meta says how far it got
    await expect
      .poll(async () => {
        const answer = await fetch(`${first.portalUrl}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ _meta { indexedBlock chainHead } }" }),
        });
        const meta = ((await answer.json()) as { data: { _meta: { indexedBlock: string | null } } }).data
          ._meta;
        return meta.indexedBlock === null ? -1 : Number(meta.indexedBlock);
      })
      .toBeGreaterThanOrEqual(Number(first.deployment.deployedAtBlock));

    // the demo's data concentrators run the real agent against simulated meters: each reads the
    // half hour just passed at start, and the reading reaches the chain through the gateway
    expect(first.liveMeterIds.length).toBeGreaterThan(0);
    expect(progress).toContainEqual(
      expect.objectContaining({
        type: "done",
        detail: expect.stringMatching(/^\d+ simulated meters read by \d+ agents/),
      }),
    );
    const client = createPublicClient({ transport: http(first.rpcUrl), cacheTime: 0 });
    const boundaryBefore =
      alignDownToHalfHour(Number((await client.getBlock()).timestamp)) - HALF_HOUR_SECONDS;
    const lastIntervalEnd = async (meterId: string) =>
      (
        await client.readContract({
          address: first.deployment.contracts.Readings!,
          abi: readingsAbi,
          functionName: "meterState",
          args: [BigInt(meterId)],
        })
      )[0];
    for (const meterId of first.liveMeterIds) {
      await expect
        .poll(() => lastIntervalEnd(meterId), { timeout: 60_000, interval: 500 })
        .toBeGreaterThanOrEqual(boundaryBefore);
    }
  });

  test("the portal page in Chromium shows the same chain id, block height and contracts", async () => {
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(first.portalUrl);
      await expect
        .poll(() => page.getByTestId("chain-id").textContent())
        .toBe(String(first.deployment.chainId));
      const shownBlock = Number(await page.getByTestId("block-number").textContent());
      expect(shownBlock).toBeGreaterThanOrEqual(Number(firstHealth.chain.blockNumber));
      const proxies = Object.keys(first.deployment.contracts).filter(
        (name) => !name.endsWith("Implementation"),
      );
      expect(await page.getByTestId("contract-row").count()).toBe(proxies.length);
      for (const name of proxies) {
        await expect.poll(() => page.getByText(first.deployment.contracts[name]!).count()).toBe(1);
      }
      mkdirSync(path.join(repoRoot, "test-output/screens"), { recursive: true });
      await page.screenshot({
        path: path.join(repoRoot, "test-output/screens/foundation-home.png"),
        fullPage: true,
      });
    } finally {
      await browser.close();
    }
  });

  test("a second start after stop reuses the persisted chain and does not redeploy", async () => {
    const heightBefore = BigInt(firstHealth.chain.blockNumber);
    await first.stop();
    const second = await startSystem({ config, repoRoot, demoSize: { accounts: 16, days: 2 } });
    running.push(second);
    expect(second.chain?.resumed).toBe(true);
    expect(second.deployed).toBe(false);
    expect(second.deployment).toEqual(first.deployment);
    // the demo logins survive a restart with the same passwords, and they work through the portal origin
    expect(second.demoUsers).toEqual(first.demoUsers);
    const retail = second.demoUsers.find((user) => user.role === "RETAIL_COMPANY")!;
    const answer = await fetch(`${second.portalUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query:
          "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token user { role } } }",
        variables: { l: retail.login, p: retail.password },
      }),
    });
    const login = ((await answer.json()) as { data: { login: { token: string; user: { role: string } } } })
      .data.login;
    expect(login.user.role).toBe("RETAIL_COMPANY");
    // the demo data reached the index: the retail company sees its accounts and their readings
    const count = async (query: string) => {
      const response = await fetch(`${second.portalUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${login.token}` },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { data: Record<string, { totalCount: number }> };
      return Object.values(body.data)[0]!.totalCount;
    };
    await expect.poll(() => count("{ accounts { totalCount } }"), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await count("{ accounts { totalCount } }")).toBeLessThan(16);
    await expect
      .poll(() => count("{ readings(size: 1) { totalCount } }"), { timeout: 30_000 })
      .toBeGreaterThan(48);
    const health = (await (await fetch(`${second.gatewayUrl}/health`)).json()) as Health;
    expect(BigInt(health.chain.blockNumber)).toBeGreaterThanOrEqual(heightBefore);
  });

  test("a port in use is named with its setting, and nothing is left running", async () => {
    const { createServer } = await import("node:net");
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: "127.0.0.1", port: 0 }, resolve));
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const error = await startSystem({
        config: { ...config, portalPort: port },
        repoRoot,
        demoSize: { accounts: 16, days: 2 },
      }).catch((caught: unknown) => caught);
      expect(String((error as Error).message)).toContain(`Port ${port} (GRIDLEDGER_PORTAL_PORT)`);
    } finally {
      blocker.close();
    }
  });
});
