import { Migration } from "@mikro-orm/migrations";

/** A grid company's scope: the retail companies serving accounts in its network (idempotent DDL). */
export class Migration20261127091700_accounts_grid_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "alter table `accounts` add index if not exists `accounts_grid_company_id_retail_company_id_index`(`grid_company_id`, `retail_company_id`);",
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      "alter table `accounts` drop index if exists `accounts_grid_company_id_retail_company_id_index`;",
    );
  }
}
