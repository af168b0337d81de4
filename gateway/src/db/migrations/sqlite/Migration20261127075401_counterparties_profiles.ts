import { Migration } from "@mikro-orm/migrations";

/** Counterparty lists and organisation cards (db/entities/counterparty.ts, organisationProfile.ts). */
export class Migration20261127075401_counterparties_profiles extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `counterparties` (`id` integer not null primary key autoincrement, `owner` text not null, `name` text not null, `inn` text not null, `kpp` text null, `bank_name` text not null, `bik` text not null, `settlement_account` text not null, `correspondent_account` text not null, `address` text not null, `phone` text null, `created_at` integer not null, `created_by` integer not null);",
    );
    this.addSql(
      "create index if not exists `counterparties_owner_name_index` on `counterparties` (`owner`, `name`);",
    );
    this.addSql(
      "create index if not exists `counterparties_owner_inn_index` on `counterparties` (`owner`, `inn`);",
    );
    this.addSql(
      "create table if not exists `organisation_profiles` (`address` text not null, `name` text null, `director_name` text null, `phone` text null, `email` text null, `legal_address` text null, `inn` text null, `kpp` text null, `ogrn` text null, `bank_name` text null, `bik` text null, `settlement_account` text null, `correspondent_account` text null, `updated_at` integer not null, `updated_by` integer null, primary key (`address`));",
    );
  }
}
