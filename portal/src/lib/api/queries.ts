/** The GraphQL documents the portal sends, and the shapes of their answers. */
import type { MeterReplacement, VolumeEvent } from "$lib/invoices/volumeSource";

export type ChainRef = { blockNumber: string; txHash: string; logIndex: number };

export type Account = {
  id: string;
  accountNumber: string;
  consumer: string;
  consumerType: number;
  priceCategory: number;
  active: boolean;
  retailCompany: string;
  gridCompany: string;
  site: string;
  installationAddress: string;
  meterId: string | null;
  tariffGroupId: number | null;
  creditBalanceKopecks: string;
  chain: ChainRef;
  /** `ACCOUNT` only: the account's meter history. */
  meterReplacements?: MeterReplacement[];
};

export type Page<Node> = {
  totalCount: number;
  page: number;
  size: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
  nodes: Node[];
};

export type Reading = {
  meterId: string;
  accountId: string | null;
  intervalEnd: number;
  status: number;
  source: number;
  importT1: string | null;
  importT2: string | null;
  importT3: string | null;
  importT4: string | null;
  export: string | null;
  chain: ChainRef;
};

export type ConsumptionPoint = {
  bucketStart: number;
  importT1: string;
  importT2: string;
  importT3: string;
  importT4: string;
  export: string;
  readings: number;
};

const ACCOUNT_FIELDS = `id accountNumber consumer consumerType priceCategory active retailCompany gridCompany site
  installationAddress meterId tariffGroupId creditBalanceKopecks chain { blockNumber txHash logIndex }`;

export const ACCOUNTS = `query Accounts($filter: AccountFilter, $page: Int, $size: Int) {
  accounts(filter: $filter, page: $page, size: $size) {
    totalCount page size pageInfo { hasNextPage hasPreviousPage } nodes { ${ACCOUNT_FIELDS} }
  }
}`;

/** A meter replacement's fields (`Account.meterReplacements`, `Meter.replacements`). */
const REPLACEMENT_FIELDS = `oldMeterId newMeterId oldMeterSerial newMeterSerial replacedAt oldFinalWh newInitialWh
  chain { txHash }`;

// the meter history only on the one account: a list per row of a 200-row page costs too much
export const ACCOUNT = `query Account($id: String!) { account(id: $id) {
  ${ACCOUNT_FIELDS} meterReplacements { ${REPLACEMENT_FIELDS} }
} }`;

export const READINGS = `query Readings($filter: ReadingFilter, $page: Int, $size: Int) {
  readings(filter: $filter, page: $page, size: $size) {
    totalCount page size pageInfo { hasNextPage hasPreviousPage }
    nodes { meterId accountId intervalEnd status source importT1 importT2 importT3 importT4 export
      chain { blockNumber txHash logIndex } }
  }
}`;

export const SERIES = `query Series($filter: ReadingFilter, $bucket: SeriesBucket!) {
  consumptionSeries(filter: $filter, bucket: $bucket) {
    bucketStart importT1 importT2 importT3 importT4 export readings
  }
}`;

export type Meter = {
  id: string;
  serial: string;
  model: string;
  meterType: number;
  tariffZones: number;
  meteringScheme: number;
  remoteReading: boolean;
  exportCapable: boolean;
  atBalanceBoundary: boolean;
  lossMethod: number;
  lossPpm: number;
  accountId: string | null;
  gridCompany: string;
  tampered: boolean;
  firmwareChanged: boolean;
  lastClockDrift: number | null;
  chain: ChainRef;
  /** `METER` only: replacements the meter took part in. */
  replacements?: MeterReplacement[];
};

const METER_FIELDS = `id serial model meterType tariffZones meteringScheme remoteReading exportCapable
  atBalanceBoundary lossMethod lossPpm accountId gridCompany tampered firmwareChanged lastClockDrift
  chain { blockNumber txHash logIndex }`;

export const METERS = `query Meters($filter: MeterFilter, $page: Int, $size: Int) {
  meters(filter: $filter, page: $page, size: $size) {
    totalCount page size pageInfo { hasNextPage hasPreviousPage } nodes { ${METER_FIELDS} }
  }
}`;

export const METER = `query Meter($id: String!) { meter(id: $id) { ${METER_FIELDS} replacements { ${REPLACEMENT_FIELDS} } } }`;

