import { Migration } from "@mikro-orm/migrations";

/**
 * BillingVolumes and meter replacement: `invoice_volume_events` (substituted, recalculated and
 * across-replacement volumes of invoices) and `meter_replacements` (Registry `MeterReplaced`). MySQL DDL
 * is not transactional: each table is created with its indexes in one statement, `if not exists`.
 */
export class Migration20261127112450_billing_volumes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `invoice_volume_events` (`block_number` bigint unsigned not null, `log_index` int unsigned not null, `tx_hash` varchar(66) not null, `invoice_id` varchar(80) not null, `account_id` bigint not null, `period_id` int not null, `kind` varchar(24) not null, `method` varchar(40) null, `volume_wh` bigint null, `consecutive_periods` int null, `details` json not null, `block_time` bigint not null, primary key (`block_number`, `log_index`), key `invoice_volume_events_invoice_id_index` (`invoice_id`), key `invoice_volume_events_account_id_period_id_index` (`account_id`, `period_id`)) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql(
      "create table if not exists `meter_replacements` (`block_number` bigint unsigned not null, `log_index` int unsigned not null, `tx_hash` varchar(66) not null, `account_id` bigint not null, `old_meter_id` bigint not null, `new_meter_id` bigint not null, `replaced_at` bigint not null, `old_final_wh` json not null, `new_initial_wh` json not null, `block_time` bigint not null, primary key (`block_number`, `log_index`), key `meter_replacements_account_id_replaced_at_index` (`account_id`, `replaced_at`)) default character set utf8mb4 engine = InnoDB;",
    );
  }

  override async down(): Promise<void> {
    this.addSql("drop table if exists `meter_replacements`;");
    this.addSql("drop table if exists `invoice_volume_events`;");
  }
}
