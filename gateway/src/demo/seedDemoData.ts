import { pbkdf2Sync } from "node:crypto";
import {
  feeOverrides,
  type GridLedgerDeployment,
  hourlyBillingAbi,
  readingsAbi,
  reconciliationAbi,
  registryAbi,
  settlementAbi,
  tariffsAbi,
} from "@gridledger/contracts";
import {
  buildReadingBatch,
  encodeMeterRecords,
  type IntervalReading,
  ReadingStatus,
  readingBatchTypedData,
} from "@gridledger/domain";
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  type LocalAccount,
  type PublicClient,
  parseEventLogs,
  type TransactionReceipt,
  toHex,
} from "viem";
import { HDKey, privateKeyToAccount } from "viem/accounts";
import { hourlyVolumesFromReadings } from "../billing/hourlyVolumesFromReadings.js";
import { renderInvoicePdf } from "../documents/renderInvoicePdf.js";
import { renderSupplyContractPdf } from "../documents/renderSupplyContractPdf.js";
import { sha256Hex } from "../documents/storeDocumentFile.js";
import { relayReadingBatch } from "../ingest/relayReadingBatch.js";
import {
  DemoSeedError,
  NonceSequencer,
  Rebroadcaster,
  runLimited,
  Sender,
  type SentTx,
  waitForReceipts,
} from "./chainTx.js";
import {
  buildDemoPlan,
  type DemoConsumer,
  type DemoPlan,
  type DemoSize,
  demoHourlyPrices,
  FULL_DEMO_SIZE,
  MeterType,
  type RetailKey,
  TariffKind,
} from "./demoPlan.js";
import { cumulativeRegisters, generateLoadProfile, HALF_HOUR } from "./loadProfile.js";
import { DEMO_TIME_ZONE, DEMO_UTC_OFFSET_MINUTES, utf8Bytes32 } from "./people.js";
import { createRng } from "./prng.js";

/** The dev chain's keys per role (`chain.accounts` of `startDevChain` fits). */
export type DemoAccounts = Record<
  "operator" | "gridCompany" | "retailCompanyA" | "retailCompanyB" | "bank" | "relayer",
  LocalAccount
>;

export type DemoProgress = { phase: string; detail: string; elapsedMs: number };

export type SeedDemoDataParameters = {
  rpcUrl: string;
  deployment: GridLedgerDeployment;
  accounts: DemoAccounts;
  /** The dev chain's mnemonic: consumer keys are derived at m/44'/60'/0'/0/(100 + i), device keys at (1000 + j). */
  mnemonic: string;
  /** Default {@link FULL_DEMO_SIZE}: 200 accounts × 30 days. */
  size?: DemoSize | undefined;
  onProgress?: ((progress: DemoProgress) => void) | undefined;
};

export type DemoPerson = {
  role: string;
  name: string;
  /** Chain address (the key that signs this participant's transactions). */
  address: Address;
  /** For consumers: the HD path of their key in the dev mnemonic. */
  derivationPath?: string | undefined;
  accountNumber?: string | undefined;
  accountId?: string | undefined;
  retailCompany?: string | undefined;
  postalAddress?: string | undefined;
  note?: string | undefined;
};

export type DemoSummary = {
  /** False when the chain already held the demo and nothing was sent. */
  seeded: boolean;
  durationMs: number;
  size: DemoSize;
  timeZone: string;
  period: { id: number; start: number; end: number; startIso: string; endIso: string; nextPeriodId: number };
  organisations: {
    role: string;
    name: string;
    shortName: string;
    inn: string;
    address: Address;
    profileHash: Hex;
    description: string;
  }[];
  counts: {
    organisations: number;
    accounts: number;
    meters: number;
    metersManual: number;
    prosumers: number;
    deviceKeys: number;
    tariffGroups: number;
    tariffPlans: number;
    readings: number;
    readingBatches: number;
    manualReadings: number;
    meterEvents: number;
    tariffChoices: number;
    invoices: number;
    invoicesConfirmed: number;
    invoicesDisputed: number;
    invoicesUnanswered: number;
    payments: number;
    paymentsFull: number;
    paymentsPartial: number;
    paymentsOverpaid: number;
    invoicesUnpaid: number;
    reconciliations: number;
  };
  people: {
    operator: DemoPerson;
    gridCompany: DemoPerson;
    retailCompanies: DemoPerson[];
    bank: DemoPerson;
    consumers: DemoPerson[];
  };
  /**
   * The invoice and supply-contract PDFs whose SHA-256 the seed anchored (`InvoiceIssued.documentHash`,
   * `Registry.AccountDocumentAnchored`), for the gateway's document store; only when this call seeded
   * (the chain holds hashes, not files).
   */
  documents?: DemoDocument[] | undefined;
};

export type DemoDocument =
  | { kind: "invoice"; invoiceId: string; accountId: number; content: Buffer }
  | { kind: "supplyContract"; accountId: number; content: Buffer };

const DAY = 86_400;
/** `Registry.anchorAccountDocument` kind of the supply contract. */
const SUPPLY_CONTRACT_DOCUMENT = 1;
/** Records after the period end: the crossing record captures the period-end snapshot. */
const EXTRA_INTERVALS = 4;
const PAYMENT_NUMBER_BASE = 100_000n;
const ZERO32 = `0x${"00".repeat(32)}` as Hex;
const RELAY_IN_FLIGHT = 48;

const text = (value: string) => keccak256(toHex(value));
const ascii32 = (value: string) => toHex(value, { size: 32 });

/** Derives accounts of `mnemonic` at m/44'/60'/0'/0/index (one PBKDF2, one child derivation per key). */
export function demoKeyDeriver(mnemonic: string): (index: number) => LocalAccount {
  const seed = pbkdf2Sync(mnemonic.normalize("NFKD"), "mnemonic", 2048, 64, "sha512");
  const parent = HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'/0");
  return (index) => privateKeyToAccount(toHex(parent.deriveChild(index).privateKey!));
}

/**
 * The demo's period boundaries for a chain at `chainTime` (local midnights of the town). A period can
 * only be scheduled while its end is in the future, so on a chain at the wall clock the period starts
 * at the next local midnight and the chain's clock ends about a month ahead. On a chain started with
 * its clock in the past (anvil `--timestamp`) the period is the last one ending at least 3 hours
 * before the wall clock, and the clock is moved to the wall clock.
 */
