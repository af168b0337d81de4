import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { AccountsResolver } from "./accounts/accounts.resolver.js";
import { ACTION_RESOLVERS } from "./actions/index.js";
import { AuthResolver } from "./auth/auth.resolver.js";
import { authChecker } from "./authChecker.js";
import { CostAccruedResolver } from "./costAccrued/costAccrued.resolver.js";
import { CounterpartiesResolver } from "./counterparties/counterparties.resolver.js";
import { InvoicesResolver } from "./invoices/invoices.resolver.js";
import { MetaResolver } from "./meta/meta.resolver.js";
import { MeterReplacementFieldsResolver } from "./meters/meterReplacements.resolver.js";
import { MetersResolver } from "./meters/meters.resolver.js";
import { OrganisationsResolver } from "./organisations/organisations.resolver.js";
import { PaymentFieldsResolver, PaymentsResolver } from "./payments/payments.resolver.js";
import { ReadingsResolver } from "./readings/readings.resolver.js";
import { SubmitReadingsResolver } from "./readings/submitReadings.resolver.js";
import { TariffPlanFieldsResolver } from "./tariffs/hourlyPrices.resolver.js";
import { TariffsResolver } from "./tariffs/tariffs.resolver.js";
import { TransactionResolver } from "./transactions/transaction.resolver.js";
import { WebhooksResolver } from "./webhooks/webhooks.resolver.js";

/** Every resolver of the gateway's GraphQL API. */
export const RESOLVERS = [
  MetaResolver,
  AuthResolver,
  SubmitReadingsResolver,
  AccountsResolver,
  MetersResolver,
  MeterReplacementFieldsResolver,
  PaymentsResolver,
  ReadingsResolver,
  ...ACTION_RESOLVERS,
  TransactionResolver,
  PaymentFieldsResolver,
  InvoicesResolver,
  TariffsResolver,
  TariffPlanFieldsResolver,
  WebhooksResolver,
  OrganisationsResolver,
  CounterpartiesResolver,
  CostAccruedResolver,
] as const;

/** Builds the schema with argument validation (class-validator) and the one auth checker. */
export function buildGatewaySchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    authMode: "error",
    validate: { forbidUnknownValues: false },
  });
}
