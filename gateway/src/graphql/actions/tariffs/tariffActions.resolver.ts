import { tariffsAbi } from "@gridledger/contracts";
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { parseEventLogs } from "viem";
import { NonRetryableError } from "../../../internal/errors.js";
import { type GatewayContext, Role } from "../../context.js";
import { ActionResult } from "../common/actionResult.type.js";
import { parseId, parseTime, parseUint, textToBytes32 } from "../common/parseInputs.js";
import { sendAction } from "../common/sendAction.js";
import { CreateTariffGroupInput, TariffPlanInput } from "./tariffActions.input.js";
import {
  TariffChoiceActionResult,
  TariffGroupActionResult,
  TariffPlanActionResult,
} from "./tariffActions.type.js";
import { TariffKind } from "./tariffEnums.js";

const strip = <T extends { receipt: unknown }>({ receipt: _receipt, ...rest }: T) => rest;

/**
 * F-RETAIL-03 and F-CONSUMER-03: tariff groups and plans of a retail company, and the tariff an
 * account takes for the next period. Every call is signed by the caller's own key; the Tariffs
 * contract checks ownership again (another company's group is `FORBIDDEN`).
 */
@Resolver()
export class TariffActionsResolver {
  @Authorized(Role.RetailCompany)
  @Mutation(() => TariffGroupActionResult, { description: "Create a tariff group (retail company)" })
  async createTariffGroup(
    @Arg("input", () => CreateTariffGroupInput) input: CreateTariffGroupInput,
    @Ctx() context: GatewayContext,
  ): Promise<TariffGroupActionResult> {
    const name = textToBytes32(input.name, "name", "INVALID_NAME");
    const result = await sendAction({
      context,
      contract: "Tariffs",
      abi: tariffsAbi,
      functionName: "createGroup",
      args: [name, input.consumerType, input.priceCategory],
    });
    const [created] = parseEventLogs({
      abi: tariffsAbi,
      logs: result.receipt.logs,
      eventName: "TariffGroupCreated",
    });
    return { ...strip(result), groupId: String(created!.args.groupId) };
  }

  @Authorized(Role.RetailCompany)
  @Mutation(() => ActionResult, { description: "Rename a tariff group (retail company, owner)" })
  async editTariffGroup(
    @Arg("groupId", () => String) groupId: string,
    @Arg("name", () => String) name: string,
    @Ctx() context: GatewayContext,
  ): Promise<ActionResult> {
    const args = [parseId(groupId, "groupId"), textToBytes32(name, "name", "INVALID_NAME")];
    return strip(
      await sendAction({ context, contract: "Tariffs", abi: tariffsAbi, functionName: "editGroup", args }),
    );
  }

  @Authorized(Role.RetailCompany)
  @Mutation(() => ActionResult, {
    description: "Delete a tariff group none of whose plans has started to apply (retail company, owner)",
  })
  async deleteTariffGroup(
    @Arg("groupId", () => String) groupId: string,
    @Ctx() context: GatewayContext,
  ): Promise<ActionResult> {
    const args = [parseId(groupId, "groupId")];
    return strip(
      await sendAction({ context, contract: "Tariffs", abi: tariffsAbi, functionName: "deleteGroup", args }),
    );
  }

  @Authorized(Role.RetailCompany)
  @Mutation(() => TariffPlanActionResult, {
    description: "Add a dated plan (a price version of one kind) to a tariff group (retail company, owner)",
  })
  async addTariffPlan(
    @Arg("groupId", () => String) groupId: string,
    @Arg("plan", () => TariffPlanInput) plan: TariffPlanInput,
    @Ctx() context: GatewayContext,
  ): Promise<TariffPlanActionResult> {
    const args = [parseId(groupId, "groupId"), toPlanInput(plan)];
    const result = await sendAction({
      context,
      contract: "Tariffs",
      abi: tariffsAbi,
      functionName: "addPlan",
      args,
    });
    const [added] = parseEventLogs({
      abi: tariffsAbi,
      logs: result.receipt.logs,
      eventName: "TariffPlanAdded",
    });
    return { ...strip(result), planId: String(added!.args.planId) };
  }

