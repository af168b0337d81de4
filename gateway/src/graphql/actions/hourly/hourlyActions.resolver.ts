import { hourlyBillingAbi, settlementAbi, tariffsAbi } from "@gridledger/contracts";
import type { EntityManager } from "@mikro-orm/core";
import { Arg, Authorized, Ctx, Int, Mutation, Resolver } from "type-graphql";
import { type Address, encodePacked, keccak256, parseEventLogs } from "viem";
import { HourlyVolumesError, hourlyVolumesFromReadings } from "../../../billing/hourlyVolumesFromReadings.js";
import { toContractError } from "../../../chain/sendContractTransaction.js";
import { type AccountRow, BillingPeriod, HourlyPrices, Reading } from "../../../db/entities/index.js";
import { NonRetryableError } from "../../../internal/errors.js";
import { loadScopedAccount } from "../../common/loadScopedAccount.js";
import { type GatewayContext, Role } from "../../context.js";
import { requireDatabase } from "../../scope.js";
import { parseId, parseUint } from "../common/parseInputs.js";
import { sendAction } from "../common/sendAction.js";
import { PublishHourlyPricesInput } from "./hourlyActions.input.js";
import {
  HourlyInvoiceActionResult,
  HourlyPricesActionResult,
  HourlyVolumesActionResult,
} from "./hourlyActions.type.js";

/** ITariffs.TariffKind of the hourly plans. */
const PRICE_CATEGORY_3 = 6;
const PRICE_CATEGORY_4 = 7;

const strip = <T extends { receipt: unknown }>({ receipt: _receipt, ...rest }: T) => rest;

/** The contract's HourlyPrices struct. */
type HourlyPriceData = {
  prices: bigint[];
  capacityRate: bigint;
  maintenanceRate: bigint;
  lossRate: bigint;
  capacityHours: bigint[];
  networkWindows: bigint[];
};

/**
 * ПЦК 3/4 on chain (docs/billing.md "ПЦК 3/4 on chain"): the retail company publishes a plan's hourly
 * prices per period and bills an account; the grid company may attest the account's hourly volumes.
 * The gateway rebuilds the volumes from the indexed half-hour readings ({@link hourlyVolumesFromReadings})
 * and the price data from the indexed publication, so the caller names only the account and period.
 * Every call is signed by the caller's organisation key; HourlyBilling checks ownership again.
 */
@Resolver()
export class HourlyActionsResolver {
  @Authorized(Role.RetailCompany)
  @Mutation(() => HourlyPricesActionResult, {
    description:
      "Publish the hourly prices of a ПЦК 3/4 plan for a billing period (retail company owning the plan; final)",
  })
  async publishHourlyPrices(
    @Arg("input", () => PublishHourlyPricesInput) input: PublishHourlyPricesInput,
    @Ctx() context: GatewayContext,
  ): Promise<HourlyPricesActionResult> {
    const planId = parseId(input.planId, "planId");
    const em = requireDatabase(context).em();
    const { start, end } = await periodBounds(em, input.periodId);
    const data = toHourlyPriceData(input, (end - start) / 3600);
    const result = await sendAction({
      context,
      contract: "HourlyBilling",
      abi: hourlyBillingAbi,
      functionName: "publishHourlyPrices",
      args: [planId, input.periodId, data],
    });
    const [published] = parseEventLogs({
      abi: hourlyBillingAbi,
      logs: result.receipt.logs,
      eventName: "HourlyPricesPublished",
    });
    return { ...strip(result), pricesHash: published!.args.pricesHash, hours: data.prices.length };
  }

  @Authorized(Role.GridCompany)
  @Mutation(() => HourlyVolumesActionResult, {
    description:
      "Attest an account's hourly volumes of a period, rebuilt from the meter's indexed half-hour readings " +
      "(grid company owning the meter); billing must then supply exactly these",
  })
  async attestHourlyVolumes(
    @Arg("accountId", () => String) accountId: string,
    @Arg("periodId", () => Int) periodId: number,
    @Ctx() context: GatewayContext,
  ): Promise<HourlyVolumesActionResult> {
    const id = parseId(accountId, "accountId");
    const em = requireDatabase(context).em();
    const account = await loadScopedAccount(em, context, accountId);
    const volumes = await indexedHourlyVolumes(em, account, periodId);
    const volumesHash = keccak256(encodePacked(["uint256[]"], [volumes]));
    const result = await sendAction({
      context,
      contract: "HourlyBilling",
      abi: hourlyBillingAbi,
      functionName: "attestHourlyVolumes",
      args: [id, periodId, volumesHash],
    });
    return { ...strip(result), ...summary(volumes), volumesHash };
  }

