import { settlementAbi } from "@gridledger/contracts";
import { type DevChain, startDevChain } from "@gridledger/network";
import { keccak256, parseEventLogs, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../db/_test/testDatabases.js";
import { Invoice, InvoiceLine } from "../db/entities/index.js";
import { openDatabase } from "../db/openDatabase.js";
import { runScenario, type Scenario } from "./_test/scenario.js";
import { createIndexer } from "./createIndexer.js";

/**
 * A retail company cancels a disputed invoice and closes the period again for the account: the
 * contract computes the same invoice id anew. The index must replace the invoice and its lines — not
 * fail on the existing row, not keep the cancelled computation's lines beside the new ones — whether
 * the cancellation and the new computation arrive in one range of logs or in two.
 */
let chain: DevChain;
let scenario: Scenario;
let scenarioEnd: number;
let reclosedAt: number;
let invoiceId: bigint;
let reclosedLines: number;
let reclosedTx: string;

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.1 });
  scenario = await runScenario(chain.rpcUrl);
  const { send, accounts, accountIds } = scenario;
  scenarioEnd = Number(await scenarioHead());
  // the scenario's second account's invoice for period 2 is disputed and unpaid
  invoiceId = (accountIds[1]! << 32n) | 2n;
  await send(accounts.retailCompanyA, "Settlement", settlementAbi, "cancelInvoice", [
    invoiceId,
    keccak256(toHex("meter read wrongly")),
  ]);
  const reclosed = await send(accounts.retailCompanyA, "Settlement", settlementAbi, "closePeriod", [
    2,
    [accountIds[1]],
  ]);
  reclosedAt = Number(reclosed.blockNumber);
  reclosedTx = reclosed.transactionHash;
  const [lines] = parseEventLogs({
    abi: settlementAbi,
    logs: reclosed.logs,
    eventName: "InvoiceLinesComputed",
  });
  reclosedLines = lines!.args.lines.length;
}, 180_000);

async function scenarioHead() {
  const response = await fetch(chain.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
  });
  return BigInt(((await response.json()) as { result: string }).result);
}

afterAll(async () => {
  await chain?.stop();
});

const cases = [
  { label: "the cancelled invoice indexed first, then the new one", stops: () => [scenarioEnd, reclosedAt] },
  { label: "both in one range of logs", stops: () => [reclosedAt] },
];

for (const [index, { label, stops }] of cases.entries()) {
  for (const target of testDatabases(`reclose${index}`)) {
    describe(`indexer on ${target.name}: an invoice cancelled and computed again`, () => {
      afterAll(async () => {
        await target.drop();
      });

      it(`replaces the invoice and its lines (${label})`, async () => {
        const db = await openDatabase({ url: target.url });
        try {
          for (const untilBlock of stops()) {
            await createIndexer({
              db,
              rpcUrl: chain.rpcUrl,
              deployment: scenario.deployment,
              pollIntervalMs: 50,
            }).run({ untilBlock });
          }
          const em = db.em();
          const invoice = await em.findOneOrFail(Invoice, { id: invoiceId.toString() });
          expect(invoice.status).toBe("computed");
          expect(invoice.txHash).toBe(reclosedTx);
          expect(invoice.reasonHash).toBeNull();
          const lines = await em.find(
            InvoiceLine,
            { invoiceId: invoiceId.toString() },
            { orderBy: { lineNo: "asc" } },
          );
          expect(lines).toHaveLength(reclosedLines);
          expect(new Set(lines.map((line) => line.txHash))).toEqual(new Set([reclosedTx]));
        } finally {
          await db.close();
        }
      });
    });
  }
}
