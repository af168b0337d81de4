import { toLocalTime } from "@gridledger/domain";
import { type EntityManager, raw } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/knex";
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  Int,
  Query,
  Resolver,
  Root,
  registerEnumType,
} from "type-graphql";
import { Payment } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { AccountNode } from "../accounts/account.type.js";
import { toAccountNode } from "../accounts/toAccountNode.js";
import { accountsMatching, intersectIn } from "../common/accountsMatching.js";
import { toConnection } from "../common/connection.js";
import { isoToSeconds, parseDecimalId } from "../common/ids.js";
import { loadersOf } from "../common/loaders.js";
import { PageArgs, resolvePage } from "../common/pagination.js";
import { organisationIdOf, retailScopedCondition } from "../common/scopeOrganisations.js";
import { orderByOf, SortDirection } from "../common/sort.js";
import { type GatewayContext, type Principal, Role } from "../context.js";
import { accountScope, requireDatabase, requirePrincipal } from "../scope.js";
import { PaymentConnection, PaymentNode, PaymentPoint, PaymentReport } from "./payment.type.js";
import {
  PaymentFilter,
  PaymentReportSort,
  PaymentReportSortField,
  PaymentSort,
  PaymentSortField,
} from "./payments.input.js";
import { toPaymentNode } from "./toPaymentNode.js";

export enum PaymentBucket {
  DAY = "DAY",
  MONTH = "MONTH",
}
registerEnumType(PaymentBucket, { name: "PaymentBucket", description: "Moscow days or months" });

/**
 * Scope and filters as a condition on `payments`: a payment source sees the payments it recorded; a
 * grid company those of the retail companies attached to it; a retail company its own; a consumer
 * those of their accounts.
 */
async function paymentConditions(em: EntityManager, principal: Principal, filter: PaymentFilter | undefined) {
  let scope: Record<string, unknown> = {};
  const where: Record<string, unknown> = {};
  if (principal.role === Role.PaymentSource) {
    if (!principal.organisation)
      throw new NonRetryableError("No organisation for this user", { code: "FORBIDDEN" });
    where.source = principal.organisation.toLowerCase();
    if (filter?.retailCompany) {
      where.retailCompanyId = await organisationIdOf(em, filter.retailCompany);
    }
  } else {
    scope = await retailScopedCondition(
      em,
      await accountScope(principal, em),
      filter?.retailCompany,
      "payments",
    );
  }
  if (filter?.paymentSource) {
    const wanted = filter.paymentSource.toLowerCase();
    if (where.source !== undefined && where.source !== wanted) {
      throw new NonRetryableError("A payment source sees only its own payments", { code: "FORBIDDEN" });
    }
    where.source = wanted;
  }
  if (filter?.accountId) intersectIn(where, "accountId", [parseDecimalId(filter.accountId, "account")]);
  if (filter?.invoiceId) where.invoiceId = filter.invoiceId;
  const accountIds = await accountsMatching(em, filter, "id");
  if (accountIds) intersectIn(where, "accountId", accountIds);
  const range: Record<string, number> = {};
  if (filter?.from) range.$gte = isoToSeconds(filter.from, "from");
  if (filter?.to) range.$lt = isoToSeconds(filter.to, "to");
  if (range.$gte !== undefined && range.$lt !== undefined && range.$gte >= range.$lt) {
    throw new NonRetryableError("The date range is empty: from must be before to", {
      code: "BAD_USER_INPUT",
    });
  }
  if (Object.keys(range).length > 0) where.paidAt = range;
  // the scope may be an `$or` or hold a sub-query: the filters narrow it, never merge into it
  return Object.keys(scope).length === 0 ? where : { $and: [scope, where] };
}

const PAYMENT_SORT_COLUMNS: Record<PaymentSortField, string> = {
  [PaymentSortField.PAID_AT]: "paidAt",
  [PaymentSortField.AMOUNT]: "amount",
  [PaymentSortField.ACCOUNT]: "accountId",
};

