import { goto } from "$app/navigation";
import { ApiError, graphql } from "../api/graphql";
import { locale } from "./locale.svelte";

export type Role = "OPERATOR" | "GRID_COMPANY" | "RETAIL_COMPANY" | "PAYMENT_SOURCE" | "CONSUMER";

export type User = {
  login: string;
  role: Role;
  displayName: string;
  organisation: string | null;
  consumerAddress: string | null;
  locale: string;
  email?: string | null;
  phone?: string | null;
};

const STORAGE_KEY = "gridledger.session";
const USER_FIELDS = "login role displayName organisation consumerAddress locale email phone";

type Stored = { token: string; expiresAt: number };

function readStored(): Stored | undefined {
  try {
    const text = globalThis.sessionStorage?.getItem(STORAGE_KEY);
    if (!text) return undefined;
    const value = JSON.parse(text) as Partial<Stored>;
    return typeof value.token === "string" && typeof value.expiresAt === "number"
      ? { token: value.token, expiresAt: value.expiresAt }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Where a role's cabinet starts. */
export function homeOf(role: Role): string {
  switch (role) {
    case "OPERATOR":
    case "GRID_COMPANY":
      return "/grid/accounts";
    case "RETAIL_COMPANY":
      return "/retail/accounts";
    case "CONSUMER":
      return "/consumer/accounts";
    case "PAYMENT_SOURCE":
      return "/bank/payments";
    default:
      return "/profile";
  }
}

/** A same-site path to return to after login, or undefined for anything else (no open redirects). */
export function safeNext(value: string | null | undefined): string | undefined {
  if (typeof value !== "string" || !/^\/(?![/\\])/.test(value) || value.startsWith("/login"))
    return undefined;
  return value;
}

/**
 * The signed-in user and their bearer token: the only place the portal keeps authentication. The
 * token lives in sessionStorage (one tab, gone with the tab); the user is confirmed with `me` once
 * per page load, so a forged or expired token never shows a cabinet.
 */
class Session {
  token: string | undefined = $state();
  expiresAt = $state(0);
  user: User | undefined = $state();
  /** Why the last session ended, for the login page ("expired"). */
  ended: "expired" | undefined = $state();
  #checked: Promise<void> | undefined;

  /** Restores the stored session once, confirming it with the gateway. */
  restore(): Promise<void> {
    this.#checked ??= this.#restore();
    return this.#checked;
  }

  async #restore() {
    const stored = readStored();
    if (!stored) return;
    if (stored.expiresAt * 1000 <= Date.now()) {
      this.#forget("expired");
      return;
    }
    this.token = stored.token;
    this.expiresAt = stored.expiresAt;
    try {
      const { me } = await graphql<{ me: User }>(`{ me { ${USER_FIELDS} } }`, {}, { token: stored.token });
      this.user = me;
    } catch (error) {
      if (error instanceof ApiError && error.code === "UNAUTHENTICATED") this.#forget("expired");
      else {
        // the gateway did not answer: keep the stored token and try again on the next navigation
        this.token = undefined;
        this.#checked = undefined;
      }
    }
  }

  async login(login: string, password: string): Promise<User> {
    const { login: result } = await graphql<{ login: { token: string; expiresAt: number; user: User } }>(
      `mutation Login($login: String!, $password: String!) {
        login(login: $login, password: $password) { token expiresAt user { ${USER_FIELDS} } }
      }`,
      { login, password },
    );
    this.token = result.token;
    this.expiresAt = result.expiresAt;
    this.user = result.user;
    this.ended = undefined;
    this.#checked = Promise.resolve();
    try {
      sessionStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({ token: result.token, expiresAt: result.expiresAt }),
      );
    } catch {
      // storage refused: the session lasts until reload
    }
    if (!locale.chosen && (result.user.locale === "ru" || result.user.locale === "en"))
      locale.set(result.user.locale, false);
    return result.user;
  }

  async logout() {
    const token = this.token;
    this.#forget(undefined);
    if (token) await graphql("mutation { logout }", {}, { token }).catch(() => undefined);
    await goto("/login");
  }

  /** Replaces the user after a profile edit. */
  setUser(user: User) {
    this.user = user;
  }

  /**
   * A GraphQL request as the signed-in user. A refused session sends the user to the login page,
   * which brings them back here afterwards.
   */
  async request<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
    if (this.token && this.expiresAt * 1000 <= Date.now()) await this.expire();
    try {
      return await graphql<T>(query, variables, { token: this.token, signal });
    } catch (error) {
      if (error instanceof ApiError && error.code === "UNAUTHENTICATED") await this.expire();
      throw error;
    }
  }

  /** Ends a session the gateway no longer accepts and asks for a new login. */
  async expire() {
    this.#forget("expired");
    const here = `${location.pathname}${location.search}`;
    await goto(`/login?next=${encodeURIComponent(here)}`, { replaceState: true });
    throw new ApiError("Session ended", "UNAUTHENTICATED");
  }

  #forget(reason: "expired" | undefined) {
    this.token = undefined;
    this.expiresAt = 0;
    this.user = undefined;
    this.ended = reason;
    this.#checked = Promise.resolve();
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing stored
    }
  }
}

export const session = new Session();
