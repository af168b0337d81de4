import type { LoadKind } from "./loadProfile.js";
import { THREE_ZONE_HOURS, TWO_ZONE_HOURS } from "./loadProfile.js";
import {
  DEMO_REGION,
  DEMO_SITES,
  DEMO_TOWN,
  type DemoAddress,
  type DemoSite,
  formatAddress,
  LEGAL_ENTITY_NAMES,
  type LegalKind,
  type PersonName,
  personName,
} from "./people.js";
import { createRng, type Rng } from "./prng.js";

/**
 * The whole demo as data: organisations, tariff groups and plans, consumers with their meters,
 * accounts, tariffs, data concentrators, meter events and what each consumer does with the invoice.
 * Pure and deterministic for a given size; {@link seedDemoData} only puts it on the chain.
 */

export type DemoSize = {
  /** Consumer accounts (one meter each). */
  accounts: number;
  /** Length of the billed period in days. */
  days: number;
};

export const FULL_DEMO_SIZE: DemoSize = { accounts: 200, days: 30 };
export const DEMO_SEED = "gridledger-demo-v1";

/** Tariffs.TariffKind. */
export const TariffKind = {
  SingleRate: 1,
  TwoZone: 2,
  ThreeZone: 3,
  VolumeRange: 4,
  SocialNorm: 5,
  PriceCategory3: 6,
  PriceCategory4: 7,
} as const;
export type TariffKindName = keyof typeof TariffKind;

/** Registry.ConsumerType. */
export const ConsumerType = { Household: 1, LegalEntity: 2 } as const;

/** Demo meaning of `Meter.meterType` (the contracts leave the codes to the participants). */
export const MeterType = { Individual: 1, CommonHouse: 2, Commercial: 3 } as const;
/** Demo meaning of `Meter.meteringScheme`. */
export const MeteringScheme = { DirectSinglePhase: 1, DirectThreePhase: 2, CurrentTransformers: 3 } as const;
/** Registry.LossMethod. */
export const LossMethod = { None: 0, ContractPercentage: 1, Transformer: 2, Line: 3 } as const;
/** IPayments.PaymentMethod. */
export const PaymentMethod = { BankTransfer: 0, Card: 1, CashDesk: 2 } as const;

export type RetailKey = "A" | "B";

export type DemoOrganisation = {
  role: "operator" | "gridCompany" | "retailCompanyA" | "retailCompanyB" | "bank";
  name: string;
  shortName: string;
  inn: string;
  kpp: string;
  ogrn: string;
  address: string;
  description: string;
};

export type DemoPlanSpec = {
  kind: TariffKindName;
  vatIncluded: boolean;
  vatBp: number;
  zoneHours: readonly { startHour: number; endHour: number; zone: number }[];
  threshold1: bigint;
  threshold2: bigint;
  exportPrice: bigint;
  /** Per zone/range row: [energy, transmission, retail markup, infrastructure], 0.01 RUB/MWh. */
  rates: [bigint, bigint, bigint, bigint][];
};

export type DemoGroup = {
  key: string;
  retail: RetailKey;
  /** On-chain name (≤ 32 UTF-8 bytes). */
  name: string;
  consumerType: (typeof ConsumerType)[keyof typeof ConsumerType];
  priceCategory: number;
  plans: DemoPlanSpec[];
};

export type DemoMeter = {
  model: string;
  serial: string;
  meterType: number;
  meteringScheme: number;
  tariffZones: number;
  remoteReading: boolean;
  exportCapable: boolean;
  atBalanceBoundary: boolean;
  lossMethod: number;
  lossPpm: number;
  /** Register values at the start of the period (T1..Tn, then export), Wh. */
  openingWh: bigint[];
};

export type InvoiceAction = "confirm" | "dispute" | "ignore";
export type PaymentBehaviour = "full" | "partial" | "over" | "none";

export type DemoConsumer = {
  index: number;
  retail: RetailKey;
  legal: boolean;
  legalKind?: LegalKind | undefined;
  priceCategory: number;
  /** Full name of the person or the organisation. */
  name: string;
  person?: PersonName | undefined;
  inn?: string | undefined;
  address: DemoAddress;
  accountNumber: string;
  load: LoadKind;
  monthlyKwh: number;
  solarKwp?: number | undefined;
  meter: DemoMeter;
  tariff: { group: string; kind: TariffKindName };
  /** A tariff the consumer chooses for the next period. */
  nextTariff?: { group: string; kind: TariffKindName } | undefined;
  /** Index of the data concentrator (device key) reading the meter; undefined = readings entered by the consumer. */
  agent: number | undefined;
  invoice: InvoiceAction;
  payment: PaymentBehaviour;
  /** Share paid for partial payments, 0-1. */
  partialShare: number;
  paymentMethod: number;
  events: {
    tamper?: { day: number; code: number; cleared: boolean } | undefined;
    clockDrift?: { day: number; seconds: number } | undefined;
    firmware?: "changed" | "restored" | undefined;
    /** A day the concentrator was offline: its records are flagged FromLoadProfile. */
    outage?: { day: number } | undefined;
  };
  /** Address index of the consumer's key in the dev mnemonic. */
  keyIndex: number;
};

