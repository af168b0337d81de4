import { readingsAbi } from "@gridledger/contracts";
import { DomainError, encodeMeterRecords, type MeterRecord } from "@gridledger/domain";
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { parseEventLogs } from "viem";
import { NonRetryableError } from "../../../internal/errors.js";
import { type GatewayContext, Role } from "../../context.js";
import { parseId, parseTime } from "../common/parseInputs.js";
import { sendAction } from "../common/sendAction.js";
import { ManualReadingsInput } from "./manualReadings.input.js";
import { ManualReadingsResult, type ReadingSource } from "./manualReadings.type.js";

const REGISTERS = ["t1", "t2", "t3", "t4", "export"] as const;

/**
 * F-CONSUMER-02 / F-AGENT-04: readings typed in by hand, through the Readings contract's manual path
 * (`submitManualReadings`). The contract records the source: `CONSUMER` when the meter's consumer
 * signs (meters without remote reading only), `OPERATOR` for the grid company or the operator.
 */
@Resolver()
export class ManualReadingsResolver {
  @Authorized(Role.Consumer, Role.GridCompany, Role.Operator)
  @Mutation(() => ManualReadingsResult, {
    description:
      "Submit meter readings typed in by the consumer (own meter without remote reading) or by the grid company/operator",
  })
  async submitManualReadings(
    @Arg("input", () => ManualReadingsInput) input: ManualReadingsInput,
    @Ctx() context: GatewayContext,
  ): Promise<ManualReadingsResult> {
    const meterId = parseId(input.meterId, "meterId");
    const present = (record: (typeof input.readings)[number]) =>
      REGISTERS.reduce(
        (mask, name, bit) => (record[name] !== undefined && record[name] !== null ? mask | (1 << bit) : mask),
        0,
      );
    const registerMask = present(input.readings[0]!);
    if (registerMask === 0) {
      throw new NonRetryableError("Give at least one register (t1 … t4, export)", {
        code: "INVALID_READING",
      });
    }
    if (input.readings.some((record) => present(record) !== registerMask)) {
      throw new NonRetryableError("Every record must give the same registers", { code: "INVALID_READING" });
    }
    const records: MeterRecord[] = input.readings
      .map((record, index) => ({
        intervalEnd: parseTime(record.intervalEnd, `readings[${index}].intervalEnd`),
        status: 0,
        registers: REGISTERS.filter((_, bit) => registerMask & (1 << bit)).map((name) =>
          BigInt(record[name]!),
        ),
      }))
      .sort((a, b) => a.intervalEnd - b.intervalEnd);
    let packed: `0x${string}`;
    try {
      packed = encodeMeterRecords(registerMask, records);
    } catch (error) {
      if (error instanceof DomainError) {
        throw new NonRetryableError(error.shortMessage, { code: "INVALID_READING", details: error.details });
      }
      throw error;
    }
    const result = await sendAction({
      context,
      contract: "Readings",
      abi: readingsAbi,
      functionName: "submitManualReadings",
      args: [meterId, registerMask, packed],
    });
    const [recorded] = parseEventLogs({
      abi: readingsAbi,
      logs: result.receipt.logs,
      eventName: "ReadingBatchRecorded",
    });
    const { receipt: _receipt, ...rest } = result;
    return {
      ...rest,
      source: Number(recorded!.args.source) as ReadingSource,
      accepted: Number(recorded!.args.accepted),
      duplicates: Number(recorded!.args.duplicates),
    };
  }
}
