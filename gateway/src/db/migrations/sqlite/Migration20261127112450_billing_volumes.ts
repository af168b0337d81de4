import { Migration } from "@mikro-orm/migrations";

/**
 * BillingVolumes and meter replacement: `invoice_volume_events` (substituted, recalculated and
 * across-replacement volumes of invoices) and `meter_replacements` (Registry `MeterReplaced`).
 */
export class Migration20261127112450_billing_volumes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `invoice_volume_events` (`block_number` bigint not null, `log_index` integer not null, `tx_hash` text not null, `invoice_id` text not null, `account_id` bigint not null, `period_id` integer not null, `kind` text not null, `method` text null, `volume_wh` bigint null, `consecutive_periods` integer null, `details` json not null, `block_time` bigint not null, primary key (`block_number`, `log_index`));",
    );
    this.addSql(
      "create index if not exists `invoice_volume_events_invoice_id_index` on `invoice_volume_events` (`invoice_id`);",
    );
    this.addSql(
      "create index if not exists `invoice_volume_events_account_id_period_id_index` on `invoice_volume_events` (`account_id`, `period_id`);",
    );
    this.addSql(
      "create table if not exists `meter_replacements` (`block_number` bigint not null, `log_index` integer not null, `tx_hash` text not null, `account_id` bigint not null, `old_meter_id` bigint not null, `new_meter_id` bigint not null, `replaced_at` bigint not null, `old_final_wh` json not null, `new_initial_wh` json not null, `block_time` bigint not null, primary key (`block_number`, `log_index`));",
    );
    this.addSql(
      "create index if not exists `meter_replacements_account_id_replaced_at_index` on `meter_replacements` (`account_id`, `replaced_at`);",
    );
  }

  override async down(): Promise<void> {
    this.addSql("drop table if exists `meter_replacements`;");
    this.addSql("drop table if exists `invoice_volume_events`;");
  }
}
