import { error, redirect } from "@sveltejs/kit";
import { type Role, session, type User } from "./session.svelte";

/** Pages anyone may open without logging in. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(["/", "/login", "/faq"]);

/**
 * The root layout's guard: restores the session once and sends anyone without one to the login page,
 * which brings them back to the page they wanted. The only place the portal decides who is in.
 */
export async function guard(url: URL): Promise<User | undefined> {
  // read the URL before waiting, so SvelteKit reruns the guard on every navigation
  const wanted = `${url.pathname}${url.search}`;
  const open = PUBLIC_PATHS.has(url.pathname);
  await session.restore();
  if (!session.user && !open) redirect(307, `/login?next=${encodeURIComponent(wanted)}`);
  return session.user;
}

/** A cabinet's layout: only these roles may enter (403 otherwise). */
export function requireRole(roles: readonly Role[]): User {
  // the session, not the (possibly older) layout data: a logout takes effect at once
  const user = session.user;
  if (!user) redirect(307, "/login");
  if (!roles.includes(user.role)) error(403, "notYourCabinet");
  return user;
}
