/** The front door's pages. Each works without JavaScript; every form control has a visible label. */
import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";
import type { SignInMethod } from "../credentials/credential";
import { html, type SafeHtml } from "../lib/html";
import { refill } from "../credentials/sign-in/field-limits";
import { PAGE_SECURITY_HEADERS } from "./security-headers";
import { ACCESS_WORDING, type Access } from "../oauth/scopes";
import type { SignInRefusal } from "../rate-limit/limits";
import { COMMON_PATH, TOOLSETS, TOOLSET_LABELS, type ToolsetName } from "../mcp/tools/toolsets";
import type { UpstreamConsentView } from "../upstream/consent";

export function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Xano MCP</title>
<link rel="stylesheet" href="/styles.css">
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
</head>
<body><main>
<div class="brand">Xano MCP</div>
${body}
</main></body>
</html>`.value;
}

export interface SignInForm {
  /** Where the forms post: /authorize with the client's original query string. */
  action: string;
  csrfToken: string;
  clientName: string;
  methods: SignInMethod[];
  defaultInstanceUrl: string;
  error?: string;
  instanceUrl?: string;
  email?: string;
  /** The upstream MCP server the client connects to (src/upstream/), if not Xano itself. */
  serverTitle?: string;
}

export function signInPage(options: SignInForm): string {
  return layout(
    "Connect to Xano",
    html`<h1>Sign in to connect ${options.clientName}</h1>
<p><strong>${options.clientName}</strong> wants to use ${options.serverTitle ? html`<strong>${options.serverTitle}</strong>` : "your Xano backend"}. First, prove who you are to Xano.</p>
${options.error ? html`<div class="error" role="alert"><p>${options.error}</p></div>` : ""}
${signInSections(options)}`,
  );
}

/** The order the methods are offered in: the one that renews itself first. */
const RECOMMENDED_ORDER: SignInMethod[] = ["xano_oauth", "metadata_token", "app_auth"];

/**
 * The sign-in methods, each its own form posting to `options.action`: the recommended one open,
 * the others as "or" alternatives in <details> (open without script; the one whose form just
 * failed is open again).
 */
export function signInSections(options: Omit<SignInForm, "clientName">): SafeHtml {
  const hidden = (step: string, method?: string) =>
    html`<input type="hidden" name="step" value="${step}"><input type="hidden" name="csrf_token" value="${options.csrfToken}">${method ? html`<input type="hidden" name="method" value="${method}">` : ""}`;
  const methods = RECOMMENDED_ORDER.filter((method) => options.methods.includes(method));
  // Which form was just posted, from what it sent back: only the email form has an email.
  const failed: SignInMethod | null = !options.error ? null : options.email ? "app_auth" : options.instanceUrl !== undefined ? "metadata_token" : null;
  const form = (method: SignInMethod): SafeHtml => {
    switch (method) {
      case "xano_oauth":
        return html`<p>You will sign in and pick an instance on Xano's own page. Access renews itself; you will not need to paste anything.</p>
<form method="post" action="${options.action}">${hidden("xano-oauth")}
<div class="actions"><button class="primary" type="submit">Sign in with Xano</button></div>
</form>`;
      case "metadata_token":
        return html`<form method="post" action="${options.action}">${hidden("sign-in", "metadata_token")}
<label for="instance_url">Instance URL
<span class="hint">Your instance's address, e.g. https://x1234-5678-9012.n7.xano.io (Xano → instance settings).</span></label>
<input id="instance_url" name="instance_url" type="text" inputmode="url" autocomplete="url" required value="${refill("instanceUrl", options.instanceUrl)}">
<label for="token">Metadata API token
<span class="hint">Instance settings → Metadata API &amp; MCP Server → create a token. It is stored encrypted and never shown again. When it expires, you will be asked to sign in again.</span></label>
<input id="token" name="token" type="password" autocomplete="off" required>
<div class="actions"><button class="${method === methods[0] ? "primary" : "secondary"}" type="submit">Sign in with token</button></div>
</form>`;
      case "app_auth":
        return html`<p class="hint">For people who sign in to an app built on Xano, with that app's own accounts. This is not your Xano account${options.methods.includes("xano_oauth") ? " (for that, sign in with Xano)" : ""}.</p>
<form method="post" action="${options.action}">${hidden("sign-in", "app_auth")}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${refill("email", options.email)}">
<label for="password">Password <span class="hint">Used once to sign in; never stored.</span></label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<label for="app_instance_url">Instance for the Metadata API (optional)
<span class="hint">Leave empty to use ${options.defaultInstanceUrl || "the app's own instance"}.</span></label>
<input id="app_instance_url" name="instance_url" type="text" inputmode="url" value="">
<div class="actions"><button class="${method === methods[0] ? "primary" : "secondary"}" type="submit">Sign in with password</button></div>
</form>`;
    }
  };
  if (methods.length === 0) return html``;
  const [first, ...others] = methods;
  const lead = html`<section class="method">
