import { BaseError, MethodNotFoundRpcError, MethodNotSupportedRpcError } from "viem";

/** True when the node refused a JSON-RPC method it does not have (-32601 / -32004), not the call itself. */
export function isMethodNotFound(error: unknown): boolean {
  return (
    error instanceof BaseError &&
    error.walk(
      (cause) => cause instanceof MethodNotFoundRpcError || cause instanceof MethodNotSupportedRpcError,
    ) !== null
  );
}
