import { READINGS_EIP712_NAME, READINGS_EIP712_VERSION } from "@gridledger/domain";
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { NonRetryableError, RetryableError } from "../../internal/errors.js";
import type { ModeController, ModeStatus } from "../../modes/createModeController.js";
import { type GatewayContext, Role } from "../context.js";
import { requirePrincipal } from "../scope.js";
import { Meta, ModeState, ReadingsDomain } from "./meta.type.js";

/** The longest service mode an operator can announce at once; a longer one is a typo. */
const MAX_SERVICE_HOURS = 72;

@Resolver()
export class MetaResolver {
  @Query(() => Meta, {
    name: "_meta",
    description: "Indexed block, chain head, lag and the operating mode; public. Answers in every mode.",
  })
  async meta(@Ctx() { services }: GatewayContext): Promise<Meta> {
    const state = services.modes?.status();
    let head: bigint | undefined;
    try {
      head = await services.chain.publicClient.getBlockNumber({ cacheTime: 0 });
    } catch {
      // emergency: the chain is down; the rest of _meta still answers
    }
    const { indexedBlock } = await services.indexStatus().catch(() => ({ indexedBlock: undefined }));
    const mode = state ? toModeState(state) : undefined;
    return {
      chainId: services.chain.chainId,
      chainHead: head?.toString() ?? null,
      indexedBlock: indexedBlock === undefined ? null : indexedBlock.toString(),
      lag:
        indexedBlock === undefined || head === undefined
          ? null
          : (head > indexedBlock ? head - indexedBlock : 0n).toString(),
      mode: mode?.mode ?? (head === undefined ? "emergency" : "normal"),
      modeReason: mode?.reason ?? (head === undefined ? "the chain RPC is down" : null),
      modeSince: mode?.since ?? new Date().toISOString(),
      modePlannedEnd: mode?.plannedEnd ?? null,
      modeState: mode ?? {
        mode: head === undefined ? "emergency" : "normal",
        reason: null,
        since: new Date().toISOString(),
        plannedEnd: null,
        dependencies: [],
      },
    };
  }

  @Authorized(Role.Operator)
  @Mutation(() => ModeState, {
    description:
      "Enter service mode (OPERATOR): writes are refused with SERVICE_MODE and this message until the planned end or leaveServiceMode; reads keep working",
  })
  enterServiceMode(
    @Arg("message", () => String) message: string,
    @Arg("plannedEnd", () => String, { description: "ISO 8601 instant, in the future" }) plannedEnd: string,
    @Ctx() context: GatewayContext,
  ): ModeState {
    const principal = requirePrincipal(context);
    const text = message.trim();
    if (text.length === 0 || text.length > 500) {
      throw new NonRetryableError("The service message must have 1 to 500 characters", {
        code: "BAD_USER_INPUT",
      });
    }
    const end = new Date(plannedEnd);
    const hoursAhead = (end.getTime() - Date.now()) / 3_600_000;
    if (!/^\d{4}-\d\d-\d\dT/.test(plannedEnd) || Number.isNaN(end.getTime()) || hoursAhead <= 0) {
      throw new NonRetryableError("plannedEnd must be an ISO 8601 instant in the future", {
        code: "BAD_USER_INPUT",
      });
    }
    if (hoursAhead > MAX_SERVICE_HOURS) {
      throw new NonRetryableError(`plannedEnd is more than ${MAX_SERVICE_HOURS} hours ahead`, {
        code: "BAD_USER_INPUT",
      });
    }
    const state = modesOf(context).enterServiceMode({ message: text, plannedEnd: end, by: principal.login });
    context.log?.warn({ by: principal.login, plannedEnd: end, message: text }, "service mode entered");
    return toModeState(state);
  }

  @Authorized(Role.Operator)
  @Mutation(() => ModeState, {
    description: "Leave service mode (OPERATOR), also ending the current maintenance window early",
  })
  leaveServiceMode(@Ctx() context: GatewayContext): ModeState {
    const principal = requirePrincipal(context);
    const state = modesOf(context).leaveServiceMode(principal.login);
    context.log?.warn({ by: principal.login }, "service mode left");
    return toModeState(state);
  }

  @Query(() => ReadingsDomain, { description: "The EIP-712 domain for signing reading batches; public" })
  readingsDomain(@Ctx() { services }: GatewayContext): ReadingsDomain {
    const verifyingContract = services.chain.contracts.Readings;
    if (!verifyingContract)
      throw new RetryableError("The Readings contract is not deployed", { code: "NOT_DEPLOYED" });
    return {
      name: READINGS_EIP712_NAME,
      version: READINGS_EIP712_VERSION,
      chainId: services.chain.chainId,
      verifyingContract,
    };
  }
}

function modesOf(context: GatewayContext): ModeController {
  if (!context.services.modes)
    throw new NonRetryableError("This gateway has no mode control", { code: "MODES_UNAVAILABLE" });
  return context.services.modes;
}

function toModeState(state: ModeStatus): ModeState {
  return {
    mode: state.mode,
    reason: state.reason,
    since: state.since.toISOString(),
    plannedEnd: state.plannedEnd?.toISOString() ?? null,
    dependencies: state.dependencies.map((dependency) => ({
      name: dependency.name,
      up: dependency.up,
      since: dependency.since.toISOString(),
      error: dependency.error ?? null,
    })),
  };
}
