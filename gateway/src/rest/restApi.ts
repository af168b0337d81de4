import type { ApolloServer } from "@apollo/server";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import type { GraphQLFormattedError } from "graphql";
import { z } from "zod";
import { API_KEY_SCOPES, type ApiKeyScope } from "../apiKeys/apiKeyScopes.js";
import { type AuthenticatedApiKey, authenticateApiKey } from "../apiKeys/authenticateApiKey.js";
import { buildGatewaySchema } from "../graphql/buildGatewaySchema.js";
import type { GatewayContext, GatewayServices } from "../graphql/context.js";
import { GatewayError } from "../internal/errors.js";
import { buildRestOperation } from "./buildRestOperation.js";
import { graphqlResultSchema } from "./graphqlResultSchema.js";
import { httpStatusOfCode, PROBLEM_CONTENT_TYPE, type Problem, ProblemSchema, problem } from "./problem.js";
import { REST_ROUTES, type RestRoute } from "./restRoutes.js";

export type RestApiOptions = {
  /** The gateway's GraphQL server: every route runs its operation through it. */
  apollo: ApolloServer<GatewayContext>;
  services: GatewayServices;
  /** Requests per key (per client address without a key) and window. Default: 600 a minute. */
  rateLimit?: { max: number; timeWindowMs: number } | undefined;
  /** Largest request body. Default: 1 MiB. */
  bodyLimit?: number | undefined;
  /** The routes to serve. Default: REST_ROUTES. */
  routes?: readonly RestRoute[] | undefined;
};

/** The REST API's version in the OpenAPI document. */
export const REST_API_VERSION = "1.0.0";

/** A request the REST layer refuses with a problem+json answer. */
class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly extra: { retryable?: boolean; errors?: Problem["errors"] } = {},
  ) {
    super(detail);
  }
}

const apiKeys = new WeakMap<FastifyRequest, AuthenticatedApiKey>();

/**
 * The REST integration API under `/api` (register with `{ prefix: "/api" }`): `/api/v1/…` routes from
 * REST_ROUTES, each a fixed GraphQL operation run with the API key's principal; the OpenAPI 3.1
 * document generated from the routes' zod schemas at `/api/openapi.json` and Swagger UI at
 * `/api/docs`. Every error is RFC 9457 problem+json.
 */