export type Payment = {
  source: string;
  paymentNumber: string;
  kind: string;
  invoiceId: string | null;
  accountId: string;
  method: number | null;
  amount: string;
  applied: string;
  credited: string;
  split: { energy: string; transmission: string; retailMarkup: string; infrastructure: string };
  paidAt: number;
  chain: ChainRef;
  /** null where the account is not registered in the index */
  account: PaymentAccount | null;
};

/** The account a payment is for, as people know it: its number and installation address. */
export type PaymentAccount = { accountNumber: string; installationAddress: string };

export type PaymentPoint = { bucketStart: number; amount: string; payments: number };

export const PAYMENTS = `query Payments($filter: PaymentFilter, $page: Int, $size: Int) {
  payments(filter: $filter, page: $page, size: $size) {
    totalCount page size pageInfo { hasNextPage hasPreviousPage }
    nodes { source paymentNumber kind invoiceId accountId method amount applied credited
      split { energy transmission retailMarkup infrastructure } paidAt chain { blockNumber txHash logIndex }
      account { accountNumber installationAddress } }
  }
}`;

export const PAYMENTS_SERIES = `query PaymentsSeries($filter: PaymentFilter, $bucket: PaymentBucket!) {
  paymentsSeries(filter: $filter, bucket: $bucket) { bucketStart amount payments }
}`;

export type TransactionDetails = {
  hash: string;
  blockNumber: string;
  blockHash: string;
  blockTime: number;
  from: string;
  to: string | null;
  status: "SUCCESS" | "REVERTED";
  gasUsed: string;
  call: { contract: string | null; functionName: string | null; argsJson: string };
  events: {
    logIndex: number;
    address: string;
    contract: string | null;
    eventName: string | null;
    argsJson: string;
    indexed: boolean;
  }[];
  verified: boolean;
  verification: { receiptFound: boolean; blockMatches: boolean; logsMatch: boolean; problems: string[] };
};

export const TRANSACTION = `query Transaction($hash: String!) {
  transaction(hash: $hash) {
    hash blockNumber blockHash blockTime from to status gasUsed
    call { contract functionName argsJson }
    events { logIndex address contract eventName argsJson indexed }
    verified verification { receiptFound blockMatches logsMatch problems }
  }
}`;

export type PaymentReportRow = {
  accountId: string;
  amount: string;
  applied: string;
  credited: string;
  payments: number;
  lastPaidAt: number;
  items: {
    paymentNumber: string;
    source: string;
    amount: string;
    paidAt: number;
    chain: ChainRef;
    account: PaymentAccount | null;
  }[];
};

export type PaymentReport = Page<PaymentReportRow> & { totalAmount: string; paymentCount: number };

export const PAYMENT_REPORT = `query PaymentReport($year: Int!, $month: Int!, $retailCompany: String, $page: Int, $size: Int) {
  paymentReport(year: $year, month: $month, retailCompany: $retailCompany, page: $page, size: $size) {
    totalCount page size pageInfo { hasNextPage hasPreviousPage } totalAmount paymentCount
    nodes { accountId amount applied credited payments lastPaidAt
      items { paymentNumber source amount paidAt chain { blockNumber txHash logIndex }
        account { accountNumber installationAddress } } }
  }
}`;

export type BankDetails = {
  bankName: string | null;
  bik: string | null;
  settlementAccount: string | null;
  correspondentAccount: string | null;
};

export type OrganisationProfile = {
  name: string | null;
  directorName: string | null;
  phone: string | null;
  email: string | null;
  legalAddress: string | null;
  inn: string | null;
  kpp: string | null;
  ogrn: string | null;
  bank: BankDetails;
  updatedAt: number;
};

export type Organisation = {
  id: number;
  address: string;
  kind: "OPERATOR" | "GRID_COMPANY" | "RETAIL_COMPANY" | "PAYMENT_SOURCE";
  active: boolean;
  profileHash: string;
  profileIdText: string | null;
  chain: ChainRef;
  profile: OrganisationProfile | null;
  accountCount: number;
  consumerCount: number;
  meterCount: number;
};

const BANK_FIELDS = "bankName bik settlementAccount correspondentAccount";
const ORGANISATION_FIELDS = `id address kind active profileHash profileIdText chain { blockNumber txHash logIndex }
  profile { name directorName phone email legalAddress inn kpp ogrn bank { ${BANK_FIELDS} } updatedAt }
  accountCount consumerCount meterCount`;