export type DemoAgent = { index: number; site: string; meters: number[]; keyIndex: number };

export type DemoPlan = {
  size: DemoSize;
  organisations: DemoOrganisation[];
  groups: DemoGroup[];
  consumers: DemoConsumer[];
  agents: DemoAgent[];
};

export const CONSUMER_KEY_BASE_INDEX = 100;
export const DEVICE_KEY_BASE_INDEX = 1000;

/** 0.01 RUB/MWh from RUB/kWh. */
const perKwh = (rub: number) => BigInt(Math.round(rub * 100_000));
/** 0.01 RUB/MWh from RUB/MWh. */
const perMwh = (rub: number) => BigInt(Math.round(rub * 100));

/** Splits a household price (VAT included) into the four provider components by typical shares (billing-rules §6.2). */
function householdRow(rubPerKwh: number): [bigint, bigint, bigint, bigint] {
  const total = perKwh(rubPerKwh);
  const energy = (total * 62n) / 100n;
  const transmission = (total * 27n) / 100n;
  const infrastructure = (total * 3n) / 1000n;
  return [energy, transmission, total - energy - transmission - infrastructure, infrastructure];
}

/** Legal-entity components, net of VAT, RUB/MWh: energy+capacity, transmission, markup, infrastructure. */
function legalRow(energy: number, transmission: number, markup: number, infrastructure = 6.8) {
  return [perMwh(energy), perMwh(transmission), perMwh(markup), perMwh(infrastructure)] as [
    bigint,
    bigint,
    bigint,
    bigint,
  ];
}

const HOUSEHOLD = { vatIncluded: true, vatBp: 2200, threshold1: 0n, threshold2: 0n } as const;
const LEGAL = { vatIncluded: false, vatBp: 2200, threshold1: 0n, threshold2: 0n, exportPrice: 0n } as const;
const EXPORT_PRICE = perKwh(2.85);

function householdPlans(
  prices: { single: number; day: number; night: number; peak: number; halfPeak: number },
  extra: { ranges?: [number, number, number]; norm?: { kwh: number; inNorm: number; above: number } },
): DemoPlanSpec[] {
  const plans: DemoPlanSpec[] = [
    {
      kind: "SingleRate",
      ...HOUSEHOLD,
      exportPrice: EXPORT_PRICE,
      zoneHours: [],
      rates: [householdRow(prices.single)],
    },
    {
      kind: "TwoZone",
      ...HOUSEHOLD,
      exportPrice: EXPORT_PRICE,
      zoneHours: TWO_ZONE_HOURS,
      rates: [householdRow(prices.day), householdRow(prices.night)],
    },
    {
      kind: "ThreeZone",
      ...HOUSEHOLD,
      exportPrice: EXPORT_PRICE,
      zoneHours: THREE_ZONE_HOURS,
      // zone 0 peak, zone 1 night, zone 2 half-peak (registers T1, T2, T3)
      rates: [householdRow(prices.peak), householdRow(prices.night), householdRow(prices.halfPeak)],
    },
  ];
  if (extra.ranges) {
    plans.push({
      kind: "VolumeRange",
      ...HOUSEHOLD,
      threshold1: 3_900_000n,
      threshold2: 6_000_000n,
      exportPrice: EXPORT_PRICE,
      zoneHours: [],
      rates: extra.ranges.map(householdRow),
    });
  }
  if (extra.norm) {
    plans.push({
      kind: "SocialNorm",
      ...HOUSEHOLD,
      threshold1: BigInt(extra.norm.kwh * 1000),
      exportPrice: EXPORT_PRICE,
      zoneHours: [],
      rates: [householdRow(extra.norm.inNorm), householdRow(extra.norm.above)],
    });
  }
  return plans;
}

function legalZonePlans(base: {
  energyDay: number;
  energyNight: number;
  energyPeak: number;
  energyHalfPeak: number;
  transmission: number;
  markup: number;
}): DemoPlanSpec[] {
  return [
    {
      kind: "TwoZone",
      ...LEGAL,
      zoneHours: TWO_ZONE_HOURS,
      rates: [
        legalRow(base.energyDay, base.transmission, base.markup),
        legalRow(base.energyNight, base.transmission, base.markup),
      ],
    },
    {
      kind: "ThreeZone",
      ...LEGAL,
      zoneHours: THREE_ZONE_HOURS,
      rates: [
        legalRow(base.energyPeak, base.transmission, base.markup),
        legalRow(base.energyNight, base.transmission, base.markup),
        legalRow(base.energyHalfPeak, base.transmission, base.markup),
      ],
    },
  ];
}

