import { requireRole } from "$lib/state/auth";
import type { LayoutLoad } from "./$types";

/** The grid company's cabinet (F-GRID); the consortium operator sees it too, over every company. */
export const load = (async ({ parent }) => {
  await parent();
  requireRole(["GRID_COMPANY", "OPERATOR"]);
  return { cabinet: "/grid" as const };
}) satisfies LayoutLoad;
