import { settlementAbi } from "@gridledger/contracts";
import { MaxLength, MinLength } from "class-validator";
import { Arg, Args, ArgsType, Authorized, Ctx, Field, Mutation, ObjectType, Resolver } from "type-graphql";
import { type GatewayContext, Role } from "../../context.js";
import { ActionResult } from "../common/actionResult.type.js";
import { parseId } from "../common/parseInputs.js";
import { sendAction } from "../common/sendAction.js";
import { storeDocumentBody } from "../common/storeDocumentBody.js";

@ArgsType()
class DisputeInvoiceArgs {
  @Field(() => String, { description: "Invoice id, decimal (`accountId << 32 | periodId`)" })
  invoiceId!: string;

  @Field(() => String, {
    description: "Why the consumer disputes it (3-2000 characters); its keccak256 is anchored on chain",
  })
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
}

@ObjectType({ description: "A disputed invoice: the reason's hash as anchored on chain" })
export class DisputeInvoiceResult extends ActionResult {
  @Field(() => String, { description: "keccak256 of the reason's UTF-8 text (InvoiceDisputed.reasonHash)" })
  reasonHash!: string;
}

/**
 * F-CHAIN-04 / F-CONSUMER-07: the consumer confirms or disputes an issued invoice, signed with the
 * consumer's own key (the Settlement contract accepts only the account's consumer).
 */
@Resolver()
export class InvoiceActionsResolver {
  @Authorized(Role.Consumer)
  @Mutation(() => ActionResult, { description: "Confirm an issued invoice (its consumer)" })
  async confirmInvoice(
    @Arg("invoiceId", () => String, { description: "decimal" }) invoiceId: string,
    @Ctx() context: GatewayContext,
  ): Promise<ActionResult> {
    const args = [parseId(invoiceId, "invoiceId", 256)];
    const { receipt: _receipt, ...result } = await sendAction({
      context,
      contract: "Settlement",
      abi: settlementAbi,
      functionName: "confirmInvoice",
      args,
    });
    return result;
  }

  @Authorized(Role.Consumer)
  @Mutation(() => DisputeInvoiceResult, {
    description:
      "Dispute an issued invoice with a reason (its consumer); the reason is kept off chain, its hash on chain",
  })
  async disputeInvoice(
    @Args(() => DisputeInvoiceArgs) { invoiceId, reason }: DisputeInvoiceArgs,
    @Ctx() context: GatewayContext,
  ): Promise<DisputeInvoiceResult> {
    const id = parseId(invoiceId, "invoiceId", 256);
    const reasonHash = await storeDocumentBody(context, "disputeReason", id.toString(), reason.trim());
    const { receipt: _receipt, ...result } = await sendAction({
      context,
      contract: "Settlement",
      abi: settlementAbi,
      functionName: "disputeInvoice",
      args: [id, reasonHash],
    });
    return { ...result, reasonHash };
  }
}