export const DEMO_GROUPS: DemoGroup[] = [
  {
    key: "A-city",
    retail: "A",
    name: "Население, город",
    consumerType: ConsumerType.Household,
    priceCategory: 0,
    plans: householdPlans(
      { single: 6.43, day: 7.38, night: 3.95, peak: 8.35, halfPeak: 6.43 },
      { ranges: [6.43, 8.12, 11.5] },
    ),
  },
  {
    key: "A-stove",
    retail: "A",
    name: "С электроплитами",
    consumerType: ConsumerType.Household,
    priceCategory: 0,
    plans: householdPlans(
      { single: 4.5, day: 5.17, night: 2.77, peak: 5.85, halfPeak: 4.5 },
      { norm: { kwh: 200, inNorm: 4.5, above: 6.43 } },
    ),
  },
  {
    key: "A-L1",
    retail: "A",
    name: "Юрлица, ЦК1",
    consumerType: ConsumerType.LegalEntity,
    priceCategory: 1,
    plans: [{ kind: "SingleRate", ...LEGAL, zoneHours: [], rates: [legalRow(4180, 5230, 412)] }],
  },
  {
    key: "A-L2",
    retail: "A",
    name: "Юрлица, ЦК2",
    consumerType: ConsumerType.LegalEntity,
    priceCategory: 2,
    plans: legalZonePlans({
      energyDay: 4650,
      energyNight: 2650,
      energyPeak: 6100,
      energyHalfPeak: 4300,
      transmission: 5230,
      markup: 412,
    }),
  },
  {
    key: "B-pop",
    retail: "B",
    name: "Население",
    consumerType: ConsumerType.Household,
    priceCategory: 0,
    plans: householdPlans(
      { single: 6.55, day: 7.5, night: 4.05, peak: 8.5, halfPeak: 6.55 },
      { ranges: [6.55, 8.3, 11.8], norm: { kwh: 150, inNorm: 5.2, above: 6.9 } },
    ),
  },
  {
    key: "B-L1",
    retail: "B",
    name: "Юрлица, ЦК1",
    consumerType: ConsumerType.LegalEntity,
    priceCategory: 1,
    plans: [{ kind: "SingleRate", ...LEGAL, zoneHours: [], rates: [legalRow(4210, 5230, 395)] }],
  },
  {
    key: "B-L2",
    retail: "B",
    name: "Юрлица, ЦК2",
    consumerType: ConsumerType.LegalEntity,
    priceCategory: 2,
    plans: legalZonePlans({
      energyDay: 4700,
      energyNight: 2700,
      energyPeak: 6150,
      energyHalfPeak: 4350,
      transmission: 5230,
      markup: 395,
    }),
  },
  {
    // The consumers stay on the single rate (the month's average hourly price; period close bills it);
    // the ПЦК 3 plan beside it carries the period's published hourly prices ({@link demoHourlyPrices}):
    // its row holds the adders billed per MWh on top of the hourly energy price.
    key: "B-L3",
    retail: "B",
    name: "Юрлица, ЦК3",
    consumerType: ConsumerType.LegalEntity,
    priceCategory: 3,
    plans: [
      { kind: "SingleRate", ...LEGAL, zoneHours: [], rates: [legalRow(3950, 4890, 370)] },
      { kind: "PriceCategory3", ...LEGAL, zoneHours: [], rates: [legalRow(0, 4890, 370)] },
    ],
  },
  {
    // Single rate: two-rate transmission as its monthly average per MWh. ПЦК 4: no transmission adder
    // (maintenance and losses come with the published hourly data).
    key: "B-L4",
    retail: "B",
    name: "Юрлица, ЦК4",
    consumerType: ConsumerType.LegalEntity,
    priceCategory: 4,
    plans: [
      { kind: "SingleRate", ...LEGAL, zoneHours: [], rates: [legalRow(3800, 2980, 360)] },
      { kind: "PriceCategory4", ...LEGAL, zoneHours: [], rates: [legalRow(0, 0, 360)] },
    ],
  },
];

/** HourlyBilling.HourlyPrices (0.01 RUB/MWh and 0.01 RUB/MW per month). */
export type DemoHourlyPrices = {
  prices: bigint[];
  capacityRate: bigint;
  maintenanceRate: bigint;
  lossRate: bigint;
  capacityHours: bigint[];
  networkWindows: bigint[];
};

