/**
 * The client side of our OAuth flow over plain HTTP, as an MCP client and a person would do it:
 * dynamic client registration (RFC 7591), PKCE S256, the sign-in and consent forms, and the code
 * exchange. Used by the browser tests (registration, code exchange) and by the conformance run,
 * which needs a real MCP access token without a browser (`signInOverHttp`).
 */
import { createHash, randomBytes } from "node:crypto";

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Registers a public client (no secret) for one redirect URI; returns its client_id. */
export async function registerClient(publicUrl: string, clientName: string, redirectUri: string): Promise<string> {
  const response = await fetch(`${publicUrl}/oauth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      client_name: clientName,
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    }),
  });
  if (response.status !== 201) throw new Error(`Registration failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { client_id: string }).client_id;
}

/** The scopes the protected resource advertises (RFC 9728 `scopes_supported`), as a client would request them. */
export async function advertisedScopes(publicUrl: string): Promise<string[]> {
  const response = await fetch(`${publicUrl}/.well-known/oauth-protected-resource`);
  if (!response.ok) return [];
  return ((await response.json()) as { scopes_supported?: string[] }).scopes_supported ?? [];
}

export function authorizeUrl(publicUrl: string, o: { clientId: string; redirectUri: string; challenge: string; state: string; scopes?: string[] }): string {
  const params = new URLSearchParams({
    response_type: "code",
    client_id: o.clientId,
    redirect_uri: o.redirectUri,
    code_challenge: o.challenge,
    code_challenge_method: "S256",
    state: o.state,
    resource: publicUrl,
  });
  if (o.scopes?.length) params.set("scope", o.scopes.join(" "));
  return `${publicUrl}/authorize?${params}`;
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  scope?: string;
  expires_in?: number;
}

export async function exchangeCode(publicUrl: string, o: { clientId: string; redirectUri: string; code: string; verifier: string }): Promise<Tokens> {
  const response = await fetch(`${publicUrl}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: o.clientId,
      redirect_uri: o.redirectUri,
      code: o.code,
      code_verifier: o.verifier,
      resource: publicUrl,
    }).toString(),
  });
  if (!response.ok) throw new Error(`Code exchange failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Tokens;
}

interface Form {
  action: string;
  fields: URLSearchParams;
  /** The raw HTML of the form, to pick it by content. */
  source: string;
}

function decode(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))).replace(/&amp;/g, "&");
}

function attribute(tag: string, name: string): string | undefined {
  const match = tag.match(new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, "i"));
  return match ? decode(match[1]) : undefined;
}

function forms(page: string): Form[] {
  return [...page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map((match) => {
    const fields = new URLSearchParams();
    for (const input of match[2].matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input[0], "name");
      const type = (attribute(input[0], "type") ?? "text").toLowerCase();
      // What a browser submits untouched: hidden fields and the pre-checked choices (e.g. consent's access level).
      const checked = (type === "radio" || type === "checkbox") && /\schecked(\s|=|>|\/)/i.test(input[0]);
      if (name && (type === "hidden" || checked)) fields.set(name, attribute(input[0], "value") ?? "on");
    }
    return { action: attribute(match[0], "action") ?? "", fields, source: match[0] };
  });
}

/** A one-origin cookie jar: enough for our own pages. */
class Session {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly origin: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(new URL(path, this.origin), { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value && !/max-age=0\b/i.test(cookie)) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    return response;
  }

  post(path: string, fields: URLSearchParams): Promise<Response> {
    return this.request(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: fields.toString() });
  }
}

/**
 * Signs in with a Metadata API token and approves the consent page, all over HTTP, and returns the
 * MCP tokens: what an MCP client plus a person at the browser would end up with.
 */
export async function signInOverHttp(publicUrl: string, o: { instanceUrl: string; metadataToken: string; clientName: string }): Promise<Tokens> {
  const redirectUri = "http://127.0.0.1:1/callback"; // never visited: the code is read from the Location header
  const clientId = await registerClient(publicUrl, o.clientName, redirectUri);
  const pkce = newPkce();
  const state = randomBytes(16).toString("base64url");
  const url = authorizeUrl(publicUrl, { clientId, redirectUri, challenge: pkce.challenge, state, scopes: await advertisedScopes(publicUrl) });
  const session = new Session(publicUrl);

  const signInPage = await session.request(url);
  const signInForm = forms(await signInPage.text()).find((f) => f.fields.get("method") === "metadata_token");
  if (signInPage.status !== 200 || !signInForm) throw new Error(`No Metadata API token form on the sign-in page (HTTP ${signInPage.status})`);
  signInForm.fields.set("instance_url", o.instanceUrl);
  signInForm.fields.set("token", o.metadataToken);
  const consentPage = await session.post(signInForm.action, signInForm.fields);
  // The consent form is the one with an "Allow" button; pressing it adds the button's name/value
  // pair to the form's fields, as in a browser.
  const allowButton = /<button\b[^>]*>\s*Allow\s*<\/button>/i;
  const consentForm = forms(await consentPage.text()).find((f) => allowButton.test(f.source));
  if (consentPage.status !== 200 || !consentForm) throw new Error(`Sign-in did not lead to the consent page (HTTP ${consentPage.status})`);
  const allow = consentForm.source.match(allowButton)![0];
  const buttonName = attribute(allow, "name");
  if (buttonName) consentForm.fields.set(buttonName, attribute(allow, "value") ?? "");
  const approved = await session.post(consentForm.action, consentForm.fields);
  const location = approved.headers.get("Location");
  if (approved.status !== 302 || !location?.startsWith(redirectUri)) throw new Error(`Consent did not redirect to the client (HTTP ${approved.status})`);
  const back = new URL(location).searchParams;
  if (back.get("state") !== state || !back.get("code")) throw new Error("The redirect lacks the code or carries a different state");
  return exchangeCode(publicUrl, { clientId, redirectUri, code: back.get("code")!, verifier: pkce.verifier });
}
