import { EntitySchema } from "@mikro-orm/core";
import {
  address,
  boolean,
  bytes32,
  type ChainUpdate,
  integer,
  smallint,
  text,
  updateColumns,
} from "./columns.js";

/**
 * A registered organisation (Registry `OrganisationRegistered`/`OrganisationUpdated`): grid
 * company, retail company, payment source or operator. `id` is a small surrogate the indexer assigns
 * in registration order (1, 2, …), so re-indexing the same chain gives the same ids; big tables
 * (readings, payments) refer to organisations by it instead of a 42-character address.
 */
export interface OrganisationRow extends ChainUpdate {
  id: number;
  address: string;
  /** Registry.OrganisationKind: 1 operator, 2 grid company, 3 retail company, 4 payment source. */
  kind: number;
  active: boolean;
  profileHash: string;
  profileId: string;
  /** `profileId` as text when it is printable UTF-8 (an INN/OGRN), else null. */
  profileIdText: string | null;
}

export const Organisation = new EntitySchema<OrganisationRow>({
  name: "Organisation",
  tableName: "organisations",
  properties: {
    id: integer({ primary: true, autoincrement: false }),
    address: address({ unique: true }),
    kind: smallint({ index: true }),
    active: boolean(),
    profileHash: bytes32(),
    profileId: bytes32(),
    profileIdText: text(32, { nullable: true }),
    ...updateColumns(),
  },
});