/**
 * The hourly price data the demo's retail company B publishes for a ПЦК 3/4 plan and a period of
 * `hours` hours starting at local midnight: a wholesale-like energy price per hour (cheap at night,
 * dear in the day, varying by day), ЦМ with the АТС peak hour at 11:00 of each day and, for ПЦК 4,
 * Т_сод with the planned peak window 08:00-12:00 and Т_пот. Every day counts as a working day (the
 * demo has no calendar). Deterministic.
 */
export function demoHourlyPrices(kind: "PriceCategory3" | "PriceCategory4", hours: number): DemoHourlyPrices {
  const days = Math.floor(hours / 24);
  const pck4 = kind === "PriceCategory4";
  return {
    prices: Array.from({ length: hours }, (_, h) => {
      const hour = h % 24;
      const day = hour >= 7 && hour < 23 ? 1450 : 0;
      return perMwh(2380 + day + ((h * 37) % 290));
    }),
    capacityRate: perMwh(1_050_000),
    maintenanceRate: pck4 ? perMwh(2_195_989.96) : 0n,
    lossRate: pck4 ? perMwh(593.1) : 0n,
    capacityHours: Array.from({ length: days }, (_, d) => BigInt(d * 24 + 11)),
    networkWindows: pck4 ? Array.from({ length: days }, (_, d) => (BigInt(d * 24 + 8) << 8n) | 4n) : [],
  };
}

/** A 10-digit legal-entity INN with a valid check digit. */
export function legalInn(rng: Rng, regionPrefix = "58"): string {
  const digits = [...regionPrefix, ...Array.from({ length: 7 }, () => String(rng.int(0, 9)))].map(Number);
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const check = (digits.reduce((sum, digit, i) => sum + digit * weights[i]!, 0) % 11) % 10;
  return [...digits, check].join("");
}

export function isValidLegalInn(inn: string): boolean {
  if (!/^\d{10}$/.test(inn)) return false;
  const digits = [...inn].map(Number);
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const check = (digits.slice(0, 9).reduce((sum, digit, i) => sum + digit * weights[i]!, 0) % 11) % 10;
  return check === digits[9];
}

function organisations(rng: Rng): DemoOrganisation[] {
  const org = (
    role: DemoOrganisation["role"],
    name: string,
    shortName: string,
    address: string,
    description: string,
  ): DemoOrganisation => {
    const inn = legalInn(rng);
    return {
      role,
      name,
      shortName,
      inn,
      kpp: `${inn.slice(0, 4)}01001`,
      ogrn: `1${String(rng.int(10, 99))}5800${String(rng.int(1_000_000, 9_999_999))}`,
      address: `${DEMO_REGION}, г. ${DEMO_TOWN}, ${address}`,
      description,
    };
  };
  return [
    org("operator", "ООО «ГридЛеджер Оператор»", "ГридЛеджер", "ул. Мира, д. 3", "Оператор платформы учёта"),
    org(
      "gridCompany",
      "АО «Сосновские городские электрические сети»",
      "АО «СГЭС»",
      "ул. Заводская, д. 1",
      "Сетевая организация (котлодержатель)",
    ),
    org(
      "retailCompanyA",
      "ПАО «Сосновскэнергосбыт»",
      "Сосновскэнергосбыт",
      "ул. Ленина, д. 20",
      "Гарантирующий поставщик",
    ),
    org(
      "retailCompanyB",
      "ООО «Городская энергосбытовая компания»",
      "ООО «ГЭСК»",
      "пр. Победы, д. 7",
      "Энергосбытовая компания",
    ),
    org("bank", "АО «Банк Сосновский»", "Банк Сосновский", "ул. Советская, д. 11", "Банк, источник платежей"),
  ];
}

type ModelSpec = { model: string; serial: (rng: Rng) => string };
const digits = (rng: Rng, length: number) => Array.from({ length }, () => String(rng.int(0, 9))).join("");
const MODELS = {
  mercury230: { model: "Mercury 230 ART-01", serial: (rng) => `4${digits(rng, 7)}` },
  mercury234: { model: "Mercury 234 ARTM-03 PB.G", serial: (rng) => `3${digits(rng, 7)}` },
  mercury234Bi: { model: "Mercury 234 ARTM2-02 DPBR.R", serial: (rng) => `5${digits(rng, 7)}` },
  ce301: { model: "Energomera CE301 R33", serial: (rng) => `0115${digits(rng, 11)}` },
  ce303: { model: "Energomera CE303 S31", serial: (rng) => `0093${digits(rng, 11)}` },
  sdm120: { model: "Eastron SDM120-Modbus", serial: (rng) => `2${digits(rng, 7)}` },
  sdm630: { model: "Eastron SDM630-Modbus V2", serial: (rng) => `1${digits(rng, 8)}` },
  wbmap3e: { model: "Wiren Board WB-MAP3E", serial: (rng) => `WB${digits(rng, 7)}` },
  mercury201: { model: "Mercury 201.8", serial: (rng) => `2${digits(rng, 7)}` },
  ce101: { model: "Energomera CE101 R5", serial: (rng) => `0097${digits(rng, 11)}` },
} satisfies Record<string, ModelSpec>;

