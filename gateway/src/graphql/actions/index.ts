import { HourlyActionsResolver } from "./hourly/hourlyActions.resolver.js";
import { InvoiceActionsResolver } from "./invoices/invoiceActions.resolver.js";
import { PaymentActionsResolver } from "./payments/paymentActions.resolver.js";
import { CompanyProfileResolver } from "./profile/companyProfile.resolver.js";
import { ManualReadingsResolver } from "./readings/manualReadings.resolver.js";
import { TariffActionsResolver } from "./tariffs/tariffActions.resolver.js";

/** The mutations that act on the chain with the caller's own key (issue 5 §3 and §5). */
export const ACTION_RESOLVERS = [
  TariffActionsResolver,
  ManualReadingsResolver,
  InvoiceActionsResolver,
  PaymentActionsResolver,
  CompanyProfileResolver,
  HourlyActionsResolver,
] as const;