export async function restApi(app: FastifyInstance, options: RestApiOptions): Promise<void> {
  const schema = await buildGatewaySchema();
  const routes = options.routes ?? REST_ROUTES;
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;

  app.setErrorHandler((error: FastifyError, request, reply) =>
    sendProblem(request, reply, problemOf(error, request)),
  );
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new ProblemError(
        404,
        "ROUTE_NOT_FOUND",
        `No route ${request.method} ${pathOf(request)}; see /api/openapi.json`,
      ),
    ),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "GridLedger integration API",
        version: REST_API_VERSION,
        description:
          "REST access to the GridLedger ledger for billing systems and banks. Each route runs the same " +
          "resolvers, role scoping and checks as the GraphQL API at /graphql. Authenticate with an API key " +
          "(Authorization: Bearer glk_… or X-API-Key: glk_…); errors are RFC 9457 problem+json. See docs/api.md.",
        license: { name: "Apache-2.0", identifier: "Apache-2.0" },
      },
      components: {
        securitySchemes: {
          apiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
          bearer: { type: "http", scheme: "bearer", description: "The API key as a bearer token" },
        },
      },
      security: [{ apiKeyHeader: [] }, { bearer: [] }],
      tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (v1) => {
    v1.setValidatorCompiler(validatorCompiler);
    v1.setSerializerCompiler(serializerCompiler);
    // Fastify reads text/plain by default; the API takes JSON and forms only (415 otherwise)
    v1.removeContentTypeParser("text/plain");
    v1.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit },
      (_request, body, done) => {
        done(null, formFields(body as string));
      },
    );
    v1.addHook("onRequest", async (request) => {
      const config = request.routeOptions.config as {
        scope?: ApiKeyScope | null;
        methodNotAllowed?: boolean;
      };
      if (request.is404 || config.methodNotAllowed) return;
      const key = await authenticate(request, options.services);
      apiKeys.set(request, key);
      if (config.scope && !key.scopes.has(config.scope))
        throw new ProblemError(
          403,
          "SCOPE_MISSING",
          `API key ${key.prefix} lacks the scope ${config.scope} (${API_KEY_SCOPES[config.scope]})`,
        );
    });
    await v1.register(fastifyRateLimit, {
      global: true,
      max: options.rateLimit?.max ?? 600,
      timeWindow: options.rateLimit?.timeWindowMs ?? 60_000,
      keyGenerator: (request) => {
        const key = apiKeys.get(request);
        return key ? `key:${key.id}` : `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, context) =>
        new ProblemError(
          429,
          "RATE_LIMITED",
          `More than ${context.max} requests in ${context.after}; retry after ${context.ttl} ms`,
          {
            retryable: true,
          },
        ),
    });

    const answers = problemResponses();
    for (const route of routes) {
      const operation = buildRestOperation({
        schema,
        field: route.field,
        exclude: route.exclude,
        include: route.include,
      });
      const fieldResult = graphqlResultSchema({ schema, document: operation.document });
      const bare = fieldResult instanceof z.ZodNullable ? fieldResult.unwrap() : fieldResult;
      if (!route.wrap && !(bare instanceof z.ZodObject || bare instanceof z.ZodArray))
        throw new Error(`REST route ${route.operationId}: ${route.field} is a scalar; give it \`wrap\``);
      const result = route.wrap ? z.object({ [route.wrap]: fieldResult }) : fieldResult;
      const input = typeof route.input === "function" ? route.input(schema) : route.input;
      const consumes = route.consumes ?? ["application/json", "application/x-www-form-urlencoded"];
      const statuses = [
        400,
        401,
        403,
        ...(route.single ? [404] : []),
        ...(route.method === "POST" ? [413, 415, 422] : []),
        429,
        500,
        503,
      ];
      v1.route({
        method: route.method,
        url: route.url,
        bodyLimit,
        config: { scope: route.scope },
        schema: {
          operationId: route.operationId,
          summary: route.summary,
          description: [
            route.description,
            route.scope ? `Scope: \`${route.scope}\`.` : "Any valid API key.",
            `Runs GraphQL \`${operation.kind} { ${route.field} }\`.`,
          ]
            .filter(Boolean)
            .join("\n\n"),
          tags: [route.tag],
          ...(route.params ? { params: route.params } : {}),
          ...(route.method === "GET" ? { querystring: input } : { body: input }),
          ...(route.method === "POST" ? { consumes: [...consumes] } : {}),
          response: {
            200: result.describe(`The result of GraphQL ${route.field}`),
            ...Object.fromEntries(statuses.map((status) => [status, answers[status]!])),
          },
        },
        // a nested input has no form encoding: such routes take JSON only
        preValidation: async (request) => {
          if (route.method !== "POST") return;
          // an action without parameters may come without a body
          if (request.body === undefined && !request.headers["content-type"]) {
            request.body = {};
            return;
          }
          const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
          if (!consumes.includes(type as (typeof consumes)[number]))
            throw new ProblemError(415, "UNSUPPORTED_MEDIA_TYPE", `Send ${consumes.join(" or ")}`);
        },
        handler: async (request, reply) => {
          const key = apiKeys.get(request)!;
          const variables = Object.fromEntries(
            Object.entries(
              route.variables(request.method === "GET" ? request.query : request.body, request.params),
            ).filter(([name, value]) => value !== undefined && operation.argumentNames.includes(name)),
          );
          const response = await options.apollo.executeOperation(
            { query: operation.document, variables },
            {
              contextValue: {
                requestId: String(request.id),
                clientAddress: request.ip,
                sessionToken: undefined,
                principal: key.principal,
                services: options.services,
                log: request.log,
              },
            },
          );
          if (response.body.kind !== "single")
            throw new Error("incremental delivery is not used by REST routes");
          const { data, errors } = response.body.singleResult;
          if (errors?.length) throw graphqlProblem(errors[0]!);
          const value = (data as Record<string, unknown>)[route.field];
          return reply.code(200).send(route.wrap ? { [route.wrap]: value } : value);
        },
      });
    }

    // a known path with another method: 405 naming the allowed ones (404 is for unknown paths)
    const methodsByUrl = new Map<string, string[]>();
    for (const route of routes)
      methodsByUrl.set(route.url, [...(methodsByUrl.get(route.url) ?? []), route.method]);
    for (const [url, methods] of methodsByUrl) {
      const allowed = [...methods, ...(methods.includes("GET") ? ["HEAD"] : [])];
      v1.route({
        method: ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((method) => !methods.includes(method)),
        url,
        config: { methodNotAllowed: true, rateLimit: false },
        schema: { hide: true },
        handler: async (request, reply) => {
          reply.header("allow", allowed.join(", "));
          throw new ProblemError(
            405,
            "METHOD_NOT_ALLOWED",
            `${request.method} is not allowed on ${pathOf(request)}; allowed: ${allowed.join(", ")}`,
          );
        },
      });
    }
  });
}

