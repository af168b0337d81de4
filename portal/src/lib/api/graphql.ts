/** Plain POST-JSON GraphQL over the gateway's same-origin `/graphql` (no client library needed). */

export type GraphqlErrorBody = {
  message: string;
  extensions?: { code?: string; retryable?: boolean; details?: unknown };
};

/** A refusal or failure with the gateway's `extensions.code` (or NETWORK when it did not answer). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export type RequestOptions = {
  token?: string | undefined;
  fetcher?: typeof fetch;
  signal?: AbortSignal | undefined;
};

export async function graphql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  { token, fetcher = fetch, signal }: RequestOptions = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetcher("/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(cause instanceof Error ? cause.message : String(cause), "NETWORK", true);
  }
  let body: { data?: T | null; errors?: GraphqlErrorBody[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(`HTTP ${response.status}`, response.status >= 500 ? "NETWORK" : "INTERNAL", true);
  }
  const first = body.errors?.[0];
  if (first) {
    throw new ApiError(
      first.message,
      first.extensions?.code ?? "INTERNAL",
      first.extensions?.retryable ?? false,
    );
  }
  if (!body.data) throw new ApiError(`HTTP ${response.status}`, "INTERNAL");
  return body.data;
}
