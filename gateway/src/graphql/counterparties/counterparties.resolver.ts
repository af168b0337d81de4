import { Arg, Args, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { Counterparty, type CounterpartyRow } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { toConnection } from "../common/connection.js";
import { PageArgs, resolvePage } from "../common/pagination.js";
import { orderByOf, SortDirection } from "../common/sort.js";
import { cleanFilter, prefixRange } from "../common/textFilters.js";
import { type GatewayContext, type Principal, Role } from "../context.js";
import { requireDatabase, requirePrincipal } from "../scope.js";
import {
  checkBik,
  checkCorrespondentAccount,
  checkInn,
  checkKpp,
  checkPhone,
  checkSettlementAccount,
  checkText,
} from "./bankDetails.js";
import {
  CounterpartyConnection,
  CounterpartyFilter,
  CounterpartyInput,
  CounterpartyNode,
  CounterpartySort,
  CounterpartySortField,
} from "./counterparty.type.js";

const STAFF = [Role.Operator, Role.GridCompany, Role.RetailCompany, Role.PaymentSource];

const SORT_COLUMNS: Record<CounterpartySortField, string> = {
  [CounterpartySortField.NAME]: "name",
  [CounterpartySortField.INN]: "inn",
  [CounterpartySortField.CREATED_AT]: "createdAt",
};

function toCounterpartyNode(row: CounterpartyRow): CounterpartyNode {
  return {
    id: row.id,
    owner: row.owner,
    name: row.name,
    inn: row.inn,
    kpp: row.kpp,
    bank: {
      bankName: row.bankName,
      bik: row.bik,
      settlementAccount: row.settlementAccount,
      correspondentAccount: row.correspondentAccount,
    },
    address: row.address,
    phone: row.phone,
    createdAt: row.createdAt,
  };
}

/** Whose list a request reads: one's own organisation's; the operator any (or all when none is named). */
function listOwner(principal: Principal, requested: string | undefined): string | undefined {
  const own = principal.organisation?.toLowerCase();
  if (requested !== undefined) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(requested))
      throw new NonRetryableError("Invalid owner address", { code: "BAD_USER_INPUT" });
    const wanted = requested.toLowerCase();
    if (principal.role !== Role.Operator && wanted !== own)
      throw new NonRetryableError("Another organisation's counterparties are not yours to see", {
        code: "FORBIDDEN",
      });
    return wanted;
  }
  if (principal.role === Role.Operator) return own;
  if (!own) throw new NonRetryableError("This user belongs to no organisation", { code: "FORBIDDEN" });
  return own;
}

@Resolver()
export class CounterpartiesResolver {
  @Authorized(...STAFF)
  @Query(() => CounterpartyConnection, {
    description: "Counterparties of the caller's organisation with their bank details (F-GRID-04)",
  })
  async counterparties(
    @Arg("owner", () => String, { nullable: true, description: "Whose list (operator only; default: own)" })
    owner: string | undefined,
    @Arg("filter", () => CounterpartyFilter, { nullable: true }) filter: CounterpartyFilter | undefined,
    @Arg("sort", () => CounterpartySort, { nullable: true }) sort: CounterpartySort | undefined,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<CounterpartyConnection> {
    const principal = requirePrincipal(context);
    const where: Record<string, unknown> = {};
    const listOf = listOwner(principal, owner);
    if (listOf) where.owner = listOf;
    const name = cleanFilter(filter?.name);
    if (name) where.name = prefixRange(checkText(name, "name filter", 200));
    const inn = cleanFilter(filter?.inn);
    if (inn) {
      if (!/^\d{1,12}$/.test(inn))
        throw new NonRetryableError("Invalid INN filter", { code: "BAD_USER_INPUT" });
      where.inn = prefixRange(inn);
    }
    const window = resolvePage(pageArgs);
    const [rows, total] = await requireDatabase(context)
      .em()
      .findAndCount(Counterparty, where, {
        orderBy: orderByOf(
          sort,
          SORT_COLUMNS,
          { field: CounterpartySortField.NAME, direction: SortDirection.ASC },
          { id: "asc" },
        ),
        limit: window.limit,
        offset: window.offset,
      });
    return toConnection(rows.map(toCounterpartyNode), total, window) as CounterpartyConnection;
  }

  @Authorized(...STAFF)
  @Query(() => CounterpartyNode, {
    description: "One counterparty; FORBIDDEN in another organisation's list",
  })
  async counterparty(
    @Arg("id", () => Int) id: number,
    @Ctx() context: GatewayContext,
  ): Promise<CounterpartyNode> {
    const principal = requirePrincipal(context);
    const row = await requireDatabase(context).em().findOne(Counterparty, { id });
    if (!row) throw new NonRetryableError(`No counterparty ${id}`, { code: "NOT_FOUND" });
    if (principal.role !== Role.Operator && row.owner !== principal.organisation?.toLowerCase())
      throw new NonRetryableError(`Counterparty ${id} is not yours to see`, { code: "FORBIDDEN" });
    return toCounterpartyNode(row);
  }

  @Authorized(...STAFF)
  @Mutation(() => CounterpartyNode, {
    description:
      "Adds a counterparty to the caller's organisation's list (F-GRID-04); requisites validated, one per INN+KPP",
  })
  async addCounterparty(
    @Arg("input", () => CounterpartyInput) input: CounterpartyInput,
    @Ctx() context: GatewayContext,
  ): Promise<CounterpartyNode> {
    const principal = requirePrincipal(context);
    const owner = principal.organisation?.toLowerCase();
    if (!owner) throw new NonRetryableError("This user belongs to no organisation", { code: "FORBIDDEN" });
    const bik = checkBik(input.bik);
    const row: Omit<CounterpartyRow, "id"> = {
      owner,
      name: checkText(input.name, "name", 200),
      inn: checkInn(input.inn),
      kpp:
        input.kpp === undefined || input.kpp === null || input.kpp.trim() === "" ? null : checkKpp(input.kpp),
      bankName: checkText(input.bankName, "bankName", 200),
      bik,
      settlementAccount: checkSettlementAccount(input.settlementAccount, bik),
      correspondentAccount: checkCorrespondentAccount(input.correspondentAccount, bik),
      address: checkText(input.address, "address", 300),
      phone:
        input.phone === undefined || input.phone === null || input.phone.trim() === ""
          ? null
          : checkPhone(input.phone),
      createdAt: Math.floor(Date.now() / 1000),
      createdBy: principal.userId,
    };
    const em = requireDatabase(context).em();
    const existing = await em.findOne(Counterparty, { owner, inn: row.inn, kpp: row.kpp });
    if (existing)
      throw new NonRetryableError(`Counterparty with INN ${row.inn} is already in the list`, {
        code: "COUNTERPARTY_EXISTS",
        details: `id ${existing.id}`,
      });
    const id = await em.insert(Counterparty, row as CounterpartyRow);
    return toCounterpartyNode({ ...row, id: Number(id) });
  }
}
