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
