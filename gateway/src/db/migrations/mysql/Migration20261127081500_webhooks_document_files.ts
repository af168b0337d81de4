import { Migration } from "@mikro-orm/migrations";

/**
 * Webhook subscriptions and their outbox, and the files of anchored documents (issue 8 §3, §4).
 * MySQL DDL is not transactional: each table is created with its indexes in one statement, `if not
 * exists`, so a rerun after a crash completes instead of failing.
 */
export class Migration20261127081500_webhooks_document_files extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `document_files` (`kind` varchar(24) not null, `subject` varchar(80) not null, `account_id` bigint null, `media_type` varchar(64) not null, `sha256` varchar(66) not null, `content` mediumblob not null, `created_at` bigint not null, primary key (`kind`, `subject`), key `document_files_account_id_index` (`account_id`), key `document_files_sha256_index` (`sha256`)) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql(
      "create table if not exists `webhook_deliveries` (`id` varchar(64) not null, `subscription_id` int not null, `organisation` varchar(42) not null, `event` varchar(32) not null, `body` text not null, `block_number` bigint not null, `log_index` int not null, `status` varchar(16) not null, `attempts` int not null, `next_attempt_at` bigint null, `last_attempt_at` bigint null, `last_status_code` int null, `last_error` varchar(500) null, `created_at` bigint not null, `delivered_at` bigint null, primary key (`id`), key `webhook_deliveries_status_next_attempt_at_index` (`status`, `next_attempt_at`), key `webhook_deliveries_subscription_id_block_number_log_index_index` (`subscription_id`, `block_number`, `log_index`), key `webhook_deliveries_organisation_created_at_index` (`organisation`, `created_at`)) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql(
      "create table if not exists `webhook_subscriptions` (`id` int unsigned not null auto_increment primary key, `organisation` varchar(42) not null, `url` varchar(2000) not null, `events` json not null, `secret` varchar(80) not null, `active` tinyint(1) not null, `description` varchar(200) null, `from_block` bigint not null, `created_at` bigint not null, `created_by` int not null, key `webhook_subscriptions_organisation_index` (`organisation`)) default character set utf8mb4 engine = InnoDB;",
    );
  }

  override async down(): Promise<void> {
    this.addSql("drop table if exists `webhook_subscriptions`;");
    this.addSql("drop table if exists `webhook_deliveries`;");
    this.addSql("drop table if exists `document_files`;");
  }
}
