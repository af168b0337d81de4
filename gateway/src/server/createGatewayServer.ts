import { ApolloServer } from "@apollo/server";
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from "@as-integrations/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { createPublicClient, http, type PublicClient } from "viem";
import { buildGatewaySchema } from "../graphql/buildGatewaySchema.js";
import type { GatewayContext, GatewayServices } from "../graphql/context.js";
import { depthLimit } from "../graphql/depthLimit.js";
import { formatError } from "../graphql/formatError.js";
import { restApi } from "../rest/restApi.js";

export type GatewayDeploymentInfo = {
  chainId: number;
  deployedAtBlock: string;
  contracts: Record<string, `0x${string}`>;
};

export type CreateGatewayServerParameters = {
  rpcUrl: string;
  deployment: GatewayDeploymentInfo;
  services: GatewayServices;
  logLevel?: string;
};

/** Deepest GraphQL operation accepted; the portal's deepest query (account → payments → split) is 5. */
export const MAX_QUERY_DEPTH = 8;

export type GatewayServer = {
  app: FastifyInstance;
  publicClient: PublicClient;
};

/**
 * The gateway's HTTP server. Operational endpoints follow Ponder: `/health` (liveness, with what
 * the chain looks like from here), `/ready` (503 until the chain answers), `/metrics` (Prometheus).
 * GraphQL and REST mount on the same server.
 */
export async function createGatewayServer({
  rpcUrl,
  deployment,
  services,
  logLevel = "info",
}: CreateGatewayServerParameters): Promise<GatewayServer> {
  const app = Fastify({
    logger: { level: logLevel },
    // request ids in every log line, taken from the proxy when it sends one
    requestIdHeader: "x-request-id",
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 2 * 1024 * 1024,
  });
  const publicClient = createPublicClient({
    transport: http(rpcUrl, { timeout: 5_000, retryCount: 0 }),
    cacheTime: 0,
  });

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: "gridledger_gateway_" });
  const chainHead = new Gauge({
    name: "gridledger_chain_head_block",
    help: "Latest block number seen on the chain",
    registers: [metrics],
  });

  const readChain = async () => {
    const [chainId, blockNumber] = await Promise.all([
      publicClient.getChainId(),
      publicClient.getBlockNumber(),
    ]);
    chainHead.set(Number(blockNumber));
    return { chainId, blockNumber };
  };

  app.get("/health", async (_request, reply) => {
    try {
      const { chainId, blockNumber } = await readChain();
      return {
        status: "ok",
        mode: "normal",
        chain: { chainId, blockNumber: blockNumber.toString(), rpc: "up" },
        deployment: {
          chainId: deployment.chainId,
          deployedAtBlock: deployment.deployedAtBlock,
          contracts: deployment.contracts,
        },
      };
    } catch (error) {
      // The process is alive even when the chain is not: liveness stays 200, the mode says emergency.
      reply.log.warn({ err: error }, "chain RPC did not answer");
      return {
        status: "ok",
        mode: "emergency",
        chain: { chainId: deployment.chainId, blockNumber: null, rpc: "down" },
        deployment: {
          chainId: deployment.chainId,
          deployedAtBlock: deployment.deployedAtBlock,
          contracts: deployment.contracts,
        },
      };
    }
  });

  app.get("/ready", async (_request, reply) => {
    try {
      const { chainId } = await readChain();
      if (chainId !== deployment.chainId) {
        return reply.code(503).send({
          ready: false,
          reason: `chain id ${chainId} differs from the deployment's ${deployment.chainId}`,
        });
      }
      return { ready: true };
    } catch {
      return reply.code(503).send({ ready: false, reason: "chain RPC does not answer" });
    }
  });

  app.get("/metrics", async (_request, reply) => {
    try {
      await readChain();
    } catch {
      // the gauge keeps its last value
    }
    reply.header("content-type", metrics.contentType);
    return metrics.metrics();
  });

  const apollo = new ApolloServer<GatewayContext>({
    schema: await buildGatewaySchema(),
    formatError,
    validationRules: [depthLimit(MAX_QUERY_DEPTH)],
    introspection: true,
    plugins: [fastifyApolloDrainPlugin(app)],
  });
  await apollo.start();
  app.route({
    url: "/graphql",
    method: ["GET", "POST", "OPTIONS"],
    handler: fastifyApolloHandler(apollo, {
      context: async (request) => {
        const sessionToken = bearerToken(request.headers.authorization);
        return {
          requestId: String(request.id),
          clientAddress: request.ip,
          sessionToken,
          principal:
            sessionToken && services.sessions
              ? (await services.sessions.resume(sessionToken))?.principal
              : undefined,
          services,
        };
      },
    }),
  });

  await app.register(restApi, { prefix: "/api", apollo, services });

  return { app, publicClient };
}

/** The token of `Authorization: Bearer <token>`, when well formed. */
function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer ([A-Za-z0-9_-]{43})$/.exec(authorization ?? "")?.[1];
}
