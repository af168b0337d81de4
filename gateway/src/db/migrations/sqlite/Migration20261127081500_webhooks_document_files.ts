import { Migration } from "@mikro-orm/migrations";

/** Webhook subscriptions and their outbox, and the files of anchored documents (issue 8 §3, §4). */
export class Migration20261127081500_webhooks_document_files extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `document_files` (`kind` text not null, `subject` text not null, `account_id` bigint null, `media_type` text not null, `sha256` text not null, `content` mediumblob not null, `created_at` bigint not null, primary key (`kind`, `subject`));",
    );
    this.addSql(
      "create index if not exists `document_files_account_id_index` on `document_files` (`account_id`);",
    );
    this.addSql("create index if not exists `document_files_sha256_index` on `document_files` (`sha256`);");
    this.addSql(
      "create table if not exists `webhook_deliveries` (`id` text not null, `subscription_id` integer not null, `organisation` text not null, `event` text not null, `body` text not null, `block_number` bigint not null, `log_index` integer not null, `status` text not null, `attempts` integer not null, `next_attempt_at` bigint null, `last_attempt_at` bigint null, `last_status_code` integer null, `last_error` text null, `created_at` bigint not null, `delivered_at` bigint null, primary key (`id`));",
    );
    this.addSql(
      "create index if not exists `webhook_deliveries_status_next_attempt_at_index` on `webhook_deliveries` (`status`, `next_attempt_at`);",
    );
    this.addSql(
      "create index if not exists `webhook_deliveries_subscription_id_block_number_log_index_index` on `webhook_deliveries` (`subscription_id`, `block_number`, `log_index`);",
    );
    this.addSql(
      "create index if not exists `webhook_deliveries_organisation_created_at_index` on `webhook_deliveries` (`organisation`, `created_at`);",
    );
    this.addSql(
      "create table if not exists `webhook_subscriptions` (`id` integer not null primary key autoincrement, `organisation` text not null, `url` text not null, `events` json not null, `secret` text not null, `active` integer not null, `description` text null, `from_block` bigint not null, `created_at` bigint not null, `created_by` integer not null);",
    );
    this.addSql(
      "create index if not exists `webhook_subscriptions_organisation_index` on `webhook_subscriptions` (`organisation`);",
    );
  }
}
