import {
  type GridLedgerDeployment,
  hourlyBillingAbi,
  readingsAbi,
  reconciliationAbi,
  registryAbi,
  settlementAbi,
  tariffsAbi,
} from "@gridledger/contracts";
import { type DevChain, startDevChain, TEST_MNEMONIC } from "@gridledger/network";
import { type Abi, type Address, createPublicClient, http, type PublicClient, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actors, deployForActors, freshActors } from "../_test/chainFixture.js";
import { extractPdfText } from "../documents/_test/extractPdfText.js";
import { sha256Hex } from "../documents/storeDocumentFile.js";
import { buildDemoPlan, type DemoSize, demoHourlyPrices } from "./demoPlan.js";
import {
  type DemoSummary,
  demoKeyDeriver,
  meterSeries,
  paymentAmount,
  seedDemoData,
} from "./seedDemoData.js";

/**
 * Seeds a small demo (20 accounts × 3 days) on a fresh deployment and checks it on the chain. The
 * seed moves the chain clock forward by the billed period (anvil `evm_increaseTime`), which would
 * disturb the other test files' time-dependent checks on the shared chain, so this file runs its own
 * anvil (started like the shared one, by `startDevChain`).
 */
const SIZE: DemoSize = { accounts: 20, days: 3 };

let chain: DevChain;
let client: PublicClient;
let actors: Actors;
let deployment: GridLedgerDeployment;
let summary: DemoSummary;
let seedMs: number;

const accountsOf = (a: Actors) =>
  ({
    operator: a.operator,
    gridCompany: a.grid,
    retailCompanyA: a.retailA,
    retailCompanyB: a.retailB,
    bank: a.bank,
    relayer: a.relayer,
  }) as Parameters<typeof seedDemoData>[0]["accounts"];