  @Authorized(Role.RetailCompany)
  @Mutation(() => HourlyInvoiceActionResult, {
    description:
      "Bill a ПЦК 3/4 account for an ended period (retail company serving it): the gateway supplies the " +
      "published prices and the hourly volumes rebuilt from the indexed half-hour readings",
  })
  async billHourly(
    @Arg("accountId", () => String) accountId: string,
    @Arg("periodId", () => Int) periodId: number,
    @Ctx() context: GatewayContext,
  ): Promise<HourlyInvoiceActionResult> {
    const id = parseId(accountId, "accountId");
    const em = requireDatabase(context).em();
    const account = await loadScopedAccount(em, context, accountId);
    const { end } = await periodBounds(em, periodId);
    const planId = await planForPeriod(context, id, periodId, end);
    const published = await em.findOne(HourlyPrices, { planId: Number(planId), periodId });
    if (!published) {
      throw new NonRetryableError(
        `No hourly prices are published for plan ${planId} and period ${periodId}`,
        {
          code: "HOURLY_PRICES_NOT_PUBLISHED",
        },
      );
    }
    const data: HourlyPriceData = {
      prices: published.prices.map(BigInt),
      capacityRate: BigInt(published.capacityRate),
      maintenanceRate: BigInt(published.maintenanceRate),
      lossRate: BigInt(published.lossRate),
      capacityHours: published.capacityHours.map(BigInt),
      networkWindows: published.networkWindows.map(BigInt),
    };
    const volumes = await indexedHourlyVolumes(em, account, periodId);
    const result = await sendAction({
      context,
      contract: "HourlyBilling",
      abi: hourlyBillingAbi,
      functionName: "billHourly",
      args: [id, periodId, data, volumes],
    });
    const [computed] = parseEventLogs({
      abi: settlementAbi,
      logs: result.receipt.logs,
      eventName: "InvoiceComputed",
    });
    const [billed] = parseEventLogs({
      abi: hourlyBillingAbi,
      logs: result.receipt.logs,
      eventName: "HourlyVolumesBilled",
    });
    return {
      ...strip(result),
      ...summary(volumes),
      volumesHash: keccak256(encodePacked(["uint256[]"], [volumes])),
      invoiceId: String(computed!.args.invoiceId),
      total: String(computed!.args.total),
      attested: billed!.args.attested,
    };
  }
}

const summary = (volumes: bigint[]) => ({
  hours: volumes.length,
  totalWh: String(volumes.reduce((sum, volume) => sum + volume, 0n)),
});

/** The period's bounds from the indexed schedule: the previous period's end and its own. */
export async function periodBounds(
  em: EntityManager,
  periodId: number,
): Promise<{ start: number; end: number }> {
  const rows = periodId > 1 ? await em.find(BillingPeriod, { id: { $in: [periodId - 1, periodId] } }) : [];
  const start = rows.find((row) => row.id === periodId - 1)?.periodEnd;
  const end = rows.find((row) => row.id === periodId)?.periodEnd;
  if (start === undefined || end === undefined) {
    throw new NonRetryableError(`Period ${periodId} and the one before it must be scheduled (and indexed)`, {
      code: "INVALID_PERIOD",
      details: `period ${periodId}`,
    });
  }
  return { start, end };
}

/** The account's hourly volumes of the period from its meter's indexed readings; refusals as API codes. */
async function indexedHourlyVolumes(
  em: EntityManager,
  account: AccountRow,
  periodId: number,
): Promise<bigint[]> {
  const { start, end } = await periodBounds(em, periodId);
  const readings = await em.find(
    Reading,
    { meterId: account.meterId, intervalEnd: { $gte: start, $lte: end } },
    { orderBy: { intervalEnd: "asc" } },
  );
  try {
    return hourlyVolumesFromReadings({ periodStart: start, periodEnd: end, readings });
  } catch (error) {
    if (error instanceof HourlyVolumesError) {
      throw new NonRetryableError(
        `Account ${account.id}, meter ${account.meterId}, period ${periodId}: ${error.message}`,
        { code: error.code, details: error.hour === undefined ? undefined : `hour ${error.hour}` },
      );
    }
    throw error;
  }
}