export const ORGANISATIONS = `query Organisations($filter: OrganisationFilter, $page: Int, $size: Int) {
  organisations(filter: $filter, page: $page, size: $size) {
    totalCount page size pageInfo { hasNextPage hasPreviousPage } nodes { ${ORGANISATION_FIELDS} }
  }
}`;

export const ORGANISATION = `query Organisation($address: String!) { organisation(address: $address) { ${ORGANISATION_FIELDS} } }`;

export const MY_ORGANISATION = `{ myOrganisation { ${ORGANISATION_FIELDS} } }`;

export type Counterparty = {
  id: number;
  owner: string;
  name: string;
  inn: string;
  kpp: string | null;
  bank: BankDetails;
  address: string;
  phone: string | null;
  createdAt: number;
};

const COUNTERPARTY_FIELDS = `id owner name inn kpp bank { ${BANK_FIELDS} } address phone createdAt`;

export const COUNTERPARTIES = `query Counterparties($filter: CounterpartyFilter, $page: Int, $size: Int, $sort: CounterpartySort) {
  counterparties(filter: $filter, page: $page, size: $size, sort: $sort) {
    totalCount page size pageInfo { hasNextPage hasPreviousPage } nodes { ${COUNTERPARTY_FIELDS} }
  }
}`;

export const ADD_COUNTERPARTY = `mutation AddCounterparty($input: CounterpartyInput!) {
  addCounterparty(input: $input) { ${COUNTERPARTY_FIELDS} }
}`;

/** What every signed action answers. */
export type ActionResult = { transactionHash: string; blockNumber: string; sender: string; indexed: boolean };
const ACTION_FIELDS = "transactionHash blockNumber sender indexed";

export const UPDATE_COMPANY_PROFILE = `mutation UpdateCompanyProfile($input: CompanyProfileInput!) {
  updateCompanyProfile(input: $input) { ${ACTION_FIELDS} profileHash }
}`;

export type TariffRate = {
  index: number;
  energy: string;
  transmission: string;
  retailMarkup: string;
  infrastructure: string;
};

export type TariffPlan = {
  id: string;
  groupId: string;
  kind: number;
  kindName: string;
  zones: number;
  vatBp: number;
  vatIncluded: boolean;
  validFrom: number;
  validTo: number | null;
  zoneHours: number[];
  threshold1: string;
  threshold2: string;
  exportPrice: string;
  rates: TariffRate[];
  deleted: boolean;
  chain: ChainRef;
  lastChange: ChainRef;
};

export type TariffGroup = {
  id: string;
  retailCompany: string;
  consumerType: number;
  priceCategory: number;
  name: string;
  deleted: boolean;
  chain: ChainRef;
  lastChange: ChainRef;
  plans: TariffPlan[];
};

const PLAN_FIELDS = `id groupId kind kindName zones vatBp vatIncluded validFrom validTo zoneHours threshold1 threshold2
  exportPrice rates { index energy transmission retailMarkup infrastructure } deleted
  chain { blockNumber txHash logIndex } lastChange { blockNumber txHash logIndex }`;

export type HourlyPriceListSummary = {
  periodId: number;
  periodEnd: number | null;
  hours: number;
  pricesHash: string;
  minPrice: string;
  maxPrice: string;
  averagePrice: string;
  capacityRate: string;
  maintenanceRate: string;
  lossRate: string;
  chain: ChainRef;
};

/** A ПЦК 3/4 plan's periods with published hourly prices (asked for when the card is opened). */
export const HOURLY_PRICE_LISTS = `query HourlyPriceLists($id: String!) { tariffPlan(id: $id) { id
  hourlyPriceLists { periodId periodEnd hours pricesHash minPrice maxPrice averagePrice capacityRate
    maintenanceRate lossRate chain { blockNumber txHash logIndex } }
} }`;

/** One period's hourly prices, kopecks per MWh from the period's start. */
export const HOURLY_PRICES = `query HourlyPrices($id: String!, $periodId: Int!) { tariffPlan(id: $id) { id
  hourlyPrices(periodId: $periodId) { periodId periodEnd hours prices }
} }`;

