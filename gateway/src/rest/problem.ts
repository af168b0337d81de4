import { z } from "zod";

/**
 * RFC 9457 problem details, the body of every REST error. `type` is
 * `https://gridledger.dev/problems/<code in kebab case>` (the same scheme as the mode guard's 503s),
 * listed in docs/api.md; `code` is the same identifier as GraphQL's `extensions.code`, so one table
 * of codes serves both APIs. Extension members beyond these (the mode guard's `mode`) may appear.
 */
export const ProblemSchema = z
  .looseObject({
    type: z
      .string()
      .describe("URI of the problem type: https://gridledger.dev/problems/<code in kebab case>"),
    title: z.string().describe("Short summary of the problem type"),
    status: z.number().int().describe("The HTTP status code"),
    detail: z.string().optional().describe("What went wrong in this request"),
    instance: z.string().optional().describe("The request path"),
    code: z.string().describe("Machine-readable error code (as GraphQL extensions.code)"),
    retryable: z.boolean().optional().describe("true: the same request may succeed later"),
    requestId: z.string().optional().describe("The request id, as in the gateway's logs and X-Request-Id"),
    errors: z
      .array(
        z.object({
          parameter: z.string().describe("Name of the parameter (dotted path inside a body)"),
          in: z.enum(["query", "body", "path", "header"]),
          message: z.string(),
        }),
      )
      .optional()
      .describe("For INVALID_PARAMETER: each invalid parameter"),
  })
  .meta({ id: "Problem" });

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  retryable: boolean;
  requestId: string;
  errors?: { parameter: string; in: "query" | "body" | "path" | "header"; message: string }[] | undefined;
};

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Titles of the HTTP statuses the REST API answers with. */
const STATUS_TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** GraphQL error codes whose HTTP status is not the default for their class. */
const STATUS_OF_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  // a webhook URL naming a private or loopback address (docs/security.md)
  BLOCKED_ADDRESS: 400,
  FILTER_TOO_BROAD: 400,
  QUERY_TOO_DEEP: 400,
  QUERY_TOO_COSTLY: 400,
  INVALID_BATCH: 400,
  EMPTY_BATCH: 400,
  BATCH_TOO_LARGE: 400,
  BAD_SIGNATURE: 400,
  CONFLICT: 409,
  CONFLICTING_REPLAY: 409,
  REVERTED: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  // a fixed REST operation that no longer validates is the gateway's fault, not the caller's
  GRAPHQL_VALIDATION_FAILED: 500,
  GRAPHQL_PARSE_FAILED: 500,
};

/**
 * The HTTP status of a GraphQL error: the table above, else 503 for retryable errors (a dependency
 * is down, the gateway is in service or emergency mode) and 422 for the rest (a ledger rule refused
 * a well-formed request: an unauthorised device, a decreasing register, an invoice already paid).
 */
export function httpStatusOfCode(code: string, retryable: boolean): number {
  return STATUS_OF_CODE[code] ?? (retryable ? 503 : 422);
}

export const PROBLEM_TYPE_BASE = "https://gridledger.dev/problems/";

export function problemType(code: string): string {
  return `${PROBLEM_TYPE_BASE}${code.toLowerCase().replaceAll("_", "-")}`;
}

export type ProblemParameters = {
  status: number;
  code: string;
  detail: string;
  instance: string;
  requestId: string;
  retryable?: boolean | undefined;
  errors?: Problem["errors"];
};

export function problem({
  status,
  code,
  detail,
  instance,
  requestId,
  retryable,
  errors,
}: ProblemParameters): Problem {
  return {
    type: problemType(code),
    title: STATUS_TITLES[status] ?? "Error",
    status,
    detail,
    instance,
    code,
    retryable: retryable ?? (status === 429 || status === 503),
    requestId,
    ...(errors ? { errors } : {}),
  };
}