export function demoTimeline(chainTime: number, wallTime: number, days: number) {
  const offset = DEMO_UTC_OFFSET_MINUTES * 60;
  const midnightAfter = (t: number) => Math.ceil((t + offset) / DAY) * DAY - offset;
  const midnightBefore = (t: number) => Math.floor((t + offset) / DAY) * DAY - offset;
  const start = Math.max(midnightAfter(chainTime + 900), midnightBefore(wallTime - days * DAY - 3 * 3600));
  const end = start + days * DAY;
  const readUntil = end + EXTRA_INTERVALS * HALF_HOUR;
  return { start, end, readUntil, warpTo: Math.max(readUntil + 60, wallTime), nextEnd: end + 30 * DAY };
}

/**
 * Seeds the demo data of issue 5 §6 through the real contracts: organisations' profiles, tariff groups
 * and plans of both retail companies, meters with device keys, consumer accounts, a billed period of
 * half-hour readings signed by the data concentrators' device keys and relayed by the gateway's
 * {@link relayReadingBatch}, readings typed in by consumers, meter-state events, invoices, their
 * confirmation or dispute by the consumers, payments from the bank and a reconciliation of volumes.
 *
 * Idempotent: when the chain already holds the demo it reads the summary and sends nothing.
 *
 * The dev chain's clock is moved forward (anvil `evm_increaseTime`) past the end of the billed
 * period: a period must be scheduled while its end is in the future, so a billed month has to pass
 * on the chain. Refuses chains that are not anvil.
 */
