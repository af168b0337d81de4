import { Migration } from "@mikro-orm/migrations";

/** Off-chain bodies of anchored documents (db/entities/documentBody.ts). */
export class Migration20261127075748_document_bodies extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `document_bodies` (`hash` text not null, `kind` text not null, `subject` text not null, `body` text not null, `created_by` integer null, `created_at` bigint not null, primary key (`hash`));",
    );
    this.addSql(
      "create index if not exists `document_bodies_kind_subject_index` on `document_bodies` (`kind`, `subject`);",
    );
  }
}
