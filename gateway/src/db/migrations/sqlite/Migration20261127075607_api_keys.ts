import { Migration } from "@mikro-orm/migrations";

/** API keys of integrating organisations (db/entities/apiKey.ts). */
export class Migration20261127075607_api_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `api_keys` (`id` integer not null primary key autoincrement, `prefix` text not null, `key_hash` text not null, `name` text not null, `organisation` text not null, `role` text not null, `scopes` text not null, `created_at` integer not null, `expires_at` integer null, `revoked_at` integer null, `last_used_at` integer null);",
    );
    this.addSql("create unique index if not exists `api_keys_prefix_unique` on `api_keys` (`prefix`);");
    this.addSql("create index if not exists `api_keys_organisation_index` on `api_keys` (`organisation`);");
  }
}