type Draft = Omit<DemoConsumer, "index" | "accountNumber" | "agent" | "keyIndex"> & { siteCode: string };

type LegalSpec = {
  kind: LegalKind;
  category: number;
  retail: RetailKey;
  load: LoadKind;
  kwh: [number, number];
};
/** The first four cover price categories 1-4; the rest cycle over smaller businesses. */
const LEGAL_FIRST: LegalSpec[] = [
  { kind: "shop", category: 1, retail: "A", load: "shop", kwh: [2500, 6000] },
  { kind: "school", category: 2, retail: "A", load: "school", kwh: [5000, 12000] },
  { kind: "bakery", category: 3, retail: "B", load: "bakery", kwh: [25000, 45000] },
  { kind: "factory", category: 4, retail: "B", load: "factory", kwh: [60000, 120000] },
];
const LEGAL_CYCLE: LegalSpec[] = [
  { kind: "office", category: 1, retail: "B", load: "office", kwh: [1500, 4000] },
  { kind: "cafe", category: 1, retail: "B", load: "cafe", kwh: [3000, 7000] },
  { kind: "workshop", category: 2, retail: "B", load: "workshop", kwh: [2500, 8000] },
  { kind: "shop", category: 1, retail: "B", load: "shop", kwh: [2500, 6000] },
  { kind: "office", category: 2, retail: "A", load: "office", kwh: [2000, 5000] },
  { kind: "cafe", category: 1, retail: "A", load: "cafe", kwh: [3000, 7000] },
  { kind: "shop", category: 1, retail: "A", load: "shop", kwh: [1500, 5000] },
  { kind: "school", category: 2, retail: "A", load: "school", kwh: [4000, 9000] },
  { kind: "workshop", category: 1, retail: "A", load: "workshop", kwh: [1500, 4000] },
];
const LEGAL_ORDER = (i: number) =>
  i < LEGAL_FIRST.length ? LEGAL_FIRST[i]! : LEGAL_CYCLE[(i - LEGAL_FIRST.length) % LEGAL_CYCLE.length]!;

