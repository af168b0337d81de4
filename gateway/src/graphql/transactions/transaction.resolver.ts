import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { Hex } from "viem";
import { Account } from "../../db/entities/index.js";
import { NonRetryableError } from "../../internal/errors.js";
import { type GatewayContext, Role } from "../context.js";
import { accountCondition, accountScope, requirePrincipal } from "../scope.js";
import { readTransactionDetails, type TouchedByTransaction } from "./readTransactionDetails.js";
import { TransactionDetails } from "./transaction.type.js";

/**
 * `transaction(hash)`: the chain's own account of a transaction — block, time, sender, decoded call
 * and events — and whether the index agrees with it (`verified`). Every row the API returns with a
 * transaction hash (readings, payments, invoices, tariffs, meters, accounts, documents) can be
 * checked this way: each of its logs is in the journal the check compares.
 */
@Resolver()
export class TransactionResolver {
  @Authorized()
  @Query(() => TransactionDetails, {
    description:
      "A transaction by hash, decoded and verified against the chain. Staff of the grid company and the operator see any; others see transactions they sent or that touch their organisation or accounts.",
  })
  async transaction(
    @Arg("hash", () => String) hash: string,
    @Ctx() context: GatewayContext,
  ): Promise<TransactionDetails> {
    requirePrincipal(context);
    if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) {
      throw new NonRetryableError("hash must be 0x and 64 hex digits", { code: "INVALID_HASH" });
    }
    const { chain, database } = context.services;
    const em = database?.em();
    const { touched, ...details } = await readTransactionDetails({
      publicClient: chain.publicClient,
      contracts: chain.contracts,
      em,
      hash: hash as Hex,
    });
    if (!(await mayView(context, touched))) {
      throw new NonRetryableError("This transaction is outside your scope", { code: "FORBIDDEN" });
    }
    return details;
  }
}

async function mayView(context: GatewayContext, touched: TouchedByTransaction): Promise<boolean> {
  const principal = requirePrincipal(context);
  if (principal.role === Role.Operator || principal.role === Role.GridCompany) return true;
  const own = (
    principal.role === Role.Consumer ? principal.consumerAddress : principal.organisation
  )?.toLowerCase();
  if (!own) return false;
  if (touched.addresses.has(own)) return true;
  const database = context.services.database;
  if (!database || principal.role === Role.PaymentSource || principal.role === Role.Device) return false;
  const em = database.em();
  const scope = await accountScope(principal, em);
  const accountIds = [...touched.accountIds]
    .filter((id) => id <= BigInt(Number.MAX_SAFE_INTEGER))
    .map(Number);
  const meterIds = [...touched.meterIds].filter((id) => id <= BigInt(Number.MAX_SAFE_INTEGER)).map(Number);
  if (accountIds.length === 0 && meterIds.length === 0) return false;
  const or: Record<string, unknown>[] = [];
  if (accountIds.length > 0) or.push({ id: { $in: accountIds } });
  if (meterIds.length > 0) or.push({ meterId: { $in: meterIds } });
  return (await em.count(Account, { $and: [accountCondition(scope), { $or: or }] } as never)) > 0;
}
