import { Account } from "./account.js";
import { ApiKey } from "./apiKey.js";
import { BillingPeriod } from "./billingPeriod.js";
import { ChainEvent } from "./chainEvent.js";
import { ChainParameter } from "./chainParameter.js";
import { Consumer } from "./consumer.js";
import { Counterparty } from "./counterparty.js";
import { DebitMandate } from "./debitMandate.js";
import { DeviceKey } from "./deviceKey.js";
import { Document } from "./document.js";
import { DocumentBody } from "./documentBody.js";
import { DocumentFile } from "./documentFile.js";
import { HourlyPrices } from "./hourlyPrices.js";
import { IndexerCheckpoint } from "./indexerCheckpoint.js";
import { Invoice } from "./invoice.js";
import { InvoiceLine } from "./invoiceLine.js";
import { InvoiceVolumeEvent } from "./invoiceVolumeEvent.js";
import { Meter } from "./meter.js";
import { MeterReplacement } from "./meterReplacement.js";
import { MeterSnapshot } from "./meterSnapshot.js";
import { MeterStateEvent } from "./meterStateEvent.js";
import { Organisation } from "./organisation.js";
import { OrganisationProfile } from "./organisationProfile.js";
import { Payment } from "./payment.js";
import { Reading } from "./reading.js";
import { ReadingBatch } from "./readingBatch.js";
import { Reconciliation, ReconciliationVolume } from "./reconciliation.js";
import { TariffChoice } from "./tariffChoice.js";
import { TariffGroup } from "./tariffGroup.js";
import { TariffPlan } from "./tariffPlan.js";
import { User } from "./user.js";
import { WebhookDelivery } from "./webhookDelivery.js";
import { WebhookSubscription } from "./webhookSubscription.js";

export * from "./account.js";
export * from "./apiKey.js";
export * from "./billingPeriod.js";
export * from "./chainEvent.js";
export * from "./chainParameter.js";
export * from "./consumer.js";
export * from "./counterparty.js";
export * from "./debitMandate.js";
export * from "./deviceKey.js";
export * from "./document.js";
export * from "./documentBody.js";
export * from "./documentFile.js";
export * from "./hourlyPrices.js";
export * from "./indexerCheckpoint.js";
export * from "./invoice.js";
export * from "./invoiceLine.js";
export * from "./invoiceVolumeEvent.js";
export * from "./meter.js";
export * from "./meterReplacement.js";
export * from "./meterSnapshot.js";
export * from "./meterStateEvent.js";
export * from "./organisation.js";
export * from "./organisationProfile.js";
export * from "./payment.js";
export * from "./reading.js";
export * from "./readingBatch.js";
export * from "./reconciliation.js";
export * from "./tariffChoice.js";
export * from "./tariffGroup.js";
export * from "./tariffPlan.js";
export * from "./user.js";
export * from "./webhookDelivery.js";
export * from "./webhookSubscription.js";

/** Every entity the gateway's database holds. One line per entity; add new ones here. */
export const entities = [
  Account,
  ApiKey,
  BillingPeriod,
  ChainEvent,
  ChainParameter,
  Consumer,
  Counterparty,
  DebitMandate,
  DeviceKey,
  Document,
  DocumentBody,
  DocumentFile,
  HourlyPrices,
  IndexerCheckpoint,
  Invoice,
  InvoiceLine,
  InvoiceVolumeEvent,
  Meter,
  MeterReplacement,
  MeterSnapshot,
  MeterStateEvent,
  Organisation,
  OrganisationProfile,
  Payment,
  Reading,
  ReadingBatch,
  Reconciliation,
  ReconciliationVolume,
  TariffChoice,
  TariffGroup,
  TariffPlan,
  User,
  WebhookDelivery,
  WebhookSubscription,
];
