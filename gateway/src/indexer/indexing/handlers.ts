import {
  Account,
  type AccountRow,
  BillingPeriod,
  ChainEvent,
  ChainParameter,
  Consumer,
  DebitMandate,
  DeviceKey,
  Document,
  type DocumentRow,
  HourlyPrices,
  Invoice,
  InvoiceLine,
  InvoiceVolumeEvent,
  Meter,
  MeterReplacement,
  MeterSnapshot,
  MeterStateEvent,
  type MeterStateEventRow,
  Organisation,
  Payment,
  Reading,
  ReadingBatch,
  type ReadingRow,
  Reconciliation,
  ReconciliationVolume,
  TariffChoice,
  TariffGroup,
  TariffPlan,
} from "../../db/entities/index.js";
import { IndexerDataError } from "../errors.js";
import type { WriteBatch } from "../store/writeBatch.js";
import type { DecodedLog } from "./decodeLogs.js";
import { type FastRecord, readMeterRecords } from "./readMeterRecords.js";
import { bytes32ToText, jsonArgs, toSafeNumber, ZERO_BYTES32 } from "./values.js";

/** Addresses of organisations and the small ids the index gives them (registration order). */
export class OrganisationDirectory {
  private readonly ids = new Map<string, number>();
  private last = 0;

  reset(rows: { id: number; address: string }[]) {
    this.ids.clear();
    this.last = 0;
    for (const row of rows) {
      this.ids.set(row.address, row.id);
      this.last = Math.max(this.last, row.id);
    }
  }
  idOf(address: string): number | null {
    return this.ids.get(address.toLowerCase()) ?? null;
  }
  assign(address: string): number {
    const key = address.toLowerCase();
    const existing = this.ids.get(key);
    if (existing !== undefined) return existing;
    this.last += 1;
    this.ids.set(key, this.last);
    return this.last;
  }
}

export type HandlerContext = { batch: WriteBatch; organisations: OrganisationDirectory };

type Args = Record<string, unknown>;
type Handler = (context: HandlerContext, log: DecodedLog, args: Args) => Promise<void> | void;

/** `Registry.anchorAccountDocument` kinds by their number; other numbers are indexed as `accountDocument<n>`. */
export const ACCOUNT_DOCUMENT_KINDS: Record<number, string> = { 1: "supplyContract" };
const INVOICE_STATUS = ["none", "computed", "issued", "confirmed", "disputed"] as const;
const num = (value: unknown, what: string) => toSafeNumber(value as bigint | number, what);
const addr = (value: unknown) => (value as string).toLowerCase();
const hex = (value: unknown) => (value as string).toLowerCase();
const origin = (log: DecodedLog) => ({
  blockNumber: log.blockNumber,
  txHash: log.txHash,
  logIndex: log.logIndex,
});
const updated = (log: DecodedLog) => ({
  updatedBlock: log.blockNumber,
  updatedTxHash: log.txHash,
  updatedLogIndex: log.logIndex,
});
const created = (log: DecodedLog) => ({ ...origin(log), ...updated(log) });
const blockTime = (log: DecodedLog) => {
  if (log.blockTime === undefined) throw new IndexerDataError(`No block time for block ${log.blockNumber}`);
  return log.blockTime;
};

function missing(what: string, log: DecodedLog): never {
  throw new IndexerDataError(
    `${log.contract}.${log.eventName} refers to unknown ${what}`,
    `block ${log.blockNumber}, log ${log.logIndex}, tx ${log.txHash}`,
  );
}

function stamp<T extends object>(row: T, log: DecodedLog): T {
  return Object.assign(row, updated(log));
}

function document(
  context: HandlerContext,
  log: DecodedLog,
  hash: unknown,
  kind: string,
  subject: string,
  accountId: number | null,
) {
  if (typeof hash !== "string" || hash === ZERO_BYTES32) return;
  const row: DocumentRow = {
    ...origin(log),
    hash: hex(hash),
    kind,
    subject,
    accountId,
    blockTime: blockTime(log),
  };
  context.batch.insert(Document, row);
}

async function meterStateEvent(
  context: HandlerContext,
  log: DecodedLog,
  args: Args,
  fields: Partial<MeterStateEventRow> & { kind: string },
  change: (meter: { tampered: boolean } & Record<string, unknown>) => void,
) {
  const meterId = num(args.meterId, "meter id");
  const meter = await context.batch.update(Meter, { id: meterId }, (row) => {
    change(row as never);
    stamp(row, log);
  });
  if (!meter) missing(`meter ${meterId}`, log);
  context.batch.insert(MeterStateEvent, {
    ...origin(log),
    meterId,
    code: null,
    hash: null,
    previousHash: null,
    matchesReference: null,
    driftSeconds: null,
    blockTime: blockTime(log),
    ...fields,
  });
  return meter;
}

