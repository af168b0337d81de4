import { EntitySchema } from "@mikro-orm/core";
import {
  address,
  bigint,
  boolean,
  bytes32,
  type ChainUpdate,
  integer,
  smallint,
  text,
  updateColumns,
} from "./columns.js";

/**
 * A consumer's personal account (Registry `AccountOpened`/`AccountUpdated`), with the tariff chosen
 * (`TariffChosen`) and the credit balance (`CreditBalanceChanged`). bytes32 fields that carry text on
 * chain (number, site, address reference) are stored as text for the portal's filters and raw in `*Hex`.
 */
export interface AccountRow extends ChainUpdate {
  id: number;
  accountNumber: string;
  accountNumberHex: string;
  consumer: string;
  meterId: number;
  consumerType: number;
  priceCategory: number;
  active: boolean;
  retailCompany: string;
  retailCompanyId: number | null;
  gridCompany: string;
  gridCompanyId: number | null;
  /** Network district (участок). */
  siteId: string;
  siteIdHex: string;
  /** Installation address reference as recorded on chain. */
  addressRef: string;
  addressRefHex: string;
  tariffGroupId: number | null;
  tariffKind: number | null;
  tariffFromPeriod: number | null;
  /** Kopecks. */
  creditBalance: number;
}

export const Account = new EntitySchema<AccountRow>({
  name: "Account",
  tableName: "accounts",
  properties: {
    id: bigint({ primary: true, autoincrement: false }),
    accountNumber: text(66, { unique: true }),
    accountNumberHex: bytes32(),
    consumer: address({ index: true }),
    meterId: bigint({ index: true }),
    consumerType: smallint(),
    priceCategory: smallint(),
    active: boolean(),
    retailCompany: address(),
    retailCompanyId: integer({ nullable: true }),
    gridCompany: address(),
    gridCompanyId: integer({ nullable: true }),
    siteId: text(66, { index: true }),
    siteIdHex: bytes32(),
    addressRef: text(66, { index: true }),
    addressRefHex: bytes32(),
    tariffGroupId: bigint({ nullable: true }),
    tariffKind: smallint({ nullable: true }),
    tariffFromPeriod: integer({ nullable: true }),
    creditBalance: bigint(),
    ...updateColumns(),
  },
  indexes: [
    { properties: ["retailCompanyId", "accountNumber"] },
    { properties: ["retailCompanyId", "siteId"] },
    { properties: ["retailCompanyId", "addressRef"] },
    // a grid company's scope: the retail companies serving accounts in its network
    { properties: ["gridCompanyId", "retailCompanyId"] },
  ],
});
