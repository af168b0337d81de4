import { EntitySchema } from "@mikro-orm/core";
import { address, bigint, type ChainOrigin, integer, originColumns, smallint } from "./columns.js";

/** Tariffs `TariffChosen`: the history of tariff choices; the current one is also on the account. */
export interface TariffChoiceRow extends ChainOrigin {
  accountId: number;
  groupId: number;
  kind: number;
  fromPeriod: number;
  chosenBy: string;
  blockTime: number;
}

export const TariffChoice = new EntitySchema<TariffChoiceRow>({
  name: "TariffChoice",
  tableName: "tariff_choices",
  properties: {
    ...originColumns(true),
    accountId: bigint(),
    groupId: bigint(),
    kind: smallint(),
    fromPeriod: integer(),
    chosenBy: address(),
    blockTime: bigint(),
  },
  indexes: [{ properties: ["accountId", "blockNumber"] }],
});