function meterFields(meter: Args) {
  return {
    meterType: Number(meter.meterType),
    tariffZones: Number(meter.tariffZones),
    meteringScheme: Number(meter.meteringScheme),
    remoteReading: Boolean(meter.remoteReading),
    exportCapable: Boolean(meter.exportCapable),
    atBalanceBoundary: Boolean(meter.atBalanceBoundary),
    lossMethod: Number(meter.lossMethod),
    lossPpm: Number(meter.lossPpm),
    lossParameters: hex(meter.lossParameters),
  };
}

function accountFields(context: HandlerContext, account: Args) {
  return {
    consumer: addr(account.consumer),
    consumerType: Number(account.consumerType),
    priceCategory: Number(account.priceCategory),
    active: Boolean(account.active),
    siteId: bytes32ToText(account.siteId as string),
    siteIdHex: hex(account.siteId),
    addressRef: bytes32ToText(account.addressRef as string),
    addressRefHex: hex(account.addressRef),
    retailCompany: addr(account.retailCompany),
    retailCompanyId: context.organisations.idOf(account.retailCompany as string),
    gridCompany: addr(account.gridCompany),
    gridCompanyId: context.organisations.idOf(account.gridCompany as string),
  };
}

async function touchConsumer(context: HandlerContext, log: DecodedLog, consumer: string) {
  if (!(await context.batch.load(Consumer, { address: consumer }))) {
    context.batch.create(Consumer, { address: consumer, ...origin(log) });
  }
}

/** invoiceId = accountId << 32 | periodId (IInvoices). */
function splitInvoiceId(invoiceId: bigint) {
  return {
    accountId: toSafeNumber(invoiceId >> 32n, "account id"),
    periodId: Number(invoiceId & 0xffffffffn),
  };
}

const REGISTER_COLUMNS = ["importT1", "importT2", "importT3", "importT4", "export"] as const;

/**
 * One handler per contract event that has a table. Every log also becomes a journal row (see
 * {@link handleLog}). Handlers run in log order inside one batch.
 */
