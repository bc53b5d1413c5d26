// Bearer-token checks for the account API, the instance Meta API and the app auth group.
// Each failure is a 401 ERROR_CODE_UNAUTHORIZED (Xano's exact message texts are [unverified];
// the fake uses distinct ones so a developer can tell the cases apart, clients must not parse them).

import type { FakeCore, Principal, RequestContext } from "./context";
import { accessDenied, unauthorized } from "./errors";
import type { AuthNeed } from "./router";
import type { Store, TokenKind, TokenRecord } from "./store";

export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

/** For the request log: who the token belongs to, without ever recording the token itself. */
export function identifyBearer(store: Store, request: Request): { tokenOwner: number | null; tokenKind: TokenKind | "none" | "unknown" } {
  const token = bearerToken(request);
  if (!token) return { tokenOwner: null, tokenKind: "none" };
  const record = store.tokens.get(token);
  return record ? { tokenOwner: record.userId, tokenKind: record.kind } : { tokenOwner: null, tokenKind: "unknown" };
}

/** A usable token record, or the 401 that explains why not. */
function liveToken(core: FakeCore, request: Request): TokenRecord {
  const token = bearerToken(request);
  if (!token) throw unauthorized("Missing authorization token.");
  const record = core.store.tokens.get(token);
  if (!record) throw unauthorized("Invalid token.");
  if (record.revoked) throw unauthorized("Token has been revoked.");
  if (record.expiresAt !== null && core.now() >= record.expiresAt) throw unauthorized("Token has expired.");
  return record;
}

export function authenticate(ctx: RequestContext, need: AuthNeed): Principal | undefined {
  if (need === "none") return undefined;
  const record = liveToken(ctx.core, ctx.request);
  const principal = { userId: record.userId, token: record };
  switch (need) {
    case "account":
      // The account API accepts any of the user's Meta API credentials, whatever their instance.
      if (record.kind === "metadata" || record.kind === "oauth_access") return principal;
      throw unauthorized("Invalid token.");
    case "meta:read":
    case "meta:write": {
      const instance = ctx.instance!;
      const origin = ctx.core.instanceOrigins[instance.name];
      const valid =
        (record.kind === "metadata" && record.instance === instance.name) ||
        (record.kind === "oauth_access" && record.aud === origin);
      // A token of another instance is simply not a credential here.
      if (!valid) throw unauthorized("Invalid token.");
      const scope = need === "meta:read" ? "workspace:read" : "workspace:write";
      if (record.scopes !== null && !record.scopes.includes(scope)) {
        throw accessDenied(`This token lacks the ${scope} scope.`);
      }
      return principal;
    }
    case "app":
      if (record.kind === "app_auth" && record.instance === ctx.instance?.name) return principal;
      throw unauthorized("Invalid token.");
  }
}
