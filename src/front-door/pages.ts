/** The front door's pages. Each works without JavaScript; every form control has a visible label. */
import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";
import { html, type SafeHtml } from "./html";

function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Xano MCP</title>
<link rel="stylesheet" href="/styles.css">
</head>
<body><main>
<div class="brand">Xano MCP</div>
${body}
</main></body>
</html>`.value;
}

export interface SignInPageOptions {
  /** Where the form posts: /authorize with the client's original query string. */
  action: string;
  csrfToken: string;
  clientName: string;
  error?: string;
  instanceUrl?: string;
}

export function signInPage(options: SignInPageOptions): string {
  return layout(
    "Sign in",
    html`<h1>Sign in with Xano</h1>
<p><strong>${options.clientName}</strong> wants to use your Xano backend. First, prove who you are to Xano.</p>
${options.error ? html`<div class="error" role="alert"><p>${options.error}</p></div>` : ""}
<form method="post" action="${options.action}">
<input type="hidden" name="step" value="sign-in">
<input type="hidden" name="csrf_token" value="${options.csrfToken}">
<label for="instance_url">Instance URL
<span class="hint">Your instance's address, e.g. https://x1234-5678-9012.n7.xano.io (Xano → instance settings).</span></label>
<input id="instance_url" name="instance_url" type="text" inputmode="url" autocomplete="url" required value="${options.instanceUrl ?? ""}">
<label for="token">Metadata API token
<span class="hint">Instance settings → Metadata API &amp; MCP Server → create a token. It is stored encrypted and never shown again.</span></label>
<input id="token" name="token" type="password" autocomplete="off" required>
<div class="actions"><button class="primary" type="submit">Sign in</button></div>
</form>`,
  );
}

export interface ConsentPageOptions {
  action: string;
  handle: string;
  details: ConsentDescription;
  signedInAs: string;
  instanceHost: string;
}

export function consentPage({ action, handle, details, signedInAs, instanceHost }: ConsentPageOptions): string {
  const origin = details.clientDomain
    ? html`<p>Published by <strong>${details.clientDomain}</strong>.</p>`
    : html`<p>This app registered itself; its name is not verified.</p>`;
  return layout(
    "Allow access",
    html`<h1>Allow ${details.clientName} to use your Xano backend?</h1>
${origin}
<dl>
<dt>Signed in as</dt><dd>${signedInAs}</dd>
<dt>Instance</dt><dd>${instanceHost}</dd>
<dt>Access goes to</dt><dd><strong>${details.redirectHost}</strong></dd>
${details.scope.length > 0 ? html`<dt>Scopes</dt><dd>${details.scope.join(" ")}</dd>` : ""}
</dl>
${
  details.redirectIsLoopback
    ? html`<p class="warning"><strong>This sends access to an app on your computer.</strong> Continue only if you just started signing in from it.</p>`
    : ""
}
<p>It will be able to read and change your Xano workspaces, tables and records with your permissions.</p>
<form method="post" action="${action}">
<input type="hidden" name="step" value="consent">
<input type="hidden" name="handle" value="${handle}">
<div class="actions">
<button class="primary" type="submit" name="decision" value="approve">Allow</button>
<button class="secondary" type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`,
  );
}

export function errorPage(title: string, message: string, nextStep: string): string {
  return layout(title, html`<h1>${title}</h1><div class="error" role="alert"><p>${message}</p></div><p>${nextStep}</p>`);
}

export function homePage(mcpUrl: string): string {
  return layout(
    "Xano MCP server",
    html`<h1>Xano MCP server</h1>
<p>This server lets AI assistants work on your Xano backend through the Model Context Protocol.</p>
<p>Add this URL to your MCP client (Claude, ChatGPT, Cursor, VS Code, MCP Inspector):</p>
<p><code>${mcpUrl}</code></p>
<p>Your client will open a sign-in page here the first time it connects.</p>`,
  );
}
