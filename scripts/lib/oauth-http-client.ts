/**
 * The client side of our OAuth flow over plain HTTP, as an MCP client plus a person at a browser do
 * it: dynamic client registration (RFC 7591), PKCE S256, the authorization request, our sign-in and
 * consent pages (forms read from the HTML, fields found by their visible labels), Xano's own sign-in
 * page when "Sign in with Xano" is chosen (after Allow for Xano's own MCP; before the consent page
 * for an upstream MCP server), and the token endpoint.
 *
 * Written once against an injected `fetch` and WebCrypto only, so the same code runs inside workerd
 * (the worker tests pass SELF.fetch, tests/harness/) and in Node (the browser tests, `npm run
 * conformance`, `npm run bench`, which pass the global fetch against the local stack).
 */
import { fieldNameForLabel, parseForms, type HtmlForm } from "./html-forms";

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export async function newPkce(): Promise<Pkce> {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  return { verifier, challenge };
}

/**
 * Registers a client (by default public, no secret, for one redirect URI); the raw answer and its
 * JSON. `endpoint` is the metadata's `registration_endpoint` when the caller discovered it (the token CLI).
 */
export async function registerClient(http: Fetch, origin: string, metadata: Record<string, unknown>, endpoint = `${origin}/oauth/register`) {
  const response = await http(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      ...metadata,
    }),
  });
  const text = await response.text();
  let client: Record<string, any> = {};
  try {
    client = text ? JSON.parse(text) : {};
  } catch {}
  return { response, client };
}

/** The scopes the protected resource advertises (RFC 9728 `scopes_supported`), as a client would request them. */
export async function advertisedScopes(http: Fetch, origin: string): Promise<string[]> {
  const response = await http(`${origin}/.well-known/oauth-protected-resource`);
  if (!response.ok) return [];
  return ((await response.json()) as { scopes_supported?: string[] }).scopes_supported ?? [];
}

/**
 * The authorization request. `resource` defaults to the server's origin (RFC 8707); a parameter
 * given as "" is left out (e.g. `resource: ""` for a 2025-03-26 client, which predates it).
 */
export function authorizeUrl(origin: string, o: { clientId: string; redirectUri: string; challenge: string; state: string; scopes?: string[]; params?: Record<string, string> }): URL {
  const url = new URL(`${origin}/authorize`);
  const params = new URLSearchParams({
    response_type: "code",
    client_id: o.clientId,
    redirect_uri: o.redirectUri,
    code_challenge: o.challenge,
    code_challenge_method: "S256",
    state: o.state,
    resource: origin,
    ...(o.scopes?.length ? { scope: o.scopes.join(" ") } : {}),
    ...o.params,
  });
  for (const [name, value] of [...params]) if (value === "") params.delete(name);
  url.search = params.toString();
  return url;
}

/** A form POST to the token endpoint (or the RFC 7009 revocation endpoint); parameters given as "" are left out. */
export async function tokenRequest(http: Fetch, origin: string, params: Record<string, string>, o: { path?: string; headers?: Record<string, string> } = {}) {
  const body = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== ""));
  const response = await http(`${origin}${o.path ?? "/oauth/token"}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...o.headers },
    body: body.toString(),
  });
  const text = await response.text();
  return { response, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  scope?: string;
  expires_in?: number;
}

/** The authorization_code grant with the PKCE verifier (and `resource`, by default the origin); throws unless 200. */
export async function exchangeCode(http: Fetch, origin: string, o: { clientId: string; redirectUri: string; code: string; verifier: string; resource?: string }): Promise<Tokens> {
  const { response, body } = await tokenRequest(http, origin, {
    grant_type: "authorization_code",
    client_id: o.clientId,
    redirect_uri: o.redirectUri,
    code: o.code,
    code_verifier: o.verifier,
    resource: o.resource ?? origin,
  });
  if (response.status !== 200 || !body.access_token) throw new Error(`Code exchange failed: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body as Tokens;
}

/**
 * A browser without a screen: one cookie jar per origin, redirects not followed (the caller reads
 * Location), forms submitted as a browser would.
 */
