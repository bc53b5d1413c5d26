/**
 * Puts the fake upstream authorization server (fake-upstream-mcp/authorization-server.ts) on the
 * test's intercepted network, beside fake-xano: its own origin for the OAuth endpoints, and an MCP
 * origin whose /mcp answers a bearer the fake issued (and the RFC 9728 401 challenge otherwise),
 * with the protected-resource metadata beside it. Reset before each test.
 */
import { http, HttpResponse, type RequestHandler } from "msw";
import { beforeEach } from "vitest";
import { createFakeAuthorizationServer, type FakeAuthorizationServer, type FakeAuthorizationServerOptions } from "../../fake-upstream-mcp/authorization-server";
import { useFakeXano } from "./fake-xano-network";

export const UPSTREAM_AUTH_ORIGIN = "https://auth.upstream.test";
export const UPSTREAM_MCP_ORIGIN = "https://mcp.upstream.test";
export const UPSTREAM_MCP_URL = `${UPSTREAM_MCP_ORIGIN}/mcp`;

/** What the /mcp stand-in saw: which demo user each accepted call acted for. */
export interface UpstreamMcpLog {
  callers: string[];
}

/** msw's request is a Request at run time; its type is msw's own. */
export const asRequest = (request: unknown) => request as Request;

export function upstreamHandlers(fakeAs: FakeAuthorizationServer, log: UpstreamMcpLog): RequestHandler[] {
  return [
    http.all(`${UPSTREAM_AUTH_ORIGIN}/*`, ({ request }) => fakeAs.fetch(asRequest(request))),
    http.get(`${UPSTREAM_MCP_ORIGIN}/.well-known/*`, ({ request }) => fakeAs.fetch(asRequest(request))),
    http.post(UPSTREAM_MCP_URL, ({ request }) => {
      const bearer = /^Bearer (.+)$/.exec(request.headers.get("Authorization") ?? "")?.[1];
      const user = bearer ? fakeAs.tokenOwner(bearer) : null;
      if (!user) return fakeAs.challenge();
      log.callers.push(user);
      return HttpResponse.json({ jsonrpc: "2.0", id: 0, result: {} });
    }),
  ];
}

/** The fake upstream authorization server (and fake-xano, and `otherHosts`) on the network for one test file. */
export function useFakeUpstreamAuthorization(options: Partial<FakeAuthorizationServerOptions> = {}, otherHosts: RequestHandler[] = []) {
  const fakeAs = createFakeAuthorizationServer({ issuer: UPSTREAM_AUTH_ORIGIN, resource: UPSTREAM_MCP_URL, ...options });
  const log: UpstreamMcpLog = { callers: [] };
  useFakeXano([...upstreamHandlers(fakeAs, log), ...otherHosts]);
  beforeEach(() => {
    fakeAs.reset();
    log.callers = [];
  });
  return { fakeAs, log };
}
