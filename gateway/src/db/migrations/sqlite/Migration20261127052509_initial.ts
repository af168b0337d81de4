import { Migration } from "@mikro-orm/migrations";

export class Migration20261127052509_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`accounts\` (\`id\` bigint not null, \`account_number\` text not null, \`account_number_hex\` text not null, \`consumer\` text not null, \`meter_id\` bigint not null, \`consumer_type\` integer not null, \`price_category\` integer not null, \`active\` integer not null, \`retail_company\` text not null, \`retail_company_id\` integer null, \`grid_company\` text not null, \`grid_company_id\` integer null, \`site_id\` text not null, \`site_id_hex\` text not null, \`address_ref\` text not null, \`address_ref_hex\` text not null, \`tariff_group_id\` bigint null, \`tariff_kind\` integer null, \`tariff_from_period\` integer null, \`credit_balance\` bigint not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, \`updated_block\` bigint not null, \`updated_tx_hash\` text not null, \`updated_log_index\` integer not null, primary key (\`id\`));`,
    );
    this.addSql(
      `create unique index \`accounts_account_number_unique\` on \`accounts\` (\`account_number\`);`,
    );
    this.addSql(`create index \`accounts_consumer_index\` on \`accounts\` (\`consumer\`);`);
    this.addSql(`create index \`accounts_meter_id_index\` on \`accounts\` (\`meter_id\`);`);
    this.addSql(`create index \`accounts_site_id_index\` on \`accounts\` (\`site_id\`);`);
    this.addSql(`create index \`accounts_address_ref_index\` on \`accounts\` (\`address_ref\`);`);
    this.addSql(
      `create index \`accounts_retail_company_id_account_number_index\` on \`accounts\` (\`retail_company_id\`, \`account_number\`);`,
    );
    this.addSql(
      `create index \`accounts_retail_company_id_site_id_index\` on \`accounts\` (\`retail_company_id\`, \`site_id\`);`,
    );
    this.addSql(
      `create index \`accounts_retail_company_id_address_ref_index\` on \`accounts\` (\`retail_company_id\`, \`address_ref\`);`,
    );

    this.addSql(
      `create table \`billing_periods\` (\`id\` integer not null, \`period_end\` integer not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, primary key (\`id\`));`,
    );
    this.addSql(`create index \`billing_periods_period_end_index\` on \`billing_periods\` (\`period_end\`);`);

    this.addSql(
      `create table \`chain_events\` (\`block_number\` bigint not null, \`log_index\` integer not null, \`tx_hash\` text not null, \`contract\` text not null, \`event\` text not null, \`args\` json not null, \`block_time\` bigint not null, primary key (\`block_number\`, \`log_index\`));`,
    );
    this.addSql(`create index \`chain_events_tx_hash_index\` on \`chain_events\` (\`tx_hash\`);`);
    this.addSql(
      `create index \`chain_events_event_block_number_index\` on \`chain_events\` (\`event\`, \`block_number\`);`,
    );

    this.addSql(
      `create table \`chain_parameters\` (\`name\` text not null, \`value\` text not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, \`updated_block\` bigint not null, \`updated_tx_hash\` text not null, \`updated_log_index\` integer not null, primary key (\`name\`));`,
    );

    this.addSql(
      `create table \`consumers\` (\`address\` text not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, primary key (\`address\`));`,
    );

    this.addSql(
      `create table \`debit_mandates\` (\`account_id\` bigint not null, \`source\` text not null, \`limit_per_debit\` bigint not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, \`updated_block\` bigint not null, \`updated_tx_hash\` text not null, \`updated_log_index\` integer not null, primary key (\`account_id\`, \`source\`));`,
    );

    this.addSql(
      `create table \`device_keys\` (\`meter_id\` bigint not null, \`key\` text not null, \`revoked\` integer not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, \`updated_block\` bigint not null, \`updated_tx_hash\` text not null, \`updated_log_index\` integer not null, primary key (\`meter_id\`, \`key\`));`,
    );
    this.addSql(`create index \`device_keys_key_index\` on \`device_keys\` (\`key\`);`);

    this.addSql(
      `create table \`documents\` (\`block_number\` bigint not null, \`log_index\` integer not null, \`tx_hash\` text not null, \`hash\` text not null, \`kind\` text not null, \`subject\` text not null, \`account_id\` bigint null, \`block_time\` bigint not null, primary key (\`block_number\`, \`log_index\`));`,
    );
    this.addSql(`create index \`documents_hash_index\` on \`documents\` (\`hash\`);`);
    this.addSql(
      `create index \`documents_account_id_block_number_index\` on \`documents\` (\`account_id\`, \`block_number\`);`,
    );
    this.addSql(`create index \`documents_kind_subject_index\` on \`documents\` (\`kind\`, \`subject\`);`);

    this.addSql(
      `create table \`indexer_checkpoints\` (\`id\` text not null, \`chain_id\` integer not null, \`deployment\` text not null, \`deployed_at_block\` bigint not null, \`block_number\` bigint not null, \`block_hash\` text not null, \`updated_at\` bigint not null, primary key (\`id\`));`,
    );

    this.addSql(
      `create table \`invoices\` (\`id\` text not null, \`account_id\` bigint not null, \`period_id\` integer not null, \`retail_company_id\` integer null, \`plan_id\` bigint not null, \`status\` text not null, \`total\` bigint not null, \`energy\` bigint not null, \`transmission\` bigint not null, \`retail_markup\` bigint not null, \`infrastructure\` bigint not null, \`vat\` bigint not null, \`export_credit\` bigint not null, \`volumes_wh\` json not null, \`document_hash\` text null, \`due_date\` bigint null, \`confirmed_by\` text null, \`reason_hash\` text null, \`paid_total\` bigint not null, \`paid_energy\` bigint not null, \`paid_transmission\` bigint not null, \`paid_retail_markup\` bigint not null, \`paid_infrastructure\` bigint not null, \`computed_at\` bigint not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, \`updated_block\` bigint not null, \`updated_tx_hash\` text not null, \`updated_log_index\` integer not null, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`invoices_account_id_period_id_index\` on \`invoices\` (\`account_id\`, \`period_id\`);`,
    );
    this.addSql(
      `create index \`invoices_retail_company_id_period_id_index\` on \`invoices\` (\`retail_company_id\`, \`period_id\`);`,
    );
    this.addSql(
      `create index \`invoices_status_period_id_index\` on \`invoices\` (\`status\`, \`period_id\`);`,
    );

    this.addSql(
      `create table \`invoice_lines\` (\`block_number\` bigint not null, \`log_index\` integer not null, \`line_no\` integer not null, \`tx_hash\` text not null, \`invoice_id\` text not null, \`kind\` integer not null, \`zone\` integer not null, \`range\` integer not null, \`component\` integer not null, \`quantity\` bigint not null, \`rate\` bigint not null, \`amount\` bigint not null, primary key (\`block_number\`, \`log_index\`, \`line_no\`));`,
    );
    this.addSql(`create index \`invoice_lines_invoice_id_index\` on \`invoice_lines\` (\`invoice_id\`);`);

    this.addSql(
      `create table \`meters\` (\`id\` bigint not null, \`grid_company\` text not null, \`grid_company_id\` integer null, \`account_id\` bigint null, \`retail_company_id\` integer null, \`meter_type\` integer not null, \`tariff_zones\` integer not null, \`metering_scheme\` integer not null, \`remote_reading\` integer not null, \`export_capable\` integer not null, \`at_balance_boundary\` integer not null, \`loss_method\` integer not null, \`loss_ppm\` integer not null, \`serial\` text not null, \`serial_hex\` text not null, \`model\` text not null, \`model_hex\` text not null, \`loss_parameters\` text not null, \`reference_firmware\` text null, \`current_firmware\` text null, \`tampered\` integer not null, \`last_clock_drift\` integer null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, \`updated_block\` bigint not null, \`updated_tx_hash\` text not null, \`updated_log_index\` integer not null, primary key (\`id\`));`,
    );
    this.addSql(`create index \`meters_account_id_index\` on \`meters\` (\`account_id\`);`);
    this.addSql(`create index \`meters_serial_index\` on \`meters\` (\`serial\`);`);
    this.addSql(`create index \`meters_model_index\` on \`meters\` (\`model\`);`);
    this.addSql(
      `create index \`meters_grid_company_id_serial_index\` on \`meters\` (\`grid_company_id\`, \`serial\`);`,
    );
    this.addSql(
      `create index \`meters_retail_company_id_serial_index\` on \`meters\` (\`retail_company_id\`, \`serial\`);`,
    );

    this.addSql(
      `create table \`meter_snapshots\` (\`meter_id\` bigint not null, \`period_id\` integer not null, \`last_interval_end\` integer not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, primary key (\`meter_id\`, \`period_id\`));`,
    );

    this.addSql(
      `create table \`meter_state_events\` (\`block_number\` bigint not null, \`log_index\` integer not null, \`tx_hash\` text not null, \`meter_id\` bigint not null, \`kind\` text not null, \`code\` bigint null, \`hash\` text null, \`previous_hash\` text null, \`matches_reference\` integer null, \`drift_seconds\` integer null, \`block_time\` bigint not null, primary key (\`block_number\`, \`log_index\`));`,
    );
    this.addSql(
      `create index \`meter_state_events_meter_id_block_number_index\` on \`meter_state_events\` (\`meter_id\`, \`block_number\`);`,
    );
    this.addSql(
      `create index \`meter_state_events_kind_block_time_index\` on \`meter_state_events\` (\`kind\`, \`block_time\`);`,
    );

    this.addSql(
      `create table \`organisations\` (\`id\` integer not null, \`address\` text not null, \`kind\` integer not null, \`active\` integer not null, \`profile_hash\` text not null, \`profile_id\` text not null, \`profile_id_text\` text null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, \`updated_block\` bigint not null, \`updated_tx_hash\` text not null, \`updated_log_index\` integer not null, primary key (\`id\`));`,
    );
    this.addSql(`create unique index \`organisations_address_unique\` on \`organisations\` (\`address\`);`);
    this.addSql(`create index \`organisations_kind_index\` on \`organisations\` (\`kind\`);`);

    this.addSql(
      `create table \`payments\` (\`source\` text not null, \`payment_number\` bigint not null, \`source_id\` integer null, \`external_ref\` text not null, \`kind\` text not null, \`invoice_id\` text null, \`account_id\` bigint not null, \`retail_company_id\` integer null, \`method\` integer null, \`amount\` bigint not null, \`applied\` bigint not null, \`credited\` bigint not null, \`split_energy\` bigint not null, \`split_transmission\` bigint not null, \`split_retail_markup\` bigint not null, \`split_infrastructure\` bigint not null, \`paid_at\` bigint not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, primary key (\`source\`, \`payment_number\`));`,
    );
    this.addSql(`create index \`payments_invoice_id_index\` on \`payments\` (\`invoice_id\`);`);
    this.addSql(`create index \`payments_paid_at_index\` on \`payments\` (\`paid_at\`);`);
    this.addSql(
      `create index \`payments_account_id_paid_at_index\` on \`payments\` (\`account_id\`, \`paid_at\`);`,
    );
    this.addSql(
      `create index \`payments_source_id_paid_at_index\` on \`payments\` (\`source_id\`, \`paid_at\`);`,
    );
    this.addSql(
      `create index \`payments_retail_company_id_paid_at_index\` on \`payments\` (\`retail_company_id\`, \`paid_at\`);`,
    );

    this.addSql(
      `create table \`readings\` (\`meter_id\` bigint not null, \`interval_end\` integer not null, \`status\` integer not null, \`register_mask\` integer not null, \`source\` integer not null, \`import_t1\` bigint null, \`import_t2\` bigint null, \`import_t3\` bigint null, \`import_t4\` bigint null, \`export\` bigint null, \`account_id\` bigint null, \`retail_company_id\` integer null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, primary key (\`meter_id\`, \`interval_end\`));`,
    );
    this.addSql(`create index \`readings_interval_end_index\` on \`readings\` (\`interval_end\`);`);
    this.addSql(
      `create index \`readings_retail_company_id_interval_end_index\` on \`readings\` (\`retail_company_id\`, \`interval_end\`);`,
    );

    this.addSql(
      `create table \`reading_batches\` (\`block_number\` bigint not null, \`log_index\` integer not null, \`tx_hash\` text not null, \`signer\` text not null, \`digest\` text not null, \`source\` integer not null, \`accepted\` integer not null, \`duplicates\` integer not null, primary key (\`block_number\`, \`log_index\`));`,
    );
    this.addSql(`create index \`reading_batches_signer_index\` on \`reading_batches\` (\`signer\`);`);
    this.addSql(`create index \`reading_batches_tx_hash_index\` on \`reading_batches\` (\`tx_hash\`);`);

    this.addSql(
      `create table \`reconciliations\` (\`period_id\` integer not null, \`retail_company\` text not null, \`grid_signed_wh\` bigint null, \`retail_signed_wh\` bigint null, \`matched\` integer null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, \`updated_block\` bigint not null, \`updated_tx_hash\` text not null, \`updated_log_index\` integer not null, primary key (\`period_id\`, \`retail_company\`));`,
    );

    this.addSql(
      `create table \`reconciliation_volumes\` (\`period_id\` integer not null, \`retail_company\` text not null, \`account_id\` bigint not null, \`grid_wh\` bigint null, \`retail_wh\` bigint null, \`mismatch\` integer not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, \`updated_block\` bigint not null, \`updated_tx_hash\` text not null, \`updated_log_index\` integer not null, primary key (\`period_id\`, \`retail_company\`, \`account_id\`));`,
    );

    this.addSql(
      `create table \`tariff_choices\` (\`block_number\` bigint not null, \`log_index\` integer not null, \`tx_hash\` text not null, \`account_id\` bigint not null, \`group_id\` bigint not null, \`kind\` integer not null, \`from_period\` integer not null, \`chosen_by\` text not null, \`block_time\` bigint not null, primary key (\`block_number\`, \`log_index\`));`,
    );
    this.addSql(
      `create index \`tariff_choices_account_id_block_number_index\` on \`tariff_choices\` (\`account_id\`, \`block_number\`);`,
    );

    this.addSql(
      `create table \`tariff_groups\` (\`id\` bigint not null, \`retail_company\` text not null, \`retail_company_id\` integer null, \`consumer_type\` integer not null, \`price_category\` integer not null, \`name\` text not null, \`name_hex\` text not null, \`deleted\` integer not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, \`updated_block\` bigint not null, \`updated_tx_hash\` text not null, \`updated_log_index\` integer not null, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`tariff_groups_retail_company_id_index\` on \`tariff_groups\` (\`retail_company_id\`);`,
    );

    this.addSql(
      `create table \`tariff_plans\` (\`id\` bigint not null, \`group_id\` bigint not null, \`kind\` integer not null, \`zones\` integer not null, \`vat_bp\` integer not null, \`vat_included\` integer not null, \`valid_from\` bigint not null, \`valid_to\` bigint not null, \`zone_hours\` bigint not null, \`threshold1\` bigint not null, \`threshold2\` bigint not null, \`export_price\` bigint not null, \`rates\` json not null, \`deleted\` integer not null, \`block_number\` bigint not null, \`tx_hash\` text not null, \`log_index\` integer not null, \`updated_block\` bigint not null, \`updated_tx_hash\` text not null, \`updated_log_index\` integer not null, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`tariff_plans_group_id_kind_valid_from_index\` on \`tariff_plans\` (\`group_id\`, \`kind\`, \`valid_from\`);`,
    );
  }
}
