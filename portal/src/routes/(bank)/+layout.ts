import { requireRole } from "$lib/state/auth";
import type { LayoutLoad } from "./$types";

/** The payment source's cabinet (a bank): payments it recorded and recording new ones. */
export const load = (async ({ parent }) => {
  await parent();
  requireRole(["PAYMENT_SOURCE"]);
  return { cabinet: "/bank" as const };
}) satisfies LayoutLoad;
