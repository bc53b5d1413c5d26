// Contract cases: Xano's OAuth 2.1 server on the account origin: discovery, registration, consent, PKCE, refresh
// rotation, revocation, scopes. The consent form is the demo seed's (email and password): demo only.
// Plain data over fetch (tests/contract/target.ts); the demo seed's values are in fake-xano/README.md.
import { expect } from "vitest";
import { demoCase } from "../demo";
import { REDIRECT, authorizeParams, decodeJwtPayload, oauthFlow, pkcePair } from "../demo-oauth";
import type { ContractCase } from "../target";

/** The demo seed's pre-registered OAuth client. */
const PREREGISTERED_CLIENT_ID = "xano_demo_preregistered_client";

export const oauthCases: ContractCase[] = [
  demoCase("Xano OAuth server", "publishes RFC 8414 discovery", async (d) => {
    const { call, ACCOUNT } = d;
    const { registerClient, authorize, exchange, oauthTokens, refresh } = oauthFlow(d);
    const r = await call(`${ACCOUNT}/.well-known/oauth-authorization-server`);
    expect(r.data).toMatchObject({
      issuer: ACCOUNT,
      authorization_endpoint: `${ACCOUNT}/oauth/authorize`,
      token_endpoint: `${ACCOUNT}/oauth/token`,
      registration_endpoint: `${ACCOUNT}/oauth/register`,
      revocation_endpoint: `${ACCOUNT}/oauth/revoke`,
      code_challenge_methods_supported: ["S256"],
      scopes_supported: ["offline_access", "workspace:read", "workspace:write", "xano:dev"],
    });
  }, { readOnly: true, needs: ["account"] }),
  demoCase("Xano OAuth server", "registers clients with 200 and a scopes array", async (d) => {
    const { call, ACCOUNT } = d;
    const { registerClient, authorize, exchange, oauthTokens, refresh } = oauthFlow(d);
    const r = await call(`${ACCOUNT}/oauth/register`, { json: { client_name: "MCP", redirect_uris: [REDIRECT, "http://127.0.0.1:9000/cb"], scopes: ["workspace:read"] } });
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ client_id: expect.any(String), redirect_uris: [REDIRECT, "http://127.0.0.1:9000/cb"], scopes: ["workspace:read"], token_endpoint_auth_method: "none" });
    expect((await call(`${ACCOUNT}/oauth/register`, { json: { redirect_uris: ["http://evil.example/cb"] } })).data.payload).toEqual({ param: "redirect_uris" });
    expect((await call(`${ACCOUNT}/oauth/register`, { json: { redirect_uris: [REDIRECT], scopes: ["admin"] } })).data.payload).toEqual({ param: "scopes" });
  }, { needs: ["account"] }),
  demoCase("Xano OAuth server", "renders a labelled, escaped consent form and validates the authorization request", async (d) => {
    const { alice, bob, call, expectError, ACCOUNT } = d;
    const { registerClient, authorize, exchange, oauthTokens, refresh } = oauthFlow(d);
    const clientId = await registerClient();
    const { challenge } = await pkcePair();
    const q = new URLSearchParams(authorizeParams(clientId, challenge, { state: `"><script>alert(1)</script>` }));
    const page = await call(`${ACCOUNT}/oauth/authorize?${q}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html: string = page.data;
    expect(html).not.toContain("<script>");
    expect(html).toContain("&quot;&gt;&lt;script&gt;");
    for (const id of ["email", "password", "instance"]) {
      expect(html).toContain(`<label for="${id}">`);
      expect(html).toMatch(new RegExp(`id="${id}"`));
    }
    expect(html).toContain('<option value="x1234-5678-9012">Demo Instance');

    const badClient = await call(`${ACCOUNT}/oauth/authorize?${new URLSearchParams(authorizeParams("nope", challenge))}`);
    expectError(badClient, 400, "ERROR_CODE_INPUT_ERROR");
    const badRedirect = await call(`${ACCOUNT}/oauth/authorize?${new URLSearchParams(authorizeParams(clientId, challenge, { redirect_uri: `${REDIRECT}/x` }))}`);
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.headers.get("location")).toBeNull();
    const plain = await call(`${ACCOUNT}/oauth/authorize?${new URLSearchParams(authorizeParams(clientId, challenge, { code_challenge_method: "plain" }))}`);
    expect(plain.status).toBe(302);
    expect(new URL(plain.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    const noState = await call(`${ACCOUNT}/oauth/authorize?${new URLSearchParams(authorizeParams(clientId, challenge, { state: "" }))}`);
    expect(new URL(noState.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");

    const wrongPassword = await call(`${ACCOUNT}/oauth/authorize`, { form: { ...authorizeParams(clientId, challenge), email: "alice@example.com", password: "x", instance: "x1234-5678-9012" } });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.data).toContain('role="alert"');
    const notHers = await call(`${ACCOUNT}/oauth/authorize`, { form: { ...authorizeParams(clientId, challenge), email: "bob@example.com", password: "bob-password", instance: "x9999-0000-1111" } });
    expect(notHers.status).toBe(403);
    const denied = await call(`${ACCOUNT}/oauth/authorize`, { form: { ...authorizeParams(clientId, challenge), decision: "deny" } });
    expect(new URL(denied.headers.get("location")!).searchParams.get("error")).toBe("access_denied");
  }, { needs: ["account"] }),
  demoCase("Xano OAuth server", "exchanges a code with PKCE S256 for a JWT bound to the chosen instance; codes are single use", async (d) => {
    const { call, expectError, ACCOUNT, INSTANCE, SANDBOX, META } = d;
    const { registerClient, authorize, exchange, oauthTokens, refresh } = oauthFlow(d);
    const clientId = await registerClient();
    const { verifier, challenge } = await pkcePair();
    const code = await authorize(clientId, challenge);

    const wrong = await exchange(clientId, code, verifier + "x");
    expect(wrong.status).toBe(401);
    expect(wrong.data).toEqual({ code: "ERROR_CODE_UNAUTHORIZED", message: "invalid_grant", payload: "" });
    expect((await call(`${ACCOUNT}/oauth/token`, { form: { grant_type: "authorization_code", code, client_id: clientId, redirect_uri: REDIRECT } })).data.payload).toEqual({ param: "code_verifier" });
    expect((await call(`${ACCOUNT}/oauth/token`, { form: { grant_type: "password" } })).data.message).toBe("unsupported_grant_type");
    expect((await call(`${ACCOUNT}/oauth/token`, { json: { grant_type: "authorization_code" } })).status).toBe(400);

    const ok = await exchange(clientId, code, verifier);
    expect(ok.status).toBe(200);
    expect(ok.data).toMatchObject({ token_type: "Bearer", expires_in: 3600, refresh_token: expect.any(String), access_token: expect.any(String) });
    const claims = decodeJwtPayload(ok.data.access_token);
    expect(claims).toMatchObject({ iss: ACCOUNT, sub: "1", aud: INSTANCE });
    expect(claims.exp - claims.iat).toBe(3600);

    // The access token is a Meta API bearer on its instance and on the account API, not elsewhere.
    expect((await call(`${META}/workspace`, { token: ok.data.access_token })).data[0].id).toBe(1);
    expect((await call(`${ACCOUNT}/api:meta/auth/me`, { token: ok.data.access_token })).data.id).toBe(1);
    expectError(await call(`${SANDBOX}/api:meta/workspace`, { token: ok.data.access_token }), 401, "ERROR_CODE_UNAUTHORIZED");

    // Reuse fails and revokes what the code produced.
    expect((await exchange(clientId, code, verifier)).data.message).toBe("invalid_grant");
    expectError(await call(`${META}/workspace`, { token: ok.data.access_token }), 401, "ERROR_CODE_UNAUTHORIZED");
  }, { needs: ["account"] }),
  demoCase("Xano OAuth server", "rotates refresh tokens; a spent refresh token answers 401 invalid_grant", async (d) => {
    const { call, META } = d;
    const { registerClient, authorize, exchange, oauthTokens, refresh } = oauthFlow(d);
    const t = await oauthTokens();
    const next = await refresh(t.clientId, t.refresh_token);
    expect(next.status).toBe(200);
    expect(next.data.refresh_token).not.toBe(t.refresh_token);
    expect((await call(`${META}/auth/me`, { token: next.data.access_token })).data.id).toBe(1);

    const replay = await refresh(t.clientId, t.refresh_token);
    expect(replay.status).toBe(401);
    expect(replay.data).toEqual({ code: "ERROR_CODE_UNAUTHORIZED", message: "invalid_grant", payload: "" });
    expect((await refresh("another-client", next.data.refresh_token)).status).toBe(401);
    expect((await refresh(t.clientId, next.data.refresh_token)).status).toBe(200);
  }, { needs: ["account"] }),
  demoCase("Xano OAuth server", "revokes a refresh token (and its grant's access tokens) and answers 200 for unknown tokens", async (d) => {
    const { call, expectError, ACCOUNT, META } = d;
    const { registerClient, authorize, exchange, oauthTokens, refresh } = oauthFlow(d);
    const t = await oauthTokens();
    const r = await call(`${ACCOUNT}/oauth/revoke`, { form: { token: t.refresh_token, token_type_hint: "refresh_token" } });
    expect(r.status).toBe(200);
    expect((await refresh(t.clientId, t.refresh_token)).data.message).toBe("invalid_grant");
    expectError(await call(`${META}/workspace`, { token: t.access_token }), 401, "ERROR_CODE_UNAUTHORIZED");
    expect((await call(`${ACCOUNT}/oauth/revoke`, { form: { token: "unknown" } })).status).toBe(200);

    const t2 = await oauthTokens();
    await call(`${ACCOUNT}/oauth/revoke`, { form: { token: t2.access_token, token_type_hint: "access_token" } });
    expectError(await call(`${META}/workspace`, { token: t2.access_token }), 401, "ERROR_CODE_UNAUTHORIZED");
  }, { needs: ["account"] }),
  demoCase("Xano OAuth server", "keeps users apart and enforces scopes", async (d) => {
    const { bob, call, expectError, META, W1 } = d;
    const { registerClient, authorize, exchange, oauthTokens, refresh } = oauthFlow(d);
    const b = await oauthTokens({ email: "bob@example.com", password: "bob-password" });
    expect(decodeJwtPayload(b.access_token).sub).toBe("2");
    expect((await call(`${META}/workspace`, { token: b.access_token })).data.map((w: any) => w.id)).toEqual([2]);
    expectError(await call(W1, { token: b.access_token }), 404, "ERROR_CODE_NOT_FOUND");

    const readOnly = await oauthTokens(undefined, ["workspace:read"]);
    expect(readOnly.refresh_token).toBeUndefined(); // no offline_access, no refresh token
    expect((await call(`${W1}/table`, { token: readOnly.access_token })).status).toBe(200);
    expectError(await call(`${W1}/table`, { token: readOnly.access_token, json: { name: "t" } }), 403, "ERROR_CODE_ACCESS_DENIED");
  }, { needs: ["account"] }),
  demoCase("Xano OAuth server", "works with the pre-registered client id", async (d) => {
    const { alice, call, ACCOUNT } = d;
    const { registerClient, authorize, exchange, oauthTokens, refresh } = oauthFlow(d);
    const { verifier, challenge } = await pkcePair();
    const r = await call(`${ACCOUNT}/oauth/authorize`, {
      form: { ...authorizeParams(PREREGISTERED_CLIENT_ID, challenge, { redirect_uri: "http://localhost:8787/callback" }), email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" },
    });
    const code = new URL(r.headers.get("location")!).searchParams.get("code")!;
    const t = await call(`${ACCOUNT}/oauth/token`, { form: { grant_type: "authorization_code", code, client_id: PREREGISTERED_CLIENT_ID, redirect_uri: "http://localhost:8787/callback", code_verifier: verifier } });
    expect(t.status).toBe(200);
  }, { needs: ["account"] }),
];
