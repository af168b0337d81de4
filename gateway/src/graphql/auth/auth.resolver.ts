import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Address } from "viem";
import { verifyPassword } from "../../auth/passwords.js";
import { User, type UserRow } from "../../db/entities/user.js";
import { NonRetryableError } from "../../internal/errors.js";
import type { GatewayContext, Principal, Role } from "../context.js";
import { requireDatabase, requirePrincipal } from "../scope.js";
import { LoginResult, UserNode } from "./auth.type.js";

/**
 * A hash of a random password, verified when the login does not exist, so that an unknown login
 * takes as long to refuse as a wrong password and the answer does not tell which was wrong.
 */
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1y7bZ3n2QHk5vKp6Vx0bq8mS5fT3Z2x4N1c0a9d8e7w";

function toUserNode(row: UserRow): UserNode {
  return {
    login: row.login,
    role: row.role,
    displayName: row.displayName,
    organisation: row.organisation,
    consumerAddress: row.consumerAddress,
    locale: row.locale,
    email: row.email,
    phone: row.phone,
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt,
  };
}

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginResult, {
    description: "Log in with login and password (F-GRID-01, F-RETAIL-01, F-CONSUMER-01)",
  })
  async login(
    @Arg("login", () => String) login: string,
    @Arg("password", () => String) password: string,
    @Ctx() context: GatewayContext,
  ): Promise<LoginResult> {
    const { sessions, loginThrottle } = context.services;
    if (!sessions)
      throw new NonRetryableError("Logins are not enabled on this gateway", { code: "FORBIDDEN" });
    const name = login.trim().toLowerCase().slice(0, 64);
    const wait = (await loginThrottle?.retryAfter(name, context.clientAddress)) ?? 0;
    if (wait > 0) {
      throw new NonRetryableError(`Too many failed logins; try again in ${Math.ceil(wait / 60_000)} min`, {
        code: "RATE_LIMITED",
      });
    }
    const em = requireDatabase(context).em();
    const user = await em.findOne(User, { login: name });
    const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !valid) {
      await loginThrottle?.recordFailure(name, context.clientAddress);
      // one message for both: no hint whether the login or the password was wrong
      throw new NonRetryableError("Wrong login or password", { code: "BAD_CREDENTIALS" });
    }
    await loginThrottle?.recordSuccess(name);
    await em.nativeUpdate(User, { id: user.id }, { lastLoginAt: Math.floor(Date.now() / 1000) });
    const principal: Principal = {
      userId: user.id,
      login: user.login,
      role: user.role as Role,
      organisation: (user.organisation ?? undefined) as Address | undefined,
      consumerAddress: (user.consumerAddress ?? undefined) as Address | undefined,
    };
    const { token, expiresAt } = await sessions.open(principal);
    return { token, expiresAt: Math.floor(expiresAt / 1000), user: toUserNode(user) };
  }

  @Mutation(() => Boolean, { description: "End this session" })
  async logout(@Ctx() context: GatewayContext): Promise<boolean> {
    if (context.sessionToken && context.services.sessions)
      await context.services.sessions.close(context.sessionToken);
    return true;
  }

  @Authorized()
  @Query(() => UserNode, { description: "Who is signed in" })
  async me(@Ctx() context: GatewayContext): Promise<UserNode> {
    const principal = requirePrincipal(context);
    const row = await requireDatabase(context).em().findOne(User, { id: principal.userId });
    if (!row) throw new NonRetryableError("The user no longer exists", { code: "UNAUTHENTICATED" });
    return toUserNode(row);
  }

  @Authorized()
  @Mutation(() => UserNode, { description: "Edit one's own profile (F-GRID-02, F-RETAIL-08, F-CONSUMER-06)" })
  async updateProfile(
    @Arg("displayName", () => String, { nullable: true }) displayName: string | undefined,
    @Arg("email", () => String, { nullable: true }) email: string | undefined,
    @Arg("phone", () => String, { nullable: true }) phone: string | undefined,
    @Arg("locale", () => String, { nullable: true }) locale: string | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<UserNode> {
    const principal = requirePrincipal(context);
    const changes: Partial<UserRow> = {};
    if (displayName !== undefined)
      changes.displayName = check(displayName.trim(), /^.{1,200}$/u, "displayName");
    if (email !== undefined)
      changes.email =
        email === "" ? null : check(email.trim(), /^[^\s@]{1,100}@[^\s@]{1,100}\.[^\s@]{2,}$/, "email");
    if (phone !== undefined)
      changes.phone = phone === "" ? null : check(phone.trim(), /^\+?[0-9 ()-]{5,30}$/, "phone");
    if (locale !== undefined) changes.locale = check(locale, /^(ru|en)$/, "locale");
    const em = requireDatabase(context).em();
    await em.nativeUpdate(User, { id: principal.userId }, changes);
    const row = await em.findOneOrFail(User, { id: principal.userId });
    return toUserNode(row);
  }
}

function check(value: string, pattern: RegExp, field: string): string {
  if (!pattern.test(value)) throw new NonRetryableError(`Invalid ${field}`, { code: "BAD_USER_INPUT" });
  return value;
}