export async function seedDemoData(parameters: SeedDemoDataParameters): Promise<DemoSummary> {
  const started = Date.now();
  const size = parameters.size ?? FULL_DEMO_SIZE;
  const plan = buildDemoPlan(size);
  const { rpcUrl, deployment, accounts } = parameters;
  const progress = (phase: string, detail: string) =>
    parameters.onProgress?.({ phase, detail, elapsedMs: Date.now() - started });
  const transport = http(rpcUrl, { timeout: 120_000, batch: { batchSize: 200, wait: 0 } });
  const client = createPublicClient({ transport }) as PublicClient;
  const chainId = await client.getChainId();
  const c = contractsOf(deployment);
  const derive = demoKeyDeriver(parameters.mnemonic);
  const consumerKeys = plan.consumers.map((consumer) => derive(consumer.keyIndex));
  const deviceKeys = plan.agents.map((agent) => derive(agent.keyIndex));

  const read = <T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ address, abi, functionName, args } as never) as Promise<T>;

  // ---------------------------------------------------------------- already there?
  const firstAccount = await read<bigint>(c.Registry, registryAbi, "accountByNumber", [
    ascii32(plan.consumers[0]!.accountNumber),
  ]);
  if (firstAccount !== 0n) {
    const summary = await readExistingSummary(plan, parameters, client, consumerKeys, firstAccount);
    summary.durationMs = Date.now() - started;
    progress("done", "the chain already holds the demo data; nothing sent");
    return summary;
  }

  const version = await client.request({ method: "web3_clientVersion" });
  if (!String(version).toLowerCase().includes("anvil")) {
    throw new DemoSeedError(
      `The demo data need the dev chain (anvil) to move its clock through the billed period; ${version} is not anvil`,
    );
  }
  const fees = await feeOverrides(client);
  const gasPrice = fees.gasPrice ?? (await client.getGasPrice());
  const rebroadcaster = new Rebroadcaster(client);
  const sender = (account: LocalAccount) => new Sender(client, account, chainId, gasPrice, rebroadcaster);
  try {
    const operator = sender(accounts.operator);
    const grid = sender(accounts.gridCompany);
    const retail: Record<RetailKey, Sender> = {
      A: sender(accounts.retailCompanyA),
      B: sender(accounts.retailCompanyB),
    };
    const bank = sender(accounts.bank);
    const consumerSenders = consumerKeys.map(sender);
    await Promise.all([operator, grid, retail.A, retail.B, bank, ...consumerSenders].map((s) => s.init()));

    const latest = await client.getBlock();
    const chainTime = Number(latest.timestamp);
    const timeline = demoTimeline(chainTime, Math.floor(Date.now() / 1000), size.days);
    const lastPeriod = await read<number>(c.Readings, readingsAbi, "lastPeriodId");
    const lastEnd = await read<number>(c.Readings, readingsAbi, "periodEnd", [lastPeriod]);
    if (lastEnd >= timeline.start) {
      throw new DemoSeedError(`Period ${lastPeriod} ends at ${lastEnd}, after the demo period would start`);
    }
    const p1 = lastPeriod + 1;
    const p2 = lastPeriod + 2;
    const orgAddress: Record<string, Address> = {
      operator: accounts.operator.address,
      gridCompany: accounts.gridCompany.address,
      retailCompanyA: accounts.retailCompanyA.address,
      retailCompanyB: accounts.retailCompanyB.address,
      bank: accounts.bank.address,
    };
    const retailAddress = (key: RetailKey) =>
      (key === "A" ? accounts.retailCompanyA : accounts.retailCompanyB).address;

    let block = latest.number + 1n;
    const phase = async (name: string, senders: Sender[]) => {
      const sent = (await Promise.all(senders.map((s) => s.drain()))).flat();
      const receipts = await waitForReceipts(client, sent, block);
      for (const receipt of receipts.values()) if (receipt.blockNumber >= block) block = receipt.blockNumber;
      progress(name, `${sent.length} transactions`);
      return (tx: SentTx) => receipts.get(tx.hash.toLowerCase() as Hex)!;
    };

    // ---------------------------------------------------------------- 1: profiles, periods, meters, groups, funding
    progress("setup", `period ${p2}: ${iso(timeline.start)} – ${iso(timeline.end)}`);
    const profileHashes: Record<string, Hex> = {};
    for (const org of plan.organisations) {
      profileHashes[org.role] = text(JSON.stringify(org));
      operator.call({
        address: c.Registry,
        abi: registryAbi,
        functionName: "updateOrganisation",
        args: [orgAddress[org.role], true, profileHashes[org.role], ascii32(org.inn)],
      });
    }
    operator.call({
      address: c.Readings,
      abi: readingsAbi,
      functionName: "schedulePeriod",
      args: [p1, timeline.start],
    });
    operator.call({
      address: c.Readings,
      abi: readingsAbi,
      functionName: "schedulePeriod",
      args: [p2, timeline.end],
      gas: 150_000n,
    });
    operator.call({
      address: c.Readings,
      abi: readingsAbi,
      functionName: "schedulePeriod",
      args: [p2 + 1, timeline.nextEnd],
      gas: 150_000n,
    });
    for (const key of consumerKeys) operator.transfer(key.address, 10n ** 17n);
    const meterTx = plan.consumers.map((consumer) =>
      grid.call({
        address: c.Registry,
        abi: registryAbi,
        functionName: "registerMeter",
        args: [
          {
            gridCompany: accounts.gridCompany.address,
            accountId: 0n,
            meterType: consumer.meter.meterType,
            tariffZones: consumer.meter.tariffZones,
            meteringScheme: consumer.meter.meteringScheme,
            remoteReading: consumer.meter.remoteReading,
            exportCapable: consumer.meter.exportCapable,
            atBalanceBoundary: consumer.meter.atBalanceBoundary,
            lossMethod: consumer.meter.lossMethod,
            lossPpm: consumer.meter.lossPpm,
            serial: ascii32(consumer.meter.serial),
            model: ascii32(consumer.meter.model),
            lossParameters: ZERO32,
          },
        ],
      }),
    );
    const groupTx = plan.groups.map((group) =>
      retail[group.retail].call({
        address: c.Tariffs,
        abi: tariffsAbi,
        functionName: "createGroup",
        args: [utf8Bytes32(group.name), group.consumerType, group.priceCategory],
      }),
    );
    const meterTxs = await Promise.all(meterTx);
    const groupTxs = await Promise.all(groupTx);
    const receipt1 = await phase("registry", [operator, grid, retail.A, retail.B]);
    const meterIds = meterTxs.map(
      (tx) => eventArgs(registryAbi, receipt1(tx), "MeterRegistered")[0]!.meterId as bigint,
    );
    const groupIds = new Map<string, bigint>(
      groupTxs.map((tx, i) => [
        plan.groups[i]!.key,
        eventArgs(tariffsAbi, receipt1(tx), "TariffGroupCreated")[0]!.groupId as bigint,
      ]),
    );

    // ---------------------------------------------------------------- 2: device keys, firmware, accounts, plans
    for (const agent of plan.agents) {
      grid.call({
        address: c.Readings,
        abi: readingsAbi,
        functionName: "registerDeviceKey",
        args: [agent.meters.map((i) => meterIds[i]!), deviceKeys[agent.index]!.address],
      });
    }
    for (const consumer of plan.consumers) {
      grid.call({
        address: c.Registry,
        abi: registryAbi,
        functionName: "setReferenceFirmware",
        args: [meterIds[consumer.index], firmwareHash(consumer.meter.model, "ref")],
      });
    }
    const accountTx = plan.consumers.map((consumer) =>
      retail[consumer.retail].call({
        address: c.Registry,
        abi: registryAbi,
        functionName: "openAccount",
        args: [
          {
            consumer: consumerKeys[consumer.index]!.address,
            meterId: meterIds[consumer.index],
            consumerType: consumer.legal ? 2 : 1,
            priceCategory: consumer.priceCategory,
            active: true,
            retailCompany: retailAddress(consumer.retail),
            gridCompany: accounts.gridCompany.address,
            accountNumber: ascii32(consumer.accountNumber),
            siteId: utf8Bytes32(consumer.address.site.name),
            addressRef: utf8Bytes32(consumer.address.short),
          },
        ],
      }),
    );
    const planValidFrom = Math.floor(chainTime / DAY) * DAY - 60 * DAY;
    const hourlyPlanTx: {
      retail: RetailKey;
      group: string;
      kind: "PriceCategory3" | "PriceCategory4";
      tx: Promise<SentTx>;
    }[] = [];
    for (const group of plan.groups) {
      for (const spec of group.plans) {
        const tx = retail[group.retail].call({
          address: c.Tariffs,
          abi: tariffsAbi,
          functionName: "addPlan",
          args: [
            groupIds.get(group.key),
            {
              kind: TariffKind[spec.kind],
              validFrom: planValidFrom,
              validTo: 0,
              vatBp: spec.vatBp,
              vatIncluded: spec.vatIncluded,
              zoneHours: spec.zoneHours,
              threshold1: spec.threshold1,
              threshold2: spec.threshold2,
              exportPrice: spec.exportPrice,
              rates: spec.rates,
            },
          ],
        });
        if (spec.kind === "PriceCategory3" || spec.kind === "PriceCategory4") {
          hourlyPlanTx.push({ retail: group.retail, group: group.key, kind: spec.kind, tx });
        }
      }
    }
    const accountTxs = await Promise.all(accountTx);
    const receipt2 = await phase("accounts", [grid, retail.A, retail.B]);
    const accountIds = accountTxs.map(
      (tx) => eventArgs(registryAbi, receipt2(tx), "AccountOpened")[0]!.accountId as bigint,
    );

    // ---------------------------------------------------------------- 3: tariffs assigned by the retail companies
    for (const consumer of plan.consumers) {
      retail[consumer.retail].call({
        address: c.Tariffs,
        abi: tariffsAbi,
        functionName: "assignTariff",
        args: [
          accountIds[consumer.index],
          groupIds.get(consumer.tariff.group),
          TariffKind[consumer.tariff.kind],
        ],
      });
    }
    // the ПЦК 3/4 plans' hourly prices for the billed period, published as the retail company does
    // after the month (HourlyBilling; the plans are mined, so the call can be estimated)
    const hourlyData = (kind: "PriceCategory3" | "PriceCategory4") =>
      demoHourlyPrices(kind, (timeline.end - timeline.start) / 3600);
    if (c.HourlyBilling) {
      for (const hourly of hourlyPlanTx) {
        const planId = eventArgs(tariffsAbi, receipt2(await hourly.tx), "TariffPlanAdded")[0]!.planId;
        retail[hourly.retail].call({
          address: c.HourlyBilling,
          abi: hourlyBillingAbi,
          functionName: "publishHourlyPrices",
          args: [planId, p2, hourlyData(hourly.kind)],
        });
      }
    }
    await phase("tariffs", [retail.A, retail.B]);

    // ---------------------------------------------------------------- the billed period passes on the chain
    const now = Number((await client.getBlock({ blockTag: "latest" })).timestamp);
    const target = Math.max(timeline.warpTo, Math.floor(Date.now() / 1000));
    await client.request({ method: "evm_increaseTime" as never, params: [target - now] as never });
    await client.request({ method: "evm_mine" as never, params: [] as never });
    block = (await client.getBlockNumber({ cacheTime: 0 })) + 1n;
    progress("clock", `chain time moved to ${iso(target)}`);

    // ---------------------------------------------------------------- 4: readings, meter events, choices
    const series = plan.consumers.map((consumer) => meterSeries(consumer, timeline.start, size.days));
    const manualTx: Promise<SentTx>[] = [];
    let manualReadings = 0;
    for (const consumer of plan.consumers) {
      if (consumer.meter.remoteReading) continue;
      for (const record of manualRecordTimes(timeline.start, timeline.end, timeline.readUntil, size.days)) {
        const found = series[consumer.index]!.find((r) => r.intervalEnd === record)!;
        manualReadings++;
        manualTx.push(
          consumerSenders[consumer.index]!.call({
            address: c.Readings,
            abi: readingsAbi,
            functionName: "submitManualReadings",
            args: [meterIds[consumer.index], 1, encodeMeterRecords(1, [{ ...found, status: 0 }])],
            gas: 400_000n,
          }),
        );
      }
    }
    let meterEvents = 0;
    for (const consumer of plan.consumers) {
      const meterId = meterIds[consumer.index];
      const { tamper, clockDrift, firmware } = consumer.events;
      const call = (functionName: string, args: readonly unknown[]) => {
        meterEvents++;
        grid.call({ address: c.Registry, abi: registryAbi, functionName, args, gas: 200_000n });
      };
      if (tamper) {
        call("reportTamper", [meterId, tamper.code, text(`фото пломбы, ПУ ${consumer.meter.serial}`)]);
        if (tamper.cleared) call("clearTamper", [meterId, text(`акт проверки ПУ ${consumer.meter.serial}`)]);
      }
      if (clockDrift) call("reportClockDrift", [meterId, clockDrift.seconds]);
      if (firmware) {
        call("reportFirmware", [meterId, firmwareHash(consumer.meter.model, "ref")]);
        call("reportFirmware", [meterId, firmwareHash(consumer.meter.model, "unknown")]);
        if (firmware === "restored")
          call("reportFirmware", [meterId, firmwareHash(consumer.meter.model, "ref")]);
      }
    }
    let tariffChoices = 0;
    for (const consumer of plan.consumers) {
      if (!consumer.nextTariff) continue;
      tariffChoices++;
      consumerSenders[consumer.index]!.call({
        address: c.Tariffs,
        abi: tariffsAbi,
        functionName: "chooseTariff",
        args: [
          accountIds[consumer.index],
          groupIds.get(consumer.nextTariff.group),
          TariffKind[consumer.nextTariff.kind],
        ],
      });
    }
    const relayed = await relayReadings({
      plan,
      series,
      meterIds,
      deviceKeys,
      relayer: accounts.relayer,
      client,
      rpcUrl,
      chainId,
      readings: c.Readings,
      gasPrice,
      rebroadcaster,
      onBatch: (done, total) => {
        if (done % 100 === 0 || done === total) progress("readings", `${done}/${total} batches relayed`);
      },
    });
    await Promise.all(manualTx);
    await phase("readings", [grid, ...consumerSenders]);

    // ---------------------------------------------------------------- 5: the retail companies close the period
    const closeTx: { retail: RetailKey; tx: Promise<SentTx> }[] = [];
    const hourlyKind = (consumer: DemoConsumer) =>
      consumer.tariff.kind === "PriceCategory3" || consumer.tariff.kind === "PriceCategory4"
        ? consumer.tariff.kind
        : undefined;
    for (const key of ["A", "B"] as const) {
      const ids = plan.consumers
        .filter((x) => x.retail === key && !hourlyKind(x))
        .map((x) => accountIds[x.index]!);
      for (let i = 0; i < ids.length; i += 12) {
        closeTx.push({
          retail: key,
          tx: retail[key].call({
            address: c.Settlement,
            abi: settlementAbi,
            functionName: "closePeriod",
            args: [p2, ids.slice(i, i + 12)],
          }),
        });
      }
    }
    // ПЦК 3/4 (the bakery): the hourly volumes from the meter's half-hour series, as the gateway's
    // billHourly rebuilds them from the indexed readings, billed with the published prices
    for (const consumer of plan.consumers) {
      const kind = hourlyKind(consumer);
      if (!kind) continue;
      if (!c.HourlyBilling) throw new DemoSeedError("A ПЦК 3/4 demo account needs the HourlyBilling module");
      const zones = consumer.meter.tariffZones;
      const volumes = hourlyVolumesFromReadings({
        periodStart: timeline.start,
        periodEnd: timeline.end,
        readings: series[consumer.index]!.map((record) => ({
          intervalEnd: record.intervalEnd,
          importT1: record.registers[0]!,
          importT2: zones > 1 ? record.registers[1]! : null,
          importT3: zones > 2 ? record.registers[2]! : null,
          importT4: zones > 3 ? record.registers[3]! : null,
        })),
      });
      closeTx.push({
        retail: consumer.retail,
        tx: retail[consumer.retail].call({
          address: c.HourlyBilling,
          abi: hourlyBillingAbi,
          functionName: "billHourly",
          args: [accountIds[consumer.index], p2, hourlyData(kind), volumes],
        }),
      });
    }
    const closeTxs = await Promise.all(closeTx.map((x) => x.tx));
    const receipt5 = await phase("close", [retail.A, retail.B]);
    const invoices = new Map<
      bigint,
      { invoiceId: bigint; total: bigint; volumes: readonly bigint[]; components: readonly bigint[] }
    >();
    for (const tx of closeTxs) {
      for (const event of eventArgs(settlementAbi, receipt5(tx), "InvoiceComputed")) {
        invoices.set(event.accountId as bigint, {
          invoiceId: event.invoiceId as bigint,
          total: event.total as bigint,
          volumes: event.volumesWh as readonly bigint[],
          components: event.components as readonly bigint[],
        });
      }
    }
    if (invoices.size !== plan.consumers.length) {
      throw new DemoSeedError(`${invoices.size} invoices computed for ${plan.consumers.length} accounts`);
    }

    // ---------------------------------------------------------------- 6: invoices issued with their documents
    const retailNames = Object.fromEntries(plan.organisations.map((o) => [o.role, o]));
    const documents: DemoDocument[] = [];
    for (const consumer of plan.consumers) {
      const invoice = invoices.get(accountIds[consumer.index]!)!;
      const supplier = retailNames[consumer.retail === "A" ? "retailCompanyA" : "retailCompanyB"]!;
      const document = {
        supplier: supplier.name,
        supplierInn: supplier.inn,
        number: `${consumer.retail === "A" ? "СЭС" : "ГЭСК"}-${p2}-${consumer.accountNumber}`,
        account: consumer.accountNumber,
        consumer: consumer.name,
        address: consumer.address.full,
        period: [iso(timeline.start), iso(timeline.end)],
        totalKopecks: invoice.total.toString(),
      };
      // the anchored hash is the SHA-256 of the invoice PDF the gateway serves (docs/api.md "Documents")
      const due = timeline.end + (consumer.legal ? 18 : 15) * DAY;
      const pdf = await renderInvoicePdf({
        number: document.number,
        supplier: document.supplier,
        supplierInn: document.supplierInn,
        account: document.account,
        consumer: document.consumer,
        address: document.address,
        period: [document.period[0]!, document.period[1]!],
        totalKopecks: document.totalKopecks,
        components: {
          energy: String(invoice.components[0]),
          transmission: String(invoice.components[1]),
          retailMarkup: String(invoice.components[2]),
          infrastructure: String(invoice.components[3]),
        },
        volumeWh: String(sumImport(invoice.volumes)),
        dueDate: iso(due),
      });
      documents.push({
        kind: "invoice",
        invoiceId: invoice.invoiceId.toString(),
        accountId: Number(accountIds[consumer.index]!),
        content: pdf,
      });
      retail[consumer.retail].call({
        address: c.Settlement,
        abi: settlementAbi,
        functionName: "issueInvoice",
        args: [invoice.invoiceId, sha256Hex(pdf), due],
      });
    }
    // supply contracts, rendered as the gateway renders them from the indexed account, anchored by the
    // retail company that serves the account (kind 1, docs/contracts.md)
    const openedTimes = new Map<bigint, number>();
    for (const consumer of plan.consumers) {
      const receipt = receipt2(accountTxs[consumer.index]!);
      const opened = parseEventLogs({ abi: registryAbi, logs: receipt.logs, eventName: "AccountOpened" })[0]!;
      if (!openedTimes.has(receipt.blockNumber)) {
        const openedBlock = await client.getBlock({ blockNumber: receipt.blockNumber });
        openedTimes.set(receipt.blockNumber, Number(openedBlock.timestamp));
      }
      const supplier = retailNames[consumer.retail === "A" ? "retailCompanyA" : "retailCompanyB"]!;
      const contract = await renderSupplyContractPdf({
        number: `ДЭС-${consumer.accountNumber}`,
        concludedAt: iso(openedTimes.get(receipt.blockNumber)!),
        supplier: supplier.name,
        supplierInn: supplier.inn,
        consumerAddress: consumerKeys[consumer.index]!.address.toLowerCase(),
        account: consumer.accountNumber,
        installationAddress: consumer.address.short,
        site: consumer.address.site.name,
        meterSerial: `${consumer.meter.model} № ${consumer.meter.serial}`,
        chainRef: `блок ${receipt.blockNumber}, транзакция ${receipt.transactionHash.toLowerCase()}, событие ${opened.logIndex}`,
      });
      const accountId = accountIds[consumer.index]!;
      documents.push({ kind: "supplyContract", accountId: Number(accountId), content: contract });
      retail[consumer.retail].call({
        address: c.Registry,
        abi: registryAbi,
        functionName: "anchorAccountDocument",
        args: [accountId, SUPPLY_CONTRACT_DOCUMENT, sha256Hex(contract)],
      });
    }
    await phase("issue", [retail.A, retail.B]);

    // ---------------------------------------------------------------- 7: confirmations, payments, reconciliation
    const counts = { confirmed: 0, disputed: 0, unanswered: 0, full: 0, partial: 0, over: 0, unpaid: 0 };
    let paymentNumber = PAYMENT_NUMBER_BASE;
    for (const consumer of plan.consumers) {
      const invoice = invoices.get(accountIds[consumer.index]!)!;
      if (consumer.invoice === "confirm") {
        counts.confirmed++;
        consumerSenders[consumer.index]!.call({
          address: c.Settlement,
          abi: settlementAbi,
          functionName: "confirmInvoice",
          args: [invoice.invoiceId],
        });
      } else if (consumer.invoice === "dispute") {
        counts.disputed++;
        consumerSenders[consumer.index]!.call({
          address: c.Settlement,
          abi: settlementAbi,
          functionName: "disputeInvoice",
          args: [invoice.invoiceId, text("Показания завышены, прошу провести проверку прибора учёта")],
        });
      } else counts.unanswered++;
      const amount = paymentAmount(consumer, invoice.total);
      if (amount === 0n) {
        if (invoice.total > 0n) counts.unpaid++;
        continue;
      }
      counts[consumer.payment as "full" | "partial" | "over"]++;
      paymentNumber++;
      bank.call({
        address: c.Settlement,
        abi: settlementAbi,
        functionName: "recordPayment",
        args: [
          invoice.invoiceId,
          amount,
          consumer.paymentMethod,
          paymentNumber,
          ascii32(`PP-${paymentNumber}`),
        ],
        gas: 250_000n,
      });
    }
    let reconciliations = 0;
    for (const key of ["A", "B"] as const) {
      const members = plan.consumers.filter((x) => x.retail === key);
      const ids = members.map((x) => accountIds[x.index]!);
      const retailWh = members.map((x) => sumImport(invoices.get(accountIds[x.index]!)!.volumes));
      // The grid company adds the contract losses of meters not at the balance boundary (billing-rules §4).
      const gridWh = members.map((x, i) =>
        x.meter.atBalanceBoundary
          ? retailWh[i]!
          : (retailWh[i]! * BigInt(1_000_000 + x.meter.lossPpm) + 500_000n) / 1_000_000n,
      );
      const party = retail[key];
      for (let i = 0; i < ids.length; i += 60) {
        const chunk = ids.slice(i, i + 60);
        const args = (volumes: bigint[]) => [p2, retailAddress(key), chunk, volumes.slice(i, i + 60)];
        grid.call({
          address: c.Reconciliation,
          abi: reconciliationAbi,
          functionName: "submitAccountVolumes",
          args: args(gridWh),
          gas: 4_000_000n,
        });
        party.call({
          address: c.Reconciliation,
          abi: reconciliationAbi,
          functionName: "submitAccountVolumes",
          args: args(retailWh),
          gas: 4_000_000n,
        });
      }
      const total = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
      grid.call({
        address: c.Reconciliation,
        abi: reconciliationAbi,
        functionName: "signTotals",
        args: [p2, retailAddress(key), total(gridWh)],
        gas: 300_000n,
      });
      party.call({
        address: c.Reconciliation,
        abi: reconciliationAbi,
        functionName: "signTotals",
        args: [p2, retailAddress(key), total(retailWh)],
        gas: 300_000n,
      });
      reconciliations++;
    }
    await phase("settle", [bank, grid, retail.A, retail.B, ...consumerSenders]);

    const summary = buildSummary({
      plan,
      parameters,
      consumerKeys,
      accountIds,
      profileHashes,
      period: { id: p2, start: timeline.start, end: timeline.end },
      counts: {
        readings: relayed.readings + manualReadings,
        readingBatches: relayed.batches,
        manualReadings,
        meterEvents,
        tariffChoices,
        invoices: invoices.size,
        invoicesConfirmed: counts.confirmed,
        invoicesDisputed: counts.disputed,
        invoicesUnanswered: counts.unanswered,
        payments: counts.full + counts.partial + counts.over,
        paymentsFull: counts.full,
        paymentsPartial: counts.partial,
        paymentsOverpaid: counts.over,
        invoicesUnpaid: counts.unpaid,
        reconciliations,
      },
    });
    summary.seeded = true;
    summary.documents = documents;
    summary.durationMs = Date.now() - started;
    progress("done", `seeded in ${summary.durationMs} ms`);
    return summary;
  } finally {
    rebroadcaster.stop();
  }
}