/** The API key of a request: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
async function authenticate(
  request: FastifyRequest,
  services: GatewayServices,
): Promise<AuthenticatedApiKey> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  const header = request.headers["x-api-key"];
  const presented = bearer ?? (typeof header === "string" ? header.trim() : undefined);
  if (!presented)
    throw new ProblemError(
      401,
      "API_KEY_MISSING",
      "Send an API key as Authorization: Bearer <key> or X-API-Key: <key>",
    );
  if (!services.database)
    throw new ProblemError(
      503,
      "INDEX_UNAVAILABLE",
      "API keys cannot be checked: the gateway runs without its database",
      {
        retryable: true,
      },
    );
  try {
    return await authenticateApiKey(services.database.em(), presented);
  } catch (error) {
    if (error instanceof GatewayError)
      throw new ProblemError(
        error.code === "ORGANISATION_INACTIVE" ? 403 : 401,
        error.code,
        error.shortMessage,
      );
    throw error;
  }
}

function graphqlProblem(error: GraphQLFormattedError): ProblemError {
  const code = typeof error.extensions?.code === "string" ? error.extensions.code : "INTERNAL";
  const retryable = error.extensions?.retryable === true;
  const details = typeof error.extensions?.details === "string" ? `: ${error.extensions.details}` : "";
  return new ProblemError(httpStatusOfCode(code, retryable), code, `${error.message}${details}`, {
    retryable,
  });
}

/** Every error of the REST context, as the problem to answer with. */
function problemOf(error: FastifyError, request: FastifyRequest): ProblemError {
  if (error instanceof ProblemError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const location = ({ querystring: "query", body: "body", params: "path", headers: "header" } as const)[
      (error.validationContext ?? "querystring") as "querystring" | "body" | "params" | "headers"
    ];
    const errors = error.validation.map((issue) => {
      const keys = (issue.params as { keys?: string[] }).keys;
      const parameter = keys?.length
        ? keys.join(", ")
        : issue.instancePath.replace(/^\//, "").replaceAll("/", ".") || "(body)";
      const message = keys?.length ? "unknown parameter" : (issue.message ?? "invalid");
      return { parameter, in: location, message };
    });
    return new ProblemError(
      400,
      "INVALID_PARAMETER",
      errors.map((item) => `${item.parameter}: ${item.message}`).join("; "),
      { errors },
    );
  }
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ProblemError(
        413,
        "BODY_TOO_LARGE",
        `The body exceeds ${request.routeOptions.bodyLimit} bytes`,
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ProblemError(
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "Send application/json or application/x-www-form-urlencoded",
      );
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new ProblemError(400, "MALFORMED_BODY", "The JSON body is empty");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new ProblemError(400, "MALFORMED_BODY", `The body is not valid JSON: ${error.message}`);
    default:
      break;
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && error.code?.startsWith("FST_ERR_CTP")))
    return new ProblemError(400, "MALFORMED_BODY", `The body cannot be read: ${error.message}`);
  if (isResponseSerializationError(error))
    request.log.error({ err: error, issues: error.cause }, "REST answer does not match its schema");
  else request.log.error({ err: error }, "REST request failed");
  return new ProblemError(500, "INTERNAL", "Internal error");
}

function sendProblem(request: FastifyRequest, reply: FastifyReply, error: ProblemError): FastifyReply {
  const body = problem({
    status: error.status,
    code: error.code,
    detail: error.message,
    instance: pathOf(request),
    requestId: String(request.id),
    retryable: error.extra.retryable,
    errors: error.extra.errors,
  });
  if (error.status === 503 && !reply.hasHeader("retry-after")) reply.header("retry-after", "5");
  return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

function pathOf(request: FastifyRequest): string {
  return request.url.split("?")[0] ?? request.url;
}

/** `a=1&b=2&b=3` → `{ a: "1", b: ["2", "3"] }`. */
function formFields(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = fields[name];
    fields[name] =
      previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return fields;
}

const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid parameter (INVALID_PARAMETER names it), malformed body (MALFORMED_BODY) or a GraphQL input error (BAD_USER_INPUT, FILTER_TOO_BROAD, …)",
  401: "Missing, malformed, unknown, revoked or expired API key (API_KEY_MISSING, API_KEY_INVALID, API_KEY_REVOKED, API_KEY_EXPIRED)",
  403: "The key lacks the route's scope (SCOPE_MISSING), the row is outside the organisation's scope (FORBIDDEN) or the organisation is deactivated",
  404: "No such row (NOT_FOUND)",
  413: "The body exceeds the limit (BODY_TOO_LARGE)",
  415: "Neither JSON nor a form (UNSUPPORTED_MEDIA_TYPE)",
  422: "A ledger rule refused the request (the code says which)",
  429: "Too many requests for this key (RATE_LIMITED); wait Retry-After seconds",
  500: "Internal error (INTERNAL), logged with the request id",
  503: "A dependency is down or the gateway is in service or emergency mode; retryable, see Retry-After",
};

function problemResponses(): Record<number, unknown> {
  return Object.fromEntries(
    Object.entries(STATUS_DESCRIPTIONS).map(([status, description]) => [
      Number(status),
      { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } },
    ]),
  );
}

/** Every response a route can document, for tests. */
export const DOCUMENTED_PROBLEM_STATUSES = Object.keys(STATUS_DESCRIPTIONS).map(Number);
