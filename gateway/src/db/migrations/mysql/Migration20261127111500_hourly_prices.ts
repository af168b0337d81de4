import { Migration } from "@mikro-orm/migrations";

/**
 * The hourly price data of ПЦК 3/4 plans per period (HourlyBilling `HourlyPricesPublished`). MySQL DDL
 * is not transactional: the table is created with its index in one statement, `if not exists`.
 */
export class Migration20261127111500_hourly_prices extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `hourly_prices` (`plan_id` bigint unsigned not null, `period_id` int unsigned not null, `prices_hash` varchar(66) not null, `kind` smallint not null, `hours` int not null, `prices` json not null, `capacity_rate` bigint not null, `maintenance_rate` bigint not null, `loss_rate` bigint not null, `capacity_hours` json not null, `network_windows` json not null, `block_number` bigint not null, `tx_hash` varchar(66) not null, `log_index` int not null, primary key (`plan_id`, `period_id`), key `hourly_prices_period_id_index` (`period_id`)) default character set utf8mb4 engine = InnoDB;",
    );
  }

  override async down(): Promise<void> {
    this.addSql("drop table if exists `hourly_prices`;");
  }
}
