import { Arg, Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { Account, Meter, type MeterRow } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { accountsMatching, intersectIn } from "../common/accountsMatching.js";
import { chainRef } from "../common/chainRef.type.js";
import { toConnection } from "../common/connection.js";
import { PageArgs, resolvePage } from "../common/pagination.js";
import { cleanFilter, prefixRange } from "../common/textFilters.js";
import type { GatewayContext } from "../context.js";
import { type AccountScope, accountScope, requireDatabase, requirePrincipal } from "../scope.js";
import { MeterConnection, MeterNode } from "./meter.type.js";
import { MeterFilter } from "./meters.input.js";

function toMeterNode(row: MeterRow): MeterNode {
  return {
    id: String(row.id),
    serial: row.serial,
    model: row.model,
    meterType: row.meterType,
    tariffZones: row.tariffZones,
    meteringScheme: row.meteringScheme,
    remoteReading: row.remoteReading,
    exportCapable: row.exportCapable,
    atBalanceBoundary: row.atBalanceBoundary,
    lossMethod: row.lossMethod,
    lossPpm: row.lossPpm,
    accountId: row.accountId === null ? null : String(row.accountId),
    gridCompany: row.gridCompany,
    tampered: row.tampered,
    firmwareChanged:
      row.referenceFirmware !== null &&
      row.currentFirmware !== null &&
      row.referenceFirmware !== row.currentFirmware,
    lastClockDrift: row.lastClockDrift,
    chain: chainRef({
      blockNumber: row.updatedBlock,
      txHash: row.updatedTxHash,
      logIndex: row.updatedLogIndex,
    }),
  };
}

/** The meter-table condition of a scope: meters serve accounts, so retail and consumer scopes go through them. */
async function meterCondition(scope: AccountScope, em: ReturnType<ReturnType<typeof requireDatabase>["em"]>) {
  switch (scope.kind) {
    case "all":
      return {};
    case "gridCompany":
      return { gridCompany: scope.address };
    case "retailCompany":
      return { retailCompanyId: scope.organisationId ?? -1 };
    case "consumer": {
      const accounts = await em.find(Account, { consumer: scope.address }, { fields: ["id"] });
      return { accountId: { $in: accounts.map((account) => account.id) } };
    }
  }
}

@Resolver()
export class MetersResolver {
  @Authorized()
  @Query(() => MeterConnection, { description: "Meters the caller may see, filtered and paged" })
  async meters(
    @Arg("filter", () => MeterFilter, { nullable: true }) filter: MeterFilter | undefined,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() context: GatewayContext,
  ): Promise<MeterConnection> {
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const where: Record<string, unknown> = await meterCondition(await accountScope(principal, em), em);
    const serial = cleanFilter(filter?.serial);
    if (serial) where.serial = prefixRange(serial.toUpperCase());
    const model = cleanFilter(filter?.model);
    if (model) where.model = prefixRange(model);
    const accountIds = await accountsMatching(em, filter, "id");
    if (accountIds) intersectIn(where, "accountId", accountIds);
    const window = resolvePage(pageArgs);
    const [rows, total] = await em.findAndCount(Meter, where, {
      orderBy: { serial: "asc" },
      limit: window.limit,
      offset: window.offset,
    });
    return toConnection(rows.map(toMeterNode), total, window) as MeterConnection;
  }

  @Authorized()
  @Query(() => MeterNode, { description: "One meter; refused (not empty) when outside the caller's scope" })
  async meter(@Arg("id", () => String) id: string, @Ctx() context: GatewayContext): Promise<MeterNode> {
    if (!/^\d{1,19}$/.test(id))
      throw new NonRetryableError(`Invalid meter id "${id.slice(0, 30)}"`, { code: "BAD_USER_INPUT" });
    const principal = requirePrincipal(context);
    const em = requireDatabase(context).em();
    const condition = await meterCondition(await accountScope(principal, em), em);
    const row = await em.findOne(Meter, { id: Number(id) });
    if (!row) throw new NonRetryableError(`No meter ${id}`, { code: "NOT_FOUND" });
    const visible = await em.count(Meter, { ...condition, id: Number(id) });
    if (visible === 0) throw new NonRetryableError(`Meter ${id} is not yours to see`, { code: "FORBIDDEN" });
    return toMeterNode(row);
  }
}
