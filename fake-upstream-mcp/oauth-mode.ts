/**
 * The fake upstream MCP server in OAuth mode (auth "oauth"): the MCP server of index.ts whose token
 * check is its own authorization server's (authorization-server.ts `tokenOwner`), answering 401
 * with that server's RFC 9728 challenge. One `(Request) => Promise<Response>` handler serves both:
 * the authorization server's routes (well-known metadata, /authorize, /token, /register, /revoke,
 * /__admin/*) and the MCP endpoints (/mcp, /public/mcp), on one origin (`npm run dev`) or two
 * (tests put the authorization server on an origin of its own).
 */
import { createFakeAuthorizationServer, type FakeAuthorizationServer, type FakeAuthorizationServerOptions } from "./authorization-server";
import { createFakeUpstream, type FakeUpstream } from "./index";
import { DEMO_USERS, type DemoUser } from "./users";

export interface FakeOAuthUpstream {
  /** The MCP server (calls recorded with the token each carried; knobs). */
  upstream: FakeUpstream;
  /** Its authorization server (counters; knobs: expire, kill refresh token, 503 once). */
  fakeAs: FakeAuthorizationServer;
  fetch(request: Request): Promise<Response>;
  reset(): void;
}

const AS_ROUTES = new Set(["/authorize", "/token", "/register", "/revoke"]);

/** `mcpOrigin`: where /mcp is served; `issuer`: the authorization server's origin (the same one by default). */
export function createFakeOAuthUpstream({ mcpOrigin, issuer = mcpOrigin, ...options }: { mcpOrigin: string; issuer?: string } & Partial<Omit<FakeAuthorizationServerOptions, "issuer" | "resource">>): FakeOAuthUpstream {
  const fakeAs = createFakeAuthorizationServer({ ...options, issuer, resource: `${mcpOrigin}/mcp` });
  const byId = new Map<string, DemoUser>(Object.values(DEMO_USERS).map((user) => [user.id, user]));
  const upstream = createFakeUpstream({
    authorize: (token) => {
      const owner = fakeAs.tokenOwner(token);
      return owner ? (byId.get(owner) ?? { id: owner, name: owner }) : null;
    },
    challenge: () => fakeAs.challenge(),
  });
  return {
    upstream,
    fakeAs,
    fetch(request) {
      const { pathname } = new URL(request.url);
      const forAs = pathname.startsWith("/.well-known/") || pathname.startsWith("/__admin/") || AS_ROUTES.has(pathname);
      return forAs ? fakeAs.fetch(request) : upstream.fetch(request);
    },
    reset() {
      fakeAs.reset();
      upstream.reset();
    },
  };
}
