// Puts the fake upstream MCP server on the worker tests' intercepted network (beside fake-xano:
// tests/harness/fake-xano-network.ts `useFakeXano([...fakeUpstreamHandlers(fake)])`), and in OAuth mode
// with its authorization server (`fakeOAuthUpstreamHandlers`).
import { http, type RequestHandler } from "msw";
import { detach } from "../fake-xano/msw";
import type { FakeUpstream } from "./index";

/** The origin the worker tests' UPSTREAM_MCP_SERVERS point at (vitest.config.ts). */
export const TEST_UPSTREAM_ORIGIN = "https://upstream-mcp.test";

export function fakeUpstreamHandlers(fake: FakeUpstream, origin = TEST_UPSTREAM_ORIGIN): RequestHandler[] {
  return [http.all(`${origin}/*`, async ({ request }) => fake.fetch(await detach(request)))];
}

/** The origins the worker tests' `oauth-desk` server (vitest.config.ts) and its authorization server use. */
export const TEST_OAUTH_UPSTREAM_ORIGIN = "https://oauth-upstream.test";
export const TEST_OAUTH_UPSTREAM_ISSUER = "https://auth.oauth-upstream.test";

/** The fake upstream in OAuth mode (oauth-mode.ts) on both its origins. */
export function fakeOAuthUpstreamHandlers(fake: { fetch(request: Request): Promise<Response> }, origins = [TEST_OAUTH_UPSTREAM_ORIGIN, TEST_OAUTH_UPSTREAM_ISSUER]): RequestHandler[] {
  return origins.map((origin) => http.all(`${origin}/*`, async ({ request }) => fake.fetch(await detach(request))));
}
