import type { ApolloServerPlugin } from "@apollo/server";
import type { GatewayContext } from "../graphql/context.js";
import { GatewayError, RetryableError } from "../internal/errors.js";

/**
 * Logs every GraphQL error on the request's own logger, so the line carries the request id (`reqId`)
 * the client got in `x-request-id`: refusals by mode at warn with their code, other gateway errors
 * that may pass at warn, anything unexpected (masked as INTERNAL for the client) at error with the
 * full error. Plain bad input is not logged.
 */
export function logGraphqlErrorsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          const log = contextValue.log;
          if (!log) return;
          for (const error of errors) {
            const original = error.originalError ?? error;
            if (original instanceof RetryableError) {
              log.warn({ code: original.code, operationName, path: error.path }, original.shortMessage);
            } else if (!(original instanceof GatewayError) && !error.extensions?.code) {
              log.error({ err: original, operationName, path: error.path }, "GraphQL request failed");
            }
          }
        },
      };
    },
  };
}
