import { error, redirect } from "@sveltejs/kit";
import { type Role, session, type User } from "./session.svelte";

/** Pages anyone may open without logging in. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(["/", "/login", "/faq"]);

/**
 * The root layout's guard: restores the session once and sends anyone without one to the login page,
 * which brings them back to the page they wanted. The only place the portal decides who is in.
 */
export async function guard(url: URL): Promise<User | undefined> {
  await session.restore();
  if (!session.user && !PUBLIC_PATHS.has(url.pathname)) {
    redirect(307, `/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`);
  }
  return session.user;
}

/** A cabinet's layout: only these roles may enter (403 otherwise). */
export function requireRole(user: User | undefined, roles: readonly Role[]): User {
  if (!user) redirect(307, "/login");
  if (!roles.includes(user.role)) error(403, "notYourCabinet");
  return user;
}
