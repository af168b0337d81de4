import { Migration } from "@mikro-orm/migrations";

/**
 * API keys of integrating organisations (db/entities/apiKey.ts). The indexes are part of the CREATE
 * TABLE, so re-running it after a crash (MySQL DDL is not transactional) completes instead of failing.
 */
export class Migration20261127075607_api_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `api_keys` (`id` int unsigned not null auto_increment primary key, `prefix` varchar(8) not null, `key_hash` varchar(64) not null, `name` varchar(100) not null, `organisation` varchar(42) not null, `role` varchar(32) not null, `scopes` varchar(500) not null, `created_at` int not null, `expires_at` int null, `revoked_at` int null, `last_used_at` int null, unique key `api_keys_prefix_unique` (`prefix`), key `api_keys_organisation_index` (`organisation`)) default character set utf8mb4 engine = InnoDB;",
    );
  }

  override async down(): Promise<void> {
    this.addSql("drop table if exists `api_keys`;");
  }
}