<h2>${METHOD_TITLES[first]}${others.length > 0 ? html` <span class="badge">recommended</span>` : ""}</h2>
${form(first)}
</section>`;
  const alternatives = others.map(
    (method) => html`<p class="or" aria-hidden="true">or</p>
<details class="method"${failed === method ? html` open` : ""}>
<summary>${METHOD_TITLES[method]}</summary>
${form(method)}
</details>`,
  );
  return html`${lead}${alternatives}`;
}

const METHOD_TITLES: Record<SignInMethod, string> = {
  xano_oauth: "Sign in with your Xano account",
  metadata_token: "Use a Metadata API token",
  app_auth: "Email and password of a Xano app's user",
};

export interface ConsentPageOptions {
  handle: string;
  details: ConsentDescription;
  /** The access preselected (what the client asked for; read-write when it asked for nothing of ours). */
  access: Access;
  /** The operator holds this person to read-only (READ_ONLY_USERS): read-write is not offered. */
  readOnlyOnly?: boolean;
  via: "session" | "xano_oauth";
  /** The displayed sign-in session's binding (sign-in-session.ts), posted back with the decision. */
  sessionBinding: string | null;
  signedInAs: string | null;
  instanceHost: string | null;
  /** The toolsets ticked: those the connection asked for, else the server's XANO_TOOLSETS. */
  toolsets: readonly ToolsetName[];
  /** How many tools the common path ("default") lists, for its label. */
  commonToolCount: number;
  /** For an upstream MCP server (/servers/{name}/mcp; src/upstream/consent.ts): what it is, and its fields instead of the toolsets. */
  upstream?: UpstreamConsentView;
  /** Where the form posts (the upstream page keeps the client's query, so a refused token can show the page again). */
  action?: string;
  error?: string;
}

/** The toolset checkboxes of the consent page: the everyday tools, then one per toolset. */
export function toolsetChoices(checked: readonly ToolsetName[], commonToolCount: number): SafeHtml {
  const box = (name: ToolsetName, label: string, hint: string) => html`<div class="choice">
<input type="checkbox" id="toolset_${name}" name="toolsets" value="${name}"${checked.includes(name) ? html` checked` : ""}>
<label for="toolset_${name}">${label}${hint ? html`
<span class="hint">${hint}</span>` : ""}</label>
</div>`;
  return html`<fieldset class="choices">
<legend>Which tools may it see?</legend>
<p class="hint">Fewer tools help an assistant pick the right one. Two tools that find and call any Xano operation are always included; the app can also narrow this list with ?toolsets= in its server URL.</p>
${box(COMMON_PATH, "Everyday tools", `The common path of data and logic work: ${commonToolCount} tools for workspaces, tables, schema, records, files, API groups, endpoints and functions.`)}
${TOOLSETS.map((name) => box(name, TOOLSET_LABELS[name], ""))}
<input type="hidden" name="toolsets_offered" value="1">
</fieldset>`;
}

export function consentPage({ handle, details, access, readOnlyOnly = false, via, sessionBinding, signedInAs, instanceHost, toolsets, commonToolCount, upstream, action = "/authorize", error }: ConsentPageOptions): string {
  const wording = upstream?.wording ?? ACCESS_WORDING;
  const origin = details.clientDomain
    ? html`<p>Published by <strong>${details.clientDomain}</strong>.</p>`
    : html`<p>This app registered itself; its name is not verified.</p>`;
  return layout(
    "Allow access",
    html`<h1>Allow ${details.clientName} to use ${upstream ? upstream.title : "your Xano backend"}?</h1>
