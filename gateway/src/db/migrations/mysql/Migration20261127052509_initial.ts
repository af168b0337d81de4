import { Migration } from "@mikro-orm/migrations";

/**
 * Adjusted by hand from the generated migration: MySQL commits each DDL statement on its own, so a
 * crash in the middle leaves some tables behind. Every table is created together with its indexes in
 * one statement, `if not exists`, so running the migration again after such a crash completes it.
 */
export class Migration20261127052509_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists \`accounts\` (\`id\` bigint unsigned not null, \`account_number\` varchar(66) not null, \`account_number_hex\` varchar(66) not null, \`consumer\` varchar(42) not null, \`meter_id\` bigint not null, \`consumer_type\` smallint not null, \`price_category\` smallint not null, \`active\` tinyint(1) not null, \`retail_company\` varchar(42) not null, \`retail_company_id\` int null, \`grid_company\` varchar(42) not null, \`grid_company_id\` int null, \`site_id\` varchar(66) not null, \`site_id_hex\` varchar(66) not null, \`address_ref\` varchar(66) not null, \`address_ref_hex\` varchar(66) not null, \`tariff_group_id\` bigint null, \`tariff_kind\` smallint null, \`tariff_from_period\` int null, \`credit_balance\` bigint not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, \`updated_block\` bigint not null, \`updated_tx_hash\` varchar(66) not null, \`updated_log_index\` int not null, primary key (\`id\`), unique key \`accounts_account_number_unique\`(\`account_number\`), key \`accounts_consumer_index\`(\`consumer\`), key \`accounts_meter_id_index\`(\`meter_id\`), key \`accounts_site_id_index\`(\`site_id\`), key \`accounts_address_ref_index\`(\`address_ref\`), key \`accounts_retail_company_id_account_number_index\`(\`retail_company_id\`, \`account_number\`), key \`accounts_retail_company_id_site_id_index\`(\`retail_company_id\`, \`site_id\`), key \`accounts_retail_company_id_address_ref_index\`(\`retail_company_id\`, \`address_ref\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`billing_periods\` (\`id\` int unsigned not null, \`period_end\` int not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, primary key (\`id\`), key \`billing_periods_period_end_index\`(\`period_end\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`chain_events\` (\`block_number\` bigint unsigned not null, \`log_index\` int unsigned not null, \`tx_hash\` varchar(66) not null, \`contract\` varchar(32) not null, \`event\` varchar(64) not null, \`args\` json not null, \`block_time\` bigint not null, primary key (\`block_number\`, \`log_index\`), key \`chain_events_tx_hash_index\`(\`tx_hash\`), key \`chain_events_event_block_number_index\`(\`event\`, \`block_number\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`chain_parameters\` (\`name\` varchar(64) not null, \`value\` varchar(255) not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, \`updated_block\` bigint not null, \`updated_tx_hash\` varchar(66) not null, \`updated_log_index\` int not null, primary key (\`name\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`consumers\` (\`address\` varchar(42) not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, primary key (\`address\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`debit_mandates\` (\`account_id\` bigint unsigned not null, \`source\` varchar(42) not null, \`limit_per_debit\` bigint not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, \`updated_block\` bigint not null, \`updated_tx_hash\` varchar(66) not null, \`updated_log_index\` int not null, primary key (\`account_id\`, \`source\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`device_keys\` (\`meter_id\` bigint unsigned not null, \`key\` varchar(42) not null, \`revoked\` tinyint(1) not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, \`updated_block\` bigint not null, \`updated_tx_hash\` varchar(66) not null, \`updated_log_index\` int not null, primary key (\`meter_id\`, \`key\`), key \`device_keys_key_index\`(\`key\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`documents\` (\`block_number\` bigint unsigned not null, \`log_index\` int unsigned not null, \`tx_hash\` varchar(66) not null, \`hash\` varchar(66) not null, \`kind\` varchar(24) not null, \`subject\` varchar(80) not null, \`account_id\` bigint null, \`block_time\` bigint not null, primary key (\`block_number\`, \`log_index\`), key \`documents_hash_index\`(\`hash\`), key \`documents_account_id_block_number_index\`(\`account_id\`, \`block_number\`), key \`documents_kind_subject_index\`(\`kind\`, \`subject\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`indexer_checkpoints\` (\`id\` varchar(32) not null, \`chain_id\` int not null, \`deployment\` varchar(255) not null, \`deployed_at_block\` bigint not null, \`block_number\` bigint not null, \`block_hash\` varchar(66) not null, \`updated_at\` bigint not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`invoices\` (\`id\` varchar(80) not null, \`account_id\` bigint not null, \`period_id\` int not null, \`retail_company_id\` int null, \`plan_id\` bigint not null, \`status\` varchar(16) not null, \`total\` bigint not null, \`energy\` bigint not null, \`transmission\` bigint not null, \`retail_markup\` bigint not null, \`infrastructure\` bigint not null, \`vat\` bigint not null, \`export_credit\` bigint not null, \`volumes_wh\` json not null, \`document_hash\` varchar(66) null, \`due_date\` bigint null, \`confirmed_by\` varchar(42) null, \`reason_hash\` varchar(66) null, \`paid_total\` bigint not null, \`paid_energy\` bigint not null, \`paid_transmission\` bigint not null, \`paid_retail_markup\` bigint not null, \`paid_infrastructure\` bigint not null, \`computed_at\` bigint not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, \`updated_block\` bigint not null, \`updated_tx_hash\` varchar(66) not null, \`updated_log_index\` int not null, primary key (\`id\`), key \`invoices_account_id_period_id_index\`(\`account_id\`, \`period_id\`), key \`invoices_retail_company_id_period_id_index\`(\`retail_company_id\`, \`period_id\`), key \`invoices_status_period_id_index\`(\`status\`, \`period_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`invoice_lines\` (\`block_number\` bigint unsigned not null, \`log_index\` int unsigned not null, \`line_no\` int unsigned not null, \`tx_hash\` varchar(66) not null, \`invoice_id\` varchar(80) not null, \`kind\` smallint not null, \`zone\` smallint not null, \`range\` smallint not null, \`component\` smallint not null, \`quantity\` bigint not null, \`rate\` bigint not null, \`amount\` bigint not null, primary key (\`block_number\`, \`log_index\`, \`line_no\`), key \`invoice_lines_invoice_id_index\`(\`invoice_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`meters\` (\`id\` bigint unsigned not null, \`grid_company\` varchar(42) not null, \`grid_company_id\` int null, \`account_id\` bigint null, \`retail_company_id\` int null, \`meter_type\` smallint not null, \`tariff_zones\` smallint not null, \`metering_scheme\` smallint not null, \`remote_reading\` tinyint(1) not null, \`export_capable\` tinyint(1) not null, \`at_balance_boundary\` tinyint(1) not null, \`loss_method\` smallint not null, \`loss_ppm\` int not null, \`serial\` varchar(66) not null, \`serial_hex\` varchar(66) not null, \`model\` varchar(66) not null, \`model_hex\` varchar(66) not null, \`loss_parameters\` varchar(66) not null, \`reference_firmware\` varchar(66) null, \`current_firmware\` varchar(66) null, \`tampered\` tinyint(1) not null, \`last_clock_drift\` int null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, \`updated_block\` bigint not null, \`updated_tx_hash\` varchar(66) not null, \`updated_log_index\` int not null, primary key (\`id\`), key \`meters_account_id_index\`(\`account_id\`), key \`meters_serial_index\`(\`serial\`), key \`meters_model_index\`(\`model\`), key \`meters_grid_company_id_serial_index\`(\`grid_company_id\`, \`serial\`), key \`meters_retail_company_id_serial_index\`(\`retail_company_id\`, \`serial\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`meter_snapshots\` (\`meter_id\` bigint unsigned not null, \`period_id\` int unsigned not null, \`last_interval_end\` int not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, primary key (\`meter_id\`, \`period_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`meter_state_events\` (\`block_number\` bigint unsigned not null, \`log_index\` int unsigned not null, \`tx_hash\` varchar(66) not null, \`meter_id\` bigint not null, \`kind\` varchar(24) not null, \`code\` bigint null, \`hash\` varchar(66) null, \`previous_hash\` varchar(66) null, \`matches_reference\` tinyint(1) null, \`drift_seconds\` int null, \`block_time\` bigint not null, primary key (\`block_number\`, \`log_index\`), key \`meter_state_events_meter_id_block_number_index\`(\`meter_id\`, \`block_number\`), key \`meter_state_events_kind_block_time_index\`(\`kind\`, \`block_time\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`organisations\` (\`id\` int unsigned not null, \`address\` varchar(42) not null, \`kind\` smallint not null, \`active\` tinyint(1) not null, \`profile_hash\` varchar(66) not null, \`profile_id\` varchar(66) not null, \`profile_id_text\` varchar(32) null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, \`updated_block\` bigint not null, \`updated_tx_hash\` varchar(66) not null, \`updated_log_index\` int not null, primary key (\`id\`), unique key \`organisations_address_unique\`(\`address\`), key \`organisations_kind_index\`(\`kind\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`payments\` (\`source\` varchar(42) not null, \`payment_number\` bigint unsigned not null, \`source_id\` int null, \`external_ref\` varchar(66) not null, \`kind\` varchar(16) not null, \`invoice_id\` varchar(80) null, \`account_id\` bigint not null, \`retail_company_id\` int null, \`method\` smallint null, \`amount\` bigint not null, \`applied\` bigint not null, \`credited\` bigint not null, \`split_energy\` bigint not null, \`split_transmission\` bigint not null, \`split_retail_markup\` bigint not null, \`split_infrastructure\` bigint not null, \`paid_at\` bigint not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, primary key (\`source\`, \`payment_number\`), key \`payments_invoice_id_index\`(\`invoice_id\`), key \`payments_paid_at_index\`(\`paid_at\`), key \`payments_account_id_paid_at_index\`(\`account_id\`, \`paid_at\`), key \`payments_source_id_paid_at_index\`(\`source_id\`, \`paid_at\`), key \`payments_retail_company_id_paid_at_index\`(\`retail_company_id\`, \`paid_at\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`readings\` (\`meter_id\` bigint unsigned not null, \`interval_end\` int unsigned not null, \`status\` smallint not null, \`register_mask\` smallint not null, \`source\` smallint not null, \`import_t1\` bigint null, \`import_t2\` bigint null, \`import_t3\` bigint null, \`import_t4\` bigint null, \`export\` bigint null, \`account_id\` bigint null, \`retail_company_id\` int null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, primary key (\`meter_id\`, \`interval_end\`), key \`readings_interval_end_index\`(\`interval_end\`), key \`readings_retail_company_id_interval_end_index\`(\`retail_company_id\`, \`interval_end\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`reading_batches\` (\`block_number\` bigint unsigned not null, \`log_index\` int unsigned not null, \`tx_hash\` varchar(66) not null, \`signer\` varchar(42) not null, \`digest\` varchar(66) not null, \`source\` smallint not null, \`accepted\` int not null, \`duplicates\` int not null, primary key (\`block_number\`, \`log_index\`), key \`reading_batches_signer_index\`(\`signer\`), key \`reading_batches_tx_hash_index\`(\`tx_hash\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`reconciliations\` (\`period_id\` int unsigned not null, \`retail_company\` varchar(42) not null, \`grid_signed_wh\` bigint null, \`retail_signed_wh\` bigint null, \`matched\` tinyint(1) null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, \`updated_block\` bigint not null, \`updated_tx_hash\` varchar(66) not null, \`updated_log_index\` int not null, primary key (\`period_id\`, \`retail_company\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`reconciliation_volumes\` (\`period_id\` int unsigned not null, \`retail_company\` varchar(42) not null, \`account_id\` bigint unsigned not null, \`grid_wh\` bigint null, \`retail_wh\` bigint null, \`mismatch\` tinyint(1) not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, \`updated_block\` bigint not null, \`updated_tx_hash\` varchar(66) not null, \`updated_log_index\` int not null, primary key (\`period_id\`, \`retail_company\`, \`account_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`tariff_choices\` (\`block_number\` bigint unsigned not null, \`log_index\` int unsigned not null, \`tx_hash\` varchar(66) not null, \`account_id\` bigint not null, \`group_id\` bigint not null, \`kind\` smallint not null, \`from_period\` int not null, \`chosen_by\` varchar(42) not null, \`block_time\` bigint not null, primary key (\`block_number\`, \`log_index\`), key \`tariff_choices_account_id_block_number_index\`(\`account_id\`, \`block_number\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`tariff_groups\` (\`id\` bigint unsigned not null, \`retail_company\` varchar(42) not null, \`retail_company_id\` int null, \`consumer_type\` smallint not null, \`price_category\` smallint not null, \`name\` varchar(66) not null, \`name_hex\` varchar(66) not null, \`deleted\` tinyint(1) not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, \`updated_block\` bigint not null, \`updated_tx_hash\` varchar(66) not null, \`updated_log_index\` int not null, primary key (\`id\`), key \`tariff_groups_retail_company_id_index\`(\`retail_company_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table if not exists \`tariff_plans\` (\`id\` bigint unsigned not null, \`group_id\` bigint not null, \`kind\` smallint not null, \`zones\` smallint not null, \`vat_bp\` int not null, \`vat_included\` tinyint(1) not null, \`valid_from\` bigint not null, \`valid_to\` bigint not null, \`zone_hours\` bigint not null, \`threshold1\` bigint not null, \`threshold2\` bigint not null, \`export_price\` bigint not null, \`rates\` json not null, \`deleted\` tinyint(1) not null, \`block_number\` bigint not null, \`tx_hash\` varchar(66) not null, \`log_index\` int not null, \`updated_block\` bigint not null, \`updated_tx_hash\` varchar(66) not null, \`updated_log_index\` int not null, primary key (\`id\`), key \`tariff_plans_group_id_kind_valid_from_index\`(\`group_id\`, \`kind\`, \`valid_from\`)) default character set utf8mb4 engine = InnoDB;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`accounts\`;`);

    this.addSql(`drop table if exists \`billing_periods\`;`);

    this.addSql(`drop table if exists \`chain_events\`;`);

    this.addSql(`drop table if exists \`chain_parameters\`;`);

    this.addSql(`drop table if exists \`consumers\`;`);

    this.addSql(`drop table if exists \`debit_mandates\`;`);

    this.addSql(`drop table if exists \`device_keys\`;`);

    this.addSql(`drop table if exists \`documents\`;`);

    this.addSql(`drop table if exists \`indexer_checkpoints\`;`);

    this.addSql(`drop table if exists \`invoices\`;`);

    this.addSql(`drop table if exists \`invoice_lines\`;`);

    this.addSql(`drop table if exists \`meters\`;`);

    this.addSql(`drop table if exists \`meter_snapshots\`;`);

    this.addSql(`drop table if exists \`meter_state_events\`;`);

    this.addSql(`drop table if exists \`organisations\`;`);

    this.addSql(`drop table if exists \`payments\`;`);

    this.addSql(`drop table if exists \`readings\`;`);

    this.addSql(`drop table if exists \`reading_batches\`;`);

    this.addSql(`drop table if exists \`reconciliations\`;`);

    this.addSql(`drop table if exists \`reconciliation_volumes\`;`);

    this.addSql(`drop table if exists \`tariff_choices\`;`);

    this.addSql(`drop table if exists \`tariff_groups\`;`);

    this.addSql(`drop table if exists \`tariff_plans\`;`);
  }
}
