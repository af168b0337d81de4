import type { AuthChecker } from "type-graphql";
import type { GatewayContext } from "./context.js";

/**
 * The one place that decides `@Authorized(...)`: no principal → denied; no roles listed → any
 * signed-in user; otherwise the principal's role must be listed. Scoping to the principal's own
 * rows (a retail company's accounts, a consumer's own) happens in the resolvers' queries.
 */
export const authChecker: AuthChecker<GatewayContext> = ({ context }, roles) => {
  const principal = context.principal;
  if (!principal) return false;
  if (roles.length === 0) return true;
  return roles.includes(principal.role);
};
