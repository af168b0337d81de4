import { mkdtempSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createPublicClient, createWalletClient, http, parseEther } from "viem";
import { afterEach, describe, expect, inject, test } from "vitest";
import { GENESIS_BLOCK_GAS_LIMIT } from "../besu/buildGenesis.js";
import { PortInUseError } from "../errors.js";
import { devAccounts, TEST_MNEMONIC } from "./devAccounts.js";
import { DEV_CHAIN_ID, type DevChain, startDevChain } from "./startDevChain.js";

const started: DevChain[] = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((chain) => chain.stop()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempDir(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "gridledger-chain-"));
  folders.push(folder);
  return folder;
}

describe("startDevChain()", () => {
  test("the shared harness chain answers with the dev chain id and mines on an interval", async () => {
    const client = createPublicClient({ transport: http(inject("devChainRpcUrl")), cacheTime: 0 });
    expect(await client.getChainId()).toBe(DEV_CHAIN_ID);
    const first = await client.getBlockNumber();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await client.getBlockNumber()).toBeGreaterThan(first);
  });

  test("funds every named role of the test mnemonic and runs with zero base fee", async () => {
    const client = createPublicClient({ transport: http(inject("devChainRpcUrl")) });
    const accounts = devAccounts(TEST_MNEMONIC);
    for (const account of [accounts.operator, accounts.gridCompany, accounts.bank, accounts.consumer]) {
      expect(await client.getBalance({ address: account.address })).toBeGreaterThan(parseEther("1000"));
    }
    const block = await client.getBlock();
    expect(block.baseFeePerGas).toBe(0n);
    // the same block gas limit as a consortium genesis, so throughput measured here is the network's
    expect(block.gasLimit).toBe(GENESIS_BLOCK_GAS_LIMIT);
  });

  test("persists the chain in its data folder: a restart keeps blocks, transactions and the mnemonic", async () => {
    const dataDir = tempDir();
    const first = await startDevChain({ dataDir, blockTimeSeconds: 0.2, stateIntervalSeconds: 1 });
    started.push(first);
    expect(first.resumed).toBe(false);
    expect(statSync(path.join(dataDir, "mnemonic")).mode & 0o777).toBe(0o600);
    const wallet = createWalletClient({ account: first.accounts.operator, transport: http(first.rpcUrl) });
    const client = createPublicClient({ transport: http(first.rpcUrl) });
    const hash = await wallet.sendTransaction({
      chain: null,
      to: first.accounts.consumer.address,
      value: 12345n,
      gasPrice: 0n,
    });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
    const height = await client.getBlockNumber();
    await first.stop();

    const second = await startDevChain({ dataDir, blockTimeSeconds: 0.2 });
    started.push(second);
    expect(second.resumed).toBe(true);
    expect(second.mnemonic).toBe(first.mnemonic);
    const resumedClient = createPublicClient({ transport: http(second.rpcUrl) });
    expect(await resumedClient.getBlockNumber()).toBeGreaterThanOrEqual(height);
    const again = await resumedClient.getTransactionReceipt({ hash });
    expect(again.blockHash).toBe(receipt.blockHash);
    const block = await resumedClient.getBlock({ blockNumber: receipt.blockNumber });
    expect(block.hash).toBe(receipt.blockHash);
  });

  test("a new chain can start in the past (for demo data that bills a past month)", async () => {
    const monthAgo = Math.floor(Date.now() / 1000) - 32 * 86_400;
    const chain = await startDevChain({ blockTimeSeconds: 0.2, startTimestamp: monthAgo });
    started.push(chain);
    const block = await createPublicClient({ transport: http(chain.rpcUrl) }).getBlock({ blockNumber: 0n });
    expect(Number(block.timestamp)).toBe(monthAgo);
  });

  test("a taken port is named in a PortInUseError", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const error = await startDevChain({ port }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as PortInUseError).message).toContain(String(port));
    } finally {
      server.close();
    }
  });

  test("stop() ends anvil so that its port is free again", async () => {
    const chain = await startDevChain({ blockTimeSeconds: 0.5 });
    await chain.stop();
    await chain.stop();
    const refused = await fetch(chain.rpcUrl, { method: "POST" }).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
  });
});