${origin}
${error ? html`<div class="error" role="alert"><p>${error}</p></div>` : ""}
<dl>
${upstream?.rows ?? ""}
${signedInAs ? html`<dt>Signed in as</dt><dd>${signedInAs}</dd>` : ""}
${instanceHost ? html`<dt>Instance</dt><dd>${instanceHost}</dd>` : ""}
<dt>Access goes to</dt><dd><strong>${details.redirectHost}</strong></dd>
${details.scope.length > 0 ? html`<dt>It asked for</dt><dd>${details.scope.join(" ")}</dd>` : ""}
</dl>
${
  details.redirectIsLoopback
    ? html`<p class="warning"><strong>This sends access to an app on your computer.</strong> Continue only if you just started signing in from it.</p>`
    : ""
}
${via === "xano_oauth" ? html`<p>After you allow it, Xano asks you to sign in and pick an instance.</p>` : ""}
<form method="post" action="${action}">
<fieldset class="choices">
<legend>What may it do?</legend>
${
  readOnlyOnly
    ? html`<p class="hint">This server's operator allows you read-only access.</p>`
    : html`<div class="choice">
<input type="radio" id="access_read_write" name="access" value="read_write"${access === "read_write" ? html` checked` : ""}>
<label for="access_read_write">${wording.read_write.choice}
<span class="hint">${wording.read_write.explanation}</span></label>
</div>`
}
<div class="choice">
<input type="radio" id="access_read" name="access" value="read"${access === "read" || readOnlyOnly ? html` checked` : ""}>
<label for="access_read">${wording.read.choice}
<span class="hint">${wording.read.explanation}</span></label>
</div>
</fieldset>
${upstream ? upstream.fields : toolsetChoices(toolsets, commonToolCount)}
<input type="hidden" name="step" value="consent">
<input type="hidden" name="via" value="${via}">
<input type="hidden" name="handle" value="${handle}">
${sessionBinding ? html`<input type="hidden" name="session" value="${sessionBinding}">` : ""}
<div class="actions">
<button class="primary" type="submit" name="decision" value="approve">Allow</button>
<button class="secondary" type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
<p class="footer-link">You can see and revoke the apps you allowed on <a href="/apps">Connected apps</a>.</p>`,
  );
}

export function errorPage(title: string, message: string, nextStep: string): string {
  return layout(title, html`<h1>${title}</h1><div class="error" role="alert"><p>${message}</p></div><p>${nextStep}</p>`);
}

/** 400 for a form posted on another address than PUBLIC_URL (public-origin.ts): where to go instead. */
export function wrongAddressPage(publicUrl: string, usedOrigin: string): string {
  return layout(
    "Wrong address",
    html`<h1>Use ${publicUrl}</h1>
<div class="error" role="alert"><p>This server runs at <strong>${publicUrl}</strong>, not ${usedOrigin}. Sign-ins and tokens only work there.</p></div>
<p>Point your MCP client at <code>${publicUrl}/mcp</code> and connect again, or open <a href="${publicUrl}/">${publicUrl}</a>.</p>`,
  );
}

export function homePage(mcpUrl: string): string {
  return layout(
    "Xano MCP server",
    html`<h1>Xano MCP server</h1>
<p>This server lets AI assistants work on your Xano backend through the Model Context Protocol.</p>
<p>Add this URL to your MCP client (Claude, ChatGPT, Cursor, VS Code, MCP Inspector):</p>
<p><code>${mcpUrl}</code></p>
<p>Your client will open a sign-in page here the first time it connects.</p>
<p><a href="/apps">Connected apps</a>: see which apps you allowed, and revoke them.</p>`,
  );
}

const SIGN_IN_REFUSALS: Record<SignInRefusal, string> = {
  account_from_address: "There were too many failed sign-ins for this account from your network in the last minute.",
  instance_from_address: "There were too many failed sign-ins for this Xano instance from your network in the last minute.",
  address: "There were too many failed sign-ins from your network in the last minute.",
  account: "There were too many failed sign-ins for this account in the last minute, from several networks. It is paused briefly to protect it from password guessing.",
};

/**
 * The page a form was posted from, to link back to: /apps for its sign-in, else the same address
 * (a GET of /authorize?… shows its sign-in form again).
 */
export function formPageOf(request: Request): string {
  const url = new URL(request.url);
  return url.pathname.startsWith("/apps") ? "/apps" : `${url.pathname}${url.search}`;
}

/** 429 for a person on a sign-in form: what happened (which limit), when and where to try again. */
export function rateLimitedPage(retryAfterSeconds: number, why: SignInRefusal, formPage: string): Response {
  return tooManyPage(
    retryAfterSeconds,
    "Too many attempts",
    SIGN_IN_REFUSALS[why],
    html`then <a href="${formPage}">go back</a> and try again. Check that you copied the whole token, or that the email and password are right.`,
  );
}

/** 429 for a person whose network opened too many sign-in pages that store something (limits.ts). */
export function tooManyStoringRequestsPage(retryAfterSeconds: number, formPage: string): Response {
  return tooManyPage(
    retryAfterSeconds,
    "Too many sign-in requests",
    "Too many sign-in pages were opened from your network in the last minute.",
    html`then <a href="${formPage}">try again</a>, or connect again from your app.`,
  );
}

export function tooManyPage(retryAfterSeconds: number, title: string, message: string, then: SafeHtml): Response {
  const headers = new Headers(PAGE_SECURITY_HEADERS);
  headers.set("Retry-After", String(retryAfterSeconds));
  const wait = `Wait ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}, `;
  const body = layout(title, html`<h1>${title}</h1><div class="error" role="alert"><p>${message}</p></div><p>${wait}${then}</p>`);
  return new Response(body, { status: 429, headers });
}
