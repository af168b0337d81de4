import { NonRetryableError } from "../internal/errors.js";
import type { KeyOwnerKind } from "./signerService.js";

/** The gateway holds no key for this organisation or consumer: it cannot act for them on chain. */
export function keyMissingError(kind: KeyOwnerKind, address: string): NonRetryableError {
  return kind === "consumer"
    ? new NonRetryableError("The gateway holds no key for this consumer: on-chain actions are not possible", {
        code: "CONSUMER_KEY_MISSING",
        details: `consumer ${address}; generate one with \`keys generate --consumer\` and register its address on the account`,
      })
    : new NonRetryableError("The gateway holds no key for this organisation", {
        code: "ORGANISATION_KEY_MISSING",
        details: `organisation ${address}; generate one with \`keys generate --organisation\` at setup`,
      });
}
