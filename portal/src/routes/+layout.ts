import { guard } from "$lib/state/auth";
import type { LayoutLoad } from "./$types";

// The portal is a client-side app over the gateway's APIs; nothing renders on a server.
export const ssr = false;
export const prerender = false;

export const load = (async ({ url }) => {
  const user = await guard(url);
  return {
    /** The signed-in user, or undefined on public pages. */
    user,
  };
}) satisfies LayoutLoad;
