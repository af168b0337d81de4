/**
 * Gas benchmark (issue 3 item 10): `npm run bench:gas --workspace contracts`.
 *
 * Starts its own anvil (cancun, automine: gas does not depend on block timing), deploys GridLedger and
 * the naive baseline in the same run and prints receipts' gasUsed:
 * - readings: gas per reading for batches of 1, 48 and 480 (10 meters x 48 half-hours), signature
 *   verification included, steady state (each meter has readings already, as in production);
 * - invoices: gas per invoice (closePeriod for one account) for each tariff kind;
 * - payments: gas per payment with a four-way provider split (first and completing payment);
 * - the naive baseline: one transaction, one signature, one storage slot and one event per reading.
 * Set GRIDLEDGER_BENCH_RPC_URL to run against another chain instead (its fees must be 0 or funded).
 */
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildReadingBatch, type ReadingBatch, readingBatchTypedData } from "@gridledger/domain";
import {
  type Abi,
  type Account,
  type Address,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  type Hex,
  http,
  keccak256,
  parseEventLogs,
  type TransactionReceipt,
  toHex,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { naiveReadingsBaselineAbi, naiveReadingsBaselineBytecode } from "../abi/NaiveReadingsBaseline.js";
import { readingsAbi } from "../abi/Readings.js";
import { registryAbi } from "../abi/Registry.js";
import { settlementAbi } from "../abi/Settlement.js";
import { tariffsAbi } from "../abi/Tariffs.js";
import { deployGridLedger, devChain, feeOverrides } from "../ts/deploy/deployGridLedger.js";

const MNEMONIC = "test test test test test test test test test test test junk";
const accountAt = (index: number): Account => mnemonicToAccount(MNEMONIC, { addressIndex: index });
const [deployer, operator, grid, retail, bank, relayer, device, consumer] = [0, 1, 2, 3, 4, 5, 6, 7].map(
  accountAt,
) as [Account, Account, Account, Account, Account, Account, Account, Account];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startAnvil(): Promise<{ url: string; child: ChildProcess }> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
  const port = await freePort();
  const child = spawn(
    path.join(root, "node_modules", ".bin", "anvil"),
    [
      "--port",
      String(port),
      "--hardfork",
      "cancun",
      "--silent",
      "--gas-limit",
      "60000000",
      "--code-size-limit",
      "49152",
      ...(process.env.BENCH_TRACE ? ["--steps-tracing"] : []),
    ],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${port}`;
  const client = createPublicClient({ transport: http(url) });
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await client.getChainId();
      return { url, child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error("anvil did not start");
}

async function main() {
  const own = process.env.GRIDLEDGER_BENCH_RPC_URL ? undefined : await startAnvil();
  const url = process.env.GRIDLEDGER_BENCH_RPC_URL ?? own!.url;
  try {
    await run(url);
  } finally {
    own?.child.kill();
  }
}

async function run(url: string) {
  const client = createPublicClient({ transport: http(url) });
  const chainId = await client.getChainId();
  const chain = devChain(chainId, url);
  const fees = await feeOverrides(client);
  const tx = async (
    account: Account,
    address: Address,
    abi: Abi,
    functionName: string,
    args: readonly unknown[],
  ) => {
    const wallet = createWalletClient({ account, chain, transport: http(url) });
    const { request } = await client.simulateContract({ account, address, abi, functionName, args } as never);
    const hash = await wallet.writeContract({ ...(request as object), ...fees } as never);
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
    return receipt;
  };
  const now = async () => Number((await client.getBlock()).timestamp);
  const increaseTime = async (seconds: number) => {
    await client.request({ method: "evm_increaseTime" as never, params: [toHex(seconds)] as never });
    await client.request({ method: "evm_mine" as never, params: [] as never });
  };

  const deployment = await deployGridLedger({
    rpcUrl: url,
    deployer,
    roles: {
      operator: operator.address,
      gridCompany: grid.address,
      retailCompanies: [retail.address],
      paymentSources: [bank.address],
    },
  });
  const {
    Registry: registry,
    Readings: readings,
    Tariffs: tariffs,
    Settlement: settlement,
  } = deployment.contracts as Record<string, Address>;

  const meterIds: bigint[] = [];
  const registerMeter = async (serial: string, tariffZones = 3) => {
    const receipt = await tx(grid, registry!, registryAbi, "registerMeter", [
      {
        gridCompany: grid.address,
        accountId: 0n,
        meterType: 1,
        tariffZones,
        meteringScheme: 1,
        remoteReading: true,
        exportCapable: false,
        atBalanceBoundary: true,
        lossMethod: 0,
        lossPpm: 0,
        serial: toHex(serial, { size: 32 }),
        model: toHex("Mercury 234 ARTM", { size: 32 }),
        lossParameters: toHex(0, { size: 32 }),
      },
    ]);
    const [event] = parseEventLogs({ abi: registryAbi, logs: receipt.logs, eventName: "MeterRegistered" });
    return event!.args.meterId;
  };
  // meter 13 bills the two-zone case: a zone plan needs a meter with exactly its zones
  for (let i = 0; i < 20; i++) meterIds.push(await registerMeter(`BENCH-${i}`, i === 13 ? 2 : 3));
  await tx(grid, readings!, readingsAbi, "registerDeviceKey", [meterIds, device.address]);

  const MASK = 0b111; // three-zone household: T1-T3, 23-byte records
  const registersAt = (meterIndex: number, step: number) => [
    BigInt(1_000_000 + meterIndex * 1000 + step * 150),
    BigInt(500_000 + step * 90),
    BigInt(200_000 + step * 40),
  ];
  const submit = async (meters: { index: number; ends: number[] }[]) => {
    const batch: ReadingBatch = buildReadingBatch(
      meters.flatMap(({ index, ends }) =>
        ends.map((intervalEnd) => ({
          meterId: meterIds[index]!,
          registerMask: MASK,
          intervalEnd,
          status: 0,
          registers: registersAt(index, intervalEnd / 1800),
        })),
      ),
    );
    const signature = await device.signTypedData!(
      readingBatchTypedData({ chainId, verifyingContract: readings!, batch }),
    );
    return tx(relayer, readings!, readingsAbi, "submitReadings", [batch.meters, signature]);
  };

  // ---------------------------------------------------------------- readings
  const t0 = Math.floor((await now()) / 1800) * 1800;
  const day = (count: number, lastEnd: number) =>
    Array.from({ length: count }, (_, i) => lastEnd - 1800 * (count - 1 - i));
  // Warm-up: every meter's first reading (one-off cost of its state slot).
  await submit(
    [...Array.from({ length: 12 }, (_, index) => index), 19].map((index) => ({
      index,
      ends: [t0 - 30 * 86400],
    })),
  );
  const gas1 = (await submit([{ index: 0, ends: [t0] }])).gasUsed;
  const receipt48 = await submit([{ index: 1, ends: day(48, t0) }]);
  const gas48 = receipt48.gasUsed;
  if (process.env.BENCH_TRACE) {
    await traceOps(url, receipt48.transactionHash);
    const ten = await submit(Array.from({ length: 10 }, (_, m) => ({ index: m + 2, ends: [t0 - 86400] })));
    process.stdout.write(`10 meters x 1 record: ${ten.gasUsed}\n`);
    await traceOps(url, ten.transactionHash);
  }
  const gas480 = (await submit(Array.from({ length: 10 }, (_, m) => ({ index: m + 2, ends: day(48, t0) }))))
    .gasUsed;
  // A household day as a three-zone meter sees it: per half hour only the register of the zone in
  // force moves, by 0.1-2.4 kWh (two-byte increases in the compact layout).
  const profileEnds = day(48, t0);
  const profile = registersAt(19, t0 / 1800);
  const profileBatch = buildReadingBatch(
    profileEnds.map((intervalEnd, i) => {
      const hour = (new Date(intervalEnd * 1000).getUTCHours() + 3) % 24; // Moscow time
      const zone = hour >= 23 || hour < 7 ? 2 : (hour >= 7 && hour < 10) || (hour >= 17 && hour < 21) ? 0 : 1;
      profile[zone] = profile[zone]! + BigInt(100 + ((i * 7919) % 2300));
      return { meterId: meterIds[19]!, registerMask: MASK, intervalEnd, status: 0, registers: [...profile] };
    }),
  );
  const profileSignature = await device.signTypedData!(
    readingBatchTypedData({ chainId, verifyingContract: readings!, batch: profileBatch }),
  );
  const gasProfile48 = (
    await tx(relayer, readings!, readingsAbi, "submitReadings", [profileBatch.meters, profileSignature])
  ).gasUsed;

  // ---------------------------------------------------------------- naive baseline (same run)
  const wallet = createWalletClient({ account: deployer, chain, transport: http(url) });
  const deployHash = await wallet.deployContract({
    abi: naiveReadingsBaselineAbi,
    bytecode: naiveReadingsBaselineBytecode,
    ...fees,
  });
  const naive = (await client.waitForTransactionReceipt({ hash: deployHash })).contractAddress!;
  await tx(grid, naive, naiveReadingsBaselineAbi, "registerDeviceKey", [1n, device.address]);
  let naiveTotal = 0n;
  const naiveEnds = day(48, t0);
  for (const [step, end] of naiveEnds.entries()) {
    const [t1, t2, t3] = registersAt(0, step + 1);
    const message = keccak256(
      encodeAbiParameters(
        [
          { type: "address" },
          { type: "uint64" },
          { type: "uint32" },
          { type: "uint8" },
          { type: "uint48" },
          { type: "uint48" },
          { type: "uint48" },
        ],
        [naive, 1n, end, 0, Number(t1), Number(t2), Number(t3)],
      ),
    );
    const signature = await device.signMessage!({ message: { raw: message } });
    const receipt = await tx(relayer, naive, naiveReadingsBaselineAbi, "submitReading", [
      1n,
      end,
      0,
      Number(t1),
      Number(t2),
      Number(t3),
      signature,
    ]);
    if (step > 0) naiveTotal += receipt.gasUsed; // the first touches fresh slots of the meter
  }
  const naivePerReading = Number(naiveTotal) / (naiveEnds.length - 1);

  // ---------------------------------------------------------------- tariffs and invoices
  const start = await now();
  const p1 = Math.ceil((start + 3600) / 1800) * 1800;
  const p2 = p1 + 7200;
  await tx(operator, readings!, readingsAbi, "schedulePeriod", [1, p1]);
  await tx(operator, readings!, readingsAbi, "schedulePeriod", [2, p2]);

  // Components in whole RUB/MWh, so whole-kWh volumes price exactly as the billing-rules vectors.
  const row = (total: bigint): readonly [bigint, bigint, bigint, bigint] => {
    const transmission = ((total * 30n) / 100n / 1000n) * 1000n;
    const markup = ((total * 16n) / 100n / 1000n) * 1000n;
    const infrastructure = 1000n;
    return [total - transmission - markup - infrastructure, transmission, markup, infrastructure];
  };
  const createGroup = async (name: string, consumerType: number, category: number) => {
    const receipt = await tx(retail, tariffs!, tariffsAbi, "createGroup", [
      toHex(name, { size: 32 }),
      consumerType,
      category,
    ]);
    return parseEventLogs({ abi: tariffsAbi, logs: receipt.logs, eventName: "TariffGroupCreated" })[0]!.args
      .groupId;
  };
  const threeZoneHours = [
    { startHour: 7, endHour: 10, zone: 0 },
    { startHour: 17, endHour: 21, zone: 0 },
    { startHour: 10, endHour: 17, zone: 1 },
    { startHour: 21, endHour: 23, zone: 1 },
    { startHour: 23, endHour: 7, zone: 2 },
  ];
  const twoZoneHours = [
    { startHour: 7, endHour: 23, zone: 0 },
    { startHour: 23, endHour: 7, zone: 1 },
  ];
  const plan = (
    kind: number,
    rates: (readonly [bigint, bigint, bigint, bigint])[],
    extra: Partial<Record<string, unknown>>,
  ) => ({
    kind,
    validFrom: start - 86400,
    validTo: 0,
    vatBp: 2200,
    vatIncluded: true,
    zoneHours: [],
    threshold1: 0n,
    threshold2: 0n,
    exportPrice: 0n,
    rates,
    ...extra,
  });
  const household = await createGroup("Urban households", 1, 0);
  const legal1 = await createGroup("Legal entities PCK1", 2, 1);
  const legal2 = await createGroup("Legal entities PCK2", 2, 2);
  const cases = [
    {
      name: "single-rate household (TV-01)",
      group: household,
      kind: 1,
      use: [187_000, 0, 0],
      plan: plan(1, [row(404_000n)], {}),
    },
    {
      name: "two-zone household (TV-02)",
      group: household,
      kind: 2,
      use: [150_000, 80_000, 0],
      plan: plan(2, [row(441_000n), row(287_000n)], { zoneHours: twoZoneHours }),
    },
    {
      name: "three-zone household (TV-03)",
      group: household,
      kind: 3,
      use: [60_000, 90_000, 80_000],
      plan: plan(3, [row(497_000n), row(404_000n), row(287_000n)], { zoneHours: threeZoneHours }),
    },
    {
      name: "volume-range household, 3 ranges (TV-04)",
      group: household,
      kind: 4,
      use: [7_200_000, 0, 0],
      plan: plan(4, [row(178_000n), row(331_000n), row(650_000n)], {
        threshold1: 3_900_000n,
        threshold2: 6_000_000n,
      }),
    },
    {
      name: "social-norm household, 2 zones (TV-05)",
      group: household,
      kind: 5,
      use: [130_000, 60_000, 0],
      plan: plan(5, [row(300_000n), row(180_000n), row(380_000n), row(230_000n)], {
        threshold1: 150_000n,
        zoneHours: twoZoneHours,
      }),
    },
    {
      name: "legal entity, price category 1, +VAT (TV-12)",
      group: legal1,
      kind: 1,
      use: [25_000_000, 0, 0],
      plan: plan(1, [[149_897n, 209_143n, 6_953n, 272n]], { vatIncluded: false }),
    },
    {
      name: "legal entity, price category 2, three zones, +VAT (TV-13)",
      group: legal2,
      kind: 3,
      use: [9_500_000, 18_500_000, 12_000_000],
      plan: plan(3, [row(788_000n), row(542_000n), row(315_000n)], {
        vatIncluded: false,
        zoneHours: threeZoneHours,
      }),
    },
  ];
  for (const c of cases) await tx(retail, tariffs!, tariffsAbi, "addPlan", [c.group, c.plan]);

  const accounts: bigint[] = [];
  for (const [i, c] of cases.entries()) {
    const meterIndex = 12 + i;
    const legal = c.group !== household;
    const receipt = await tx(retail, registry!, registryAbi, "openAccount", [
      {
        consumer: consumer.address,
        meterId: meterIds[meterIndex]!,
        consumerType: legal ? 2 : 1,
        priceCategory: c.group === legal1 ? 1 : c.group === legal2 ? 2 : 0,
        active: true,
        retailCompany: retail.address,
        gridCompany: grid.address,
        accountNumber: toHex(`LS-${i}`, { size: 32 }),
        siteId: toHex(`site-${i}`, { size: 32 }),
        addressRef: toHex(`addr-${i}`, { size: 32 }),
      },
    ]);
    const accountId = parseEventLogs({ abi: registryAbi, logs: receipt.logs, eventName: "AccountOpened" })[0]!
      .args.accountId;
    accounts.push(accountId);
    await tx(retail, tariffs!, tariffsAbi, "assignTariff", [accountId, c.group, c.kind]);
  }
  await increaseTime(p2 + 3600 - (await now()));
  for (const [i, c] of cases.entries()) {
    const base = [1_000_000n, 2_000_000n, 3_000_000n];
    const after = base.map((value, k) => value + BigInt(c.use[k]!));
    const meterId = meterIds[12 + i]!;
    const batch = buildReadingBatch(
      [
        { intervalEnd: p1, registers: base },
        { intervalEnd: p2, registers: after },
        { intervalEnd: p2 + 1800, registers: after },
      ].map((r) => ({ meterId, registerMask: MASK, status: 0, ...r })),
    );
    const signature = await device.signTypedData!(
      readingBatchTypedData({ chainId, verifyingContract: readings!, batch }),
    );
    await tx(relayer, readings!, readingsAbi, "submitReadings", [batch.meters, signature]);
  }

  const invoiceGas: { name: string; gas: bigint; total: bigint }[] = [];
  const invoiceIds: bigint[] = [];
  for (const [i, c] of cases.entries()) {
    const receipt: TransactionReceipt = await tx(retail, settlement!, settlementAbi, "closePeriod", [
      2,
      [accounts[i]!],
    ]);
    const [computed] = parseEventLogs({
      abi: settlementAbi,
      logs: receipt.logs,
      eventName: "InvoiceComputed",
    });
    invoiceGas.push({ name: c.name, gas: receipt.gasUsed, total: computed!.args.total });
    if (process.env.BENCH_TRACE && i === 2) await traceOps(url, receipt.transactionHash);
    invoiceIds.push(computed!.args.invoiceId);
  }

  // ---------------------------------------------------------------- payments (three-zone household invoice)
  const invoiceId = invoiceIds[2]!;
  await tx(retail, settlement!, settlementAbi, "issueInvoice", [
    invoiceId,
    keccak256(toHex("invoice pdf")),
    p2 + 86400 * 15,
  ]);
  const total = invoiceGas[2]!.total;
  const ref = (label: string): Hex => keccak256(toHex(label));
  // The bank has recorded payments before (its payment-number bitmap word is in use): pay another
  // invoice first, as in steady operation.
  await tx(retail, settlement!, settlementAbi, "issueInvoice", [
    invoiceIds[0]!,
    ref("doc0"),
    p2 + 86400 * 15,
  ]);
  await tx(bank, settlement!, settlementAbi, "recordPayment", [invoiceIds[0]!, 100n, 0, 1n, ref("p0")]);
  const firstPayment = await tx(bank, settlement!, settlementAbi, "recordPayment", [
    invoiceId,
    total / 3n,
    0,
    2n,
    ref("p1"),
  ]);
  const secondPayment = await tx(bank, settlement!, settlementAbi, "recordPayment", [
    invoiceId,
    total - total / 3n,
    1,
    3n,
    ref("p2"),
  ]);
  const [split] = parseEventLogs({
    abi: settlementAbi,
    logs: firstPayment.logs,
    eventName: "PaymentRecorded",
  });

  // ---------------------------------------------------------------- report
  const per = (gas: bigint, n: number) => Number(gas) / n;
  const fmt = (value: number) => Math.round(value).toLocaleString("en-US");
  const lines: string[] = [];
  lines.push(`GridLedger gas benchmark (anvil, cancun, chain ${chainId}; receipts' gasUsed)`);
  lines.push("");
  lines.push("Readings (EIP-712 signature verified, 3 registers per record, steady state):");
  lines.push("| batch | gas | gas per reading | naive / ours |");
  lines.push("| ---: | ---: | ---: | ---: |");
  for (const [n, gas] of [
    [1, gas1],
    [48, gas48],
    [480, gas480],
  ] as const) {
    lines.push(
      `| ${n} | ${fmt(Number(gas))} | ${fmt(per(gas, n))} | ${(naivePerReading / per(gas, n)).toFixed(1)}x |`,
    );
  }
  lines.push(
    `| 48, household profile (one zone register moves 0.1-2.4 kWh per half hour) | ${fmt(Number(gasProfile48))} | ${fmt(per(gasProfile48, 48))} | ${(naivePerReading / per(gasProfile48, 48)).toFixed(1)}x |`,
  );
  lines.push(
    `| naive baseline (1 tx, 1 signature, 1 slot, 1 event per reading) | | ${fmt(naivePerReading)} | 1.0x |`,
  );
  lines.push("Targets: <= 1,500 per reading at 48, <= 1,000 at 480, >= 40x less than the naive baseline.");
  lines.push("");
  lines.push(
    "Invoices (closePeriod for one account: snapshots, plan lookup, pricing, storage, line events):",
  );
  lines.push("| tariff | gas | invoice total, kopecks |");
  lines.push("| --- | ---: | ---: |");
  for (const { name, gas, total: t } of invoiceGas) lines.push(`| ${name} | ${fmt(Number(gas))} | ${t} |`);
  lines.push("Target: three-zone household <= 150,000.");
  lines.push("");
  lines.push("Payments (recordPayment with a four-way provider split, three-zone household invoice):");
  lines.push(
    `| first (partial) payment | ${fmt(Number(firstPayment.gasUsed))} | split ${split!.args.split.join(" / ")} |`,
  );
  lines.push(`| completing payment | ${fmt(Number(secondPayment.gasUsed))} | |`);
  lines.push("Target: <= 80,000.");
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Debug aid (BENCH_TRACE=1): gas by opcode of one transaction. */
async function traceOps(url: string, hash: Hex) {
  const client = createPublicClient({ transport: http(url) });
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "debug_traceTransaction",
      params: [hash, { disableStack: false, disableMemory: true, disableStorage: true }],
    }),
  });
  const trace = ((await response.json()) as { result: unknown }).result as {
    structLogs: { op: string; gasCost: number; depth: number; pc: number; stack?: string[] }[];
  };
  if (process.env.BENCH_TRACE_DUMP) {
    const fs = await import("node:fs");
    fs.appendFileSync(
      process.env.BENCH_TRACE_DUMP,
      `${JSON.stringify(trace.structLogs.filter((l) => l.depth === 2).map((l) => [l.pc, l.gasCost]))}\n`,
    );
  }
  const gasByDepth = new Map<number, number>();
  for (const log of trace.structLogs)
    gasByDepth.set(
      log.depth,
      (gasByDepth.get(log.depth) ?? 0) +
        (["CALL", "DELEGATECALL", "STATICCALL"].includes(log.op) ? 0 : log.gasCost),
    );
  if (process.env.BENCH_TRACE === "loop") {
    // one loop iteration: between two consecutive visits of the hottest CALLDATALOAD pc
    const visits = new Map<number, number[]>();
    trace.structLogs.forEach((log, index) => {
      if (log.op === "CALLDATALOAD") visits.set(log.pc, [...(visits.get(log.pc) ?? []), index]);
    });
    const [, hot] = [...visits.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    const from = hot[10]!;
    const to = hot[11]!;
    process.stdout.write(
      `iteration: ${to - from} steps, ${trace.structLogs.slice(from, to).reduce((g, l) => g + l.gasCost, 0)} gas\n`,
    );
    process.stdout.write(
      `${trace.structLogs
        .slice(from, to)
        .map((l) => `${l.pc}:${l.op}`)
        .join(" ")}\n`,
    );
  }
  process.stdout.write(`gas by depth ${JSON.stringify([...gasByDepth.entries()])}\n`);
  for (const log of trace.structLogs) {
    if (process.env.BENCH_TRACE === "storage" && (log.op === "SLOAD" || log.op === "SSTORE")) {
      process.stdout.write(
        `${log.op} d=${log.depth} pc=${log.pc} key=${log.stack?.at(-1)?.slice(0, 18)} cost=${log.gasCost}\n`,
      );
    }
  }
  const tx = await client.getTransaction({ hash });
  const input = tx.input.slice(2);
  let calldata = 0;
  for (let i = 0; i < input.length; i += 2) calldata += input.slice(i, i + 2) === "00" ? 4 : 16;
  const total = trace.structLogs.reduce(
    (sum, log) => sum + (["CALL", "DELEGATECALL", "STATICCALL"].includes(log.op) ? 0 : log.gasCost),
    0,
  );
  process.stdout.write(
    `steps ${trace.structLogs.length}, calldata ${calldata} gas (${input.length / 2} bytes), opcode gas ${total}, trace.gas ${(trace as unknown as { gas: number }).gas}\n`,
  );
  const byOp = new Map<string, { gas: number; count: number }>();
  for (const log of trace.structLogs) {
    const entry = byOp.get(log.op) ?? { gas: 0, count: 0 };
    if (!["CALL", "DELEGATECALL", "STATICCALL"].includes(log.op)) entry.gas += log.gasCost;
    entry.count += 1;
    byOp.set(log.op, entry);
  }
  const top = [...byOp.entries()].sort((a, b) => b[1].gas - a[1].gas).slice(0, 25);
  for (const [op, { gas, count }] of top)
    process.stdout.write(`${op.padEnd(14)} ${String(gas).padStart(8)} ${count}\n`);
}

await main();
