import type { EntityManager, EntitySchema } from "@mikro-orm/core";
import {
  ApiKey,
  Counterparty,
  DocumentBody,
  DocumentFile,
  entities,
  IndexerCheckpoint,
  OrganisationProfile,
  User,
  WebhookDelivery,
  WebhookSubscription,
} from "../../db/entities/index.js";

/**
 * The tables the indexer fills from the chain: every entity except the gateway's own (users, API keys,
 * counterparties, organisation profiles, bodies of anchored documents, the checkpoint itself), which survive `reindex`. A new own table must be added to the exclusion.
 */
// biome-ignore lint/suspicious/noExplicitAny: schemas of different row types.
export const CHAIN_TABLES: EntitySchema<any>[] = entities.filter(
  (entity) =>
    entity !== User &&
    entity !== ApiKey &&
    entity !== IndexerCheckpoint &&
    entity !== Counterparty &&
    entity !== OrganisationProfile &&
    entity !== DocumentBody &&
    entity !== DocumentFile &&
    entity !== WebhookSubscription &&
    entity !== WebhookDelivery,
);

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
