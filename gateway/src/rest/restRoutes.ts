import type { GraphQLSchema } from "graphql";
import { z } from "zod";
import type { ApiKeyScope } from "../apiKeys/apiKeyScopes.js";
import { graphqlInputSchema } from "./graphqlInputSchema.js";
import {
  chainAddress,
  decimalId,
  integer,
  isoInstant,
  pagedListVariables,
  pagingParameters,
  prefixText,
  sortedListVariables,
} from "./restParameters.js";

/**
 * One REST route: a fixed GraphQL operation on one root field, run against the gateway's own schema
 * with the API key's principal as the context. Resolvers, role scoping, validation and error codes
 * are GraphQL's — REST adds only the URL, the flat parameters and the HTTP status.
 */
export type RestRoute = {
  method: "GET" | "POST";
  /** Relative to `/api`, Fastify style (`/v1/accounts/:id`). */
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Scope the key needs; null: any valid key. */
  scope: ApiKeyScope | null;
  /** The root Query or Mutation field the route runs. */
  field: string;
  params?: z.ZodObject;
  /** Query string (GET) or body (POST: JSON or form); a function for bodies derived from GraphQL input types. */
  input: z.ZodObject | ((schema: GraphQLSchema) => z.ZodObject);
  /** Body media types a POST takes. Default: JSON and form; nested inputs are JSON only. */
  consumes?: readonly ("application/json" | "application/x-www-form-urlencoded")[];
  // biome-ignore lint/suspicious/noExplicitAny: each route's own input shape; zod has checked it.
  variables(input: any, params: any): Record<string, unknown>;
  /** `Type.field`s left out of the automatic selection (heavy or irrelevant to integrators). */
  exclude?: readonly string[];
  /** References to other rows (`Type.field`) to follow although references are left out by default. */
  include?: readonly string[];
  /** A single-row route: NOT_FOUND is a documented 404. */
  single?: boolean;
  /** A field whose value is not an object or a list answers `{ [wrap]: value }` (JSON needs an object). */
  wrap?: string;
};

const accountFilter = {
  accountNumber: prefixText(32, "Account number").optional(),
  retailCompany: chainAddress("Retail company's chain address").optional(),
  site: prefixText(64, "Network district (участок)").optional(),
  installationAddress: prefixText(64, "Installation address").optional(),
};
const meterFilter = {
  accountNumber: prefixText(32, "Account number").optional(),
  serial: prefixText(32, "Meter serial").optional(),
  model: prefixText(32, "Meter model").optional(),
  installationAddress: prefixText(64, "Installation address").optional(),
};
const readingFilter = {
  from: isoInstant("Intervals starting at or after it").optional(),
  to: isoInstant("Intervals ending at or before it").optional(),
  accountNumber: prefixText(32, "Account number").optional(),
  meterSerial: prefixText(32, "Meter serial").optional(),
  meterId: z
    .string()
    .regex(/^\d{1,19}$/, "a decimal meter id")
    .describe("Meter registry id, decimal")
    .optional(),
  installationAddress: prefixText(64, "Installation address").optional(),
};
const paymentFilter = {
  from: isoInstant("Paid at or after it").optional(),
  to: isoInstant("Paid before it").optional(),
  accountNumber: prefixText(32, "Account number").optional(),
  installationAddress: prefixText(64, "Installation address").optional(),
  paymentSource: chainAddress("The payment source's chain address").optional(),
  retailCompany: chainAddress("Retail company's chain address").optional(),
  accountId: z
    .string()
    .regex(/^\d{1,16}$/, "a decimal account id")
    .describe("Account registry id, decimal")
    .optional(),
  invoiceId: z
    .string()
    .regex(/^\d{1,78}$/, "a decimal invoice id")
    .describe("Invoice id, decimal")
    .optional(),
};
const sortDirection = z.enum(["ASC", "DESC"]).describe("Sort direction; default ASC").optional();