export const handlers: Record<string, Handler> = {
  // ---------------------------------------------------------------- Registry
  OrganisationRegistered(context, log, args) {
    const address = addr(args.organisation);
    const id = context.organisations.assign(address);
    context.batch.create(Organisation, {
      id,
      address,
      kind: Number(args.kind),
      active: true,
      profileHash: hex(args.profileHash),
      profileId: hex(args.profileId),
      profileIdText: args.profileId === ZERO_BYTES32 ? null : bytes32ToText(args.profileId as string),
      ...created(log),
    });
    document(context, log, args.profileHash, "organisationProfile", address, null);
  },
  async OrganisationUpdated(context, log, args) {
    const address = addr(args.organisation);
    const id = context.organisations.idOf(address);
    if (id === null) missing(`organisation ${address}`, log);
    await context.batch.update(Organisation, { id }, (row) => {
      row.active = Boolean(args.active);
      row.profileHash = hex(args.profileHash);
      row.profileId = hex(args.profileId);
      row.profileIdText = args.profileId === ZERO_BYTES32 ? null : bytes32ToText(args.profileId as string);
      stamp(row, log);
    });
    document(context, log, args.profileHash, "organisationProfile", address, null);
  },
  MeterRegistered(context, log, args) {
    const meter = args.meter as Args;
    context.batch.create(Meter, {
      id: num(args.meterId, "meter id"),
      gridCompany: addr(args.gridCompany),
      gridCompanyId: context.organisations.idOf(args.gridCompany as string),
      accountId: null,
      retailCompanyId: null,
      ...meterFields(meter),
      serial: bytes32ToText(args.serial as string),
      serialHex: hex(args.serial),
      model: bytes32ToText(args.model as string),
      modelHex: hex(args.model),
      referenceFirmware: null,
      currentFirmware: null,
      tampered: false,
      lastClockDrift: null,
      ...created(log),
    });
  },
  async MeterUpdated(context, log, args) {
    const id = num(args.meterId, "meter id");
    const found = await context.batch.update(Meter, { id }, (row) => {
      Object.assign(row, meterFields(args.meter as Args));
      stamp(row, log);
    });
    if (!found) missing(`meter ${id}`, log);
  },
  async AccountOpened(context, log, args) {
    const account = args.account as Args;
    const id = num(args.accountId, "account id");
    const meterId = num(account.meterId, "meter id");
    const fields = accountFields(context, account);
    context.batch.create(Account, {
      id,
      accountNumber: bytes32ToText(args.accountNumber as string),
      accountNumberHex: hex(args.accountNumber),
      meterId,
      ...fields,
      tariffGroupId: null,
      tariffKind: null,
      tariffFromPeriod: null,
      creditBalance: 0,
      ...created(log),
    });
    const meter = await context.batch.update(Meter, { id: meterId }, (row) => {
      row.accountId = id;
      row.retailCompanyId = fields.retailCompanyId;
      stamp(row, log);
    });
    if (!meter) missing(`meter ${meterId}`, log);
    await touchConsumer(context, log, fields.consumer);
  },
  async MeterReplaced(context, log, args) {
    const accountId = num(args.accountId, "account id");
    const oldMeterId = num(args.oldMeterId, "meter id");
    const newMeterId = num(args.newMeterId, "meter id");
    context.batch.insert(MeterReplacement, {
      ...origin(log),
      accountId,
      oldMeterId,
      newMeterId,
      replacedAt: num(args.replacedAt, "replaced at"),
      oldFinalWh: numbers(args.oldFinalWh, "register"),
      newInitialWh: numbers(args.newInitialWh, "register"),
      blockTime: blockTime(log),
    });
    // the account moves to the new meter; the old one is free again (Registry.replaceMeter)
    const account = await context.batch.update(Account, { id: accountId }, (row: AccountRow) => {
      row.meterId = newMeterId;
      stamp(row, log);
    });
    if (!account) missing(`account ${accountId}`, log);
    const detached = await context.batch.update(Meter, { id: oldMeterId }, (row) => {
      row.accountId = null;
      row.retailCompanyId = null;
      stamp(row, log);
    });
    if (!detached) missing(`meter ${oldMeterId}`, log);
    const attached = await context.batch.update(Meter, { id: newMeterId }, (row) => {
      row.accountId = accountId;
      row.retailCompanyId = account.retailCompanyId;
      stamp(row, log);
    });
    if (!attached) missing(`meter ${newMeterId}`, log);
  },
  AccountDocumentAnchored(context, log, args) {
    // the latest row of a kind for the account is its current anchor (a re-signed contract supersedes)
    const accountId = num(args.accountId, "account id");
    const kind = ACCOUNT_DOCUMENT_KINDS[Number(args.kind)] ?? `accountDocument${Number(args.kind)}`;
    document(context, log, args.documentHash, kind, String(accountId), accountId);
  },
  async AccountUpdated(context, log, args) {
    const id = num(args.accountId, "account id");
    const fields = accountFields(context, args.account as Args);
    const found = await context.batch.update(Account, { id }, (row) => {
      Object.assign(row, fields);
      stamp(row, log);
    });
    if (!found) missing(`account ${id}`, log);
    await touchConsumer(context, log, fields.consumer);
  },
  async MeterTamperFlagged(context, log, args) {
    const meter = await meterStateEvent(
      context,
      log,
      args,
      { kind: "tamperFlagged", code: num(args.code, "code"), hash: hex(args.evidenceHash) },
      (row) => {
        row.tampered = true;
      },
    );
    document(context, log, args.evidenceHash, "tamperEvidence", String(meter.id), meter.accountId);
  },
  async MeterTamperCleared(context, log, args) {
    const meter = await meterStateEvent(
      context,
      log,
      args,
      { kind: "tamperCleared", hash: hex(args.inspectionHash) },
      (row) => {
        row.tampered = false;
      },
    );
    document(context, log, args.inspectionHash, "inspection", String(meter.id), meter.accountId);
  },
  async MeterReferenceFirmwareSet(context, log, args) {
    await meterStateEvent(
      context,
      log,
      args,
      { kind: "referenceFirmwareSet", hash: hex(args.firmwareHash) },
      (row) => {
        row.referenceFirmware = hex(args.firmwareHash);
      },
    );
  },
  async MeterFirmwareChanged(context, log, args) {
    await meterStateEvent(
      context,
      log,
      args,
      {
        kind: "firmwareChanged",
        hash: hex(args.newHash),
        previousHash: hex(args.previousHash),
        matchesReference: Boolean(args.matchesReference),
      },
      (row) => {
        row.currentFirmware = hex(args.newHash);
      },
    );
  },
  async MeterFirmwareRestored(context, log, args) {
    await meterStateEvent(
      context,
      log,
      args,
      { kind: "firmwareRestored", hash: hex(args.firmwareHash) },
      () => {},
    );
  },
  async MeterClockDriftRecorded(context, log, args) {
    await meterStateEvent(
      context,
      log,
      args,
      { kind: "clockDrift", driftSeconds: Number(args.driftSeconds) },
      (row) => {
        row.lastClockDrift = Number(args.driftSeconds);
      },
    );
  },

  // ---------------------------------------------------------------- Readings
  DeviceKeyRegistered(context, log, args) {
    context.batch.create(DeviceKey, {
      meterId: num(args.meterId, "meter id"),
      key: addr(args.key),
      revoked: false,
      ...created(log),
    });
  },
  async DeviceKeyRevoked(context, log, args) {
    const pk = { meterId: num(args.meterId, "meter id"), key: addr(args.key) };
    const found = await context.batch.update(DeviceKey, pk, (row) => {
      row.revoked = true;
      stamp(row, log);
    });
    if (!found) missing(`device key ${pk.key} of meter ${pk.meterId}`, log);
  },
  async MeterReadingsRecorded(context, log, args) {
    const meterId = num(args.meterId, "meter id");
    const registerMask = Number(args.registerMask);
    const source = Number(args.source);
    const meter = await context.batch.load(Meter, { id: meterId });
    if (!meter) missing(`meter ${meterId}`, log);
    let records: FastRecord[];
    try {
      records = readMeterRecords(registerMask, args.records as string);
    } catch (error) {
      throw new IndexerDataError(
        `Malformed readings of meter ${meterId} in block ${log.blockNumber}`,
        (error as Error).message,
      );
    }
    const columns = REGISTER_COLUMNS.filter((_, bit) => registerMask & (1 << bit));
    const rows: ReadingRow[] = new Array(records.length);
    for (let index = 0; index < records.length; index++) {
      const record = records[index]!;
      const row: ReadingRow = {
        meterId,
        intervalEnd: record.intervalEnd,
        status: record.status,
        registerMask,
        source,
        importT1: null,
        importT2: null,
        importT3: null,
        importT4: null,
        export: null,
        accountId: meter.accountId,
        retailCompanyId: meter.retailCompanyId,
        blockNumber: log.blockNumber,
        txHash: log.txHash,
        logIndex: log.logIndex,
      };
      for (let register = 0; register < columns.length; register++) {
        row[columns[register]!] = record.registers[register]!;
      }
      rows[index] = row;
    }
    context.batch.insertAll(Reading, rows);
  },
  ReadingBatchRecorded(context, log, args) {
    context.batch.insert(ReadingBatch, {
      ...origin(log),
      signer: addr(args.signer),
      digest: hex(args.digest),
      source: Number(args.source),
      accepted: num(args.accepted, "accepted"),
      duplicates: num(args.duplicates, "duplicates"),
    });
  },
  MeterSnapshotTaken(context, log, args) {
    context.batch.insert(MeterSnapshot, {
      meterId: num(args.meterId, "meter id"),
      periodId: Number(args.periodId),
      lastIntervalEnd: Number(args.lastIntervalEnd),
      ...origin(log),
    });
  },
  PeriodScheduled(context, log, args) {
    context.batch.insert(BillingPeriod, {
      id: Number(args.periodId),
      periodEnd: Number(args.periodEnd),
      ...origin(log),
    });
  },
  async FutureToleranceSet(context, log, args) {
    const value = String(args.toleranceSeconds);
    const found = await context.batch.update(
      ChainParameter,
      { name: "readings.futureToleranceSeconds" },
      (row) => {
        row.value = value;
        stamp(row, log);
      },
    );
    if (!found) {
      context.batch.create(ChainParameter, {
        name: "readings.futureToleranceSeconds",
        value,
        ...created(log),
      });
    }
  },

  // ---------------------------------------------------------------- Tariffs
  TariffGroupCreated(context, log, args) {
    context.batch.create(TariffGroup, {
      id: num(args.groupId, "group id"),
      retailCompany: addr(args.retailCompany),
      retailCompanyId: context.organisations.idOf(args.retailCompany as string),
      consumerType: Number(args.consumerType),
      priceCategory: Number(args.priceCategory),
      name: bytes32ToText(args.name as string),
      nameHex: hex(args.name),
      deleted: false,
      ...created(log),
    });
  },
  async TariffGroupEdited(context, log, args) {
    const id = num(args.groupId, "group id");
    const found = await context.batch.update(TariffGroup, { id }, (row) => {
      row.name = bytes32ToText(args.name as string);
      row.nameHex = hex(args.name);
      stamp(row, log);
    });
    if (!found) missing(`tariff group ${id}`, log);
  },
  async TariffGroupDeleted(context, log, args) {
    const id = num(args.groupId, "group id");
    const found = await context.batch.update(TariffGroup, { id }, (row) => {
      row.deleted = true;
      stamp(row, log);
    });
    if (!found) missing(`tariff group ${id}`, log);
  },
  HourlyPricesPublished(context, log, args) {
    const data = args.data as Args;
    const prices = numbers(data.prices, "hourly price");
    context.batch.create(HourlyPrices, {
      planId: num(args.planId, "plan id"),
      periodId: num(args.periodId, "period id"),
      pricesHash: hex(args.pricesHash),
      kind: Number(args.kind),
      hours: prices.length,
      prices,
      capacityRate: num(data.capacityRate, "capacity rate"),
      maintenanceRate: num(data.maintenanceRate, "maintenance rate"),
      lossRate: num(data.lossRate, "loss rate"),
      capacityHours: numbers(data.capacityHours, "capacity hour"),
      networkWindows: numbers(data.networkWindows, "network window"),
      ...origin(log),
    });
  },
  TariffPlanAdded(context, log, args) {
    const plan = args.plan as Args;
    context.batch.create(TariffPlan, {
      id: num(args.planId, "plan id"),
      groupId: num(args.groupId, "group id"),
      kind: Number(plan.kind),
      zones: Number(plan.zones),
      vatBp: Number(plan.vatBp),
      vatIncluded: Boolean(plan.vatIncluded),
      validFrom: num(plan.validFrom, "validFrom"),
      validTo: num(plan.validTo, "validTo"),
      zoneHours: num(plan.zoneHours, "zoneHours"),
      threshold1: num(plan.threshold1, "threshold1"),
      threshold2: num(plan.threshold2, "threshold2"),
      exportPrice: num(plan.exportPrice, "exportPrice"),
      rates: (args.rates as bigint[][]).map((row) => row.map((price) => toSafeNumber(price, "price"))),
      deleted: false,
      ...created(log),
    });
  },
  async TariffPlanValidityChanged(context, log, args) {
    const id = num(args.planId, "plan id");
    const found = await context.batch.update(TariffPlan, { id }, (row) => {
      row.validTo = num(args.validTo, "validTo");
      stamp(row, log);
    });
    if (!found) missing(`tariff plan ${id}`, log);
  },
  async TariffPlanDeleted(context, log, args) {
    const id = num(args.planId, "plan id");
    const found = await context.batch.update(TariffPlan, { id }, (row) => {
      row.deleted = true;
      stamp(row, log);
    });
    if (!found) missing(`tariff plan ${id}`, log);
  },
  async TariffChosen(context, log, args) {
    const accountId = num(args.accountId, "account id");
    const row = {
      accountId,
      groupId: num(args.groupId, "group id"),
      kind: Number(args.kind),
      fromPeriod: Number(args.fromPeriod),
      chosenBy: addr(args.chosenBy),
    };
    context.batch.insert(TariffChoice, { ...origin(log), ...row, blockTime: blockTime(log) });
    const found = await context.batch.update(Account, { id: accountId }, (account) => {
      account.tariffGroupId = row.groupId;
      account.tariffKind = row.kind;
      account.tariffFromPeriod = row.fromPeriod;
      stamp(account, log);
    });
    if (!found) missing(`account ${accountId}`, log);
  },

  // ---------------------------------------------------------------- Settlement: invoices
  async InvoiceComputed(context, log, args) {
    const invoiceId = args.invoiceId as bigint;
    const { accountId, periodId } = splitInvoiceId(invoiceId);
    const account = await context.batch.load(Account, { id: accountId });
    const components = (args.components as bigint[]).map((value) => toSafeNumber(value, "amount"));
    // A period closed again after the invoice's cancellation computes the same invoice id anew: the row
    // is replaced (loaded first, so `create` writes it as an update) and so are its lines. The
    // cancelled computation stays in the chain_events journal.
    const previous = await context.batch.load(Invoice, { id: invoiceId.toString() });
    if (previous) {
      if (previous.status !== "cancelled") {
        throw new IndexerDataError(
          `Settlement.InvoiceComputed for invoice ${invoiceId}, which exists and is ${previous.status}`,
          `block ${log.blockNumber}, log ${log.logIndex}, tx ${log.txHash}`,
        );
      }
      context.batch.deleteWhere(InvoiceLine, "invoiceId", invoiceId.toString());
    }
    context.batch.create(Invoice, {
      id: invoiceId.toString(),
      accountId,
      periodId,
      retailCompanyId: account?.retailCompanyId ?? null,
      planId: num(args.planId, "plan id"),
      status: "computed",
      total: num(args.total, "total"),
      energy: components[0]!,
      transmission: components[1]!,
      retailMarkup: components[2]!,
      infrastructure: components[3]!,
      vat: num(args.vat ?? 0n, "vat"),
      exportCredit: num(args.exportCredit, "export credit"),
      volumesWh: (args.volumesWh as bigint[]).map((value) => toSafeNumber(value, "volume")),
      documentHash: null,
      dueDate: null,
      confirmedBy: null,
      reasonHash: null,
      paidTotal: 0,
      paidEnergy: 0,
      paidTransmission: 0,
      paidRetailMarkup: 0,
      paidInfrastructure: 0,
      computedAt: blockTime(log),
      ...created(log),
    });
  },
  InvoiceLinesComputed(context, log, args) {
    const invoiceId = (args.invoiceId as bigint).toString();
    const words = args.lines as bigint[];
    for (let lineNo = 0; lineNo < words.length; lineNo++) {
      const word = words[lineNo]!;
      context.batch.insert(InvoiceLine, {
        ...origin(log),
        lineNo,
        invoiceId,
        kind: Number((word >> 248n) & 0xffn),
        zone: Number((word >> 240n) & 0xffn),
        range: Number((word >> 232n) & 0xffn),
        component: Number((word >> 224n) & 0xffn),
        quantity: toSafeNumber((word >> 160n) & 0xffffffffffffffffn, "quantity"),
        rate: toSafeNumber((word >> 96n) & 0xffffffffffffffffn, "rate"),
        amount: toSafeNumber((word >> 32n) & 0xffffffffffffffffn, "amount"),
      });
    }
  },
  async InvoiceIssued(context, log, args) {
    const invoice = await invoiceStatus(context, log, args, "issued", (row) => {
      row.documentHash = hex(args.documentHash);
      row.dueDate = Number(args.dueDate);
    });
    document(context, log, args.documentHash, "invoice", invoice.id, invoice.accountId);
  },
  async InvoiceConfirmed(context, log, args) {
    await invoiceStatus(context, log, args, "confirmed", (row) => {
      row.confirmedBy = addr(args.consumer);
    });
  },
  async InvoiceDisputed(context, log, args) {
    const invoice = await invoiceStatus(context, log, args, "disputed", (row) => {
      row.reasonHash = hex(args.reasonHash);
    });
    document(context, log, args.reasonHash, "disputeReason", invoice.id, invoice.accountId);
  },
  async InvoiceCancelled(context, log, args) {
    const invoice = await invoiceStatus(context, log, args, "cancelled", (row) => {
      row.reasonHash = hex(args.reasonHash);
    });
    document(context, log, args.reasonHash, "cancellationReason", invoice.id, invoice.accountId);
  },

  // ---------------------------------------------------------------- Settlement: payments
  async PaymentRecorded(context, log, args) {
    const invoiceId = (args.invoiceId as bigint).toString();
    const split = (args.split as bigint[]).map((value) => toSafeNumber(value, "split"));
    const applied = num(args.applied, "applied");
    const invoice = await context.batch.update(Invoice, { id: invoiceId }, (row) => {
      row.paidTotal += applied;
      row.paidEnergy += split[0]!;
      row.paidTransmission += split[1]!;
      row.paidRetailMarkup += split[2]!;
      row.paidInfrastructure += split[3]!;
      stamp(row, log);
    });
    if (!invoice) missing(`invoice ${invoiceId}`, log);
    context.batch.insert(Payment, {
      ...paymentIdentity(context, args),
      kind: "payment",
      invoiceId,
      accountId: invoice.accountId,
      retailCompanyId: invoice.retailCompanyId,
      method: Number(args.method),
      amount: num(args.amount, "amount"),
      applied,
      credited: num(args.credited, "credited"),
      splitEnergy: split[0]!,
      splitTransmission: split[1]!,
      splitRetailMarkup: split[2]!,
      splitInfrastructure: split[3]!,
      paidAt: blockTime(log),
      ...origin(log),
    });
  },
  async PrepaymentRecorded(context, log, args) {
    const accountId = num(args.accountId, "account id");
    const account = await context.batch.load(Account, { id: accountId });
    if (!account) missing(`account ${accountId}`, log);
    const amount = num(args.amount, "amount");
    context.batch.insert(Payment, {
      ...paymentIdentity(context, args),
      kind: "prepayment",
      invoiceId: null,
      accountId,
      retailCompanyId: account.retailCompanyId,
      method: null,
      amount,
      applied: 0,
      credited: amount,
      splitEnergy: 0,
      splitTransmission: 0,
      splitRetailMarkup: 0,
      splitInfrastructure: 0,
      paidAt: blockTime(log),
      ...origin(log),
    });
  },
  async CreditBalanceChanged(context, log, args) {
    const id = num(args.accountId, "account id");
    const found = await context.batch.update(Account, { id }, (row: AccountRow) => {
      row.creditBalance = num(args.balance, "balance");
      stamp(row, log);
    });
    if (!found) missing(`account ${id}`, log);
  },
  async DebitMandateSet(context, log, args) {
    const pk = { accountId: num(args.accountId, "account id"), source: addr(args.source) };
    const limitPerDebit = num(args.limitPerDebit, "limit");
    const found = await context.batch.update(DebitMandate, pk, (row) => {
      row.limitPerDebit = limitPerDebit;
      stamp(row, log);
    });
    if (!found) context.batch.create(DebitMandate, { ...pk, limitPerDebit, ...created(log) });
  },

  // ---------------------------------------------------------------- BillingVolumes
  VolumesSubstituted(context, log, args) {
    volumeEvent(context, log, args, "substituted", {
      method: VOLUME_METHODS[Number(args.method)] ?? `method${Number(args.method)}`,
      volumeWh: num(args.volumeWh, "volume"),
      consecutivePeriods: num(args.consecutivePeriods, "periods"),
      details: { inputs: numbers(args.inputs, "input"), registersWh: numbers(args.registersWh, "volume") },
    });
  },
  VolumesRecalculated(context, log, args) {
    volumeEvent(context, log, args, "recalculated", {
      details: {
        meteredWh: numbers(args.meteredWh, "volume"),
        deductedWh: numbers(args.deductedWh, "volume"),
      },
    });
  },
  VolumesAcrossReplacement(context, log, args) {
    volumeEvent(context, log, args, "acrossReplacement", {
      details: {
        oldMeterId: num(args.oldMeterId, "meter id"),
        newMeterId: num(args.newMeterId, "meter id"),
        oldMeterWh: numbers(args.oldMeterWh, "volume"),
        newMeterWh: numbers(args.newMeterWh, "volume"),
      },
    });
  },

  // ---------------------------------------------------------------- CommonHouseBilling
  CommonHouseShare(context, log, args) {
    // the row names the share's real period; the invoice (when billed) has period id `periodId | 2^30`
    volumeEvent(context, log, args, "commonHouse", {
      accountId: num(args.accountId, "account id"),
      periodId: num(args.periodId, "period id"),
      volumeWh: num(args.shareWh, "share"),
      details: {
        buildingId: num(args.buildingId, "building id"),
        areaDm2: num(args.areaDm2, "area"),
        billed: Boolean(args.billed),
      },
    });
  },

  // ---------------------------------------------------------------- Reconciliation
  async AccountVolumesSubmitted(context, log, args) {
    const periodId = Number(args.periodId);
    const retailCompany = addr(args.retailCompany);
    const grid = Number(args.party) === 0;
    const accountIds = args.accountIds as bigint[];
    const volumes = args.volumesWh as bigint[];
    for (let index = 0; index < accountIds.length; index++) {
      const pk = { periodId, retailCompany, accountId: toSafeNumber(accountIds[index]!, "account id") };
      const volume = toSafeNumber(volumes[index]!, "volume");
      const found = await context.batch.update(ReconciliationVolume, pk, (row) => {
        if (grid) row.gridWh = volume;
        else row.retailWh = volume;
        stamp(row, log);
      });
      if (!found) {
        context.batch.create(ReconciliationVolume, {
          ...pk,
          gridWh: grid ? volume : null,
          retailWh: grid ? null : volume,
          mismatch: false,
          ...created(log),
        });
      }
    }
  },
  async AccountVolumeMismatch(context, log, args) {
    const pk = {
      periodId: Number(args.periodId),
      retailCompany: addr(args.retailCompany),
      accountId: num(args.accountId, "account id"),
    };
    const found = await context.batch.update(ReconciliationVolume, pk, (row) => {
      row.mismatch = true;
      stamp(row, log);
    });
    if (!found) missing(`reconciliation volume of account ${pk.accountId}`, log);
  },
  async VolumeTotalsSigned(context, log, args) {
    const pk = { periodId: Number(args.periodId), retailCompany: addr(args.retailCompany) };
    const total = num(args.totalWh, "total");
    const grid = Number(args.party) === 0;
    const found = await context.batch.update(Reconciliation, pk, (row) => {
      if (grid) row.gridSignedWh = total;
      else row.retailSignedWh = total;
      stamp(row, log);
    });
    if (!found) {
      context.batch.create(Reconciliation, {
        ...pk,
        gridSignedWh: grid ? total : null,
        retailSignedWh: grid ? null : total,
        matched: null,
        ...created(log),
      });
    }
  },
  async VolumesReconciled(context, log, args) {
    const pk = { periodId: Number(args.periodId), retailCompany: addr(args.retailCompany) };
    const found = await context.batch.update(Reconciliation, pk, (row) => {
      row.matched = Boolean(args.matched);
      stamp(row, log);
    });
    if (!found) {
      context.batch.create(Reconciliation, {
        ...pk,
        gridSignedWh: num(args.gridWh, "volume"),
        retailSignedWh: num(args.retailWh, "volume"),
        matched: Boolean(args.matched),
        ...created(log),
      });
    }
  },
};

