import { requireRole } from "$lib/state/auth";
import type { LayoutLoad } from "./$types";

/** A retail company's cabinet (F-RETAIL): only its own accounts. */
export const load = (async ({ parent }) => {
  await parent();
  requireRole(["RETAIL_COMPANY"]);
  return { cabinet: "/retail" as const };
}) satisfies LayoutLoad;
