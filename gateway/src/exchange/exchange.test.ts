import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type DevChain, startDevChain } from "@gridledger/network";
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleGatewayCli } from "../_test/bundleGatewayCli.js";
import { testDatabases } from "../db/_test/testDatabases.js";
import { type Database, openDatabase } from "../db/openDatabase.js";
import { runScenario, type Scenario } from "../indexer/_test/scenario.js";
import { createIndexer } from "../indexer/createIndexer.js";
import { blockHashesFromRpc } from "./blockHashesFromRpc.js";
import { toExchangeCsv } from "./exchangeCsv.js";
import type { ExchangeDocument, InvoiceRecord, ReadingRecord } from "./exchangeFormat.js";
import { exportLedgerRecords } from "./exportLedgerRecords.js";
import { readExchangeFile } from "./readExchangeFile.js";
import { verifyExchangeRecords } from "./verifyExchangeRecords.js";

const run = promisify(execFile);
const target = testDatabases("exchange")[0]!;
let chain: DevChain;
let scenario: Scenario;
let db: Database;
let exported: ExchangeDocument;
const folder = mkdtempSync(join(tmpdir(), "gl-exchange-"));

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.1 });
  scenario = await runScenario(chain.rpcUrl);
  db = await openDatabase({ url: target.url });
  await createIndexer({ db, rpcUrl: chain.rpcUrl, deployment: scenario.deployment }).run();
  exported = await exportLedgerRecords({
    em: db.em(),
    chainId: scenario.deployment.chainId,
    contracts: scenario.deployment.contracts,
    filter: {},
    blockHashes: blockHashesFromRpc(createPublicClient({ transport: http(chain.rpcUrl) })),
  });
}, 120_000);

afterAll(async () => {
  await db?.close();
  await target.drop();
  await chain?.stop();
});

const verify = (document: ExchangeDocument) =>
  verifyExchangeRecords({ rpcUrl: chain.rpcUrl, entries: readExchangeFile(JSON.stringify(document)) });
const clone = (document: ExchangeDocument): ExchangeDocument => structuredClone(document);
const readingAt = (document: ExchangeDocument, index = 0) =>
  document.records.filter((record): record is ReadingRecord => record.type === "reading")[index]!;
const issuedInvoice = (document: ExchangeDocument) =>
  document.records.find(
    (record): record is InvoiceRecord => record.type === "invoice" && record.issued !== null,
  )!;

