import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { MeterReplacementRow } from "../../db/entities/index.js";
import { chainRef } from "../common/chainRef.type.js";
import { loadersOf } from "../common/loaders.js";
import type { GatewayContext } from "../context.js";
import { MeterReplacementNode } from "./meterReplacement.type.js";

export function toMeterReplacementNode(row: MeterReplacementRow): MeterReplacementNode {
  return {
    accountId: String(row.accountId),
    oldMeterId: String(row.oldMeterId),
    newMeterId: String(row.newMeterId),
    replacedAt: row.replacedAt,
    oldFinalWh: row.oldFinalWh.map((value) => String(value)),
    newInitialWh: row.newInitialWh.map((value) => String(value)),
    recordedAt: row.blockTime,
    chain: chainRef(row),
  };
}

/**
 * The meters of a replacement by serial and model only: the removed meter may since serve another
 * account, so its row (account, state) is not the viewer's to see; its identity on the consumer's
 * own history is.
 */
@Resolver(() => MeterReplacementNode)
export class MeterReplacementFieldsResolver {
  @FieldResolver(() => String, { nullable: true, description: "The removed meter's serial (batched)" })
  async oldMeterSerial(
    @Root() replacement: MeterReplacementNode,
    @Ctx() context: GatewayContext,
  ): Promise<string | null> {
    return (await loadersOf(context).meter.load(Number(replacement.oldMeterId)))?.serial ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The removed meter's model (batched)" })
  async oldMeterModel(
    @Root() replacement: MeterReplacementNode,
    @Ctx() context: GatewayContext,
  ): Promise<string | null> {
    return (await loadersOf(context).meter.load(Number(replacement.oldMeterId)))?.model ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The installed meter's serial (batched)" })
  async newMeterSerial(
    @Root() replacement: MeterReplacementNode,
    @Ctx() context: GatewayContext,
  ): Promise<string | null> {
    return (await loadersOf(context).meter.load(Number(replacement.newMeterId)))?.serial ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The installed meter's model (batched)" })
  async newMeterModel(
    @Root() replacement: MeterReplacementNode,
    @Ctx() context: GatewayContext,
  ): Promise<string | null> {
    return (await loadersOf(context).meter.load(Number(replacement.newMeterId)))?.model ?? null;
  }
}
