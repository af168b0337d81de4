import { Migration } from "@mikro-orm/migrations";

/**
 * Counterparty lists and organisation cards (db/entities/counterparty.ts, organisationProfile.ts):
 * the gateway's own data. Re-running it after a crash completes instead of failing (MySQL DDL is not
 * transactional): `if not exists`, with the indexes inside the CREATE TABLE.
 */
export class Migration20261127075404_counterparties_profiles extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `counterparties` (`id` int unsigned not null auto_increment primary key, `owner` varchar(42) not null, `name` varchar(200) not null, `inn` varchar(12) not null, `kpp` varchar(9) null, `bank_name` varchar(200) not null, `bik` varchar(9) not null, `settlement_account` varchar(20) not null, `correspondent_account` varchar(20) not null, `address` varchar(300) not null, `phone` varchar(40) null, `created_at` int not null, `created_by` int not null, key `counterparties_owner_name_index` (`owner`, `name`), key `counterparties_owner_inn_index` (`owner`, `inn`)) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql(
      "create table if not exists `organisation_profiles` (`address` varchar(42) not null, `name` varchar(200) null, `director_name` varchar(200) null, `phone` varchar(40) null, `email` varchar(200) null, `legal_address` varchar(300) null, `inn` varchar(12) null, `kpp` varchar(9) null, `ogrn` varchar(15) null, `bank_name` varchar(200) null, `bik` varchar(9) null, `settlement_account` varchar(20) null, `correspondent_account` varchar(20) null, `updated_at` int not null, `updated_by` int null, primary key (`address`)) default character set utf8mb4 engine = InnoDB;",
    );
  }

  override async down(): Promise<void> {
    this.addSql("drop table if exists `counterparties`;");
    this.addSql("drop table if exists `organisation_profiles`;");
  }
}
