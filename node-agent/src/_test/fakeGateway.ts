/**
 * A TEST DOUBLE of the gateway's GraphQL API for the agent's unit tests, benchmarks and the
 * independent-peer test: a small HTTP server with the `submitReadings` mutation and the
 * `readingsDomain` query, EIP-712 signature recovery against registered device addresses, dedup by
 * (meterId, intervalEnd), refusal of decreasing registers, and errors shaped like the real
 * gateway's (`extensions.code`, `extensions.retryable`; codes from docs/api.md). Tests can force
 * any answer (`failures`), which the real gateway cannot be made to give on demand.
 *
 * It is NOT the ledger: the end-to-end fault test (src/agent.fault.test.ts) runs the real gateway
 * (gateway/src) on a real chain with the deployed contracts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeMeterRecords, type Hex, readingBatchTypedData } from "@gridledger/domain";
import { recoverTypedDataAddress } from "viem";

export type StoredRecord = {
  meterId: string;
  intervalEnd: number;
  status: number;
  registers: string[];
  tx: Hex;
};

export type FakeGatewayOptions = {
  devices: string[];
  chainId?: number;
  verifyingContract?: Hex;
  port?: number;
};

export class FakeGateway {
  readonly records = new Map<string, StoredRecord>();
  /** A resubmitted key with different content: must stay empty. */
  readonly conflicts: string[] = [];
  readonly submissions: Array<{ readings: number; accepted: number; duplicates: number }> = [];
  /** Next responses forced by a test: `{ status, code }`. */
  readonly failures: Array<{ status: number; code?: string; message?: string; retryable?: boolean }> = [];
  /** Meter ids the registry does not know. */
  readonly unknownMeters = new Set<string>();
  serviceMode = false;
  /** Delay between committing a batch and answering (the chain's inclusion time): a client killed in it resubmits. */
  commitDelayMs = 0;
  /** Called after a batch is committed and before the answer is sent. */
  onCommit: (() => void) | undefined;
  private server: Server | undefined;
  private block = 0;
  port = 0;
  readonly chainId: number;
  readonly verifyingContract: Hex;

  constructor(private readonly options: FakeGatewayOptions) {
    this.chainId = options.chainId ?? 31337;
    this.verifyingContract = options.verifyingContract ?? "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    this.port = options.port ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        this.handle(body)
          .then(({ status, json }) => {
            response.writeHead(status, { "content-type": "application/json" });
            response.end(JSON.stringify(json));
          })
          .catch((error) => {
            response.writeHead(500, { "content-type": "application/json" });
            response.end(
              JSON.stringify({
                errors: [{ message: String(error), extensions: { code: "INTERNAL_SERVER_ERROR" } }],
              }),
            );
          });
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private error(status: number, code: string, message: string, retryable?: boolean) {
    const extensions = retryable === undefined ? { code } : { code, retryable };
    return { status, json: { data: null, errors: [{ message, extensions }] } };
  }

  private async handle(text: string): Promise<{ status: number; json: unknown }> {
    const { query, variables } = JSON.parse(text) as { query: string; variables: Record<string, unknown> };
    if (/readingsDomain/.test(query))
      return {
        status: 200,
        json: {
          data: { readingsDomain: { chainId: this.chainId, verifyingContract: this.verifyingContract } },
        },
      };
    if (!/submitReadings/.test(query))
      return this.error(400, "GRAPHQL_VALIDATION_FAILED", "unknown operation");
    const forced = this.failures.shift();
    if (forced)
      return this.error(
        forced.status,
        forced.code ?? "INTERNAL_SERVER_ERROR",
        forced.message ?? "forced by test",
        forced.retryable,
      );
    if (this.serviceMode) return this.error(503, "SERVICE_MODE", "gateway in service mode");
    const input = variables.batch as {
      meters: Array<{ meterId: string; registerMask: number; records: Hex }>;
    };
    const batch = {
      meters: input.meters.map((m) => ({
        meterId: BigInt(m.meterId),
        registerMask: m.registerMask,
        records: m.records,
      })),
    };
    const signer = await recoverTypedDataAddress({
      ...readingBatchTypedData({ chainId: this.chainId, verifyingContract: this.verifyingContract, batch }),
      signature: variables.signature as Hex,
    });
    if (!this.options.devices.some((device) => device.toLowerCase() === signer.toLowerCase()))
      return this.error(200, "UNAUTHORIZED_DEVICE", `signer ${signer} is not a registered device`, false);
    for (const m of input.meters)
      if (this.unknownMeters.has(m.meterId))
        return this.error(200, "UNKNOWN_METER", `meter ${m.meterId} is not registered`, false);
    // Validate everything first: the chain reverts the whole transaction on one bad record.
    const fresh: StoredRecord[] = [];
    let duplicates = 0;
    const tx = `0x${(++this.block).toString(16).padStart(64, "0")}` as Hex;
    for (const m of input.meters) {
      for (const record of decodeMeterRecords(m.registerMask, m.records)) {
        const key = `${m.meterId}:${record.intervalEnd}`;
        const registers = record.registers.map(String);
        const existing = this.records.get(key);
        if (existing) {
          if (existing.registers.join() !== registers.join() || existing.status !== record.status)
            this.conflicts.push(key);
          duplicates++;
          continue;
        }
        const previous = [...this.records.values(), ...fresh]
          .filter((r) => r.meterId === m.meterId && r.intervalEnd < record.intervalEnd)
          .sort((a, b) => b.intervalEnd - a.intervalEnd)[0];
        if (
          previous &&
          registers.some((value, index) => BigInt(value) < BigInt(previous.registers[index] ?? "0"))
        ) {
          return this.error(
            200,
            "DECREASING_REGISTER",
            `meter ${m.meterId} register decreased at ${record.intervalEnd}`,
            false,
          );
        }
        fresh.push({
          meterId: m.meterId,
          intervalEnd: record.intervalEnd,
          status: record.status,
          registers,
          tx,
        });
      }
    }
    for (const record of fresh) this.records.set(`${record.meterId}:${record.intervalEnd}`, record);
    this.submissions.push({ readings: fresh.length + duplicates, accepted: fresh.length, duplicates });
    this.onCommit?.();
    if (this.commitDelayMs) await new Promise((resolve) => setTimeout(resolve, this.commitDelayMs));
    return {
      status: 200,
      json: {
        data: {
          submitReadings: {
            transactionHash: tx,
            blockNumber: this.block,
            accepted: fresh.length,
            duplicates,
          },
        },
      },
    };
  }
}