export const TARIFF_GROUPS = `query TariffGroups($includeDeleted: Boolean!) {
  tariffGroups(includeDeleted: $includeDeleted) {
    id retailCompany consumerType priceCategory name deleted
    chain { blockNumber txHash logIndex } lastChange { blockNumber txHash logIndex }
    plans { ${PLAN_FIELDS} }
  }
}`;

export const CREATE_TARIFF_GROUP = `mutation CreateTariffGroup($input: CreateTariffGroupInput!) {
  createTariffGroup(input: $input) { ${ACTION_FIELDS} groupId }
}`;
export const EDIT_TARIFF_GROUP = `mutation EditTariffGroup($groupId: String!, $name: String!) {
  editTariffGroup(groupId: $groupId, name: $name) { ${ACTION_FIELDS} }
}`;
export const DELETE_TARIFF_GROUP = `mutation DeleteTariffGroup($groupId: String!) {
  deleteTariffGroup(groupId: $groupId) { ${ACTION_FIELDS} }
}`;
export const ADD_TARIFF_PLAN = `mutation AddTariffPlan($groupId: String!, $plan: TariffPlanInput!) {
  addTariffPlan(groupId: $groupId, plan: $plan) { ${ACTION_FIELDS} planId }
}`;
export const CLOSE_TARIFF_PLAN = `mutation CloseTariffPlan($planId: String!, $validTo: String!) {
  closeTariffPlan(planId: $planId, validTo: $validTo) { ${ACTION_FIELDS} }
}`;
export const DELETE_TARIFF_PLAN = `mutation DeleteTariffPlan($planId: String!) {
  deleteTariffPlan(planId: $planId) { ${ACTION_FIELDS} }
}`;

export type TariffSelection = {
  groupId: string;
  kind: number;
  fromPeriod: number;
  group: { id: string; name: string } | null;
  plan: TariffPlan | null;
  chain: ChainRef | null;
};

export type AccountTariff = {
  accountId: string;
  currentPeriod: number | null;
  current: TariffSelection | null;
  pending: TariffSelection | null;
  available: (TariffPlan & { group?: never })[];
};

const SELECTION_FIELDS = `groupId kind fromPeriod group { id name } plan { ${PLAN_FIELDS} } chain { blockNumber txHash logIndex }`;

export const ACCOUNT_TARIFF = `query AccountTariff($accountId: String!) {
  accountTariff(accountId: $accountId) {
    accountId currentPeriod current { ${SELECTION_FIELDS} } pending { ${SELECTION_FIELDS} }
    available { ${PLAN_FIELDS} }
  }
}`;

export const CHOOSE_TARIFF = `mutation ChooseTariff($accountId: String!, $groupId: String!, $kind: TariffKind!) {
  chooseTariff(accountId: $accountId, groupId: $groupId, kind: $kind) { ${ACTION_FIELDS} fromPeriod }
}`;

export type InvoiceStatus = "COMPUTED" | "ISSUED" | "CONFIRMED" | "DISPUTED" | "CANCELLED";
export type MoneyComponents = {
  energy: string;
  transmission: string;
  retailMarkup: string;
  infrastructure: string;
};

export type Invoice = {
  id: string;
  accountId: string;
  /** The chain's period id (`billingPeriodId | 2^30` for a common-house share). */
  periodId: number;
  billingPeriodId: number;
  isCommonHouseShare: boolean;
  volumeSource: VolumeEvent[];
  status: InvoiceStatus;
  total: string;
  components: MoneyComponents;
  vat: string;
  exportCredit: string;
  volumesWh: string[];
  paidTotal: string;
  debt: string;
  documentHash: string | null;
  dueDate: number | null;
  computedAt: number;
  periodEnd: number | null;
  chain: ChainRef;
  lastChange: ChainRef;
  account: {
    accountNumber: string;
    installationAddress: string;
    creditBalanceKopecks: string;
    /** `INVOICE` only: to date a replacement the invoice's volumes cross. */
    meterReplacements?: MeterReplacement[];
  } | null;
};

export type InvoiceDetails = Invoice & {
  lines: {
    lineNo: number;
    kindName: string;
    zone: number;
    range: number;
    componentName: string;
    quantity: string;
    rate: string;
    amount: string;
  }[];
  payments: { paymentNumber: string; source: string; amount: string; paidAt: number; chain: ChainRef }[];
  events: {
    status: InvoiceStatus;
    at: number;
    by: string | null;
    documentHash: string | null;
    chain: ChainRef;
  }[];
};

