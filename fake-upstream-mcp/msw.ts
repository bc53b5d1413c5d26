// Puts the fake upstream MCP server on the worker tests' intercepted network (beside fake-xano:
// tests/harness/fake-xano-network.ts `useFakeXano([...fakeUpstreamHandlers(fake)])`).
import { http, type RequestHandler } from "msw";
import { detach } from "../fake-xano/msw";
import type { FakeUpstream } from "./index";

/** The origin the worker tests' UPSTREAM_MCP_SERVERS point at (vitest.config.ts). */
export const TEST_UPSTREAM_ORIGIN = "https://upstream-mcp.test";

export function fakeUpstreamHandlers(fake: FakeUpstream, origin = TEST_UPSTREAM_ORIGIN): RequestHandler[] {
  return [http.all(`${origin}/*`, async ({ request }) => fake.fetch(await detach(request)))];
}