/** `status=ISSUED&status=CONFIRMED` or `status=ISSUED,CONFIRMED`. */
const invoiceStatuses = z
  .preprocess(
    (value) => (typeof value === "string" ? value.split(",") : value),
    z.array(z.enum(["COMPUTED", "ISSUED", "CONFIRMED", "DISPUTED", "CANCELLED"])).min(1),
  )
  .describe("Any of these statuses: repeat the parameter or separate with commas");

/** `meterId:registerMask:records` — one meter of a batch as one URL-compatible value. */
const METER_TEXT = /^([1-9]\d{0,19}):(\d{1,2}):(0x(?:[0-9a-fA-F]{2})+)$/;
const meterReadings = z.union([
  z.strictObject({
    meterId: decimalId("The meter's registry id"),
    registerMask: z.number().int().min(1).max(31).describe("Register bits: 0-3 import T1-T4, 4 export"),
    records: z
      .string()
      .regex(/^0x(?:[0-9a-fA-F]{2})+$/, "non-empty 0x-prefixed hex of whole bytes")
      .describe("Packed records (domain/src/readings/readingBatch.ts)"),
  }),
  z
    .string()
    .regex(METER_TEXT, "meterId:registerMask:0xrecords")
    .describe("Form encoding of one meter: meterId:registerMask:0xrecords"),
]);

