import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployGridLedger, readingsAbi, registryAbi, writeDeploymentsFile } from "@gridledger/contracts";
import { buildReadingBatch, readingBatchTypedData } from "@gridledger/domain";
import { type DevChain, devAccounts, startDevChain } from "@gridledger/network";
import { type Address, createWalletClient, type Hex, http, parseEventLogs, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleGatewayCli } from "../_test/bundleGatewayCli.js";
import { testDatabases } from "../db/_test/testDatabases.js";
import { openDatabase } from "../db/openDatabase.js";
import { chainFacts, databaseFacts } from "./_test/compareWithChain.js";
import { connect } from "./_test/scenario.js";

const METERS = 16;
const BATCHES = 30;
const INTERVALS = 48;

let chain: DevChain;
let cli: string;
let deploymentFile: string;
let deployment: Awaited<ReturnType<typeof deployGridLedger>>;
let head: number;

/**
 * A chain with METERS × BATCHES × INTERVALS readings (23,040) in BATCHES transactions, spread over
 * many blocks, so that an indexer limited to 1-block ranges commits many transactions.
 */
beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.1 });
  cli = await bundleGatewayCli("indexer");
  const accounts = devAccounts();
  deployment = await deployGridLedger({
    rpcUrl: chain.rpcUrl,
    deployer: accounts.all[12]!,
    roles: {
      operator: accounts.operator.address,
      gridCompany: accounts.gridCompany.address,
      retailCompanies: [accounts.retailCompanyA.address],
      paymentSources: [accounts.bank.address],
    },
  });
  deploymentFile = join(mkdtempSync(join(tmpdir(), "gl-crash-")), "deployment.json");
  await writeDeploymentsFile(deploymentFile, deployment);
  const { client, chain: viemChain, send } = await connect(chain.rpcUrl);
  const registry = deployment.contracts.Registry as Address;
  const readings = deployment.contracts.Readings as Address;
  const meterIds: bigint[] = [];
  for (let index = 0; index < METERS; index++) {
    const receipt = await send(accounts.gridCompany, registry, registryAbi, "registerMeter", [
      {
        gridCompany: accounts.gridCompany.address,
        accountId: 0n,
        meterType: 1,
        tariffZones: 3,
        meteringScheme: 1,
        remoteReading: true,
        exportCapable: false,
        atBalanceBoundary: true,
        lossMethod: 0,
        lossPpm: 0,
        serial: toHex(`C-${index}`, { size: 32 }),
        model: toHex("Mercury 234", { size: 32 }),
        lossParameters: toHex("", { size: 32 }),
      },
    ]);
    meterIds.push(
      parseEventLogs({ abi: registryAbi, logs: receipt.logs, eventName: "MeterRegistered" })[0]!.args.meterId,
    );
  }
  await send(accounts.gridCompany, readings, readingsAbi, "registerDeviceKey", [
    meterIds,
    accounts.device.address,
  ]);
  const now = Number((await client.getBlock()).timestamp);
  const first = Math.floor(now / 1800) * 1800 - BATCHES * INTERVALS * 1800;
  const wallet = createWalletClient({
    account: accounts.relayer,
    chain: viemChain,
    transport: http(chain.rpcUrl),
  });
  let nonce = await client.getTransactionCount({ address: accounts.relayer.address, blockTag: "pending" });
  const hashes: Hex[] = [];
  for (let batchIndex = 0; batchIndex < BATCHES; batchIndex++) {
    const batch = buildReadingBatch(
      meterIds.flatMap((meterId) =>
        Array.from({ length: INTERVALS }, (_, i) => {
          const step = batchIndex * INTERVALS + i;
          return {
            meterId,
            registerMask: 0b111,
            intervalEnd: first + step * 1800,
            status: 0,
            registers: [BigInt(step * 100), BigInt(step * 50), BigInt(step * 10)],
          };
        }),
      ),
    );
    const signature = await accounts.device.signTypedData!(
      readingBatchTypedData({ chainId: chain.chainId, verifyingContract: readings, batch }),
    );
    hashes.push(
      await wallet.writeContract({
        address: readings,
        abi: readingsAbi,
        functionName: "submitReadings",
        args: [batch.meters, signature],
        gas: 12_000_000n,
        gasPrice: 0n,
        nonce: nonce++,
      }),
    );
    // One transaction per block or so (a block every 0.1 s): many 1-block ranges, many commits.
    await new Promise((resolve) => setTimeout(resolve, 110));
  }
  for (const hash of hashes) {
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success") throw new Error("submitReadings reverted");
  }
  head = Number(await client.getBlockNumber({ cacheTime: 0 }));
}, 150_000);

