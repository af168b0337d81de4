import { redirect } from "@sveltejs/kit";
import { homeOf, safeNext, session } from "$lib/state/session.svelte";
import type { PageLoad } from "./$types";

/** A signed-in visitor goes straight on to where they were going. */
export const load = (async ({ parent, url }) => {
  await parent();
  const user = session.user;
  if (user) redirect(307, safeNext(url.searchParams.get("next")) ?? homeOf(user.role));
}) satisfies PageLoad;
