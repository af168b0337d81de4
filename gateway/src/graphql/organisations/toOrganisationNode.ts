import type { OrganisationRow } from "../../db/entities/index.js";
import { chainRef } from "../common/chainRef.type.js";
import type { OrganisationKind, OrganisationNode } from "./organisation.type.js";

export function toOrganisationNode(row: OrganisationRow): OrganisationNode {
  return {
    id: row.id,
    address: row.address,
    kind: row.kind as OrganisationKind,
    active: row.active,
    profileHash: row.profileHash,
    profileId: row.profileId,
    profileIdText: row.profileIdText,
    chain: chainRef({
      blockNumber: row.updatedBlock,
      txHash: row.updatedTxHash,
      logIndex: row.updatedLogIndex,
    }),
  };
}
