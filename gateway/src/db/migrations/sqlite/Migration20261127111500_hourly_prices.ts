import { Migration } from "@mikro-orm/migrations";

/** The hourly price data of ПЦК 3/4 plans per period (HourlyBilling `HourlyPricesPublished`). */
export class Migration20261127111500_hourly_prices extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `hourly_prices` (`plan_id` bigint not null, `period_id` integer not null, `prices_hash` text not null, `kind` integer not null, `hours` integer not null, `prices` json not null, `capacity_rate` bigint not null, `maintenance_rate` bigint not null, `loss_rate` bigint not null, `capacity_hours` json not null, `network_windows` json not null, `block_number` bigint not null, `tx_hash` text not null, `log_index` integer not null, primary key (`plan_id`, `period_id`));",
    );
    this.addSql(
      "create index if not exists `hourly_prices_period_id_index` on `hourly_prices` (`period_id`);",
    );
  }

  override async down(): Promise<void> {
    this.addSql("drop table if exists `hourly_prices`;");
  }
}