  @Authorized(Role.RetailCompany)
  @Mutation(() => ActionResult, {
    description:
      "End a plan's validity at `validTo` (not in the past, before its current end), e.g. before a new price",
  })
  async closeTariffPlan(
    @Arg("planId", () => String) planId: string,
    @Arg("validTo", () => String, { description: "ISO 8601 with zone" }) validTo: string,
    @Ctx() context: GatewayContext,
  ): Promise<ActionResult> {
    const args = [parseId(planId, "planId"), parseTime(validTo, "validTo")];
    return strip(
      await sendAction({
        context,
        contract: "Tariffs",
        abi: tariffsAbi,
        functionName: "setPlanValidTo",
        args,
      }),
    );
  }

  @Authorized(Role.RetailCompany)
  @Mutation(() => ActionResult, {
    description: "Delete the latest plan of its group and kind, if it has not started to apply",
  })
  async deleteTariffPlan(
    @Arg("planId", () => String) planId: string,
    @Ctx() context: GatewayContext,
  ): Promise<ActionResult> {
    const args = [parseId(planId, "planId")];
    return strip(
      await sendAction({ context, contract: "Tariffs", abi: tariffsAbi, functionName: "deletePlan", args }),
    );
  }

  @Authorized(Role.Consumer, Role.RetailCompany)
  @Mutation(() => TariffChoiceActionResult, {
    description:
      "Choose the tariff (group and kind) of an account from the next period: the consumer for their own account, " +
      "or the retail company serving it (its first assignment applies at once)",
  })
  async chooseTariff(
    @Arg("accountId", () => String) accountId: string,
    @Arg("groupId", () => String) groupId: string,
    @Arg("kind", () => TariffKind) kind: TariffKind,
    @Ctx() context: GatewayContext,
  ): Promise<TariffChoiceActionResult> {
    const role = context.principal?.role;
    const args = [parseId(accountId, "accountId"), parseId(groupId, "groupId"), kind];
    const result = await sendAction({
      context,
      contract: "Tariffs",
      abi: tariffsAbi,
      functionName: role === Role.RetailCompany ? "assignTariff" : "chooseTariff",
      args,
    });
    const [chosen] = parseEventLogs({
      abi: tariffsAbi,
      logs: result.receipt.logs,
      eventName: "TariffChosen",
    });
    return { ...strip(result), fromPeriod: Number(chosen!.args.fromPeriod) };
  }
}

/** The contract's PlanInput, with every number range-checked. */
export function toPlanInput(plan: TariffPlanInput) {
  const validFrom = parseTime(plan.validFrom, "validFrom");
  const validTo = plan.validTo ? parseTime(plan.validTo, "validTo") : 0;
  if (validTo !== 0 && validTo <= validFrom) {
    throw new NonRetryableError("validTo must be after validFrom", { code: "INVALID_VALIDITY" });
  }
  return {
    kind: plan.kind,
    validFrom,
    validTo,
    vatBp: plan.vatBp,
    vatIncluded: plan.vatIncluded,
    zoneHours: plan.zoneHours.map((interval) => ({
      startHour: interval.startHour,
      endHour: interval.endHour,
      zone: interval.zone,
    })),
    threshold1: parseUint(plan.threshold1, "threshold1", 53),
    threshold2: parseUint(plan.threshold2, "threshold2", 53),
    exportPrice: parseUint(plan.exportPrice, "exportPrice", 53),
    rates: plan.rates.map((row, index) =>
      (["energy", "transmission", "retailMarkup", "infrastructure"] as const).map((component) =>
        parseUint(row[component], `rates[${index}].${component}`, 53),
      ),
    ),
  };
}
