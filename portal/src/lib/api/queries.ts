/** The GraphQL documents the portal sends, and the shapes of their answers. */

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

export const ACCOUNT = `query Account($id: String!) { account(id: $id) { ${ACCOUNT_FIELDS} } }`;

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
};

const METER_FIELDS = `id serial model meterType tariffZones meteringScheme remoteReading exportCapable
  atBalanceBoundary lossMethod lossPpm accountId gridCompany tampered firmwareChanged lastClockDrift
  chain { blockNumber txHash logIndex }`;

export const METERS = `query Meters($filter: MeterFilter, $page: Int, $size: Int) {
  meters(filter: $filter, page: $page, size: $size) {
    totalCount page size pageInfo { hasNextPage hasPreviousPage } nodes { ${METER_FIELDS} }
  }
}`;

export const METER = `query Meter($id: String!) { meter(id: $id) { ${METER_FIELDS} } }`;

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
};

export type PaymentPoint = { bucketStart: number; amount: string; payments: number };

export const PAYMENTS = `query Payments($filter: PaymentFilter, $page: Int, $size: Int) {
  payments(filter: $filter, page: $page, size: $size) {
    totalCount page size pageInfo { hasNextPage hasPreviousPage }
    nodes { source paymentNumber kind invoiceId accountId method amount applied credited
      split { energy transmission retailMarkup infrastructure } paidAt chain { blockNumber txHash logIndex } }
  }
}`;

export const PAYMENTS_SERIES = `query PaymentsSeries($filter: PaymentFilter, $bucket: PaymentBucket!) {
  paymentsSeries(filter: $filter, bucket: $bucket) { bucketStart amount payments }
}`;
