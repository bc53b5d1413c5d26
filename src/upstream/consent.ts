/**
 * The consent step for an upstream MCP server (/servers/{name}/mcp). The person signs in with
 * Xano through the same pages (that is who they are: the operator's lists and /apps work by that
 * identity), with any method; "Sign in with Xano" goes to Xano before this page, not after it
 * (front-door/xano-sign-in.ts, its identity trip), since this page asks for the server's credential
 * and the grant keeps no Xano one. The consent page then names the upstream server and what the app will be able to do
 * there, and for `bearer` asks for the person's own token for that server, which is checked
 * against the upstream (initialize + tools/list) before any grant is made; for `oauth` it says that
 * the upstream's own sign-in follows Allow (front-door/upstream-oauth-trip.ts). The grant holds that
 * server's credential only (oauth/grant.ts): the Xano credential of the sign-in is not kept in it.
 *
 * Which server: the client's `resource` indicator, `<origin>/servers/{name}/mcp`, reaches the
 * library as `<origin>/?server={name}` (discovery.ts), and the pages carry it in their query; the
 * consent form posts it back as a hidden field (the consent handle is single-use and bound to
 * this browser, so only the person could change it, and only for their own grant).
 */
import type { UpstreamCredential } from "../credentials/upstream-credential";
import { html, type SafeHtml } from "../lib/html";
import { READ_SCOPE, WRITE_SCOPE, type Access } from "../oauth/scopes";
import { UpstreamConnection, UpstreamRejectedError, UpstreamUnavailableError } from "./forward";
import { findServer, type UpstreamServer } from "./servers";

/** The longest token accepted from the form (a JWT with many claims fits; a pasted file does not). */
export const MAX_UPSTREAM_TOKEN_LENGTH = 4096;
export const SERVER_QUERY = "server";
export const SERVER_FIELD = "server";
export const TOKEN_FIELD = "upstream_token";

/** The upstream server an authorization request is for (its mapped `resource`), or null for Xano. */
export function requestedServer(request: Request, servers: readonly UpstreamServer[]): UpstreamServer | null {
  const resource = new URL(request.url).searchParams.get("resource");
  if (!resource || !URL.canParse(resource)) return null;
  const name = new URL(resource).searchParams.get(SERVER_QUERY);
  return name ? findServer(servers, name) : null;
}

/** The server a posted consent form names: absent → Xano (null); unknown → "unknown". */
export function postedServer(form: FormData, servers: readonly UpstreamServer[]): UpstreamServer | null | "unknown" {
  const name = form.get(SERVER_FIELD);
  if (name === null || name === "") return null;
  return findServer(servers, String(name)) ?? "unknown";
}

/** What the consent page shows and asks for an upstream server (front-door/pages.ts consentPage). */
export interface UpstreamConsentView {
  title: string;
  rows: SafeHtml;
  wording: Record<Access, { choice: string; explanation: string }>;
  fields: SafeHtml;
}

export function upstreamConsentView(server: UpstreamServer): UpstreamConsentView {
  const host = new URL(server.url).host;
  const filtered = server.allow ? `only ${server.allow.join(", ")}` : server.deny.length > 0 ? `all but ${server.deny.join(", ")}` : "all it offers";
  return {
    title: server.title,
    rows: html`<dt>Server</dt><dd><strong>${server.title}</strong> at ${host}</dd>
<dt>Its tools</dt><dd>${filtered}${server.readOnly ? " (read-only tools only: this server's operator allows no changes)" : ""}</dd>`,
    wording: {
      read_write: { choice: "Read and change", explanation: `Use every tool ${server.title} offers here, including those that change data, as you (scopes ${READ_SCOPE} ${WRITE_SCOPE}).` },
      read: { choice: "Read only", explanation: `Only the tools ${server.title} marks as read-only; the others are hidden and refused (scope ${READ_SCOPE}). The app can ask again for more.` },
    },
    fields: html`<input type="hidden" name="${SERVER_FIELD}" value="${server.name}">${
      server.auth === "bearer"
        ? html`<label for="${TOKEN_FIELD}">Your token for ${server.title}
<span class="hint">${server.title} (${host}) needs your own access token; this server sends it to ${host} only, with each call the app makes. It is checked now, stored encrypted for this connection only and never shown again. When ${server.title} stops accepting it, the app asks you to connect again.</span></label>
<input id="${TOKEN_FIELD}" name="${TOKEN_FIELD}" type="password" autocomplete="off" required maxlength="${MAX_UPSTREAM_TOKEN_LENGTH}">`
        : server.auth === "oauth"
          ? html`<p class="hint">After you press Allow, ${server.title} (${host}) asks you to sign in there and approve this server. What it then issues is stored encrypted for this connection only, renewed when it expires, and sent to ${host} only. When ${server.title} stops accepting it, the app asks you to connect again.</p>`
          : ""
    }`,
  };
}

/** The credential the grant gets, or what to tell the person (the token is never logged nor echoed). */
export async function upstreamCredentialFrom(server: UpstreamServer, form: FormData, fetcher?: typeof fetch): Promise<{ credential: UpstreamCredential } | { problem: string }> {
  const base = { kind: "upstream" as const, server: server.name, url: server.url };
  if (server.auth === "none") return { credential: { ...base, auth: "none" } };
  // An oauth server's credential comes from its own sign-in (front-door/upstream-oauth-trip.ts), never from the form.
  if (server.auth !== "bearer") return { problem: `${server.title} uses its own sign-in; connect again from your app.` };
  const token = String(form.get(TOKEN_FIELD) ?? "").trim();
  if (token === "") return { problem: `Paste your token for ${server.title}.` };
  if (token.length > MAX_UPSTREAM_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) return { problem: `That is not a token ${server.title} could accept: at most ${MAX_UPSTREAM_TOKEN_LENGTH} visible characters, no spaces.` };
  const credential: UpstreamCredential = { ...base, auth: "bearer", token };
  // A pasted token is checked as it is: a 401 means refused, there is nothing to refresh.
  const probe = new UpstreamConnection(server, { credential: async () => credential, afterRejected: async () => Promise.reject(new Error("refused")) }, fetcher);
  try {
    await probe.allTools();
    return { credential };
  } catch (error) {
    const explained = probe.explain(error);
    if (explained instanceof UpstreamRejectedError) return { problem: `${server.title} did not accept this token. Check it and paste it again.` };
    if (explained instanceof UpstreamUnavailableError) return { problem: `${server.title} could not check your token right now (${explained.message}). Try again in a moment.` };
    return { problem: `${server.title} did not answer as an MCP server should, so your token could not be checked. Try again later, or tell this server's operator.` };
  } finally {
    await probe.close();
  }
}