/** IBillingVolumes.VolumeMethod by number (0, `metered`, is never emitted). */
export const VOLUME_METHODS = [
  "metered",
  "householdAverage",
  "householdNorm",
  "householdIncreasedNorm",
  "householdTampering",
  "legalEntityAnalogousPeriod",
  "legalEntityNearestPeriod",
  "legalEntityMaxPower",
] as const;

const numbers = (values: unknown, what: string) => (values as bigint[]).map((value) => num(value, what));

/**
 * One `invoice_volume_events` row for a BillingVolumes or CommonHouseBilling event about `args.invoiceId`;
 * account and period come from the invoice id unless given (a common-house share names its real period).
 */
function volumeEvent(
  context: HandlerContext,
  log: DecodedLog,
  args: Args,
  kind: string,
  fields: {
    accountId?: number;
    periodId?: number;
    method?: string;
    volumeWh?: number;
    consecutivePeriods?: number;
    details: Record<string, unknown>;
  },
) {
  const invoiceId = args.invoiceId as bigint;
  const { accountId, periodId } =
    fields.accountId !== undefined && fields.periodId !== undefined
      ? { accountId: fields.accountId, periodId: fields.periodId }
      : splitInvoiceId(invoiceId);
  context.batch.insert(InvoiceVolumeEvent, {
    ...origin(log),
    invoiceId: invoiceId.toString(),
    accountId,
    periodId,
    kind,
    method: fields.method ?? null,
    volumeWh: fields.volumeWh ?? null,
    consecutivePeriods: fields.consecutivePeriods ?? null,
    details: fields.details,
    blockTime: blockTime(log),
  });
}