/** Whitelisted ORDER BY expressions of the report (aliases of its aggregate columns). */
const REPORT_SORT_SQL: Record<PaymentReportSortField, string> = {
  [PaymentReportSortField.AMOUNT]: "amount",
  [PaymentReportSortField.ACCOUNT]: "account_id",
  [PaymentReportSortField.PAYMENTS]: "payments",
  [PaymentReportSortField.LAST_PAID_AT]: "last_paid_at",
};

/** Start of a Moscow-time month (UTC+3 all year since 2014), Unix seconds. */
function moscowMonthStart(year: number, month: number): number {
  return Date.UTC(year, month - 1, 1) / 1000 - 3 * 3600;
}

@Resolver()
export class PaymentsResolver {
  @Authorized()
  @Query(() => PaymentConnection, { description: "Payments the caller may see; default newest first" })
  async payments(
    @Arg("filter", () => PaymentFilter, { nullable: true }) filter: PaymentFilter | undefined,
    @Arg("sort", () => PaymentSort, { nullable: true }) sort: PaymentSort | undefined,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<PaymentConnection> {
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const where = await paymentConditions(em, principal, filter);
    const window = resolvePage(pageArgs);
    const [rows, total] = await em.findAndCount(Payment, where, {
      orderBy: orderByOf(
        sort,
        PAYMENT_SORT_COLUMNS,
        { field: PaymentSortField.PAID_AT, direction: SortDirection.DESC },
        { paidAt: "desc", source: "asc", paymentNumber: "desc" },
      ),
      limit: window.limit,
      offset: window.offset,
    });
    return toConnection(rows.map(toPaymentNode), total, window) as PaymentConnection;
  }

  @Authorized()
  @Query(() => [PaymentPoint], {
    description: "Payment totals per Moscow day or month for the filters (charts, monthly reports)",
  })
  async paymentsSeries(
    @Arg("filter", () => PaymentFilter, { nullable: true }) filter: PaymentFilter | undefined,
    @Arg("bucket", () => PaymentBucket, { defaultValue: PaymentBucket.DAY }) bucket: PaymentBucket,
    @Ctx() context: GatewayContext,
  ): Promise<PaymentPoint[]> {
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const where = await paymentConditions(em, principal, filter);
    // Bounded by the filter; totals are folded here so the same code serves SQLite and MySQL.
    const rows = await em.find(Payment, where, {
      fields: ["amount", "paidAt"],
      orderBy: { paidAt: "asc" },
      limit: 200_000,
    });
    const buckets = new Map<number, { amount: bigint; payments: number }>();
    for (const row of rows) {
      const local = toLocalTime(row.paidAt, "Europe/Moscow");
      const key =
        Date.parse(
          `${bucket === PaymentBucket.MONTH ? `${local.date.slice(0, 7)}-01` : local.date}T00:00:00+03:00`,
        ) / 1000;
      const entry = buckets.get(key) ?? { amount: 0n, payments: 0 };
      entry.amount += BigInt(row.amount);
      entry.payments += 1;
      buckets.set(key, entry);
    }
    return [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([bucketStart, entry]) => ({
        bucketStart,
        amount: entry.amount.toString(),
        payments: entry.payments,
      }));
  }

  @Authorized(Role.Operator, Role.GridCompany, Role.RetailCompany)
  @Query(() => PaymentReport, {
    description:
      "Payment report (F-GRID-07, F-RETAIL-02): the accounts paid in a Moscow-time month with their totals and payments; by retail company (a retail company: its own)",
  })
  async paymentReport(
    @Arg("year", () => Int) year: number,
    @Arg("month", () => Int, { description: "1-12" }) month: number,
    @Arg("retailCompany", () => String, { nullable: true }) retailCompany: string | undefined,
    @Arg("sort", () => PaymentReportSort, { nullable: true }) sort: PaymentReportSort | undefined,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<PaymentReport> {
    if (!Number.isInteger(year) || year < 2000 || year > 2100)
      throw new NonRetryableError(`Invalid year ${year}`, { code: "BAD_USER_INPUT" });
    if (!Number.isInteger(month) || month < 1 || month > 12)
      throw new NonRetryableError(`Invalid month ${month}: 1-12`, { code: "BAD_USER_INPUT" });
    if (retailCompany !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(retailCompany))
      throw new NonRetryableError("Invalid retailCompany address", { code: "BAD_USER_INPUT" });
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em() as SqlEntityManager;
    const from = moscowMonthStart(year, month);
    const to = month === 12 ? moscowMonthStart(year + 1, 1) : moscowMonthStart(year, month + 1);
    const scope = await accountScope(principal, em);
    const where = {
      $and: [
        await retailScopedCondition(em, scope, retailCompany, "payments"),
        { paidAt: { $gte: from, $lt: to } },
      ],
    };
    const window = resolvePage(pageArgs);

    const totals = (await em
      .createQueryBuilder(Payment, "p")
      .select([
        raw("count(distinct p.account_id) as accounts"),
        raw("count(*) as payments"),
        raw("coalesce(sum(p.amount), 0) as amount"),
      ])
      .where(where)
      .execute("get")) as { accounts: number | string; payments: number | string; amount: number | string };

    const field = sort?.field ?? PaymentReportSortField.AMOUNT;
    const direction =
      (sort?.direction ?? (sort ? SortDirection.ASC : SortDirection.DESC)) === SortDirection.ASC;
    const grouped = em
      .createQueryBuilder(Payment, "p")
      .select([
        raw("p.account_id as account_id"),
        raw("sum(p.amount) as amount"),
        raw("sum(p.applied) as applied"),
        raw("sum(p.credited) as credited"),
        raw("sum(p.split_energy) as energy"),
        raw("sum(p.split_transmission) as transmission"),
        raw("sum(p.split_retail_markup) as retail_markup"),
        raw("sum(p.split_infrastructure) as infrastructure"),
        raw("count(*) as payments"),
        raw("max(p.paid_at) as last_paid_at"),
      ])
      .where(where)
      .groupBy("p.accountId")
      .getKnexQuery()
      .orderByRaw(`${REPORT_SORT_SQL[field]} ${direction ? "asc" : "desc"}, account_id asc`)
      .limit(window.limit)
      .offset(window.offset);
    const groups = (await grouped) as Record<string, number | string>[];
    const accountIds = groups.map((group) => Number(group.account_id));
    const items = accountIds.length
      ? await em.find(
          Payment,
          { $and: [where, { accountId: { $in: accountIds } }] },
          { orderBy: { paidAt: "asc", paymentNumber: "asc" } },
        )
      : [];
    const text = (value: number | string | undefined) => String(value ?? 0).split(".")[0]!;
    const rows = groups.map((group) => {
      const accountId = Number(group.account_id);
      return {
        accountId: String(accountId),
        amount: text(group.amount),
        applied: text(group.applied),
        credited: text(group.credited),
        split: {
          energy: text(group.energy),
          transmission: text(group.transmission),
          retailMarkup: text(group.retail_markup),
          infrastructure: text(group.infrastructure),
        },
        payments: Number(group.payments),
        lastPaidAt: Number(group.last_paid_at),
        items: items.filter((item) => item.accountId === accountId).map(toPaymentNode),
      };
    });
    return {
      ...toConnection(rows, Number(totals.accounts), window),
      year,
      month,
      from,
      to,
      totalAmount: text(totals.amount),
      paymentCount: Number(totals.payments),
    } as PaymentReport;
  }
}

@Resolver(() => PaymentNode)
export class PaymentFieldsResolver {
  @FieldResolver(() => AccountNode, { nullable: true, description: "The account paid for (batched)" })
  async account(@Root() payment: PaymentNode, @Ctx() context: GatewayContext): Promise<AccountNode | null> {
    const row = await loadersOf(context).account.load(Number(payment.accountId));
    return row ? toAccountNode(row) : null;
  }
}