afterAll(async () => {
  await chain?.stop();
});

function runCli(args: string[]): { child: ChildProcess; done: Promise<number | null>; output: () => string } {
  let output = "";
  // The CLI validates every GRIDLEDGER_* setting; the test-only one is not among them.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("GRIDLEDGER_")),
  );
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const done = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, done, output: () => output };
}

async function waitForOutput(run: ReturnType<typeof runCli>, text: string): Promise<true> {
  while (!run.output().includes(text) && run.child.exitCode === null && run.child.signalCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

for (const target of testDatabases("crash")) {
  describe(`indexer CLI under SIGKILL on ${target.name}`, () => {
    afterAll(() => target.drop());

    it("killed at random points over 8 runs, then run to the end: every log and reading exactly once", async () => {
      const args = [
        "index",
        "--db",
        target.url,
        "--rpc",
        chain.rpcUrl,
        "--deployment",
        deploymentFile,
        "--until",
        String(head),
        "--max-range",
        "1",
        "--progress-every",
        "0",
      ];
      const checkpoints: (number | undefined)[] = [];
      let killed = 0;
      for (let cycle = 0; cycle < 8; cycle++) {
        const run = runCli(args);
        // Kill at a random moment once indexing is under way (the first progress line), so that kills
        // land between, before and inside the range transactions rather than during start-up.
        const started = await Promise.race([waitForOutput(run, "block "), run.done.then(() => false)]);
        const delay = Math.floor(Math.random() * 80);
        const timer = started ? setTimeout(() => run.child.kill("SIGKILL"), delay) : undefined;
        const code = await run.done;
        clearTimeout(timer);
        if (code === null) killed++;
        else expect(code, run.output()).toBe(0);
        const db = await openDatabase({ url: target.url });
        try {
          const facts = await databaseFacts(db);
          checkpoints.push(facts.checkpoint);
          // After any kill, what is stored is exactly the chain up to the checkpoint.
          if (facts.checkpoint !== undefined) {
            const expected = await chainFacts(chain.rpcUrl, deployment, facts.checkpoint);
            expect(facts.logs).toEqual(expected.logs);
            expect(facts.readings).toEqual(expected.readings);
          }
        } finally {
          await db.close();
        }
        if (code === 0) break;
      }
      const last = runCli(args);
      expect(await last.done, last.output()).toBe(0);
      const db = await openDatabase({ url: target.url });
      try {
        const facts = await databaseFacts(db);
        const expected = await chainFacts(chain.rpcUrl, deployment, head);

        expect(facts.checkpoint).toBe(head);
        expect(facts.readings).toHaveLength(METERS * BATCHES * INTERVALS);
        expect(facts.readings).toEqual(expected.readings);
        expect(facts.logs).toEqual(expected.logs);
      } finally {
        await db.close();
      }
      console.log(`crash test: ${killed} kills, checkpoints ${checkpoints.join(" ")}`);
      expect(killed).toBeGreaterThanOrEqual(2);
      expect(new Set(checkpoints.filter((c) => c !== undefined)).size).toBeGreaterThan(1);
    });
  });
}