function paymentIdentity(context: HandlerContext, args: Args) {
  return {
    source: addr(args.source),
    sourceId: context.organisations.idOf(args.source as string),
    paymentNumber: num(args.paymentNumber, "payment number"),
    externalRef: hex(args.externalRef),
  };
}

async function invoiceStatus(
  context: HandlerContext,
  log: DecodedLog,
  args: Args,
  status: string,
  change: (row: import("../../db/entities/index.js").InvoiceRow) => void,
) {
  const id = (args.invoiceId as bigint).toString();
  const invoice = await context.batch.update(Invoice, { id }, (row) => {
    row.status = status;
    change(row);
    stamp(row, log);
  });
  if (!invoice) missing(`invoice ${id}`, log);
  return invoice;
}

/** Journal row for every log, then the event's own handler if it has one. */
export async function handleLog(context: HandlerContext, log: DecodedLog): Promise<void> {
  const args =
    log.eventName === "MeterReadingsRecorded"
      ? { ...log.args, records: `${((log.args.records as string).length - 2) / 2} bytes` }
      : log.args;
  context.batch.insert(ChainEvent, {
    ...origin(log),
    contract: log.contract,
    event: log.eventName,
    args: jsonArgs(args) as Record<string, unknown>,
    blockTime: blockTime(log),
  });
  const handler = handlers[log.eventName];
  if (handler) await handler(context, log, log.args);
}

/** Status names of IInvoices.InvoiceStatus, for readers of the `status` column. */
export const invoiceStatuses = [...INVOICE_STATUS, "cancelled"] as const;