// ------------------------------------------------------------------ readings

/** Cumulative registers of a consumer's meter from the period start to `readUntil`, with status flags. */
export function meterSeries(consumer: DemoConsumer, start: number, days: number) {
  const intervals = days * 48 + EXTRA_INTERVALS;
  const profile = generateLoadProfile({
    kind: consumer.load,
    monthlyKwh: consumer.monthlyKwh,
    start,
    intervals,
    utcOffsetMinutes: DEMO_UTC_OFFSET_MINUTES,
    rng: createRng(`load/${consumer.meter.serial}`),
    solarKwp: consumer.solarKwp,
  });
  const records = cumulativeRegisters({
    profile,
    start,
    zones: consumer.meter.tariffZones,
    withExport: consumer.meter.exportCapable,
    opening: consumer.meter.openingWh,
    utcOffsetMinutes: DEMO_UTC_OFFSET_MINUTES,
  });
  const { tamper, clockDrift, outage } = consumer.events;
  return records.map((record, i) => {
    const day = i === 0 ? 0 : Math.floor((i - 1) / 48);
    const slot = i === 0 ? 0 : (i - 1) % 48;
    let status = 0;
    if (tamper && day === tamper.day && slot >= 40 && slot < 43) status |= ReadingStatus.Tamper;
    if (clockDrift && day === clockDrift.day) status |= ReadingStatus.ClockDrift;
    if (outage && day === outage.day) status |= ReadingStatus.FromLoadProfile;
    return { intervalEnd: record.intervalEnd, status, registers: record.registers };
  });
}

