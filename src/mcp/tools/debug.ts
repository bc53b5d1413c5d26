/**
 * Debug tools, offered only when DEBUG_TOOLS=true. Each acts on the caller's own grant and
 * credential store, nothing else (the original server's versions dumped and expired every
 * user's tokens). They never return a token or any part of one.
 */
import { z } from "zod";
import type { CredentialStatus, SignInMethod } from "../../credentials/credential";
import { defineTool, type ToolContext } from "./registry";

function describeStatus(status: CredentialStatus | null, { props }: ToolContext) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    user: { id: props.xanoUser.id, name: props.xanoUser.name, email: props.xanoUser.email },
    signInMethod: props.method,
    instance: props.instanceHost,
    signedInAt: iso(props.signedInAt),
    credential: status && {
      expiresAt: iso(status.expiresAt),
      canRefresh: status.canRefresh,
      lastRefreshAt: iso(status.lastRefreshAt),
      refreshCount: status.refreshCount,
      dead: status.dead && { reason: status.dead.reason, at: iso(status.dead.at) },
    },
  };
}

export const debugAuth = defineTool({
  name: "debug_auth",
  title: "Debug: sign-in status",
  area: "Debug (DEBUG_TOOLS=true)",
  description: "Shows who this connection is signed in as, the sign-in method, when the Xano credential expires and when it was last refreshed. Never shows a token.",
  input: z.object({}),
  kind: "read",
  operations: [],
  describe: () => "read this connection's sign-in status",
  async run(_args, context) {
    return { message: `Signed in with ${context.props.method}.`, data: describeStatus(await context.lease.status(), context) };
  },
});

/** What the next tool call does after debug_expire_oauth_tokens, per sign-in method that can refresh. */
const NEXT_CALL_AFTER_EXPIRY: Record<SignInMethod, string> = {
  xano_oauth: "the next call refreshes it with Xano's refresh token (refreshCount goes up by one).",
  app_auth: "the next call re-reads auth/me with the app's auth token for your current Metadata API token (refreshCount goes up by one).",
  metadata_token: "the next call ends this sign-in (a Metadata API token cannot be refreshed).",
};

export const debugExpireOAuthTokens = defineTool({
  name: "debug_expire_oauth_tokens",
  title: "Debug: mark my Xano credential expired",
  area: "Debug (DEBUG_TOOLS=true)",
  description:
    "Marks this connection's own Xano credential as expired, so the next tool call exercises the refresh path. Affects no other connection or user. " +
    "Sign in with Xano: the next call refreshes with Xano's refresh token. Email and password: the next call re-reads auth/me for the current Metadata API token. " +
    "A Metadata API token (or a Xano sign-in without a refresh token) cannot be refreshed, so nothing is marked.",
  input: z.object({}),
  kind: "session",
  operations: [],
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  describe: () => "mark this connection's credential expired",
  async run(_args, context) {
    // Marking a credential that nothing can refresh would only end the sign-in on the next call.
    const before = await context.lease.status();
    if (before && !before.dead && !before.canRefresh) {
      return {
        message: `Not marked: a ${context.props.method} credential cannot be refreshed, so the next call would end this sign-in. To see a refresh, sign in with Xano or with email and password.`,
        data: describeStatus(before, context),
      };
    }
    const marked = await context.lease.markExpired();
    return {
      message: marked ? `Marked expired; ${NEXT_CALL_AFTER_EXPIRY[context.props.method]}` : "Nothing to mark: no live credential.",
      data: describeStatus(await context.lease.status(), context),
    };
  },
});

export const debugRefreshProfile = defineTool({
  name: "debug_refresh_profile",
  title: "Debug: refresh my Xano credential now",
  area: "Debug (DEBUG_TOOLS=true)",
  description: "Refreshes this connection's Xano credential now (through the same single-flight path as automatic refresh), then reports the new expiry and who Xano says you are. A Metadata API token has no refresh: it is only checked with Xano.",
  input: z.object({}),
  kind: "session",
  operations: [],
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  describe: () => "refresh this connection's credential",
  async run(_args, context) {
    // The store refreshes only what can be refreshed; a Metadata API token is just checked with Xano.
    await context.lease.forceRefresh();
    const me = await context.meta.me();
    const status = await context.lease.status();
    return {
      message: status?.canRefresh ? "Refreshed." : `A ${context.props.method} credential cannot be refreshed; Xano still accepts it. Nothing changed.`,
      data: { ...describeStatus(status, context), xanoSaysYouAre: { id: me.id, name: me.name ?? null, email: me.email ?? null } },
    };
  },
});
