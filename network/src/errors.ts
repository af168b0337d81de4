/**
 * The one error hierarchy of `@gridledger/network`: `NetworkError` carries a short message for
 * people, optional details, and the cause.
 */
export type NetworkErrorParameters = { details?: string | undefined; cause?: unknown };

export class NetworkError extends Error {
  override name = "NetworkError";
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, { details, cause }: NetworkErrorParameters = {}) {
    super(details ? `${shortMessage}\n\nDetails: ${details}` : shortMessage, { cause });
    this.shortMessage = shortMessage;
    this.details = details;
  }
}

/** A TCP port the caller asked for is already taken by another process. */
export class PortInUseError extends NetworkError {
  override name = "PortInUseError";
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`Port ${port} on ${host} is already in use`, {
      details: "stop the process that holds it or choose another port",
    });
  }
}

/** The development chain did not start or did not answer in time. */
export class DevChainStartError extends NetworkError {
  override name = "DevChainStartError";
}

/** An enode URL is not of the form `enode://<128 hex>@<ip>:<port>`. */
export class InvalidEnodeError extends NetworkError {
  override name = "InvalidEnodeError";
}

/** An Ethereum address (a validator, an account) is malformed. */
export class InvalidAddressError extends NetworkError {
  override name = "InvalidAddressError";
}

/** A node key or public key is not a valid secp256k1 key. */
export class InvalidKeyError extends NetworkError {
  override name = "InvalidKeyError";
}

/** QBFT `extraData` cannot be encoded or decoded (wrong shape, non-canonical RLP, IBFT 2.0 form). */
export class InvalidExtraDataError extends NetworkError {
  override name = "InvalidExtraDataError";
}

/** The consortium definition asked for is inconsistent (no validators, duplicate names, bad numbers). */
export class InvalidConsortiumError extends NetworkError {
  override name = "InvalidConsortiumError";
}

/** `network init` was pointed at a folder that already holds files; keys are never overwritten. */
export class OutputExistsError extends NetworkError {
  override name = "OutputExistsError";
}

/** A permissions file (`permissions_config.toml`) cannot be read. */
export class InvalidPermissionsFileError extends NetworkError {
  override name = "InvalidPermissionsFileError";
}

/** A JSON-RPC call to a Besu node failed (transport error or a JSON-RPC error object). */
export class NodeRpcError extends NetworkError {
  override name = "NodeRpcError";
}
