import type { MigrationObject } from "@mikro-orm/core";
import type { DatabaseDialect } from "../openDatabase.js";
import { Migration20261127052509_initial as MysqlInitial } from "./mysql/Migration20261127052509_initial.js";
import { Migration20261127055156_users as MysqlUsers } from "./mysql/Migration20261127055156_users.js";
import { Migration20261127075404_counterparties_profiles as MysqlCounterpartiesProfiles } from "./mysql/Migration20261127075404_counterparties_profiles.js";
import { Migration20261127075607_api_keys as MysqlApiKeys } from "./mysql/Migration20261127075607_api_keys.js";
import { Migration20261127075749_document_bodies as MysqlDocumentBodies } from "./mysql/Migration20261127075749_document_bodies.js";
import { Migration20261127081500_webhooks_document_files as MysqlWebhooksDocumentFiles } from "./mysql/Migration20261127081500_webhooks_document_files.js";
import { Migration20261127091700_accounts_grid_index as MysqlAccountsGridIndex } from "./mysql/Migration20261127091700_accounts_grid_index.js";
import { Migration20261127111500_hourly_prices as MysqlHourlyPrices } from "./mysql/Migration20261127111500_hourly_prices.js";
import { Migration20261127112450_billing_volumes as MysqlBillingVolumes } from "./mysql/Migration20261127112450_billing_volumes.js";
import { Migration20261127052509_initial as SqliteInitial } from "./sqlite/Migration20261127052509_initial.js";
import { Migration20261127055155_users as SqliteUsers } from "./sqlite/Migration20261127055155_users.js";
import { Migration20261127075401_counterparties_profiles as SqliteCounterpartiesProfiles } from "./sqlite/Migration20261127075401_counterparties_profiles.js";
import { Migration20261127075607_api_keys as SqliteApiKeys } from "./sqlite/Migration20261127075607_api_keys.js";
import { Migration20261127075748_document_bodies as SqliteDocumentBodies } from "./sqlite/Migration20261127075748_document_bodies.js";
import { Migration20261127081500_webhooks_document_files as SqliteWebhooksDocumentFiles } from "./sqlite/Migration20261127081500_webhooks_document_files.js";
import { Migration20261127091700_accounts_grid_index as SqliteAccountsGridIndex } from "./sqlite/Migration20261127091700_accounts_grid_index.js";
import { Migration20261127111500_hourly_prices as SqliteHourlyPrices } from "./sqlite/Migration20261127111500_hourly_prices.js";
import { Migration20261127112450_billing_volumes as SqliteBillingVolumes } from "./sqlite/Migration20261127112450_billing_volumes.js";

/**
 * The migrations of each dialect, oldest first. They are listed here rather than discovered from the
 * folder so that they work the same from TypeScript sources (vitest), the tsc build and a bundle.
 * New ones come from `npm run migration:create --workspace gateway -- <name>` (both dialects at once).
 */
const migrations: Record<DatabaseDialect, MigrationObject[]> = {
  mysql: [
    { name: "Migration20261127052509_initial", class: MysqlInitial },
    { name: "Migration20261127055156_users", class: MysqlUsers },
    { name: "Migration20261127075404_counterparties_profiles", class: MysqlCounterpartiesProfiles },
    { name: "Migration20261127075607_api_keys", class: MysqlApiKeys },
    { name: "Migration20261127075749_document_bodies", class: MysqlDocumentBodies },
    { name: "Migration20261127081500_webhooks_document_files", class: MysqlWebhooksDocumentFiles },
    { name: "Migration20261127091700_accounts_grid_index", class: MysqlAccountsGridIndex },
    { name: "Migration20261127111500_hourly_prices", class: MysqlHourlyPrices },
    { name: "Migration20261127112450_billing_volumes", class: MysqlBillingVolumes },
  ],
  sqlite: [
    { name: "Migration20261127052509_initial", class: SqliteInitial },
    { name: "Migration20261127055155_users", class: SqliteUsers },
    { name: "Migration20261127075401_counterparties_profiles", class: SqliteCounterpartiesProfiles },
    { name: "Migration20261127075607_api_keys", class: SqliteApiKeys },
    { name: "Migration20261127075748_document_bodies", class: SqliteDocumentBodies },
    { name: "Migration20261127081500_webhooks_document_files", class: SqliteWebhooksDocumentFiles },
    { name: "Migration20261127091700_accounts_grid_index", class: SqliteAccountsGridIndex },
    { name: "Migration20261127111500_hourly_prices", class: SqliteHourlyPrices },
    { name: "Migration20261127112450_billing_volumes", class: SqliteBillingVolumes },
  ],
};

export function migrationsFor(dialect: DatabaseDialect): MigrationObject[] {
  return migrations[dialect];
}
