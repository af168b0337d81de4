import type { AccountRow } from "../../db/entities/index.js";
import { chainRef } from "../common/chainRef.type.js";
import type { AccountNode } from "./account.type.js";

export function toAccountNode(row: AccountRow): AccountNode {
  return {
    id: String(row.id),
    accountNumber: row.accountNumber,
    consumer: row.consumer,
    consumerType: row.consumerType,
    priceCategory: row.priceCategory,
    active: row.active,
    retailCompany: row.retailCompany,
    gridCompany: row.gridCompany,
    site: row.siteId,
    installationAddress: row.addressRef,
    meterId: row.meterId ? String(row.meterId) : null,
    tariffGroupId: row.tariffGroupId,
    creditBalanceKopecks: String(row.creditBalance),
    chain: chainRef({
      blockNumber: row.updatedBlock,
      txHash: row.updatedTxHash,
      logIndex: row.updatedLogIndex,
    }),
  };
}