export const REST_ROUTES: readonly RestRoute[] = [
  {
    method: "GET",
    url: "/v1/meta",
    operationId: "getMeta",
    summary: "How fresh the answers are: chain head, indexed block, lag and the operating mode",
    tag: "meta",
    scope: null,
    field: "_meta",
    input: z.strictObject({}),
    variables: () => ({}),
  },
  {
    method: "GET",
    url: "/v1/readings",
    operationId: "listReadings",
    summary: "Half-hour readings in the key's scope, newest first, each with its chain reference",
    tag: "readings",
    scope: "readings:read",
    field: "readings",
    input: z.strictObject({ ...readingFilter, ...pagingParameters }),
    variables: pagedListVariables,
  },
  {
    method: "GET",
    url: "/v1/readings/series",
    operationId: "readingsSeries",
    summary: "Energy per half hour, Moscow day or month and tariff zone, for the filters",
    tag: "readings",
    scope: "readings:read",
    field: "consumptionSeries",
    input: z.strictObject({
      bucket: z.enum(["HALF_HOUR", "DAY", "MONTH"]).describe("Bucket; default DAY").optional(),
      ...readingFilter,
    }),
    variables: ({ bucket, ...filter }) => ({ bucket, filter }),
  },
  {
    method: "GET",
    url: "/v1/readings/domain",
    operationId: "readingsDomain",
    summary: "The EIP-712 domain a device signs reading batches for",
    tag: "readings",
    scope: "readings:write",
    field: "readingsDomain",
    input: z.strictObject({}),
    variables: () => ({}),
  },
  {
    method: "POST",
    url: "/v1/readings",
    operationId: "submitReadings",
    summary: "Submit a device-signed batch of readings (verified, then relayed to the ledger)",
    description:
      "The EIP-712 signature of a device key registered for every meter is the credential for the readings; " +
      "the API key only admits the caller. A batch the contract would refuse is refused before any transaction; " +
      "readings the ledger already holds are counted in `duplicates`, so a batch may be sent again after a failure.",
    tag: "readings",
    scope: "readings:write",
    field: "submitReadings",
    input: z.strictObject({
      signature: z
        .string()
        .regex(/^0x[0-9a-fA-F]{130}$/, "65 bytes, 0x-hex")
        .describe("EIP-712 signature of the batch by the device key"),
      meters: z
        .preprocess(
          (value) => (Array.isArray(value) ? value : [value]),
          z.array(meterReadings).min(1).max(256),
        )
        .describe(
          "The batch's meters (1-256): JSON objects, or in a form one `meters=meterId:registerMask:0xrecords` per meter",
        ),
    }),
    variables: ({ signature, meters }: { signature: string; meters: z.output<typeof meterReadings>[] }) => ({
      signature,
      batch: {
        meters: meters.map((entry) => {
          if (typeof entry !== "string") return entry;
          const [, meterId, registerMask, records] = METER_TEXT.exec(entry)!;
          return { meterId, registerMask: Number(registerMask), records };
        }),
      },
    }),
  },
  {
    method: "POST",
    url: "/v1/readings/manual",
    operationId: "submitManualReadings",
    summary: "Submit readings of a meter without remote reading, typed in by staff (grid company, operator)",
    description:
      "Signed with the organisation's own key. Give the same registers in every record (those the meter has). " +
      "Readings the ledger already holds are counted in `duplicates`.",
    tag: "readings",
    scope: "readings:write",
    field: "submitManualReadings",
    consumes: ["application/json"],
    input: (schema) => z.strictObject({ input: graphqlInputSchema(schema, "ManualReadingsInput") }),
    variables: ({ input }) => ({ input }),
  },
  {
    method: "GET",
    url: "/v1/accounts",
    operationId: "listAccounts",
    summary: "Consumer accounts in the key's scope",
    tag: "accounts",
    scope: "accounts:read",
    field: "accounts",
    input: z.strictObject({
      ...accountFilter,
      sort: z
        .enum(["ACCOUNT_NUMBER", "SITE", "INSTALLATION_ADDRESS", "ID", "CREDIT_BALANCE"])
        .describe("Sort field")
        .optional(),
      direction: sortDirection,
      ...pagingParameters,
    }),
    variables: sortedListVariables,
    // the meter history is in /v1/accounts/{id}: a list per row would eat the 200-row cost budget
    exclude: ["AccountNode.meterReplacements"],
  },
  {
    method: "GET",
    url: "/v1/accounts/:id",
    operationId: "getAccount",
    summary: "One account; 403 when outside the key's scope",
    tag: "accounts",
    scope: "accounts:read",
    field: "account",
    params: z.strictObject({ id: decimalId("Account registry id") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ id }),
    single: true,
  },
  {
    method: "GET",
    url: "/v1/accounts/:id/tariff",
    operationId: "getAccountTariff",
    summary:
      "An account's tariff: the current one, a choice pending for a later period, the plans open to it",
    tag: "accounts",
    scope: "tariffs:read",
    field: "accountTariff",
    include: ["TariffSelectionNode.group", "TariffSelectionNode.plan"],
    params: z.strictObject({ id: decimalId("Account registry id") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ accountId: id }),
    single: true,
  },
  {
    method: "POST",
    url: "/v1/accounts/:id/tariff",
    operationId: "assignTariff",
    summary: "Assign a tariff (group and kind) to an account the retail company serves",
    description:
      "Signed with the retail company's key (Tariffs `assignTariff`): its first assignment applies at once, a later one from the next period.",
    tag: "accounts",
    scope: "tariffs:write",
    field: "chooseTariff",
    params: z.strictObject({ id: decimalId("Account registry id") }),
    input: z.strictObject({
      groupId: decimalId(
        "Tariff group id (of the retail company, for the account's consumer type and price category)",
      ),
      kind: z
        .enum(["SINGLE_RATE", "TWO_ZONE", "THREE_ZONE", "VOLUME_RANGE", "SOCIAL_NORM"])
        .describe("Plan kind in the group"),
    }),
    variables: ({ groupId, kind }, { id }) => ({ accountId: id, groupId, kind }),
    single: true,
  },
  {
    method: "GET",
    url: "/v1/accounts/:id/cost",
    operationId: "getAccountCostAccrued",
    summary:
      "An account's cost so far in the open billing period, per half hour, priced as the chain will price the invoice",
    tag: "accounts",
    scope: "invoices:read",
    field: "costAccrued",
    params: z.strictObject({ id: decimalId("Account registry id") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ accountId: id }),
    single: true,
  },
  {
    method: "GET",
    url: "/v1/meters",
    operationId: "listMeters",
    summary: "Meters in the key's scope with their state (tamper, firmware, clock drift)",
    tag: "meters",
    scope: "meters:read",
    field: "meters",
    input: z.strictObject({
      ...meterFilter,
      sort: z.enum(["SERIAL", "MODEL", "ID"]).describe("Sort field").optional(),
      direction: sortDirection,
      ...pagingParameters,
    }),
    variables: sortedListVariables,
    // the replacements are in /v1/meters/{id}: a list per row would eat the 200-row cost budget
    exclude: ["MeterNode.replacements"],
  },
  {
    method: "GET",
    url: "/v1/meters/:id",
    operationId: "getMeter",
    summary: "One meter; 403 when outside the key's scope",
    tag: "meters",
    scope: "meters:read",
    field: "meter",
    params: z.strictObject({ id: decimalId("Meter registry id") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ id }),
    single: true,
  },
  {
    method: "GET",
    url: "/v1/payments",
    operationId: "listPayments",
    summary: "Payments in the key's scope (a payment source: those it recorded), with their split",
    tag: "payments",
    scope: "payments:read",
    field: "payments",
    input: z.strictObject({
      ...paymentFilter,
      sort: z.enum(["PAID_AT", "AMOUNT", "ACCOUNT"]).describe("Sort field; default newest first").optional(),
      direction: sortDirection,
      ...pagingParameters,
    }),
    variables: sortedListVariables,
  },
  {
    method: "GET",
    url: "/v1/payments/series",
    operationId: "paymentsSeries",
    summary: "Payment totals per Moscow day or month for the filters",
    tag: "payments",
    scope: "payments:read",
    field: "paymentsSeries",
    input: z.strictObject({
      bucket: z.enum(["DAY", "MONTH"]).describe("Bucket; default DAY").optional(),
      ...paymentFilter,
    }),
    variables: ({ bucket, ...filter }) => ({ bucket, filter }),
  },
  {
    method: "GET",
    url: "/v1/payments/report",
    operationId: "paymentReport",
    summary: "Payment report for a Moscow-time month: the accounts paid with their totals and payments",
    tag: "payments",
    scope: "payments:read",
    field: "paymentReport",
    // within the query cost limit at 200 rows; /v1/payments lists the payments themselves
    exclude: ["PaymentReportRow.items"],
    input: z.strictObject({
      year: integer(2000, 2100, "Year"),
      month: integer(1, 12, "Month, 1-12 (Moscow time)"),
      retailCompany: chainAddress(
        "Only this retail company's accounts (a retail company: its own)",
      ).optional(),
      sort: z.enum(["AMOUNT", "ACCOUNT", "PAYMENTS", "LAST_PAID_AT"]).describe("Sort field").optional(),
      direction: sortDirection,
      ...pagingParameters,
    }),
    variables: ({ year, month, retailCompany, sort, direction, page, size, first, after }) => ({
      year,
      month,
      retailCompany,
      page,
      size,
      first,
      after,
      sort: sort ? { field: sort, direction: direction ?? "ASC" } : undefined,
    }),
  },
  {
    method: "POST",
    url: "/v1/payments",
    operationId: "recordPayment",
    summary: "Record a payment received for an invoice (a bank or other payment source)",
    description:
      "Signed with the payment source's own key and split among the providers by the Settlement contract. " +
      "`paymentNumber` is the source's own number, unique per source: posting the same number again is refused, " +
      "so a bank can resend after a failure without paying twice.",
    tag: "payments",
    scope: "payments:write",
    field: "recordPayment",
    input: z.strictObject({
      invoiceId: decimalId("Invoice id"),
      amount: z
        .string()
        .regex(/^\d{1,20}$/, "kopecks, a decimal integer")
        .describe("Kopecks; above the debt the rest goes to the account's credit balance"),
      method: z
        .enum(["BANK_TRANSFER", "CARD", "CASH_DESK"])
        .describe("How the money reached the payment source"),
      paymentNumber: z
        .string()
        .regex(/^\d{1,20}$/, "a decimal integer")
        .describe("The source's own payment number, unique per source (idempotency)"),
      externalRef: z
        .string()
        .max(32)
        .describe("The source's reference (payment order number), 1-32 bytes")
        .optional(),
    }),
    variables: (input) => ({ input }),
  },
  {
    method: "POST",
    url: "/v1/payments/prepayments",
    operationId: "recordPrepayment",
    summary: "Record money received in advance for an account (goes to its credit balance)",
    tag: "payments",
    scope: "payments:write",
    field: "recordPrepayment",
    input: z.strictObject({
      accountId: decimalId("Account id"),
      amount: z
        .string()
        .regex(/^\d{1,20}$/, "kopecks, a decimal integer")
        .describe("Kopecks"),
      paymentNumber: z
        .string()
        .regex(/^\d{1,20}$/, "a decimal integer")
        .describe("The source's own payment number, unique per source (idempotency)"),
      externalRef: z.string().max(32).describe("The source's reference, 1-32 bytes").optional(),
    }),
    variables: (input) => ({ input }),
  },
  {
    method: "GET",
    url: "/v1/invoices",
    operationId: "listInvoices",
    summary: "Invoices of the accounts in the key's scope (a billing system pulls them), newest period first",
    tag: "invoices",
    scope: "invoices:read",
    field: "invoices",
    input: z.strictObject({
      accountId: z
        .string()
        .regex(/^\d{1,16}$/, "a decimal account id")
        .describe("Account id, decimal")
        .optional(),
      accountNumber: prefixText(32, "Account number").optional(),
      periodId: integer(0, 4_294_967_295, "Billing period id").optional(),
      status: invoiceStatuses.optional(),
      retailCompany: chainAddress("Retail company's chain address").optional(),
      from: isoInstant("Computed at or after it").optional(),
      to: isoInstant("Computed before it").optional(),
      sort: z
        .enum(["PERIOD", "COMPUTED_AT", "TOTAL", "STATUS", "ACCOUNT", "DUE_DATE"])
        .describe("Sort field; default newest period first")
        .optional(),
      direction: sortDirection,
      ...pagingParameters,
    }),
    variables: sortedListVariables,
    // within the query cost limit at 200 rows; /v1/invoices/{id} and /v1/payments give the rest
    exclude: ["InvoiceNode.account", "InvoiceNode.events", "InvoiceNode.payments"],
  },
  {
    method: "GET",
    url: "/v1/invoices/:id",
    operationId: "getInvoice",
    summary: "One invoice with its lines, payments, account and history",
    tag: "invoices",
    scope: "invoices:read",
    field: "invoice",
    params: z.strictObject({ id: decimalId("Invoice id (account id << 32 | period id), decimal") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ id }),
    single: true,
  },
  {
    method: "GET",
    url: "/v1/tariffs",
    operationId: "listTariffGroups",
    summary: "Tariff groups with their plans and rates (a retail company: its own; others: as scoped)",
    tag: "tariffs",
    scope: "tariffs:read",
    field: "tariffGroups",
    input: z.strictObject({
      retailCompany: chainAddress("Only this retail company's groups").optional(),
      includeDeleted: z
        .enum(["true", "false"])
        .transform((value) => value === "true")
        .describe("Include deleted groups and plans; default false")
        .optional(),
    }),
    variables: ({ retailCompany, includeDeleted }) => ({ retailCompany, includeDeleted }),
    // a ПЦК 3/4 plan's published periods: /v1/tariffs/plans/{id} (every plan × every period is over
    // the query cost limit)
    exclude: ["TariffPlanNode.hourlyPriceLists"],
  },
  {
    method: "GET",
    url: "/v1/tariffs/groups/:id",
    operationId: "getTariffGroup",
    summary: "One tariff group with its plans",
    tag: "tariffs",
    scope: "tariffs:read",
    field: "tariffGroup",
    params: z.strictObject({ id: decimalId("Tariff group id") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ id }),
    single: true,
  },
  {
    method: "GET",
    url: "/v1/tariffs/plans/:id",
    operationId: "getTariffPlan",
    summary: "One tariff plan with its rates",
    tag: "tariffs",
    scope: "tariffs:read",
    field: "tariffPlan",
    params: z.strictObject({ id: decimalId("Tariff plan id") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ id }),
    single: true,
  },
  {
    method: "POST",
    url: "/v1/tariffs/groups",
    operationId: "createTariffGroup",
    summary: "Create a tariff group (a retail company)",
    tag: "tariffs",
    scope: "tariffs:write",
    field: "createTariffGroup",
    consumes: ["application/json"],
    input: (schema) => graphqlInputSchema(schema, "CreateTariffGroupInput") as z.ZodObject,
    variables: (input) => ({ input }),
  },
  {
    method: "POST",
    url: "/v1/tariffs/groups/:id/plans",
    operationId: "addTariffPlan",
    summary:
      "Add a dated plan (a price version of one kind, with its rate rows) to a tariff group (its retail company)",
    tag: "tariffs",
    scope: "tariffs:write",
    field: "addTariffPlan",
    consumes: ["application/json"],
    params: z.strictObject({ id: decimalId("Tariff group id") }),
    input: (schema) => graphqlInputSchema(schema, "TariffPlanInput") as z.ZodObject,
    variables: (plan, { id }) => ({ plan, groupId: id }),
  },
  {
    method: "POST",
    url: "/v1/tariffs/groups/:id/name",
    operationId: "renameTariffGroup",
    summary: "Rename a tariff group (its retail company)",
    tag: "tariffs",
    scope: "tariffs:write",
    field: "editTariffGroup",
    params: z.strictObject({ id: decimalId("Tariff group id") }),
    input: z.strictObject({ name: z.string().min(1).max(64).describe("1-32 bytes of UTF-8") }),
    variables: ({ name }, { id }) => ({ groupId: id, name }),
    single: true,
  },
  {
    method: "POST",
    url: "/v1/tariffs/groups/:id/delete",
    operationId: "deleteTariffGroup",
    summary: "Delete a tariff group none of whose plans has started to apply (its retail company)",
    tag: "tariffs",
    scope: "tariffs:write",
    field: "deleteTariffGroup",
    params: z.strictObject({ id: decimalId("Tariff group id") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ groupId: id }),
    single: true,
  },
  {
    method: "POST",
    url: "/v1/tariffs/plans/:id/close",
    operationId: "closeTariffPlan",
    summary: "End a plan's validity (its retail company)",
    tag: "tariffs",
    scope: "tariffs:write",
    field: "closeTariffPlan",
    params: z.strictObject({ id: decimalId("Tariff plan id") }),
    input: z.strictObject({ validTo: isoInstant("Exclusive end of validity") }),
    variables: ({ validTo }, { id }) => ({ planId: id, validTo }),
    single: true,
  },
  {
    method: "POST",
    url: "/v1/tariffs/plans/:id/delete",
    operationId: "deleteTariffPlan",
    summary: "Delete the latest plan of its group and kind, if it has not started to apply",
    tag: "tariffs",
    scope: "tariffs:write",
    field: "deleteTariffPlan",
    params: z.strictObject({ id: decimalId("Tariff plan id") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ planId: id }),
    single: true,
  },
  {
    method: "GET",
    url: "/v1/organisations",
    operationId: "listOrganisations",
    summary: "Organisations on the ledger the key may see",
    tag: "organisations",
    scope: "organisations:read",
    field: "organisations",
    input: z.strictObject({
      kind: z.enum(["OPERATOR", "GRID_COMPANY", "RETAIL_COMPANY", "PAYMENT_SOURCE"]).optional(),
      gridCompany: chainAddress(
        "Only retail companies serving accounts in this grid company's network",
      ).optional(),
      active: z
        .enum(["true", "false"])
        .transform((value) => value === "true")
        .describe("Only active (true) or deactivated (false) organisations")
        .optional(),
      ...pagingParameters,
    }),
    variables: pagedListVariables,
  },
  {
    method: "GET",
    url: "/v1/organisations/me",
    operationId: "getOwnOrganisation",
    summary: "The key's own organisation with its card",
    tag: "organisations",
    scope: "organisations:read",
    field: "myOrganisation",
    input: z.strictObject({}),
    variables: () => ({}),
  },
  {
    method: "GET",
    url: "/v1/organisations/:address",
    operationId: "getOrganisation",
    summary: "One organisation with its card",
    tag: "organisations",
    scope: "organisations:read",
    field: "organisation",
    params: z.strictObject({ address: chainAddress("The organisation's chain address") }),
    input: z.strictObject({}),
    variables: (_input, { address }) => ({ address }),
    single: true,
  },
  {
    method: "GET",
    url: "/v1/counterparties",
    operationId: "listCounterparties",
    summary: "The key organisation's counterparties with their bank details",
    tag: "organisations",
    scope: "organisations:read",
    field: "counterparties",
    input: z.strictObject({
      name: prefixText(200, "Counterparty name").optional(),
      inn: z
        .string()
        .regex(/^\d{1,12}$/, "digits of an INN")
        .describe("INN; matches a prefix")
        .optional(),
      owner: chainAddress("Whose list (the operator only; others see their own)").optional(),
      sort: z.enum(["NAME", "INN", "CREATED_AT"]).describe("Sort field").optional(),
      direction: sortDirection,
      ...pagingParameters,
    }),
    variables: ({ owner, ...rest }) => ({ ...sortedListVariables(rest), owner }),
  },
  {
    method: "POST",
    url: "/v1/counterparties",
    operationId: "addCounterparty",
    summary:
      "Add a counterparty with its bank details to the organisation's list (requisites checked, one per INN+KPP)",
    tag: "organisations",
    scope: "organisations:write",
    field: "addCounterparty",
    input: (schema) => graphqlInputSchema(schema, "CounterpartyInput") as z.ZodObject,
    variables: (input) => ({ input }),
  },
  {
    method: "GET",
    url: "/v1/counterparties/:id",
    operationId: "getCounterparty",
    summary: "One counterparty of the organisation's list",
    tag: "organisations",
    scope: "organisations:read",
    field: "counterparty",
    params: z.strictObject({ id: integer(1, 2_147_483_647, "Counterparty id") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ id }),
    single: true,
  },
  {
    method: "POST",
    url: "/v1/organisations/me",
    operationId: "updateOwnOrganisation",
    summary:
      "Update the organisation's card (name, director, contacts, bank details); its hash is anchored on chain",
    tag: "organisations",
    scope: "organisations:write",
    field: "updateCompanyProfile",
    input: (schema) => graphqlInputSchema(schema, "CompanyProfileInput") as z.ZodObject,
    variables: (input) => ({ input }),
  },
  {
    method: "GET",
    url: "/v1/webhooks",
    operationId: "listWebhookSubscriptions",
    summary: "The organisation's webhook subscriptions",
    tag: "webhooks",
    scope: "webhooks:manage",
    field: "webhookSubscriptions",
    input: z.strictObject({}),
    variables: () => ({}),
  },
  {
    method: "POST",
    url: "/v1/webhooks",
    operationId: "createWebhookSubscription",
    summary:
      "Subscribe a URL to events of the organisation's scope; the signing secret is shown only in this answer",
    tag: "webhooks",
    scope: "webhooks:manage",
    field: "createWebhookSubscription",
    input: z.strictObject({
      url: z
        .string()
        .max(2000)
        .describe(
          "https:// (http:// only to localhost), without credentials; a public address unless the gateway allows private targets (BLOCKED_ADDRESS)",
        ),
      events: z
        .preprocess(
          (value) => (typeof value === "string" ? value.split(",") : value),
          z
            .array(
              z.enum([
                "reading.accepted",
                "invoice.issued",
                "invoice.confirmed",
                "payment.recorded",
                "meter.tamper",
              ]),
            )
            .min(1),
        )
        .describe("Events to deliver: repeat the parameter or separate with commas"),
      description: z.string().max(200).describe("What the subscription is for").optional(),
    }),
    variables: (input) => ({ input }),
  },
  {
    method: "POST",
    url: "/v1/webhooks/:id/secret",
    operationId: "rotateWebhookSecret",
    summary: "Replace a subscription's signing secret; the new one is shown only in this answer",
    tag: "webhooks",
    scope: "webhooks:manage",
    field: "rotateWebhookSecret",
    wrap: "secret",
    params: z.strictObject({ id: integer(1, 2_147_483_647, "Subscription id") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ id }),
    single: true,
  },
  {
    method: "POST",
    url: "/v1/webhooks/:id",
    operationId: "updateWebhookSubscription",
    summary: "Change a subscription's URL, events or description, or pause (active=false) and resume it",
    tag: "webhooks",
    scope: "webhooks:manage",
    field: "updateWebhookSubscription",
    params: z.strictObject({ id: integer(1, 2_147_483_647, "Subscription id") }),
    input: z.strictObject({
      url: z
        .string()
        .max(2000)
        .describe(
          "https:// (http:// only to localhost); a public address unless the gateway allows private targets (BLOCKED_ADDRESS)",
        )
        .optional(),
      events: z
        .preprocess(
          (value) => (typeof value === "string" ? value.split(",") : value),
          z
            .array(
              z.enum([
                "reading.accepted",
                "invoice.issued",
                "invoice.confirmed",
                "payment.recorded",
                "meter.tamper",
              ]),
            )
            .min(1),
        )
        .describe("Events to deliver: repeat the parameter or separate with commas")
        .optional(),
      active: z
        .union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")])
        .describe("false pauses deliveries, true resumes them")
        .optional(),
      description: z.string().max(200).optional(),
    }),
    variables: (change, { id }) => ({ id, change }),
    single: true,
  },
  {
    method: "POST",
    url: "/v1/webhooks/:id/delete",
    operationId: "deleteWebhookSubscription",
    summary: "Delete a subscription; its pending deliveries become dead",
    tag: "webhooks",
    scope: "webhooks:manage",
    field: "deleteWebhookSubscription",
    wrap: "deleted",
    params: z.strictObject({ id: integer(1, 2_147_483_647, "Subscription id") }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ id }),
    single: true,
  },
  {
    method: "GET",
    url: "/v1/webhooks/deliveries",
    operationId: "listWebhookDeliveries",
    summary: "The organisation's webhook deliveries with their state, newest first",
    tag: "webhooks",
    scope: "webhooks:manage",
    field: "webhookDeliveries",
    input: z.strictObject({
      subscriptionId: integer(1, 2_147_483_647, "Only this subscription's").optional(),
      status: z.enum(["pending", "delivered", "dead"]).optional(),
      first: integer(1, 500, "How many, 1-500; default 50").optional(),
    }),
    variables: (input) => input,
  },
  {
    method: "POST",
    url: "/v1/webhooks/deliveries/:id/replay",
    operationId: "replayWebhookDelivery",
    summary: "Send a delivery again (same id and body): a dead or delivered one goes back to pending now",
    tag: "webhooks",
    scope: "webhooks:manage",
    field: "replayWebhookDelivery",
    params: z.strictObject({
      id: z
        .string()
        .regex(/^[\w-]{1,80}$/, "a delivery id")
        .describe("Delivery id (the GridLedger-Delivery header): <subscription>-<block>-<log index>"),
    }),
    input: z.strictObject({}),
    variables: (_input, { id }) => ({ id }),
    single: true,
  },
  {
    method: "GET",
    url: "/v1/transactions/:hash",
    operationId: "verifyTransaction",
    summary: "A transaction decoded and verified against the chain and the index",
    description:
      "`verified` is true when the receipt exists, its block is the indexed one and every GridLedger log matches " +
      "the indexed rows; `verification.problems` says what differs. The operator and grid company see any " +
      "transaction, others those they sent or that touch their organisation or accounts.",
    tag: "transactions",
    scope: "transactions:read",
    field: "transaction",
    params: z.strictObject({
      hash: z
        .string()
        .regex(/^0x[0-9a-fA-F]{64}$/, "0x and 64 hex digits")
        .describe("Transaction hash"),
    }),
    input: z.strictObject({}),
    variables: (_input, { hash }) => ({ hash }),
    single: true,
  },
];
