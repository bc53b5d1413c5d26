/**
 * The Worker as deployed with extra variables on top of the test configuration (worker tests only),
 * and an MCP client's authorization through it.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";
import { expect } from "vitest";
import { ORIGIN, TestBrowser, type WorkerFetch } from "./browser";
import { authorizeInBrowser, type SignInAs } from "./mcp-client";
import { pkcePair } from "./oauth-flow";

export function workerWith(vars: Record<string, string> = {}): WorkerFetch {
  return async (request) => {
    if (!request.headers.has("Host")) request.headers.set("Host", new URL(request.url).host);
    const ctx = createExecutionContext();
    const response = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, { ...env, ...vars } as Env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

/** The redirect URI of the test clients registered below. */
export const TEST_REDIRECT = "http://localhost:3000/callback";

/** A client registered on `fetchWorker` and its authorization request (asking for `scope`, if given). */
export async function authorizationRequest(fetchWorker: WorkerFetch, options: { scope?: string; clientName?: string } = {}) {
  const registered = await fetchWorker(
    new Request(`${ORIGIN}/oauth/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_name: options.clientName ?? "Test App", redirect_uris: [TEST_REDIRECT], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"] }),
    }),
  );
  const client = (await registered.json()) as { client_id: string };
  const { verifier, challenge } = await pkcePair();
  const url = new URL(`${ORIGIN}/authorize`);
  url.search = new URLSearchParams({ response_type: "code", client_id: client.client_id, redirect_uri: TEST_REDIRECT, code_challenge: challenge, code_challenge_method: "S256", state: "s", resource: ORIGIN, ...(options.scope ? { scope: options.scope } : {}) }).toString();
  return { url, clientId: client.client_id, verifier };
}

/** An MCP client's tokens for `signIn` on `fetchWorker`, through the real authorization flow. */
export async function tokensFor(fetchWorker: WorkerFetch, signIn: SignInAs, options: { scope?: string; clientName?: string } = {}) {
  const { url, clientId, verifier } = await authorizationRequest(fetchWorker, options);
  const { code } = await authorizeInBrowser(new TestBrowser({}, fetchWorker), url, signIn);
  const response = await fetchWorker(
    new Request(`${ORIGIN}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, client_id: clientId, redirect_uri: TEST_REDIRECT, code_verifier: verifier, resource: ORIGIN }).toString(),
    }),
  );
  const body = (await response.json()) as Record<string, any>;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return { accessToken: body.access_token as string, refreshToken: body.refresh_token as string, scope: body.scope as string, clientId };
}
