import { ApiError } from "./api/graphql";
import type { MessageKey } from "./i18n/messages";
import { t } from "./state/locale.svelte";

const KNOWN: Record<string, MessageKey> = {
  FORBIDDEN: "error.FORBIDDEN",
  NOT_FOUND: "error.NOT_FOUND",
  UNAUTHENTICATED: "error.UNAUTHENTICATED",
  FILTER_TOO_BROAD: "error.FILTER_TOO_BROAD",
  CHAIN_UNAVAILABLE: "error.CHAIN_UNAVAILABLE",
  INDEX_UNAVAILABLE: "error.INDEX_UNAVAILABLE",
  RATE_LIMITED: "error.RATE_LIMITED",
  NETWORK: "error.NETWORK",
  INTERNAL: "error.INTERNAL",
  TARIFF_IN_EFFECT: "error.TARIFF_IN_EFFECT",
  OVERLAPPING_VALIDITY: "error.OVERLAPPING_VALIDITY",
  INVALID_VALIDITY: "error.INVALID_VALIDITY",
  ZONE_HOURS_OVERLAP: "error.ZONE_HOURS_OVERLAP",
  ZONE_HOURS_INCOMPLETE: "error.ZONE_HOURS_INCOMPLETE",
  INVALID_RATES: "error.INVALID_RATES",
  TARIFF_PLAN_NOT_FOUND: "error.TARIFF_PLAN_NOT_FOUND",
};

/** An error in words for people, in the current language. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "BAD_USER_INPUT") return t("error.BAD_USER_INPUT", { message: error.message });
    const key = KNOWN[error.code];
    if (key) return t(key);
    return t("error.unknown", { message: error.message });
  }
  return t("error.unknown", { message: error instanceof Error ? error.message : String(error) });
}

/** Whether an error is an aborted request (a newer one replaced it). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}
