import { requireRole } from "$lib/state/auth";
import type { LayoutLoad } from "./$types";

/** The consumer's cabinet (F-CONSUMER): their own accounts only. */
export const load = (async ({ parent }) => {
  await parent();
  requireRole(["CONSUMER"]);
  return { cabinet: "/consumer" as const };
}) satisfies LayoutLoad;
