import type { GraphQLFormattedError } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import { GatewayError, RetryableError } from "../internal/errors.js";

/**
 * Turns every error into `{ message, extensions.code }` (plus `extensions.retryable` for the
 * gateway's own errors). Known errors keep their message and code;
 * validation errors say which argument failed; anything else is masked as INTERNAL so that database
 * or node details never reach a client (the full error is logged with the request id).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = (error as { originalError?: unknown })?.originalError ?? error;
  if (original instanceof GatewayError) {
    return {
      message: original.shortMessage,
      path: formatted.path,
      // `retryable` lets clients (the agent's upload loop) decide without a table of codes
      extensions: {
        code: original.code,
        retryable: original instanceof RetryableError,
        ...(original.details ? { details: original.details } : {}),
      },
    };
  }
  if (original instanceof ArgumentValidationError) {
    const constraints = original.extensions.validationErrors.flatMap((item) =>
      Object.values(item.constraints ?? {}).map((constraint) => `${item.property}: ${constraint}`),
    );
    return {
      message: `Invalid argument: ${constraints.join("; ")}`,
      path: formatted.path,
      extensions: { code: "BAD_USER_INPUT" },
    };
  }
  const code = formatted.extensions?.code;
  const reason = formatted.extensions?.reason;
  if (code === "GRAPHQL_VALIDATION_FAILED" && typeof reason === "string") {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: reason } };
  }
  // type-graphql says UNAUTHORIZED for a signed-in user without the role; HTTP and we say FORBIDDEN
  if (code === "UNAUTHORIZED")
    return { ...formatted, extensions: { ...formatted.extensions, code: "FORBIDDEN" } };
  if (typeof code === "string" && code !== "INTERNAL_SERVER_ERROR") return formatted;
  if (process.env.GRIDLEDGER_DEBUG_ERRORS === "1") console.error(original);
  return { message: "Internal error", path: formatted.path, extensions: { code: "INTERNAL" } };
}
