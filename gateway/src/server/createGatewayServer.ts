import { ApolloServer } from "@apollo/server";
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from "@as-integrations/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { createPublicClient, http, type PublicClient } from "viem";
import { registerDocumentRoutes } from "../documents/registerDocumentRoutes.js";
import { buildGatewaySchema } from "../graphql/buildGatewaySchema.js";
import { queryCostLimit } from "../graphql/common/queryCost.js";
import type { GatewayContext, GatewayServices } from "../graphql/context.js";
import { depthLimit } from "../graphql/depthLimit.js";
import { formatError } from "../graphql/formatError.js";
import { createModeController } from "../modes/createModeController.js";
import { logGraphqlErrorsPlugin } from "../modes/logGraphqlErrors.js";
import { chainProbe } from "../modes/probes.js";
import { registerOperationalRoutes } from "../modes/registerOperationalRoutes.js";
import { registerRestWriteGuard, writeGuardPlugin } from "../modes/writeGuard.js";
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
  /** Where the JSON log lines go. Default: stdout. */
  logStream?: NodeJS.WritableStream | undefined;
};

/** Deepest GraphQL operation accepted; the portal's deepest query (account → payments → split) is 5. */
export const MAX_QUERY_DEPTH = 8;

export type GatewayServer = {
  app: FastifyInstance;
  publicClient: PublicClient;
};

/**
 * The gateway's HTTP server. Operational endpoints follow Ponder: `/health` (liveness, with the mode
 * and every dependency), `/ready` (503 while a dependency is down), `/metrics` (Prometheus); writes
 * are refused outside normal mode (`modes/`). GraphQL and REST mount on the same server.
 */
export async function createGatewayServer({
  rpcUrl,
  deployment,
  services,
  logLevel = "info",
  logStream,
}: CreateGatewayServerParameters): Promise<GatewayServer> {
  const app = Fastify({
    logger: logStream ? { level: logLevel, stream: logStream } : { level: logLevel },
    // request ids in every log line, taken from the proxy when it sends one
    requestIdHeader: "x-request-id",
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 2 * 1024 * 1024,
  });
  const publicClient = createPublicClient({
    transport: http(rpcUrl, { timeout: 5_000, retryCount: 0 }),
    cacheTime: 0,
  });

  // The operating mode: startGateway passes one that watches chain, database and cache; a bare server
  // (tests) watches the chain it was given.
  const modes =
    services.modes ??
    createModeController({
      probes: { chain: chainProbe(publicClient, deployment.chainId) },
      logger: app.log,
    });
  services = { ...services, modes };
  registerOperationalRoutes(app, { modes, deployment, indexStatus: () => services.indexStatus() });
  registerRestWriteGuard(app, () => modes);

  const apollo = new ApolloServer<GatewayContext>({
    schema: await buildGatewaySchema(),
    formatError,
    // Apollo adds server stack traces to every error unless NODE_ENV is "production": never send them
    includeStacktraceInErrorResponses: false,
    validationRules: [depthLimit(MAX_QUERY_DEPTH)],
    introspection: true,
    plugins: [
      fastifyApolloDrainPlugin(app),
      writeGuardPlugin(() => modes),
      queryCostLimit(),
      logGraphqlErrorsPlugin(),
    ],
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
              ? (await resumeWithin(services.sessions.resume(sessionToken), request.log))?.principal
              : undefined,
          services,
          log: request.log,
        };
      },
    }),
  });

  await app.register(restApi, { prefix: "/api", apollo, services });
  // invoice and contract PDFs, checked against their on-chain hash before they are sent
  registerDocumentRoutes(app, services);

  return { app, publicClient };
}

/**
 * A session lookup bounded in time: while the cache (Redis) is down, a request goes on as anonymous
 * instead of hanging, so public reads keep working in emergency mode.
 */
async function resumeWithin<T>(
  lookup: Promise<T>,
  log: FastifyInstance["log"],
  ms = 1500,
): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      lookup,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms);
      }),
    ]);
  } catch (error) {
    log.warn({ err: error }, "session lookup failed; the request goes on as anonymous");
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** The token of `Authorization: Bearer <token>`, when well formed. */
function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer ([A-Za-z0-9_-]{43})$/.exec(authorization ?? "")?.[1];
}
