import type { EntityManager, EntitySchema } from "@mikro-orm/core";
import {
  Account,
  BillingPeriod,
  ChainEvent,
  ChainParameter,
  Consumer,
  DebitMandate,
  DeviceKey,
  Document,
  IndexerCheckpoint,
  Invoice,
  InvoiceLine,
  Meter,
  MeterSnapshot,
  MeterStateEvent,
  Organisation,
  Payment,
  Reading,
  ReadingBatch,
  Reconciliation,
  ReconciliationVolume,
  TariffChoice,
  TariffGroup,
  TariffPlan,
} from "../../db/entities/index.js";

/**
 * The tables the indexer fills from the chain. Everything else in the database (users, sessions,
 * webhooks) is the gateway's own and survives `reindex`.
 */
// biome-ignore lint/suspicious/noExplicitAny: schemas of different row types.
export const CHAIN_TABLES: EntitySchema<any>[] = [
  Account,
  BillingPeriod,
  ChainEvent,
  ChainParameter,
  Consumer,
  DebitMandate,
  DeviceKey,
  Document,
  Invoice,
  InvoiceLine,
  Meter,
  MeterSnapshot,
  MeterStateEvent,
  Organisation,
  Payment,
  Reading,
  ReadingBatch,
  Reconciliation,
  ReconciliationVolume,
  TariffChoice,
  TariffGroup,
  TariffPlan,
];

/** Empties every chain table and the checkpoint (the checkpoint first, so a crash here still rebuilds). */
export async function clearChainTables(em: EntityManager, dialect: "sqlite" | "mysql"): Promise<void> {
  await em.nativeDelete(IndexerCheckpoint, {});
  for (const entity of CHAIN_TABLES) {
    if (dialect === "mysql") {
      // TRUNCATE is instant on big tables; MySQL commits it implicitly, which is safe here because the
      // checkpoint is already gone: a crash now still rebuilds from the deployment block.
      const table = em.getMetadata().get(entity.meta.className).tableName;
      await em.getConnection().execute(`truncate table \`${table}\``);
    } else {
      await em.nativeDelete(entity, {});
    }
  }
}
