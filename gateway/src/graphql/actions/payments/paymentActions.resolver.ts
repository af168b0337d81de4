import { registryAbi, settlementAbi } from "@gridledger/contracts";
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { type Address, type Hex, parseEventLogs, type TransactionReceipt } from "viem";
import { DebitMandate } from "../../../db/entities/index.js";
import { NonRetryableError } from "../../../internal/errors.js";
import { type GatewayContext, Role } from "../../context.js";
import { requirePrincipal } from "../../scope.js";
import { ActionResult } from "../common/actionResult.type.js";
import { parseAddress, parseId, parseKopecks, parseUint, textToBytes32 } from "../common/parseInputs.js";
import { sendAction, signerOf } from "../common/sendAction.js";
import { RecordPaymentInput, RecordPrepaymentInput } from "./paymentActions.input.js";
import { PaymentActionResult } from "./paymentActions.type.js";

/**
 * Payment numbers of the gateway's direct debits: from 2^52 (millisecond time × 1000 + a counter), so
 * they never meet a bank's own numbering below it and stay below 2^53, as the index requires.
 */
export const DIRECT_DEBIT_NUMBER_BASE = 1n << 52n;
let directDebitCounter = 0n;
const ORGANISATION_KIND_PAYMENT_SOURCE = 4;

const ZERO32 = `0x${"00".repeat(32)}` as Hex;

/**
 * F-CHAIN-05 / F-CHAIN-12 / F-CONSUMER-07: payments. A payment source (bank) records the money it
 * received, signed with its own key. A consumer pays an invoice from the account's prepaid credit
 * balance: the consumer's own key signs the mandate (`setDebitMandate`), and the payment source that
 * holds the mandate signs the debit (`directDebit`) — the contract lets no one else move the balance.
 */
@Resolver()
export class PaymentActionsResolver {
  @Authorized(Role.PaymentSource)
  @Mutation(() => PaymentActionResult, {
    description: "Record a payment received for an invoice (payment source)",
  })
  async recordPayment(
    @Arg("input", () => RecordPaymentInput) input: RecordPaymentInput,
    @Ctx() context: GatewayContext,
  ): Promise<PaymentActionResult> {
    const args = [
      parseId(input.invoiceId, "invoiceId", 256),
      parseKopecks(input.amount, "amount"),
      input.method,
      parseUint(input.paymentNumber, "paymentNumber", 53, "INVALID_PAYMENT_NUMBER"),
      input.externalRef.trim() ? textToBytes32(input.externalRef, "externalRef") : ZERO32,
    ];
    const result = await sendAction({
      context,
      contract: "Settlement",
      abi: settlementAbi,
      functionName: "recordPayment",
      args,
    });
    return paymentResult(result);
  }

  @Authorized(Role.PaymentSource)
  @Mutation(() => ActionResult, {
    description:
      "Record money received in advance for an account; it goes to the account's credit balance (payment source)",
  })
  async recordPrepayment(
    @Arg("input", () => RecordPrepaymentInput) input: RecordPrepaymentInput,
    @Ctx() context: GatewayContext,
  ): Promise<ActionResult> {
    const args = [
      parseId(input.accountId, "accountId"),
      parseKopecks(input.amount, "amount"),
      parseUint(input.paymentNumber, "paymentNumber", 53, "INVALID_PAYMENT_NUMBER"),
      input.externalRef.trim() ? textToBytes32(input.externalRef, "externalRef") : ZERO32,
    ];
    const { receipt: _receipt, ...result } = await sendAction({
      context,
      contract: "Settlement",
      abi: settlementAbi,
      functionName: "recordPrepayment",
      args,
    });
    return result;
  }

  @Authorized(Role.Consumer)
  @Mutation(() => ActionResult, {
    description:
      "Allow a payment source to pay this account's invoices from its credit balance, up to `limitPerDebit` kopecks each time (0 withdraws) — the consumer's own key signs",
  })
  async setDebitMandate(
    @Arg("accountId", () => String) accountId: string,
    @Arg("source", () => String, { description: "The payment source's address" }) source: string,
    @Arg("limitPerDebit", () => String, { description: "Kopecks, decimal; 0 withdraws the mandate" })
    limitPerDebit: string,
    @Ctx() context: GatewayContext,
  ): Promise<ActionResult> {
    const id = parseId(accountId, "accountId");
    const sourceAddress = parseAddress(source, "source");
    const limit = parseUint(limitPerDebit, "limitPerDebit", 53, "INVALID_AMOUNT");
    await requirePaymentSource(context, sourceAddress);
    const { receipt: _receipt, ...result } = await sendAction({
      context,
      contract: "Settlement",
      abi: settlementAbi,
      functionName: "setDebitMandate",
      args: [id, sourceAddress, limit],
    });
    return result;
  }

