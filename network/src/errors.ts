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
