import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>` (docs/api.md "Webhooks"). */
export const SIGNATURE_HEADER = "gridledger-signature";
export const DELIVERY_HEADER = "gridledger-delivery";
export const EVENT_HEADER = "gridledger-event";

/** A new subscriber secret: `whsec_` + 32 random bytes, base64url. Shown to the owner once. */
export function createWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * The signature header of one attempt: HMAC-SHA256 keyed with the secret (its UTF-8 bytes, prefix
 * included) over `<timestamp>.<raw body>`. The timestamp lets a receiver refuse replays of old
 * deliveries; it changes on every attempt, the body does not.
 */
export function signWebhookBody(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${mac}`;
}

export type VerifyWebhookSignatureParameters = {
  secret: string;
  /** The raw request body, exactly as received. */
  body: string;
  header: string | undefined;
  /** Oldest accepted timestamp, seconds from now. Default: 300. */
  toleranceSeconds?: number | undefined;
  nowSeconds?: number | undefined;
};

/** The receiver's check (the recipe of docs/api.md, in code): true when the header signs the body. */
export function verifyWebhookSignature(parameters: VerifyWebhookSignatureParameters): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(parameters.header ?? "");
  if (!match) return false;
  const timestamp = Number(match[1]);
  const now = parameters.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (parameters.toleranceSeconds ?? 300)) return false;
  const expected = createHmac("sha256", parameters.secret).update(`${timestamp}.${parameters.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, "hex"));
}