/** Builds the deterministic demo plan for `size`. */
export function buildDemoPlan(size: DemoSize = FULL_DEMO_SIZE): DemoPlan {
  if (!Number.isInteger(size.accounts) || size.accounts < 16) {
    throw new RangeError(`The demo needs at least 16 accounts (got ${size.accounts})`);
  }
  if (!Number.isInteger(size.days) || size.days < 2 || size.days > 31) {
    throw new RangeError(`The demo period is 2-31 days (got ${size.days})`);
  }
  const rng = createRng(DEMO_SEED);
  const orgs = organisations(rng.fork("organisations"));
  const n = size.accounts;
  const drafts: Draft[] = [];
  const siteBy = (code: string) => DEMO_SITES.find((site) => site.code === code)!;
  const usedAddresses = new Set<string>();
  const blockAddress = (r: Rng, site: DemoSite): DemoAddress => {
    for (;;) {
      const address = formatAddress(site, r.pick(site.streets), String(r.int(1, 40)), r.int(1, 120));
      if (!usedAddresses.has(address.full)) {
        usedAddresses.add(address.full);
        return address;
      }
    }
  };
  const houseAddress = (r: Rng, site: DemoSite): DemoAddress => {
    for (;;) {
      const address = formatAddress(site, r.pick(site.streets), String(r.int(1, 90)));
      if (!usedAddresses.has(address.full)) {
        usedAddresses.add(address.full);
        return address;
      }
    }
  };
  const noEvents = {};
  const base = (r: Rng) => ({
    invoice: "confirm" as InvoiceAction,
    payment: "full" as PaymentBehaviour,
    partialShare: 0,
    paymentMethod: r.pick([
      PaymentMethod.Card,
      PaymentMethod.Card,
      PaymentMethod.BankTransfer,
      PaymentMethod.CashDesk,
    ]),
    events: noEvents,
  });
  const meter = (
    r: Rng,
    spec: ModelSpec,
    fields: Partial<DemoMeter> & { tariffZones: number },
  ): DemoMeter => {
    const zones = fields.tariffZones;
    const exportCapable = fields.exportCapable ?? false;
    const opening = Array.from({ length: zones }, (_, z) =>
      BigInt(r.int(800, 25_000) * (z === 0 ? 1000 : 400)),
    );
    if (exportCapable) opening.push(BigInt(r.int(50, 3000) * 1000));
    return {
      model: spec.model,
      serial: spec.serial(r),
      meterType: MeterType.Individual,
      meteringScheme: MeteringScheme.DirectSinglePhase,
      remoteReading: true,
      exportCapable,
      atBalanceBoundary: true,
      lossMethod: LossMethod.None,
      lossPpm: 0,
      ...fields,
      openingWh: fields.openingWh ?? opening,
    };
  };

  // ---------------------------------------------------------------- legal entities
  const legalCount = Math.max(4, Math.round(n * 0.15));
  const nameUse = new Map<LegalKind, number>();
  for (let i = 0; i < legalCount; i++) {
    const r = rng.fork(`legal-${i}`);
    const spec = LEGAL_ORDER(i);
    const names = LEGAL_ENTITY_NAMES[spec.kind];
    const used = nameUse.get(spec.kind) ?? 0;
    nameUse.set(spec.kind, used + 1);
    const baseName = names[used % names.length]!;
    const name =
      used >= names.length ? `${baseName} (филиал ${Math.floor(used / names.length) + 1})` : baseName;
    const big = spec.category >= 3;
    const site = siteBy(big || spec.kind === "workshop" ? "U3" : r.pick(["U1", "U2", "U3"]));
    const zones = spec.category === 2 ? r.pick([2, 3]) : big ? 3 : 1;
    // the ПЦК 3 bakery is billed on hourly prices (HourlyBilling); the others per period
    const kind: TariffKindName =
      spec.category === 2
        ? zones === 2
          ? "TwoZone"
          : "ThreeZone"
        : spec.category === 3
          ? "PriceCategory3"
          : "SingleRate";
    const model = big
      ? MODELS.ce303
      : r.pick([MODELS.mercury234, MODELS.mercury230, MODELS.wbmap3e, MODELS.sdm630]);
    // The factory owns its 10/0.4 kV substation: the meter is on the 0.4 kV side, downstream of the
    // boundary, as are two of company B's workshops. The bakery's meter is at the boundary: HourlyBilling
    // bills only plain volumes (no loss correction on hourly profiles).
    const losses =
      spec.kind === "factory" || (spec.kind === "workshop" && spec.retail === "B" && i < 16)
        ? {
            atBalanceBoundary: false,
            lossMethod: LossMethod.ContractPercentage,
            lossPpm: spec.kind === "factory" ? 30_000 : -12_000,
          }
        : {};
    drafts.push({
      ...base(r),
      paymentMethod: PaymentMethod.BankTransfer,
      retail: spec.retail,
      legal: true,
      legalKind: spec.kind,
      priceCategory: spec.category,
      name,
      inn: legalInn(r),
      address: houseAddress(r, site),
      load: spec.load,
      monthlyKwh: r.int(spec.kwh[0], spec.kwh[1]),
      meter: meter(r, model, {
        tariffZones: zones,
        meterType: MeterType.Commercial,
        meteringScheme: big ? MeteringScheme.CurrentTransformers : MeteringScheme.DirectThreePhase,
        openingWh: Array.from({ length: zones }, () => BigInt(r.int(20_000, 900_000) * 1000)),
        ...losses,
      }),
      tariff: { group: `${spec.retail}-L${spec.category}`, kind },
      siteCode: site.code,
    });
  }

  // ---------------------------------------------------------------- the common-house meter (ОДПУ)
  {
    const r = rng.fork("common-house");
    const site = siteBy("U1");
    drafts.push({
      ...base(r),
      paymentMethod: PaymentMethod.BankTransfer,
      retail: "A",
      legal: false,
      priceCategory: 0,
      name: "ООО «УК Домовой» (ОДПУ, ул. Ленина, д. 12)",
      inn: legalInn(r),
      address: formatAddress(site, "ул. Ленина", "12"),
      load: "commonHouse",
      monthlyKwh: r.int(1800, 3200),
      meter: meter(r, MODELS.ce303, {
        tariffZones: 1,
        meterType: MeterType.CommonHouse,
        meteringScheme: MeteringScheme.CurrentTransformers,
      }),
      tariff: { group: "A-city", kind: "SingleRate" },
      siteCode: site.code,
    });
  }

  // ---------------------------------------------------------------- prosumers (rooftop solar, Сосновый Бор)
  const prosumers = Math.max(1, Math.round(n * 0.03));
  for (let i = 0; i < prosumers; i++) {
    const r = rng.fork(`prosumer-${i}`);
    const site = siteBy("U4");
    const person = personName(r);
    const zones = i % 2 === 0 ? 1 : 2;
    drafts.push({
      ...base(r),
      retail: "A",
      legal: false,
      priceCategory: 0,
      name: person.fullName,
      person,
      address: houseAddress(r, site),
      load: "house",
      monthlyKwh: r.int(350, 650),
      solarKwp: r.pick([5, 8, 10, 15]),
      meter: meter(r, i % 2 === 0 ? MODELS.sdm630 : MODELS.mercury234Bi, {
        tariffZones: zones,
        exportCapable: true,
        meteringScheme: MeteringScheme.DirectThreePhase,
      }),
      tariff: { group: "A-city", kind: zones === 1 ? "SingleRate" : "TwoZone" },
      siteCode: site.code,
    });
  }

  // ---------------------------------------------------------------- meters read by the consumer
  const manual = Math.max(1, Math.round(n * 0.04));
  for (let i = 0; i < manual; i++) {
    const r = rng.fork(`manual-${i}`);
    const site = siteBy(i % 2 === 0 ? "U3" : "U4");
    const person = personName(r);
    const retail: RetailKey = i % 3 === 2 ? "B" : "A";
    drafts.push({
      ...base(r),
      paymentMethod: r.pick([PaymentMethod.CashDesk, PaymentMethod.Card]),
      retail,
      legal: false,
      priceCategory: 0,
      name: person.fullName,
      person,
      address: houseAddress(r, site),
      load: "house",
      monthlyKwh: r.int(180, 420),
      meter: meter(r, i % 2 === 0 ? MODELS.mercury201 : MODELS.ce101, {
        tariffZones: 1,
        remoteReading: false,
      }),
      tariff: {
        group: retail === "A" ? "A-city" : "B-pop",
        kind: retail === "B" && i % 2 === 0 ? "SocialNorm" : "SingleRate",
      },
      siteCode: site.code,
    });
  }

  // ---------------------------------------------------------------- households
  const households = n - drafts.length;
  for (let i = 0; i < households; i++) {
    const r = rng.fork(`household-${i}`);
    const person = personName(r);
    const retail: RetailKey = r.chance(0.78) ? "A" : "B";
    const houseLike = r.chance(0.22);
    let load: LoadKind;
    let site: DemoSite;
    let address: DemoAddress;
    let monthlyKwh: number;
    if (houseLike) {
      site = siteBy(r.chance(0.7) ? "U4" : "U3");
      address = houseAddress(r, site);
      load = r.chance(0.35) ? "houseHeating" : "house";
      monthlyKwh = load === "houseHeating" ? r.int(2200, 5600) : r.int(300, 700);
    } else {
      site = siteBy(r.pick(["U1", "U1", "U2", "U2", "U3"]));
      address = blockAddress(r, site);
      load = r.chance(0.3) ? "flatStove" : "flat";
      monthlyKwh = load === "flatStove" ? r.int(220, 420) : r.int(120, 320);
    }
    const zones = load === "houseHeating" ? r.pick([1, 2]) : r.pick([1, 1, 2, 2, 3]);
    let group: string;
    let kind: TariffKindName;
    if (retail === "A") {
      group = load === "flatStove" ? "A-stove" : "A-city";
      if (load === "houseHeating" && zones === 1) kind = "VolumeRange";
      else if (zones === 1) kind = group === "A-stove" && r.chance(0.5) ? "SocialNorm" : "SingleRate";
      else kind = r.chance(0.2) ? "SingleRate" : zones === 2 ? "TwoZone" : "ThreeZone";
    } else {
      group = "B-pop";
      if (load === "houseHeating" && zones === 1) kind = "VolumeRange";
      else if (zones === 1) kind = r.chance(0.3) ? "SocialNorm" : "SingleRate";
      else kind = r.chance(0.2) ? "SingleRate" : zones === 2 ? "TwoZone" : "ThreeZone";
    }
    const model = houseLike
      ? r.pick([MODELS.mercury234, MODELS.ce303, MODELS.wbmap3e])
      : zones === 1
        ? r.pick([MODELS.sdm120, MODELS.ce301])
        : r.pick([MODELS.ce301, MODELS.mercury230]);
    drafts.push({
      ...base(r),
      retail,
      legal: false,
      priceCategory: 0,
      name: person.fullName,
      person,
      address,
      load,
      monthlyKwh,
      meter: meter(r, model, {
        tariffZones: zones,
        meteringScheme:
          houseLike || model === MODELS.mercury230
            ? MeteringScheme.DirectThreePhase
            : MeteringScheme.DirectSinglePhase,
      }),
      tariff: { group, kind },
      siteCode: site.code,
    });
  }

  // ---------------------------------------------------------------- numbering, behaviours, events
  const counters: Record<RetailKey, number> = { A: 0, B: 0 };
  const consumers: DemoConsumer[] = drafts.map(({ siteCode: _site, ...draft }, index) => {
    counters[draft.retail] += 1;
    const prefix = draft.retail === "A" ? "5801" : "5802";
    return {
      ...draft,
      index,
      accountNumber: `${prefix}${String(10_000 + counters[draft.retail]).padStart(6, "0")}`,
      agent: undefined,
      keyIndex: CONSUMER_KEY_BASE_INDEX + index,
    };
  });
  const behaviour = rng.fork("behaviour");
  const households_ = consumers.filter((c) => !c.legal && c.meter.meterType === MeterType.Individual);
  const remoteHouseholds = households_.filter((c) => c.meter.remoteReading && !c.meter.exportCapable);
  // disputes: one household (after a tamper flag), one legal entity
  const disputedHousehold = remoteHouseholds[3]!;
  const disputedLegal =
    consumers.find((c) => c.legal && c.retail === "B" && c.legalKind === "workshop") ??
    consumers.find((c) => c.legal && c.retail === "B")!;
  for (const consumer of [disputedHousehold, disputedLegal]) {
    consumer.invoice = "dispute";
    consumer.payment = "none";
  }
  const free = () => consumers.filter((c) => c.invoice === "confirm" && c.payment === "full");
  const pickFree = (count: number, filter: (c: DemoConsumer) => boolean = () => true) => {
    const candidates = free().filter(filter);
    const chosen: DemoConsumer[] = [];
    for (let i = 0; i < count && candidates.length > 0; i++) {
      chosen.push(candidates.splice(behaviour.int(0, candidates.length - 1), 1)[0]!);
    }
    return chosen;
  };
  for (const c of pickFree(Math.max(1, Math.round(n * 0.05)), (c) => !c.legal)) c.invoice = "ignore";
  for (const c of pickFree(Math.max(1, Math.round(n * 0.04)), (c) => !c.meter.exportCapable))
    c.payment = "none";
  for (const c of pickFree(Math.max(1, Math.round(n * 0.08)), (c) => !c.meter.exportCapable)) {
    c.payment = "partial";
    c.partialShare = Math.round(behaviour.range(0.3, 0.8) * 100) / 100;
  }
  for (const c of pickFree(1, (c) => !c.legal && !c.meter.exportCapable)) c.payment = "over";

  // meter events
  const events = rng.fork("events");
  const eventMeters = remoteHouseholds.filter((c) => c !== disputedHousehold);
  disputedHousehold.events = { tamper: { day: Math.floor(size.days / 2), code: 2, cleared: false } };
  eventMeters[0]!.events = { tamper: { day: 1, code: 1, cleared: true } };
  eventMeters[1]!.events = { clockDrift: { day: Math.min(size.days - 1, 5), seconds: 95 } };
  eventMeters[2]!.events = {
    clockDrift: { day: Math.min(size.days - 1, 9), seconds: -140 },
    firmware: "changed",
  };
  eventMeters[4]!.events = { firmware: "changed" };
  eventMeters[5]!.events = { firmware: "restored" };
  eventMeters[6]!.events = { outage: { day: events.int(1, size.days - 1) } };

  // tariff choices for the next period (the consumer's own transaction)
  let choices = 0;
  for (const c of consumers) {
    if (c.legal || c.meter.meterType !== MeterType.Individual || c.invoice === "dispute") continue;
    if (choices >= Math.max(2, Math.round(n * 0.05))) break;
    if (c.tariff.kind === "SingleRate" && c.meter.tariffZones >= 2) {
      c.nextTariff = { group: c.tariff.group, kind: c.meter.tariffZones === 2 ? "TwoZone" : "ThreeZone" };
      choices++;
    } else if (
      c.tariff.kind === "SingleRate" &&
      c.tariff.group !== "A-stove" &&
      c.load === "house" &&
      events.chance(0.5)
    ) {
      c.nextTariff = { group: c.tariff.group, kind: "VolumeRange" };
      choices++;
    }
  }

  // data concentrators: up to 10 remote meters of one site per device key
  const agents: DemoAgent[] = [];
  for (const site of DEMO_SITES) {
    const remote = consumers.filter((c) => c.address.site.code === site.code && c.meter.remoteReading);
    for (let i = 0; i < remote.length; i += 10) {
      const index = agents.length;
      const members = remote.slice(i, i + 10);
      for (const c of members) c.agent = index;
      agents.push({
        index,
        site: site.code,
        meters: members.map((c) => c.index),
        keyIndex: DEVICE_KEY_BASE_INDEX + index,
      });
    }
  }

  return { size, organisations: orgs, groups: DEMO_GROUPS, consumers, agents };
}