/** When a consumer without remote reading types readings in: the period start, twice within, the end and after. */
export function manualRecordTimes(start: number, end: number, readUntil: number, days: number): number[] {
  const evening = 18 * 3600 - DEMO_UTC_OFFSET_MINUTES * 60; // 18:00 local
  const within = [Math.floor(days / 3), Math.floor((2 * days) / 3)].map((d) => start + d * DAY + evening);
  return [...new Set([start, ...within.filter((t) => t > start && t < end), end, readUntil])].sort(
    (a, b) => a - b,
  );
}

async function relayReadings(options: {
  plan: DemoPlan;
  series: ReturnType<typeof meterSeries>[];
  meterIds: bigint[];
  deviceKeys: LocalAccount[];
  relayer: LocalAccount;
  client: PublicClient;
  rpcUrl: string;
  chainId: number;
  readings: Address;
  gasPrice: bigint;
  rebroadcaster: Rebroadcaster;
  onBatch: (done: number, total: number) => void;
}): Promise<{ readings: number; batches: number }> {
  const { plan, series, meterIds, client, chainId } = options;
  const days = plan.size.days;
  // One batch per concentrator and day (≤ 10 meters × 48 records), day by day: a meter's batches
  // reach the chain oldest first because the relayer's nonces follow this order.
  const batches: { agent: number; records: IntervalReading[] }[] = [];
  for (let day = 0; day < days; day++) {
    for (const agent of plan.agents) {
      const records: IntervalReading[] = [];
      for (const index of agent.meters) {
        const consumer = plan.consumers[index]!;
        const all = series[index]!;
        const from = day === 0 ? 0 : 1 + day * 48;
        const to = day === days - 1 ? all.length : 1 + (day + 1) * 48;
        const mask = (1 << consumer.meter.tariffZones) - 1 + (consumer.meter.exportCapable ? 16 : 0);
        for (const record of all.slice(from, to)) {
          records.push({ meterId: meterIds[index]!, registerMask: mask, ...record });
        }
      }
      if (records.length > 0) batches.push({ agent: agent.index, records });
    }
  }
  const firstNonce = await client.getTransactionCount({
    address: options.relayer.address,
    blockTag: "pending",
  });
  const sequencer = new NonceSequencer(firstNonce);
  const sequenceOf = new Map<string, number>();
  const wallet = createWalletClient({
    account: options.relayer,
    transport: http(options.rpcUrl, { timeout: 120_000, batch: { batchSize: 200, wait: 0 } }),
  });
  // The relayer's transactions take the nonce of their batch's place in the sequence.
  const submit = async (transaction: { to: Address; data: Hex; gas: bigint; signature: Hex }) => {
    const sequence = sequenceOf.get(transaction.signature)!;
    const nonce = await sequencer.turn(sequence);
    try {
      const serialized = await options.relayer.signTransaction({
        type: "legacy",
        chainId,
        to: transaction.to,
        data: transaction.data,
        gas: transaction.gas,
        gasPrice: options.gasPrice,
        nonce,
      });
      const hash = await wallet.sendRawTransaction({ serializedTransaction: serialized });
      options.rebroadcaster.track(hash, serialized);
      sequencer.done(sequence);
      return hash;
    } catch (error) {
      sequencer.abort(error);
      throw error;
    }
  };
  let done = 0;
  let readings = 0;
  await runLimited(
    RELAY_IN_FLIGHT,
    batches.map((entry, sequence) => async () => {
      try {
        const batch = buildReadingBatch(entry.records);
        const signature = await options.deviceKeys[entry.agent]!.signTypedData!(
          readingBatchTypedData({ chainId, verifyingContract: options.readings, batch }),
        );
        sequenceOf.set(signature, sequence);
        const result = await relayReadingBatch({
          publicClient: client,
          walletClient: wallet,
          submit,
          relayer: options.relayer,
          readingsAddress: options.readings,
          chainId,
          batch,
          signature,
          zeroGasPrice: options.gasPrice === 0n,
        });
        if (result.duplicates !== 0 || result.accepted !== entry.records.length) {
          throw new DemoSeedError(
            `Batch ${sequence}: ${result.accepted} accepted, ${result.duplicates} duplicates of ${entry.records.length}`,
          );
        }
        readings += result.accepted;
        options.onBatch(++done, batches.length);
      } catch (error) {
        sequencer.abort(error);
        throw error;
      }
    }),
  );
  return { readings, batches: batches.length };
}

