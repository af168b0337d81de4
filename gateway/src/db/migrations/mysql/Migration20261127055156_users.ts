import { Migration } from "@mikro-orm/migrations";

/**
 * Users of the gateway (db/entities/user.ts). Re-running it after a crash (Mycreate table if not exists \`users\` (\`id\` int unsigned not null auto_increment primary key, \`login\` varchar(64) not null, \`password_hash\` varchar(255) not null, \`role\` varchar(32) not null, \`organisation\` varchar(42) null, \`consumer_address\` varchar(42) null, \`display_name\` varchar(200) not null, \`email\` varchar(200) null, \`phone\` varchar(40) null, \`locale\` varchar(2) not null, \`created_at\` int not null, \`last_login_at\` int null, unique key \`users_login_unique\` (\`login\`), key \`users_organisation_index\` (\`organisation\`), key \`users_consumer_address_index\` (\`consumer_address\`)) default character set utf8mb4 engine = InnoDB; DDL is not
 * transactional) completes instead of failing: the indexes are part of the CREATE TABLE.
 */
export class Migration20261127055156_users extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists \`users\` (\`id\` int unsigned not null auto_increment primary key, \`login\` varchar(64) not null, \`password_hash\` varchar(255) not null, \`role\` varchar(32) not null, \`organisation\` varchar(42) null, \`consumer_address\` varchar(42) null, \`display_name\` varchar(200) not null, \`email\` varchar(200) null, \`phone\` varchar(40) null, \`locale\` varchar(2) not null, \`created_at\` int not null, \`last_login_at\` int null, unique key \`users_login_unique\` (\`login\`), key \`users_organisation_index\` (\`organisation\`), key \`users_consumer_address_index\` (\`consumer_address\`)) default character set utf8mb4 engine = InnoDB;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql("drop table if exists `users`;");
  }
}
