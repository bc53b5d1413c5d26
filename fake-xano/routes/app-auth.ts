// The demo Xano app's own custom auth API group at {instance}/api:auth (mechanism 3 in xano.md):
// login gives an authToken, and `auth/me` returns the user row whose `api_key` column holds that
// user's Metadata API token. Re-reading `auth/me` is the only "refresh" this mechanism has.

import type { RequestContext } from "../context";
import { principalOf } from "../context";
import { XanoError, inputError, notFound } from "../errors";
import type { RouteDef } from "../router";
import { findUser } from "../store";
import { randomToken } from "../tokens";

/** authTokens last one day, measured on the fake's clock. */
export const APP_AUTH_TOKEN_TTL_MS = 24 * 3_600_000;

function requireAuthGroup(ctx: RequestContext) {
  if (!ctx.instance?.appAuthGroup) throw notFound("API group not found.");
}

async function login(ctx: RequestContext) {
  requireAuthGroup(ctx);
  const body = await ctx.body();
  for (const name of ["email", "password"]) {
    if (typeof body[name] !== "string" || body[name] === "") throw inputError(`${name} is required.`, name);
  }
  const user = ctx.core.store.users.find(
    (u) => u.email.toLowerCase() === String(body.email).toLowerCase() && u.instances.includes(ctx.instance!.name),
  );
  // Xano's stock login endpoint answers 403 for wrong credentials, without saying which part was wrong.
  if (!user || user.password !== body.password) throw new XanoError(403, "ERROR_CODE_ACCESS_DENIED", "Invalid Credentials.");
  const authToken = randomToken("xano_app_auth");
  ctx.core.store.tokens.set(authToken, {
    token: authToken, kind: "app_auth", userId: user.id, instance: ctx.instance!.name, scopes: null,
    expiresAt: ctx.core.now() + APP_AUTH_TOKEN_TTL_MS, revoked: false,
  });
  return { authToken };
}

function me(ctx: RequestContext) {
  requireAuthGroup(ctx);
  const user = findUser(ctx.core.store, principalOf(ctx).userId)!;
  const apiKey = [...ctx.core.store.tokens.values()].find(
    (t) => t.kind === "metadata" && t.userId === user.id && t.instance === ctx.instance!.name,
  );
  return { id: user.id, name: user.name, email: user.email, api_key: apiKey?.token ?? null, created_at: user.created_at };
}

export const appAuthRoutes: RouteDef[] = [
  { surface: "instance", method: "POST", path: "/api:auth/auth/login", auth: "none", handle: login },
  { surface: "instance", method: "GET", path: "/api:auth/auth/me", auth: "app", handle: me },
];