// ------------------------------------------------------------------ helpers

function contractsOf(deployment: GridLedgerDeployment) {
  const get = (name: string) => {
    const address = deployment.contracts[name];
    if (!address) throw new DemoSeedError(`The deployment has no ${name} contract`);
    return address;
  };
  return {
    Registry: get("Registry"),
    Readings: get("Readings"),
    Tariffs: get("Tariffs"),
    Settlement: get("Settlement"),
    Reconciliation: get("Reconciliation"),
    // ПЦК 3/4 hourly prices are published only where the module is deployed
    HourlyBilling: deployment.contracts.HourlyBilling as Address | undefined,
  };
}

function eventArgs(abi: Abi, receipt: TransactionReceipt, eventName: string): Record<string, unknown>[] {
  return (
    parseEventLogs({ abi, logs: receipt.logs, eventName } as never) as { args: Record<string, unknown> }[]
  ).map((log) => log.args);
}

function firmwareHash(model: string, which: "ref" | "unknown"): Hex {
  return text(
    which === "ref" ? `${model} firmware 2.4.1 (approved)` : `${model} firmware 2.5.0-beta (not approved)`,
  );
}

function sumImport(volumes: readonly bigint[]): bigint {
  return volumes.slice(0, 4).reduce((a, b) => a + b, 0n);
}