describe("exchange export", () => {
  it("exports every indexed reading and invoice with its chain reference and signed record", async () => {
    const readings = exported.records.filter((record) => record.type === "reading");
    const invoices = exported.records.filter((record) => record.type === "invoice");
    // 3 meters × 7 half hours; the replayed record was dropped by the contract
    expect(readings).toHaveLength(21);
    expect(invoices).toHaveLength(2);
    const reading = readingAt(exported);
    expect(reading.chain.contract).toBe(scenario.deployment.contracts.Readings!.toLowerCase());
    expect(reading.chain.blockHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(reading.signed.signer).toBe(scenario.accounts.device.address.toLowerCase());
    expect(reading.registers.importT1).toMatch(/^[0-9]+$/);
    expect(issuedInvoice(exported).issued!.chain.txHash).not.toBe(issuedInvoice(exported).chain.txHash);
  });

  it("filters by meter and date range", async () => {
    const meterId = String(scenario.meterIds[1]);
    const first = readingAt(exported).intervalEnd;
    const document = await exportLedgerRecords({
      em: db.em(),
      chainId: scenario.deployment.chainId,
      contracts: scenario.deployment.contracts,
      filter: { meterIds: [meterId], from: first + 1800, to: first + 3 * 1800, types: ["reading"] },
      blockHashes: blockHashesFromRpc(createPublicClient({ transport: http(chain.rpcUrl) })),
    });
    expect(document.records.map((record) => [record.type, (record as ReadingRecord).intervalEnd])).toEqual([
      ["reading", first + 1800],
      ["reading", first + 3600],
    ]);
    expect(document.records.every((record) => (record as ReadingRecord).meterId === meterId)).toBe(true);
  });
});

describe("exchange verifier", () => {
  it("verifies every record of an untouched export, JSON and CSV alike", async () => {
    const result = await verify(exported);
    expect(result.verdicts.filter((verdict) => !verdict.ok)).toEqual([]);
    expect(result).toMatchObject({ verified: 23, failed: 0 });
    const csv = await verifyExchangeRecords({
      rpcUrl: chain.rpcUrl,
      entries: readExchangeFile(toExchangeCsv(exported.records)),
    });
    expect(csv).toMatchObject({ verified: 23, failed: 0 });
  });

  it("fails exactly the tampered record, with the reason", async () => {
    const cases: [string, (document: ExchangeDocument) => void, RegExp][] = [
      [
        "register value",
        (document) => {
          const reading = readingAt(document, 3);
          reading.registers.importT1 = String(BigInt(reading.registers.importT1!) + 1n);
        },
        /register importT1 is \d+ on chain, \d+ in the file/,
      ],
      [
        "tx hash",
        (document) => {
          readingAt(document, 3).chain.txHash = `0x${"ab".repeat(32)}`;
        },
        /is not on this chain/,
      ],
      [
        "log index",
        (document) => {
          const reading = readingAt(document, 3);
          reading.chain.logIndex += 1;
        },
        /log \d+ is \w+, not MeterReadingsRecorded|meterId is|no log with index|interval end/,
      ],
      [
        "block hash",
        (document) => {
          readingAt(document, 3).chain.blockHash = `0x${"cd".repeat(32)}`;
        },
        /block hash on chain is 0x[0-9a-f]{64}, the record says 0xcdcd/,
      ],
      [
        "signer",
        (document) => {
          readingAt(document, 3).signed.signer = `0x${"12".repeat(20)}`;
        },
        /signer is 0x[0-9a-f]{40} on chain/,
      ],
      [
        "invoice total",
        (document) => {
          const invoice = issuedInvoice(document);
          invoice.total = String(BigInt(invoice.total) - 100n);
        },
        /total is \d+ on chain, \d+ in the file/,
      ],
      [
        "document hash",
        (document) => {
          issuedInvoice(document).issued!.documentHash = `0x${"ee".repeat(32)}`;
        },
        /documentHash is 0x[0-9a-f]{64} on chain, 0xeeee/,
      ],
    ];
    for (const [what, tamper, reason] of cases) {
      const document = clone(exported);
      tamper(document);
      const result = await verify(document);
      expect(result.failed, what).toBe(1);
      expect(result.verified, what).toBe(22);
      const failed = result.verdicts.find((verdict) => !verdict.ok)!;
      expect(failed.reasons.join("; "), what).toMatch(reason);
    }
  });

  it("the command line prints N verified, M failed and exits non-zero on a failure", async () => {
    const verifyJs = await bundleGatewayCli("verify");
    const good = join(folder, "good.json");
    writeFileSync(good, JSON.stringify(exported));
    const ok = await run(process.execPath, [verifyJs, good, "--rpc", chain.rpcUrl]);
    expect(ok.stdout.trim()).toBe("23 verified, 0 failed");

    const tampered = clone(exported);
    const reading = readingAt(tampered, 5);
    reading.status = reading.status === 0 ? 4 : 0;
    const bad = join(folder, "bad.csv");
    writeFileSync(bad, toExchangeCsv(tampered.records));
    const failure = await run(process.execPath, [verifyJs, bad, "--rpc", chain.rpcUrl]).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect((failure as { code: number }).code).toBe(1);
    expect(failure.stdout).toMatch(
      /^FAILED line 7: reading of meter \d+ at .*: status is \d on chain, \d in the file/m,
    );
    expect(failure.stdout.trim().split("\n").at(-1)).toBe("22 verified, 1 failed");

    const usage = await run(process.execPath, [verifyJs, good]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect((usage as { code: number }).code).toBe(2);
  }, 60_000);
});