/** The plan the account is billed on for the period, as Tariffs picks it (chain read; refusals as codes). */
async function planForPeriod(context: GatewayContext, accountId: bigint, periodId: number, end: number) {
  const { chain } = context.services;
  let plan: { planId: bigint; plan: { kind: number } };
  try {
    plan = (await chain.publicClient.readContract({
      address: chain.contracts.Tariffs as Address,
      abi: tariffsAbi,
      functionName: "planFor",
      args: [accountId, periodId, BigInt(end)],
    })) as { planId: bigint; plan: { kind: number } };
  } catch (error) {
    throw toContractError(error, "Tariffs", "planFor");
  }
  // said here, not by the contract: otherwise the missing publication of a plan that has none would be
  if (plan.plan.kind !== PRICE_CATEGORY_3 && plan.plan.kind !== PRICE_CATEGORY_4) {
    throw new NonRetryableError(
      `Account ${accountId} is billed on plan ${plan.planId} of kind ${plan.plan.kind} in period ${periodId}, not ПЦК 3/4; period close bills it`,
      { code: "NOT_HOURLY_PLAN" },
    );
  }
  return plan.planId;
}

/**
 * The contract's HourlyPrices from the input, validated before anything is signed: one price per hour
 * of the indexed period, every number a non-negative integer below 2^53 (the indexer keeps them as
 * JavaScript numbers), peak hours and windows inside the period.
 */
export function toHourlyPriceData(input: PublishHourlyPricesInput, hours: number): HourlyPriceData {
  if (input.hourlyPrices.length !== hours) {
    throw new NonRetryableError(
      `Period ${input.periodId} has ${hours} hours; give one price per hour (got ${input.hourlyPrices.length})`,
      { code: "WRONG_HOUR_COUNT", details: `expected ${hours}, got ${input.hourlyPrices.length}` },
    );
  }
  const prices = input.hourlyPrices.map((price, hour) =>
    parseUint(price, `hourlyPrices[${hour}]`, 53, "INVALID_PRICE"),
  );
  const capacityRate = parseUint(input.capacityRate, "capacityRate", 53, "INVALID_RATES");
  const maintenanceRate = parseUint(input.maintenanceRate ?? "0", "maintenanceRate", 53, "INVALID_RATES");
  const lossRate = parseUint(input.lossRate ?? "0", "lossRate", 53, "INVALID_RATES");
  const peakHours = input.peakHours ?? [];
  const windows = input.peakWindows ?? [];
  peakHours.forEach((hour, index) => {
    if (!Number.isInteger(hour) || hour < 0 || hour >= hours) {
      throw new NonRetryableError(`peakHours[${index}] must be an hour of the period, 0-${hours - 1}`, {
        code: "HOUR_OUT_OF_RANGE",
        details: `got ${hour}`,
      });
    }
  });
  windows.forEach((window, index) => {
    if (
      window.hours < 1 ||
      window.hours > 255 ||
      window.firstHour < 0 ||
      window.firstHour + window.hours > hours
    ) {
      throw new NonRetryableError(`peakWindows[${index}] must lie inside the period's ${hours} hours`, {
        code: "HOUR_OUT_OF_RANGE",
        details: `firstHour ${window.firstHour}, hours ${window.hours}`,
      });
    }
  });
  // the contract's pairing: a rate comes with its hours (windows), and no hours without a rate
  if ((capacityRate === 0n) !== (peakHours.length === 0)) {
    throw new NonRetryableError("capacityRate and peakHours go together: both given or neither", {
      code: "INVALID_RATES",
    });
  }
  if ((maintenanceRate === 0n) !== (windows.length === 0)) {
    throw new NonRetryableError("maintenanceRate and peakWindows go together: both given or neither", {
      code: "INVALID_RATES",
    });
  }
  return {
    prices,
    capacityRate,
    maintenanceRate,
    lossRate,
    capacityHours: peakHours.map(BigInt),
    networkWindows: windows.map((window) => (BigInt(window.firstHour) << 8n) | BigInt(window.hours)),
  };
}
