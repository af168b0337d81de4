import { EntitySchema } from "@mikro-orm/core";
import { address, type ChainOrigin, originColumns } from "./columns.js";

/** A consumer's key, first seen as the consumer of an account (AccountOpened / AccountUpdated). */
export interface ConsumerRow extends ChainOrigin {
  address: string;
}

export const Consumer = new EntitySchema<ConsumerRow>({
  name: "Consumer",
  tableName: "consumers",
  properties: {
    address: address({ primary: true }),
    ...originColumns(),
  },
});