export class HttpBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  constructor(
    private readonly http: Fetch,
    /** The origin whose cookies `cookies` shows (our Worker's). */
    readonly origin: string,
  ) {}

  /** The cookie jar of `origin` (tests read, set and delete cookies through it). */
  get cookies(): Map<string, string> {
    return this.jarOf(this.origin);
  }

  private jarOf(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url, this.origin);
    const jar = this.jarOf(target.origin);
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set("Cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await this.http(target.toString(), { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  /** Submits a form as a browser would, pressing the named button (if any). */
  async submit(form: HtmlForm, values: Record<string, string | string[]>, button?: { name: string; value: string }): Promise<Response> {
    // Checkbox names and other field names never overlap; `values` replace either (a list for a checkbox group).
    const body = new URLSearchParams();
    const merged: Record<string, string | string[]> = { ...form.checked, ...form.fields, ...values };
    for (const [name, value] of Object.entries(merged)) for (const one of [value].flat()) body.append(name, one);
    if (button?.name) body.set(button.name, button.value);
    if (form.method.toUpperCase() === "GET") {
      // A GET form replaces the action's query with its fields (HTML "mutate action URL").
      const target = new URL(form.action, form.origin);
      target.search = body.toString();
      return this.fetch(target.toString());
    }
    return this.fetch(new URL(form.action, form.origin).toString(), {
      method: form.method.toUpperCase(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
  }
}

/** Who signs in, and how, on our sign-in page; and what they choose on the consent page. */
export type SignInAs = (
  | { instanceUrl: string; token: string }
  | { method: "app_auth"; email: string; password: string }
  | { method: "xano_oauth"; email: string; password: string; instance?: string }
) & {
  /** The choice on the consent page ("What may it do?"); unset keeps the page's preselection. */
  access?: "read" | "read_write";
  /** The toolsets ticked on the consent page ("Which tools may it see?"); unset keeps the preselection. */
  toolsets?: string[];
  /** For an upstream MCP server with auth "bearer": the person's own token, pasted on the consent page. */
  upstreamToken?: string;
  /**
   * For an upstream MCP server with auth "oauth": after Allow, the upstream's own sign-in page (the
   * fake upstream's: a button per demo user) is answered as this user, back through our callback.
   */
  upstreamUser?: string;
};

async function expectStatus(response: Response, status: number, what: string, page?: string): Promise<void> {
  if (response.status !== status) throw new Error(`${what}: HTTP ${response.status}, want ${status}\n${(page ?? (await response.text())).slice(0, 2_000)}`);
}

/**
 * Follows an authorization URL through the sign-in page (unless the browser is signed in), the
 * consent page (pressing Allow) and, for "Sign in with Xano", Xano's own page; returns the code
 * from the redirect to the client. Throws, with the page, when a step does not go as a person expects.
 */
export async function authorizeInBrowser(browser: HttpBrowser, authorizationUrl: URL, signIn: SignInAs): Promise<{ code: string; redirect: URL }> {
  let response = await browser.fetch(authorizationUrl.toString());
  let page = await response.text();
  let forms = parseForms(page, browser.origin);
  let viaXano = false;
  if (forms.some((f) => f.fields.step === "sign-in" || f.fields.step === "xano-oauth")) {
    await expectStatus(response, 200, "the sign-in page", page);
    if ("token" in signIn) {
      const form = forms.find((f) => f.fields.method === "metadata_token");
      if (!form) throw new Error("the sign-in page has no Metadata API token form");
      response = await browser.submit(form, { [fieldNameForLabel(page, "Instance URL")]: signIn.instanceUrl, [fieldNameForLabel(page, "Metadata API token")]: signIn.token });
    } else if (signIn.method === "app_auth") {
      const form = forms.find((f) => f.fields.method === "app_auth");
      if (!form) throw new Error("the sign-in page has no email and password form");
      response = await browser.submit(form, { [fieldNameForLabel(page, "Email")]: signIn.email, [fieldNameForLabel(page, "Password")]: signIn.password });
    } else {
      const form = forms.find((f) => f.fields.step === "xano-oauth");
      if (!form) throw new Error("the sign-in page has no Sign in with Xano form");
      response = await browser.submit(form, {});
      viaXano = true;
      if (response.status === 303) {
        // An upstream MCP server: Xano says who this is first, then its consent page (which asks for that server's credential).
        const back = await throughXano(browser, response, signIn);
        await expectStatus(back, 303, "our Xano callback, back to the authorization");
        response = await browser.fetch(back.headers.get("Location")!);
        viaXano = false;
      }
    }
    page = await response.text();
    forms = parseForms(page, browser.origin);
  }
  await expectStatus(response, 200, "the consent page", page);
  const consent = forms.find((f) => f.buttons.some((b) => b.text === "Allow"));
  if (!consent) throw new Error(`the consent page has no Allow button:\n${page.slice(0, 2_000)}`);
  const allow = consent.buttons.find((b) => b.text === "Allow")!;
  const choices = {
    ...(signIn.access ? { access: signIn.access } : {}),
    ...(signIn.toolsets ? { toolsets: signIn.toolsets } : {}),
    ...(signIn.upstreamToken !== undefined ? { [fieldNameForLabel(page, "Your token for")]: signIn.upstreamToken } : {}),
  };
  response = await browser.submit(consent, choices, allow);
  await expectStatus(response, 302, "pressing Allow");
  if (viaXano) {
    response = await throughXano(browser, response, signIn);
    await expectStatus(response, 302, "our Xano callback");
  }
  if (signIn.upstreamUser !== undefined) {
    const upstreamUrl = new URL(response.headers.get("Location")!);
    const upstreamPage = await (await browser.fetch(upstreamUrl.toString())).text();
    const form = parseForms(upstreamPage, upstreamUrl.origin).find((f) => f.buttons.some((b) => b.name === "user" && b.value === signIn.upstreamUser));
    if (!form) throw new Error(`the upstream's sign-in page (${upstreamUrl.origin}) has no button for ${signIn.upstreamUser}:\n${upstreamPage.slice(0, 2_000)}`);
    const back = await browser.submit(form, {}, { name: "user", value: signIn.upstreamUser });
    await expectStatus(back, 302, "signing in at the upstream");
    response = await browser.fetch(back.headers.get("Location")!);
    await expectStatus(response, 302, "our upstream callback");
  }
  const redirect = new URL(response.headers.get("Location")!);
  const code = redirect.searchParams.get("code");
  if (!code) throw new Error(`no code in the redirect to the client: ${redirect}`);
  return { code, redirect };
}

/** From a redirect to Xano: Xano's own sign-in and instance picker (fake-xano's page), approved, then our callback's answer. */
async function throughXano(browser: HttpBrowser, toXano: Response, signIn: SignInAs): Promise<Response> {
  if (!("email" in signIn)) throw new Error("Sign in with Xano needs an email and password");
  const xanoUrl = new URL(toXano.headers.get("Location")!);
  const [xanoForm] = parseForms(await (await browser.fetch(xanoUrl.toString())).text(), xanoUrl.origin);
  if (!xanoForm) throw new Error(`Xano's sign-in page (${xanoUrl}) has no form`);
  const values: Record<string, string> = { email: signIn.email, password: signIn.password };
  if ("instance" in signIn && signIn.instance) values.instance = signIn.instance;
  const back = await browser.submit(xanoForm, values, { name: "decision", value: "approve" });
  await expectStatus(back, 302, "approving on Xano's page");
  return browser.fetch(back.headers.get("Location")!);
}

/**
 * The whole flow a desktop MCP client runs, over HTTP: registration, PKCE, the advertised scopes,
 * the pages, a state check and the code exchange. Returns the MCP tokens.
 */
export async function signInOverHttp(http: Fetch, origin: string, o: { signIn: SignInAs; clientName: string }): Promise<Tokens> {
  const redirectUri = "http://127.0.0.1:1/callback"; // never visited: the code is read from the Location header
  const { response, client } = await registerClient(http, origin, { client_name: o.clientName, redirect_uris: [redirectUri] });
  if (response.status !== 201) throw new Error(`Registration failed: HTTP ${response.status} ${JSON.stringify(client)}`);
  const pkce = await newPkce();
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  const url = authorizeUrl(origin, { clientId: client.client_id, redirectUri, challenge: pkce.challenge, state, scopes: await advertisedScopes(http, origin) });
  const { code, redirect } = await authorizeInBrowser(new HttpBrowser(http, origin), url, o.signIn);
  if (redirect.searchParams.get("state") !== state) throw new Error("The redirect carries a different state");
  return exchangeCode(http, origin, { clientId: client.client_id, redirectUri, code, verifier: pkce.verifier });
}