const read = <T>(name: string, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
  client.readContract({
    address: deployment.contracts[name]! as Address,
    abi,
    functionName,
    args,
  } as never) as Promise<T>;

beforeAll(async () => {
  chain = await startDevChain({ blockTimeSeconds: 0.25 });
  client = createPublicClient({ transport: http(chain.rpcUrl) }) as PublicClient;
  actors = await freshActors(chain.rpcUrl);
  deployment = await deployForActors(chain.rpcUrl, actors);
  const started = Date.now();
  summary = await seedDemoData({
    rpcUrl: chain.rpcUrl,
    deployment,
    accounts: accountsOf(actors),
    mnemonic: TEST_MNEMONIC,
    size: SIZE,
  });
  seedMs = Date.now() - started;
}, 120_000);

afterAll(async () => {
  await chain?.stop();
});

describe("seedDemoData on a fresh deployment", () => {
  const plan = buildDemoPlan(SIZE);

  it("reports what it seeded, within the time budget", () => {
    expect(summary.seeded).toBe(true);
    expect(seedMs).toBeLessThan(60_000);
    expect(summary.counts.accounts).toBe(20);
    expect(summary.counts.invoices).toBe(20);
    const remote = plan.consumers.filter((c) => c.meter.remoteReading).length;
    expect(summary.counts.readings).toBe(remote * (1 + 3 * 48 + 4) + summary.counts.manualReadings);
    expect(summary.counts.invoicesDisputed).toBe(2);
    expect(summary.counts.paymentsOverpaid).toBe(1);
    expect(summary.counts.paymentsPartial).toBeGreaterThanOrEqual(1);
    expect(summary.counts.invoicesUnpaid).toBeGreaterThanOrEqual(3);
    expect(summary.people.consumers.length).toBeGreaterThanOrEqual(3);
    expect(summary.period.end - summary.period.start).toBe(3 * 86_400);
  });

  it("registered every meter and account with the consumer's own key", async () => {
    expect(await read<bigint>("Registry", registryAbi, "accountCount")).toBe(20n);
    expect(await read<bigint>("Registry", registryAbi, "meterCount")).toBe(20n);
    const derive = demoKeyDeriver(TEST_MNEMONIC);
    for (const person of summary.people.consumers) {
      const account = await read<{ consumer: Address; accountNumber: `0x${string}` }>(
        "Registry",
        registryAbi,
        "getAccount",
        [BigInt(person.accountId!)],
      );
      expect(account.consumer).toBe(person.address);
      expect(account.accountNumber).toBe(toHex(person.accountNumber!, { size: 32 }));
      const index = Number(person.derivationPath!.split("/").at(-1));
      expect(derive(index).address).toBe(person.address);
    }
  });

  it("anchored every account's supply contract (kind 1) with the SHA-256 of the PDF it returns", async () => {
    const contracts = new Map(
      summary.documents?.flatMap((document) =>
        document.kind === "supplyContract" ? [[document.accountId, document.content] as const] : [],
      ),
    );
    expect(contracts.size).toBe(20);
    for (const person of summary.people.consumers) {
      const file = contracts.get(Number(person.accountId!))!;
      expect(file.subarray(0, 5).toString()).toBe("%PDF-");
      const anchored = await read<string>("Registry", registryAbi, "accountDocument", [
        BigInt(person.accountId!),
        1,
      ]);
      expect(anchored).toBe(sha256Hex(file));
      const text = extractPdfText(file).text.replace(/\s+/g, " ");
      expect(text).toContain(`Договор энергоснабжения № ДЭС-${person.accountNumber}`);
    }
  });

  it("stored the signed readings: a remote meter's last registers and period-end snapshot match the profile", async () => {
    const consumer = plan.consumers.find((c) => c.meter.remoteReading && c.meter.tariffZones === 2)!;
    const meterId = BigInt(consumer.index + 1);
    const series = meterSeries(consumer, summary.period.start, SIZE.days);
    const [lastEnd, registers] = await read<[number, readonly bigint[], number]>(
      "Readings",
      readingsAbi,
      "meterState",
      [meterId],
    );
    const last = series.at(-1)!;
    expect(lastEnd).toBe(last.intervalEnd);
    expect(registers.slice(0, 2).map(BigInt)).toEqual(last.registers);
    const [snapEnd, snap] = await read<[number, readonly bigint[]]>("Readings", readingsAbi, "snapshot", [
      meterId,
      summary.period.id,
    ]);
    expect(snapEnd).toBe(summary.period.end);
    const atEnd = series.find((r) => r.intervalEnd === summary.period.end)!;
    expect(snap.slice(0, 2).map(BigInt)).toEqual(atEnd.registers);
  });

  it("issued invoices priced from those volumes, confirmed or disputed by the consumers", async () => {
    const ids = await Promise.all(
      plan.consumers.map((c) =>
        read<bigint>("Registry", registryAbi, "accountByNumber", [toHex(c.accountNumber, { size: 32 })]),
      ),
    );
    const invoices = await Promise.all(
      ids.map((id) =>
        read<{
          status: number;
          total: bigint;
          components: readonly bigint[];
          paid: readonly bigint[];
          documentHash: string;
        }>("Settlement", settlementAbi, "getInvoice", [(id << 32n) | BigInt(summary.period.id)]),
      ),
    );
    const files = new Map(
      summary.documents?.flatMap((document) =>
        document.kind === "invoice" ? [[document.invoiceId, document.content] as const] : [],
      ),
    );
    expect(files.size).toBe(plan.consumers.length);
    for (const [i, consumer] of plan.consumers.entries()) {
      const invoice = invoices[i]!;
      // the anchored hash is the SHA-256 of the invoice PDF handed to the gateway's document store
      const file = files.get(((ids[i]! << 32n) | BigInt(summary.period.id)).toString());
      expect(invoice.documentHash).toBe(sha256Hex(file!));
      expect(file!.subarray(0, 5).toString()).toBe("%PDF-");
      expect(invoice.status).toBe(
        consumer.invoice === "confirm" ? 3 : consumer.invoice === "dispute" ? 4 : 2,
      );
      expect(invoice.components.reduce((a, b) => a + b, 0n)).toBe(invoice.total);
      const paid = invoice.paid.reduce((a, b) => a + b, 0n);
      const amount = paymentAmount(consumer, invoice.total);
      // every payment is split over the components; the excess of an overpayment goes to the balance
      // biome-ignore lint/complexity/useMathMinMax: bigints
      expect(paid).toBe(amount > invoice.total ? invoice.total : amount);
      for (let k = 0; k < 4; k++) expect(invoice.paid[k]!).toBeLessThanOrEqual(invoice.components[k]!);
      if (consumer.payment === "over") {
        expect(await read<bigint>("Settlement", settlementAbi, "creditBalance", [ids[i]])).toBe(
          amount - invoice.total,
        );
      }
    }
    const partial = plan.consumers.findIndex((c) => c.payment === "partial");
    const p = invoices[partial]!;
    expect(p.paid.reduce((a, b) => a + b, 0n)).toBeLessThan(p.total);
    expect(p.paid.filter((x) => x > 0n).length).toBeGreaterThanOrEqual(2);
    // a consumer chose another tariff from the next period
    const chooser = plan.consumers.findIndex((c) => c.nextTariff);
    const choice = await read<{ nextFrom: number }>("Tariffs", tariffsAbi, "getChoice", [ids[chooser]]);
    expect(choice.nextFrom).toBeGreaterThan(summary.period.id);
  });

  it("published the hourly prices of company B's ПЦК 3 and ПЦК 4 plans for the billed period", async () => {
    const events = await client.getContractEvents({
      address: deployment.contracts.HourlyBilling! as Address,
      abi: hourlyBillingAbi,
      eventName: "HourlyPricesPublished",
      fromBlock: 0n,
    });
    expect(events.map((event) => [event.args.periodId, event.args.kind])).toEqual([
      [summary.period.id, 6],
      [summary.period.id, 7],
    ]);
    for (const [index, kind] of (["PriceCategory3", "PriceCategory4"] as const).entries()) {
      const data = demoHourlyPrices(kind, SIZE.days * 24);
      expect(events[index]!.args.pricesHash).toBe(
        await read<string>("HourlyBilling", hourlyBillingAbi, "hashHourlyPrices", [data]),
      );
      const plan = await read<[{ groupId: bigint; kind: number }]>("Tariffs", tariffsAbi, "getPlan", [
        events[index]!.args.planId,
      ]);
      expect(plan[0].kind).toBe(kind === "PriceCategory3" ? 6 : 7);
    }
  });

  it("billed the ПЦК 3 bakery through HourlyBilling: one volume per hour, adding up to its meter's registers over the period", async () => {
    const bakery = plan.consumers.find((c) => c.tariff.kind === "PriceCategory3")!;
    const accountId = await read<bigint>("Registry", registryAbi, "accountByNumber", [
      toHex(bakery.accountNumber, { size: 32 }),
    ]);
    const [billed, ...more] = await client.getContractEvents({
      address: deployment.contracts.HourlyBilling! as Address,
      abi: hourlyBillingAbi,
      eventName: "HourlyVolumesBilled",
      fromBlock: 0n,
    });
    expect(more).toHaveLength(0);
    expect(billed!.args.invoiceId).toBe((accountId << 32n) | BigInt(summary.period.id));
    const volumes = billed!.args.hourlyVolumesWh!;
    expect(volumes).toHaveLength(SIZE.days * 24);
    const series = meterSeries(bakery, summary.period.start, SIZE.days);
    const importAt = (time: number) =>
      series
        .find((r) => r.intervalEnd === time)!
        .registers.slice(0, bakery.meter.tariffZones)
        .reduce((a, b) => a + b, 0n);
    expect(volumes.reduce((a, b) => a + b, 0n)).toBe(
      importAt(summary.period.end) - importAt(summary.period.start),
    );
    // priced on the ПЦК 3 plan whose hourly prices were published
    const [computed] = await client.getContractEvents({
      address: deployment.contracts.Settlement! as Address,
      abi: settlementAbi,
      eventName: "InvoiceComputed",
      args: { invoiceId: billed!.args.invoiceId },
      fromBlock: 0n,
    });
    const [published] = await client.getContractEvents({
      address: deployment.contracts.HourlyBilling! as Address,
      abi: hourlyBillingAbi,
      eventName: "HourlyPricesPublished",
      fromBlock: 0n,
    });
    expect(published!.args.kind).toBe(6);
    expect(computed!.args.planId).toBe(published!.args.planId);
  });

  it("reconciled delivered volumes: matched for one retail company, a loss-corrected mismatch for the other", async () => {
    const a = await read<{
      gridSignedWh: bigint;
      retailSignedWh: bigint;
      gridSigned: boolean;
      retailSigned: boolean;
    }>("Reconciliation", reconciliationAbi, "getTotals", [summary.period.id, actors.retailA.address]);
    expect(a.gridSigned && a.retailSigned).toBe(true);
    expect(a.gridSignedWh).toBe(a.retailSignedWh);
    const b = await read<{
      gridSignedWh: bigint;
      retailSignedWh: bigint;
      gridSigned: boolean;
      retailSigned: boolean;
    }>("Reconciliation", reconciliationAbi, "getTotals", [summary.period.id, actors.retailB.address]);
    expect(b.gridSigned && b.retailSigned).toBe(true);
    expect(b.gridSignedWh).not.toBe(b.retailSignedWh);
  });

  it("a second call sends nothing and returns the same summary", async () => {
    const senders = [
      ...Object.values(accountsOf(actors)).map((a) => a.address),
      ...summary.people.consumers.map((p) => p.address),
    ];
    const nonces = () => Promise.all(senders.map((address) => client.getTransactionCount({ address })));
    const before = await nonces();
    const again = await seedDemoData({
      rpcUrl: chain.rpcUrl,
      deployment,
      accounts: accountsOf(actors),
      mnemonic: TEST_MNEMONIC,
      size: SIZE,
    });
    expect(again.seeded).toBe(false);
    expect(await nonces()).toEqual(before);
    expect({ ...again.counts }).toEqual({ ...summary.counts });
    expect(again.period).toEqual(summary.period);
    expect(again.people).toEqual(summary.people);
  });
});
