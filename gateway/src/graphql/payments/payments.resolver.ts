import { toLocalTime } from "@gridledger/domain";
import type { EntityManager } from "@mikro-orm/core";
import { Arg, Args, Authorized, Ctx, Query, Resolver, registerEnumType } from "type-graphql";
import { Account, Organisation, Payment, type PaymentRow } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { accountsMatching, intersectIn } from "../common/accountsMatching.js";
import { chainRef } from "../common/chainRef.type.js";
import { toConnection } from "../common/connection.js";
import { PageArgs, resolvePage } from "../common/pagination.js";
import { type GatewayContext, type Principal, Role } from "../context.js";
import { accountScope, requireDatabase, requirePrincipal } from "../scope.js";
import { PaymentConnection, type PaymentNode, PaymentPoint } from "./payment.type.js";
import { PaymentFilter } from "./payments.input.js";

export enum PaymentBucket {
  DAY = "DAY",
  MONTH = "MONTH",
}
registerEnumType(PaymentBucket, { name: "PaymentBucket", description: "Moscow days or months" });

function toPaymentNode(row: PaymentRow): PaymentNode {
  return {
    source: row.source,
    paymentNumber: String(row.paymentNumber),
    kind: row.kind,
    invoiceId: row.invoiceId,
    accountId: String(row.accountId),
    method: row.method,
    amount: String(row.amount),
    applied: String(row.applied),
    credited: String(row.credited),
    split: {
      energy: String(row.splitEnergy),
      transmission: String(row.splitTransmission),
      retailMarkup: String(row.splitRetailMarkup),
      infrastructure: String(row.splitInfrastructure),
    },
    paidAt: row.paidAt,
    chain: chainRef(row),
  };
}

async function organisationId(em: EntityManager, address: string): Promise<number> {
  return (await em.findOne(Organisation, { address: address.toLowerCase() }))?.id ?? -1;
}

/** Scope and filters as a condition on `payments`; a payment source sees the payments it recorded. */
async function paymentConditions(em: EntityManager, principal: Principal, filter: PaymentFilter | undefined) {
  const where: Record<string, unknown> = {};
  if (principal.role === Role.PaymentSource) {
    if (!principal.organisation)
      throw new NonRetryableError("No organisation for this user", { code: "FORBIDDEN" });
    where.source = principal.organisation.toLowerCase();
  } else {
    const scope = await accountScope(principal, em);
    if (scope.kind === "retailCompany") where.retailCompanyId = scope.organisationId ?? -1;
    if (scope.kind === "consumer") {
      const own = await em.find(Account, { consumer: scope.address }, { fields: ["id"] });
      where.accountId = { $in: own.map((account) => account.id) };
    }
    if (filter?.retailCompany) {
      if (scope.kind === "retailCompany" && filter.retailCompany.toLowerCase() !== scope.address) {
        throw new NonRetryableError("A retail company sees only its own payments", { code: "FORBIDDEN" });
      }
      where.retailCompanyId = await organisationId(em, filter.retailCompany);
    }
  }
  if (filter?.paymentSource) {
    const wanted = filter.paymentSource.toLowerCase();
    if (where.source !== undefined && where.source !== wanted) {
      throw new NonRetryableError("A payment source sees only its own payments", { code: "FORBIDDEN" });
    }
    where.source = wanted;
  }
  const accountIds = await accountsMatching(em, filter, "id");
  if (accountIds) intersectIn(where, "accountId", accountIds);
  const range: Record<string, number> = {};
  if (filter?.from) range.$gte = seconds(filter.from);
  if (filter?.to) range.$lt = seconds(filter.to);
  if (range.$gte !== undefined && range.$lt !== undefined && range.$gte >= range.$lt) {
    throw new NonRetryableError("The date range is empty: from must be before to", {
      code: "BAD_USER_INPUT",
    });
  }
  if (Object.keys(range).length > 0) where.paidAt = range;
  return where;
}

function seconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

@Resolver()
export class PaymentsResolver {
  @Authorized()
  @Query(() => PaymentConnection, { description: "Payments the caller may see, newest first" })
  async payments(
    @Arg("filter", () => PaymentFilter, { nullable: true }) filter: PaymentFilter | undefined,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<PaymentConnection> {
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const where = await paymentConditions(em, principal, filter);
    const window = resolvePage(pageArgs);
    const [rows, total] = await em.findAndCount(Payment, where, {
      orderBy: { paidAt: "desc", paymentNumber: "desc" },
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
}
