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

/** Tariffs `TariffGroupCreated`/`Edited`/`Deleted`: a retail company's tariff group. */
export interface TariffGroupRow extends ChainUpdate {
  id: number;
  retailCompany: string;
  retailCompanyId: number | null;
  consumerType: number;
  priceCategory: number;
  name: string;
  nameHex: string;
  deleted: boolean;
}

export const TariffGroup = new EntitySchema<TariffGroupRow>({
  name: "TariffGroup",
  tableName: "tariff_groups",
  properties: {
    id: bigint({ primary: true, autoincrement: false }),
    retailCompany: address(),
    retailCompanyId: integer({ nullable: true, index: true }),
    consumerType: smallint(),
    priceCategory: smallint(),
    name: text(66),
    nameHex: bytes32(),
    deleted: boolean(),
    ...updateColumns(),
  },
});