/** The amount the bank records for a consumer's invoice, kopecks (0 = no payment). */
export function paymentAmount(
  consumer: Pick<DemoConsumer, "payment" | "partialShare">,
  total: bigint,
): bigint {
  if (total === 0n) return 0n;
  switch (consumer.payment) {
    case "full":
      return total;
    case "partial": {
      const rubles = (total * BigInt(Math.round(consumer.partialShare * 100))) / 100n / 100n;
      return rubles > 0n && rubles * 100n < total ? rubles * 100n : total / 2n;
    }
    case "over":
      return (total / 50_000n + 1n) * 50_000n; // rounded up to the next 500 RUB
    default:
      return 0n;
  }
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function buildSummary(input: {
  plan: DemoPlan;
  parameters: SeedDemoDataParameters;
  consumerKeys: LocalAccount[];
  accountIds: bigint[];
  profileHashes: Record<string, Hex>;
  period: { id: number; start: number; end: number };
  counts: Omit<
    DemoSummary["counts"],
    | "organisations"
    | "accounts"
    | "meters"
    | "metersManual"
    | "prosumers"
    | "deviceKeys"
    | "tariffGroups"
    | "tariffPlans"
  >;
}): DemoSummary {
  const { plan, parameters, consumerKeys, accountIds, period } = input;
  const orgs = plan.organisations.map((org) => ({
    role: org.role,
    name: org.name,
    shortName: org.shortName,
    inn: org.inn,
    address: parameters.accounts[org.role].address,
    profileHash: input.profileHashes[org.role]!,
    description: org.description,
  }));
  const person = (role: DemoSummary["organisations"][number]["role"]): DemoPerson => {
    const org = orgs.find((o) => o.role === role)!;
    return { role, name: org.name, address: org.address, note: org.description };
  };
  const consumer = (c: DemoConsumer, note: string): DemoPerson => ({
    role: "consumer",
    name: c.name,
    address: consumerKeys[c.index]!.address,
    derivationPath: `m/44'/60'/0'/0/${c.keyIndex}`,
    accountNumber: c.accountNumber,
    accountId: accountIds[c.index]?.toString(),
    retailCompany: plan.organisations.find(
      (o) => o.role === (c.retail === "A" ? "retailCompanyA" : "retailCompanyB"),
    )!.name,
    postalAddress: c.address.full,
    note,
  });
  const household = plan.consumers.find(
    (c) =>
      !c.legal &&
      c.meter.meterType === MeterType.Individual &&
      c.meter.remoteReading &&
      c.invoice === "confirm" &&
      c.payment === "full" &&
      !c.meter.exportCapable &&
      !c.nextTariff,
  )!;
  const prosumer = plan.consumers.find((c) => c.meter.exportCapable)!;
  const legal = plan.consumers.find((c) => c.legal && c.retail === "B" && c.priceCategory === 3)!;
  const disputed = plan.consumers.find((c) => c.invoice === "dispute" && !c.legal)!;
  return {
    seeded: false,
    durationMs: 0,
    size: plan.size,
    timeZone: DEMO_TIME_ZONE,
    period: {
      id: period.id,
      start: period.start,
      end: period.end,
      startIso: iso(period.start),
      endIso: iso(period.end),
      nextPeriodId: period.id + 1,
    },
    organisations: orgs,
    counts: {
      organisations: orgs.length,
      accounts: plan.consumers.length,
      meters: plan.consumers.length,
      metersManual: plan.consumers.filter((c) => !c.meter.remoteReading).length,
      prosumers: plan.consumers.filter((c) => c.meter.exportCapable).length,
      deviceKeys: plan.agents.length,
      tariffGroups: plan.groups.length,
      tariffPlans: plan.groups.reduce((sum, g) => sum + g.plans.length, 0),
      ...input.counts,
    },
    people: {
      operator: person("operator"),
      gridCompany: person("gridCompany"),
      retailCompanies: [person("retailCompanyA"), person("retailCompanyB")],
      bank: person("bank"),
      consumers: [
        consumer(household, "бытовой потребитель, счёт подтверждён и оплачен"),
        consumer(prosumer, "частный дом с солнечными панелями (просьюмер)"),
        consumer(legal, "юрлицо, 3-я ценовая категория, ПУ не на границе балансовой принадлежности"),
        consumer(disputed, "оспорил счёт (флаг вскрытия ПУ)"),
      ],
    },
  };
}

/** The summary of a demo already on the chain, from the plan and chain reads (nothing is sent). */
async function readExistingSummary(
  plan: DemoPlan,
  parameters: SeedDemoDataParameters,
  client: PublicClient,
  consumerKeys: LocalAccount[],
  firstAccount: bigint,
): Promise<DemoSummary> {
  const c = contractsOf(parameters.deployment);
  const read = <T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ address, abi, functionName, args } as never) as Promise<T>;
  const accountIds = await Promise.all(
    plan.consumers.map((x) =>
      read<bigint>(c.Registry, registryAbi, "accountByNumber", [ascii32(x.accountNumber)]),
    ),
  );
  const lastPeriod = await read<number>(c.Readings, readingsAbi, "lastPeriodId");
  let periodId = 0;
  for (let p = lastPeriod; p >= 1 && periodId === 0; p--) {
    const invoice = await read<{ status: number }>(c.Settlement, settlementAbi, "getInvoice", [
      (firstAccount << 32n) | BigInt(p),
    ]);
    if (invoice.status !== 0) periodId = p;
  }
  const complete =
    accountIds.every((id) => id !== 0n) &&
    periodId !== 0 &&
    (
      await read<{ retailSigned: boolean }>(c.Reconciliation, reconciliationAbi, "getTotals", [
        periodId,
        parameters.accounts.retailCompanyB.address,
      ])
    ).retailSigned;
  if (!complete) {
    throw new DemoSeedError(
      "The chain holds an incomplete or different demo (an interrupted seed?); start from a fresh dev chain",
    );
  }
  const [start, end] = await Promise.all([
    read<number>(c.Readings, readingsAbi, "periodEnd", [periodId - 1]),
    read<number>(c.Readings, readingsAbi, "periodEnd", [periodId]),
  ]);
  const invoices = await Promise.all(
    accountIds.map((id) =>
      read<{ status: number; total: bigint; paid: readonly bigint[] }>(
        c.Settlement,
        settlementAbi,
        "getInvoice",
        [(id << 32n) | BigInt(periodId)],
      ),
    ),
  );
  let payments = 0;
  while (
    await read<boolean>(c.Settlement, settlementAbi, "isPaymentRecorded", [
      parameters.accounts.bank.address,
      PAYMENT_NUMBER_BASE + BigInt(payments + 1),
    ])
  ) {
    payments++;
  }
  const statusCount = (status: number) => invoices.filter((i) => i.status === status).length;
  const days = plan.size.days;
  const remote = plan.consumers.filter((x) => x.meter.remoteReading).length;
  const manualPer = manualRecordTimes(start, end, end + EXTRA_INTERVALS * HALF_HOUR, days).length;
  const manualReadings = (plan.consumers.length - remote) * manualPer;
  const paid = plan.consumers.map((x, i) => ({ x, invoice: invoices[i]! }));
  const profileHashes = Object.fromEntries(plan.organisations.map((o) => [o.role, text(JSON.stringify(o))]));
  const summary = buildSummary({
    plan,
    parameters,
    consumerKeys,
    accountIds,
    profileHashes,
    period: { id: periodId, start, end },
    counts: {
      readings: remote * (1 + days * 48 + EXTRA_INTERVALS) + manualReadings,
      readingBatches: days * plan.agents.length,
      manualReadings,
      meterEvents: plan.consumers.reduce(
        (sum, x) =>
          sum +
          (x.events.tamper ? (x.events.tamper.cleared ? 2 : 1) : 0) +
          (x.events.clockDrift ? 1 : 0) +
          (x.events.firmware === "restored" ? 3 : x.events.firmware ? 2 : 0),
        0,
      ),
      tariffChoices: plan.consumers.filter((x) => x.nextTariff).length,
      invoices: invoices.filter((i) => i.status !== 0).length,
      invoicesConfirmed: statusCount(3),
      invoicesDisputed: statusCount(4),
      invoicesUnanswered: statusCount(2),
      payments,
      paymentsFull: paid.filter(({ x, invoice }) => x.payment === "full" && invoice.total > 0n).length,
      paymentsPartial: paid.filter(({ x, invoice }) => x.payment === "partial" && invoice.total > 0n).length,
      paymentsOverpaid: paid.filter(({ x, invoice }) => x.payment === "over" && invoice.total > 0n).length,
      invoicesUnpaid: paid.filter(({ x, invoice }) => invoice.total > 0n && x.payment === "none").length,
      reconciliations: 2,
    },
  });
  return summary;
}
