// The demo seed's OAuth sign-in, driven over HTTP as a client would: register, consent with the
// demo user's password on the fake's form, exchange the code with PKCE, refresh. Used by the OAuth
// cases and by fake-xano's own tests (token lifetimes on its clock, knobs on /oauth/token).
import { expect } from "vitest";
import type { Demo } from "./demo";

export const REDIRECT = "https://client.example/callback";

// PKCE computed independently of the fake's implementation (RFC 7636 appendix B procedure).
export async function pkcePair() {
  const verifier = "v".repeat(20) + crypto.randomUUID().replace(/-/g, "");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const challenge = btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return { verifier, challenge };
}

export function decodeJwtPayload(jwt: string): any {
  const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
}

export function authorizeParams(clientId: string, challenge: string, extra: Record<string, string> = {}) {
  return {
    client_id: clientId, redirect_uri: REDIRECT, response_type: "code", code_challenge: challenge,
    code_challenge_method: "S256", state: "st-123", ...extra,
  };
}

export function oauthFlow({ call, ACCOUNT }: Pick<Demo, "call" | "ACCOUNT">) {
  async function registerClient(scopes?: string[]) {
    const r = await call(`${ACCOUNT}/oauth/register`, { json: { client_name: "Test client", redirect_uris: [REDIRECT], ...(scopes ? { scopes } : {}) } });
    expect(r.status).toBe(200);
    return r.data.client_id as string;
  }

  /** Runs the consent form for a user and returns the authorization code. */
  async function authorize(clientId: string, challenge: string, user = { email: "alice@example.com", password: "alice-password" }, instance = "x1234-5678-9012", extra: Record<string, string> = {}) {
    const r = await call(`${ACCOUNT}/oauth/authorize`, { form: { ...authorizeParams(clientId, challenge, extra), ...user, instance, decision: "approve" } });
    expect(r.status).toBe(302);
    const location = new URL(r.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe("st-123");
    return location.searchParams.get("code")!;
  }

  const exchange = (clientId: string, code: string, verifier: string) =>
    call(`${ACCOUNT}/oauth/token`, {
      form: { grant_type: "authorization_code", code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: verifier },
    });

  async function oauthTokens(user?: { email: string; password: string }, scopes?: string[]) {
    const clientId = await registerClient(scopes);
    const { verifier, challenge } = await pkcePair();
    const code = await authorize(clientId, challenge, user);
    const r = await exchange(clientId, code, verifier);
    expect(r.status).toBe(200);
    return { clientId, ...r.data } as { clientId: string; access_token: string; refresh_token: string; expires_in: number };
  }

  const refresh = (clientId: string, refreshToken: string) =>
    call(`${ACCOUNT}/oauth/token`, { form: { grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId } });

  return { registerClient, authorize, exchange, oauthTokens, refresh };
}
