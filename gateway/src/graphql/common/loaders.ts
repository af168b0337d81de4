import type { EntityManager, EntitySchema } from "@mikro-orm/core";
import DataLoader from "dataloader";
import {
  Account,
  type AccountRow,
  BillingPeriod,
  type BillingPeriodRow,
  HourlyPrices,
  type HourlyPricesRow,
  InvoiceLine,
  type InvoiceLineRow,
  InvoiceVolumeEvent,
  type InvoiceVolumeEventRow,
  Meter,
  MeterReplacement,
  type MeterReplacementRow,
  type MeterRow,
  Organisation,
  OrganisationProfile,
  type OrganisationProfileRow,
  type OrganisationRow,
  Payment,
  type PaymentRow,
  TariffPlan,
  type TariffPlanRow,
} from "../../db/entities/index.js";
import type { GatewayContext } from "../context.js";
import { requireDatabase } from "../scope.js";

/**
 * The request's DataLoaders: a list of 200 accounts asking for their meters is one `in (…)` query,
 * not 200. One set per request (kept on the context object), so nothing is cached across requests
 * or principals. Loaders read rows the parent's query already scoped: they never widen what a caller
 * sees, they only batch it.
 */
export type Loaders = {
  account: DataLoader<number, AccountRow | undefined>;
  meter: DataLoader<number, MeterRow | undefined>;
  organisationByAddress: DataLoader<string, OrganisationRow | undefined>;
  organisationById: DataLoader<number, OrganisationRow | undefined>;
  profile: DataLoader<string, OrganisationProfileRow | undefined>;
  billingPeriod: DataLoader<number, BillingPeriodRow | undefined>;
  invoiceLines: DataLoader<string, InvoiceLineRow[]>;
  invoicePayments: DataLoader<string, PaymentRow[]>;
  /** A tariff group's plans (deleted ones included), by group id in decimal. */
  tariffPlans: DataLoader<string, TariffPlanRow[]>;
  /** An invoice's volume events (every close of its period), oldest first, by invoice id. */
  invoiceVolumeEvents: DataLoader<string, InvoiceVolumeEventRow[]>;
  /** An account's meter replacements, oldest first, by account id in decimal. */
  accountReplacements: DataLoader<string, MeterReplacementRow[]>;
  /** The replacements a meter took part in (removed or installed), oldest first, by meter id in decimal. */
  meterReplacements: DataLoader<string, MeterReplacementRow[]>;
  /** A ПЦК 3/4 plan's published hourly price lists, by period, by plan id in decimal. */
  hourlyPrices: DataLoader<string, HourlyPricesRow[]>;
};

const perRequest = new WeakMap<GatewayContext, Loaders>();

export function loadersOf(context: GatewayContext): Loaders {
  let loaders = perRequest.get(context);
  if (!loaders) {
    loaders = createLoaders(requireDatabase(context).em());
    perRequest.set(context, loaders);
  }
  return loaders;
}

function byKey<Row extends object, Key extends string | number>(
  em: EntityManager,
  // biome-ignore lint/suspicious/noExplicitAny: schemas of different row types.
  entity: EntitySchema<any>,
  column: keyof Row & string,
): DataLoader<Key, Row | undefined> {
  return new DataLoader<Key, Row | undefined>(
    async (keys) => {
      const rows = (await em.find(entity, { [column]: { $in: [...keys] } })) as Row[];
      const found = new Map(rows.map((row) => [row[column as keyof Row] as unknown as Key, row]));
      return keys.map((key) => found.get(key));
    },
    { maxBatchSize: 500 },
  );
}

/** Integer columns the grouped loaders are asked for by decimal string. */
const NUMERIC_KEYS = new Set(["groupId", "accountId", "planId"]);

function grouped<Row extends object>(
  em: EntityManager,
  // biome-ignore lint/suspicious/noExplicitAny: schemas of different row types.
  entity: EntitySchema<any>,
  column: keyof Row & string,
  orderBy: Record<string, "asc" | "desc">,
): DataLoader<string, Row[]> {
  return new DataLoader<string, Row[]>(
    async (keys) => {
      const values = NUMERIC_KEYS.has(column) ? keys.map(Number) : [...keys];
      const rows = (await em.find(entity, { [column]: { $in: values } }, { orderBy })) as Row[];
      const groups = new Map<string, Row[]>(keys.map((key) => [key, []]));
      for (const row of rows) groups.get(String(row[column as keyof Row]))?.push(row);
      return keys.map((key) => groups.get(key) ?? []);
    },
    { maxBatchSize: 200 },
  );
}

export function createLoaders(em: EntityManager): Loaders {
  return {
    account: byKey<AccountRow, number>(em, Account, "id"),
    meter: byKey<MeterRow, number>(em, Meter, "id"),
    organisationByAddress: byKey<OrganisationRow, string>(em, Organisation, "address"),
    organisationById: byKey<OrganisationRow, number>(em, Organisation, "id"),
    profile: byKey<OrganisationProfileRow, string>(em, OrganisationProfile, "address"),
    billingPeriod: byKey<BillingPeriodRow, number>(em, BillingPeriod, "id"),
    invoiceLines: grouped<InvoiceLineRow>(em, InvoiceLine, "invoiceId", { lineNo: "asc" }),
    invoicePayments: grouped<PaymentRow>(em, Payment, "invoiceId", { paidAt: "asc", paymentNumber: "asc" }),
    tariffPlans: grouped<TariffPlanRow>(em, TariffPlan, "groupId", { validFrom: "asc", id: "asc" }),
    invoiceVolumeEvents: grouped<InvoiceVolumeEventRow>(em, InvoiceVolumeEvent, "invoiceId", {
      blockNumber: "asc",
      logIndex: "asc",
    }),
    accountReplacements: grouped<MeterReplacementRow>(em, MeterReplacement, "accountId", {
      replacedAt: "asc",
      blockNumber: "asc",
    }),
    meterReplacements: new DataLoader<string, MeterReplacementRow[]>(
      async (keys) => {
        const ids = keys.map(Number);
        const rows = await em.find(
          MeterReplacement,
          { $or: [{ oldMeterId: { $in: ids } }, { newMeterId: { $in: ids } }] },
          { orderBy: { replacedAt: "asc", blockNumber: "asc" } },
        );
        return keys.map((key) =>
          rows.filter((row) => String(row.oldMeterId) === key || String(row.newMeterId) === key),
        );
      },
      { maxBatchSize: 200 },
    ),
    hourlyPrices: grouped<HourlyPricesRow>(em, HourlyPrices, "planId", { periodId: "asc" }),
  };
}