  @Authorized(Role.Consumer)
  @Mutation(() => PaymentActionResult, {
    description:
      "Pay an invoice from the account's prepaid credit balance under the consumer's direct-debit mandate; the payment source holding the mandate signs the debit",
  })
  async payInvoice(
    @Arg("invoiceId", () => String, { description: "decimal" }) invoiceId: string,
    @Arg("amount", () => String, {
      nullable: true,
      description: "Kopecks; default: as much as the debt, the balance and the mandate's limit allow",
    })
    amount: string | undefined,
    @Arg("source", () => String, {
      nullable: true,
      description: "The payment source to debit through; default: the one the account's mandate names",
    })
    source: string | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<PaymentActionResult> {
    const principal = requirePrincipal(context);
    const consumer = signerOf(principal).address.toLowerCase();
    const id = parseId(invoiceId, "invoiceId", 256);
    const requested = amount ? parseKopecks(amount, "amount") : undefined;
    const accountId = id >> 32n;
    const { chain } = context.services;
    const read = <T>(
      contract: "Registry" | "Settlement",
      abi: typeof registryAbi | typeof settlementAbi,
      functionName: string,
      args: readonly unknown[],
    ) =>
      chain.publicClient.readContract({
        address: chain.contracts[contract]!,
        abi,
        functionName,
        args,
      } as never) as Promise<T>;

    // The debit is signed by the bank, which the contract does not tie to the consumer: the gateway
    // makes sure the caller is the consumer of the invoice's account before it asks the bank's key.
    const info = await read<{ consumer: Address }>("Registry", registryAbi, "billingInfo", [accountId]).catch(
      () => undefined,
    );
    if (!info || info.consumer.toLowerCase() !== consumer) {
      throw new NonRetryableError("This invoice is not on your account", { code: "FORBIDDEN" });
    }
    const sourceAddress = source
      ? parseAddress(source, "source")
      : await mandatedSource(context, accountId, (candidate) =>
          read<bigint>("Settlement", settlementAbi, "debitMandate", [accountId, candidate]),
        );
    let payAmount = requested;
    if (payAmount === undefined) {
      const [invoice, balance, limit] = await Promise.all([
        read<{ components: readonly bigint[]; paid: readonly bigint[] }>(
          "Settlement",
          settlementAbi,
          "getInvoice",
          [id],
        ),
        read<bigint>("Settlement", settlementAbi, "creditBalance", [accountId]),
        read<bigint>("Settlement", settlementAbi, "debitMandate", [accountId, sourceAddress]),
      ]);
      const debt = invoice.components.reduce(
        (sum, value, k) => sum + BigInt(value) - BigInt(invoice.paid[k] ?? 0n),
        0n,
      );
      payAmount = [debt, BigInt(balance), BigInt(limit)].reduce((a, b) => (a < b ? a : b));
      if (debt === 0n)
        throw new NonRetryableError("Nothing is owed on this invoice", { code: "NOTHING_TO_PAY" });
      if (BigInt(limit) === 0n) {
        throw new NonRetryableError("No direct-debit mandate for this payment source", {
          code: "NO_DEBIT_MANDATE",
        });
      }
      if (payAmount === 0n) {
        throw new NonRetryableError("The account's credit balance is empty", {
          code: "INSUFFICIENT_BALANCE",
        });
      }
    }
    directDebitCounter = (directDebitCounter + 1n) % 1000n;
    const paymentNumber = DIRECT_DEBIT_NUMBER_BASE + BigInt(Date.now()) * 1000n + directDebitCounter;
    const result = await sendAction({
      context,
      signer: { kind: "organisation", address: sourceAddress },
      contract: "Settlement",
      abi: settlementAbi,
      functionName: "directDebit",
      args: [
        id,
        payAmount,
        paymentNumber,
        textToBytes32(`DD-${accountId}-${id & 0xffffffffn}`, "externalRef"),
      ],
    });
    return paymentResult(result);
  }
}

async function requirePaymentSource(context: GatewayContext, source: Address): Promise<void> {
  const { chain } = context.services;
  const organisation = (await chain.publicClient.readContract({
    address: chain.contracts.Registry!,
    abi: registryAbi,
    functionName: "getOrganisation",
    args: [source],
  } as never)) as { kind: number; active: boolean };
  if (Number(organisation.kind) !== ORGANISATION_KIND_PAYMENT_SOURCE || !organisation.active) {
    throw new NonRetryableError("The source is not an active payment source", {
      code: "UNKNOWN_PAYMENT_SOURCE",
    });
  }
}

/** The payment source the account's consumer gave a mandate to (from the index, confirmed on chain). */
async function mandatedSource(
  context: GatewayContext,
  accountId: bigint,
  mandateOnChain: (source: Address) => Promise<bigint>,
): Promise<Address> {
  const database = context.services.database;
  const rows = database
    ? await database.em().find(DebitMandate, { accountId: Number(accountId), limitPerDebit: { $gt: 0 } })
    : [];
  for (const row of rows) {
    if ((await mandateOnChain(row.source as Address)) > 0n) return row.source as Address;
  }
  throw new NonRetryableError("The account has no direct-debit mandate: set one with setDebitMandate", {
    code: "NO_DEBIT_MANDATE",
  });
}

function paymentResult(result: ActionResult & { receipt: TransactionReceipt }): PaymentActionResult {
  const { receipt, ...rest } = result;
  const [recorded] = parseEventLogs({ abi: settlementAbi, logs: receipt.logs, eventName: "PaymentRecorded" });
  const args = recorded!.args;
  return {
    ...rest,
    source: args.source,
    paymentNumber: String(args.paymentNumber),
    amount: String(args.amount),
    applied: String(args.applied),
    credited: String(args.credited),
    split: args.split.map(String),
  };
}
