import type { ApolloServerPlugin } from "@apollo/server";
import type { FastifyInstance } from "fastify";
import { Kind } from "graphql";
import { GatewayError } from "../internal/errors.js";
import type { ModeController } from "./createModeController.js";

/**
 * Mutations that stay open in every mode: signing in and out (reads need a session) and the
 * operator's own way out of service mode.
 */
export const MODE_EXEMPT_MUTATIONS: ReadonlySet<string> = new Set([
  "login",
  "logout",
  "enterServiceMode",
  "leaveServiceMode",
]);

/**
 * Refuses every GraphQL mutation (the ingest `submitReadings` included) outside normal mode, before
 * any resolver runs, with `SERVICE_MODE` or `EMERGENCY_MODE` and HTTP 503. Queries always run.
 */
export function writeGuardPlugin<Context extends object>(
  modes: () => ModeController,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, response }) {
          if (operation?.operation !== "mutation") return;
          const exempt = operation.selectionSet.selections.every(
            (selection) =>
              selection.kind === Kind.FIELD &&
              (MODE_EXEMPT_MUTATIONS.has(selection.name.value) || selection.name.value === "__typename"),
          );
          if (exempt) return;
          try {
            modes().assertWritable();
          } catch (error) {
            // thrown as is, it reaches formatError like a resolver's error (code, retryable, details)
            if (error instanceof GatewayError) response.http.status = 503;
            throw error;
          }
        },
      };
    },
  };
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** A POST/PUT/PATCH/DELETE under /api/ that only reads (a search with a form body) and may run in every mode. */
    modeExempt?: boolean;
  }
}

/**
 * Refuses REST writes (POST, PUT, PATCH, DELETE under `/api/`) outside normal mode with a
 * problem+json 503 naming the mode. A route that only reads sets `config: { modeExempt: true }`.
 */
export function registerRestWriteGuard(app: FastifyInstance, modes: () => ModeController): void {
  // onRequest: before authentication and body parsing, so a paused system answers the same to everyone
  app.addHook("onRequest", async (request, reply) => {
    if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return;
    if (!request.url.startsWith("/api/") || request.routeOptions.url === undefined) return;
    if (request.routeOptions.config?.modeExempt) return;
    try {
      modes().assertWritable();
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      const status = modes().status();
      return reply
        .code(503)
        .header("content-type", "application/problem+json")
        .header("retry-after", "30")
        .send({
          type: `https://gridledger.dev/problems/${error.code.toLowerCase().replaceAll("_", "-")}`,
          title: error.shortMessage,
          status: 503,
          code: error.code,
          detail: error.details,
          mode: status.mode,
          dependencies: status.down,
          plannedEnd: status.plannedEnd?.toISOString() ?? null,
        });
    }
  });
}
