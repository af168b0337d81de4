import { Migration } from "@mikro-orm/migrations";

export class Migration20261127055155_users extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists \`users\` (\`id\` integer not null primary key autoincrement, \`login\` text not null, \`password_hash\` text not null, \`role\` text not null, \`organisation\` text null, \`consumer_address\` text null, \`display_name\` text not null, \`email\` text null, \`phone\` text null, \`locale\` text not null, \`created_at\` integer not null, \`last_login_at\` integer null);`,
    );
    this.addSql(`create unique index if not exists \`users_login_unique\` on \`users\` (\`login\`);`);
    this.addSql(`create index if not exists \`users_organisation_index\` on \`users\` (\`organisation\`);`);
    this.addSql(
      `create index if not exists \`users_consumer_address_index\` on \`users\` (\`consumer_address\`);`,
    );
  }
}
