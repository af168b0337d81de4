import { Migration } from "@mikro-orm/migrations";

/**
 * Off-chain bodies of anchored documents (db/entities/documentBody.ts). The index is part of the
 * CREATE TABLE, so re-running it after a crash (MySQL DDL is not transactional) completes instead of failing.
 */
export class Migration20261127075749_document_bodies extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table if not exists `document_bodies` (`hash` varchar(66) not null, `kind` varchar(24) not null, `subject` varchar(80) not null, `body` text not null, `created_by` int null, `created_at` bigint not null, primary key (`hash`), key `document_bodies_kind_subject_index` (`kind`, `subject`)) default character set utf8mb4 engine = InnoDB;",
    );
  }

  override async down(): Promise<void> {
    this.addSql("drop table if exists `document_bodies`;");
  }
}
