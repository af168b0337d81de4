import { EntitySchema } from "@mikro-orm/core";
import { type ChainUpdate, text, updateColumns } from "./columns.js";

/** A contract-wide setting with its latest value, e.g. `readings.futureTolerance` (`FutureToleranceSet`). */
export interface ChainParameterRow extends ChainUpdate {
  name: string;
  value: string;
}

export const ChainParameter = new EntitySchema<ChainParameterRow>({
  name: "ChainParameter",
  tableName: "chain_parameters",
  properties: {
    name: text(64, { primary: true }),
    value: text(255),
    ...updateColumns(),
  },
});