const INVOICE_FIELDS = `id accountId periodId billingPeriodId isCommonHouseShare
  volumeSource { kind method periodId volumeWh consecutivePeriods deductedWh oldMeterId newMeterId oldMeterWh newMeterWh areaDm2 }
  status total components { energy transmission retailMarkup infrastructure }
  vat exportCredit volumesWh paidTotal debt documentHash dueDate computedAt periodEnd
  chain { blockNumber txHash logIndex } lastChange { blockNumber txHash logIndex }
  account { accountNumber installationAddress creditBalanceKopecks }`;

export const INVOICES = `query Invoices($filter: InvoiceFilter, $page: Int, $size: Int) {
  invoices(filter: $filter, page: $page, size: $size) {
    totalCount page size pageInfo { hasNextPage hasPreviousPage } nodes { ${INVOICE_FIELDS} }
  }
}`;

export const INVOICE = `query Invoice($id: String!) {
  invoice(id: $id) {
    ${INVOICE_FIELDS}
    account { meterReplacements { ${REPLACEMENT_FIELDS} } }
    lines { lineNo kindName zone range componentName quantity rate amount }
    payments { paymentNumber source amount paidAt chain { blockNumber txHash logIndex } }
    events { status at by documentHash chain { blockNumber txHash logIndex } }
  }
}`;

export const CONFIRM_INVOICE = `mutation ConfirmInvoice($invoiceId: String!) { confirmInvoice(invoiceId: $invoiceId) { ${ACTION_FIELDS} } }`;
export const DISPUTE_INVOICE = `mutation DisputeInvoice($invoiceId: String!, $reason: String!) {
  disputeInvoice(invoiceId: $invoiceId, reason: $reason) { ${ACTION_FIELDS} }
}`;
export const SET_DEBIT_MANDATE = `mutation SetDebitMandate($accountId: String!, $source: String!, $limitPerDebit: String!) {
  setDebitMandate(accountId: $accountId, source: $source, limitPerDebit: $limitPerDebit) { ${ACTION_FIELDS} }
}`;
export const PAY_INVOICE = `mutation PayInvoice($invoiceId: String!, $amount: String, $source: String) {
  payInvoice(invoiceId: $invoiceId, amount: $amount, source: $source) { ${ACTION_FIELDS} }
}`;
export const RECORD_PAYMENT = `mutation RecordPayment($input: RecordPaymentInput!) { recordPayment(input: $input) { ${ACTION_FIELDS} } }`;
export const RECORD_PREPAYMENT = `mutation RecordPrepayment($input: RecordPrepaymentInput!) {
  recordPrepayment(input: $input) { ${ACTION_FIELDS} }
}`;

export const SUBMIT_MANUAL_READINGS = `mutation SubmitManualReadings($input: ManualReadingsInput!) {
  submitManualReadings(input: $input) { ${ACTION_FIELDS} accepted duplicates }
}`;

export type InvoiceDocuments = {
  id: string;
  accountId: string;
  periodId: number;
  periodEnd: number | null;
  total: string;
  documentHash: string | null;
  account: { accountNumber: string } | null;
  events: { status: InvoiceStatus; at: number; documentHash: string | null; chain: ChainRef }[];
};

/** Invoices with the documents anchored in their history (issued invoice, dispute reason). */
export const INVOICE_DOCUMENTS = `query InvoiceDocuments($page: Int, $size: Int) {
  invoices(page: $page, size: $size) {
    totalCount page size pageInfo { hasNextPage hasPreviousPage }
    nodes { id accountId periodId periodEnd total documentHash account { accountNumber }
      events { status at documentHash chain { blockNumber txHash logIndex } } }
  }
}`;

export type CostAccrued = {
  periodId: number;
  periodStart: number | null;
  periodEnd: number | null;
  asOf: number | null;
  zoneVolumesWh: string[];
  total: string;
  vat: string;
  components: MoneyComponents;
};

export const COST_ACCRUED = `query CostAccrued($accountId: String!) {
  costAccrued(accountId: $accountId) {
    periodId periodStart periodEnd asOf zoneVolumesWh total vat
    components { energy transmission retailMarkup infrastructure }
  }
}`;
