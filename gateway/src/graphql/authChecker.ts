import { type AuthChecker, AuthenticationError } from "type-graphql";
import type { GatewayContext } from "./context.js";

/**
 * The one place that decides `@Authorized(...)`: no principal → UNAUTHENTICATED; no roles listed → any
 * signed-in user; otherwise the principal's role must be listed. Scoping to the principal's own
 * rows (a retail company's accounts, a consumer's own) happens in the resolvers' queries.
 */
export const authChecker: AuthChecker<GatewayContext> = ({ context }, roles) => {
  const principal = context.principal;
  // no session is UNAUTHENTICATED for every operation, whether or not it names roles
  if (!principal) throw new AuthenticationError("Log in first");
  if (roles.length === 0) return true;
  return roles.includes(principal.role);
};
