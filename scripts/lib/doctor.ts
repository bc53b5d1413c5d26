/**
 * The deployment doctor: checks a running xano-mcp from outside, as an MCP client would, and says
 * whether a client can connect, with one finding per check (what was seen, how long it took, what
 * to do). It only reads: no registration, no sign-in, no token, nothing stored on the server.
 *
 * Checks, in order: TLS (https unless loopback); the authorization server metadata (issuer equal to
 * the address used, PKCE S256, dynamic registration and Client ID Metadata Documents); the MCP
 * endpoint's 401 challenge (WWW-Authenticate naming resource_metadata); the protected resource
 * metadata, at the root and path-suffixed (resource, authorization server, scopes); PUBLIC_URL
 * against the address used (issuer, resource, challenge, /health and a page redirect all reveal
 * it); CORS preflights of /mcp, the token and the registration endpoints; /health.
 *
 * `fail` means a client cannot connect (exit code 1); `warn` means it can, but something is off
 * (for browser-based clients, say). The I/O is one injected fetch (doctor-probe.ts); the CLI
 * around it is doctor-cli.ts.
 */
import type { Fetch } from "./oauth-http-client";
import { bearerChallenge, isLoopbackHost, jsonObject, originOf, printable, probe, redirectedElsewhere, type Probe } from "./doctor-probe";

export type FindingStatus = "ok" | "warn" | "fail";

export interface Finding {
  /** Stable id, explained in DEBUG.md "What each doctor finding means". */
  id: string;
  status: FindingStatus;
  /** One line: what was checked and seen. */
  summary: string;
  /** What to do about it (warn and fail only). */
  advice?: string;
  /** How long the request(s) behind it took. */
  ms?: number;
}

export interface DoctorReport {
  /** The origin checked (the URL given, without path, query or fragment). */
  target: string;
  canConnect: boolean;
  exitCode: 0 | 1;
  findings: Finding[];
  totalMs: number;
}

export interface DoctorOptions {
  fetch?: Fetch;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** The Origin the CORS checks send, as a browser-based client's page would (default: the target's own). */
  origin?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
const SET_PUBLIC_URL = "set PUBLIC_URL (wrangler.toml [vars], or the Worker's variables in the dashboard) and deploy again";

/** The address to check: an http(s) URL without credentials; its path (e.g. `/mcp`) is ignored. */
export function parseTarget(input: string | undefined): { ok: true; origin: string } | { ok: false; message: string } {
  if (!input) return { ok: false, message: "Give the deployment's address, e.g. https://xano-mcp.example.workers.dev" };
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, message: "That is not a URL. Give the deployment's address, e.g. https://xano-mcp.example.workers.dev" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: `The address must start with https:// (got ${printable(url.protocol, 20)})` };
  if (url.username || url.password) return { ok: false, message: "The address must not contain a user name or password; the doctor needs no credentials" };
  return { ok: true, origin: url.origin };
}

export async function runDoctor(url: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const parsed = parseTarget(url);
  if (!parsed.ok) throw new TypeError(parsed.message);
  const target = parsed.origin;
  const http = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const browserOrigin = options.origin ?? target;
  const get = (path: string, init: RequestInit = {}) => probe(http, new URL(path, target).href, init, timeoutMs);
  const started = performance.now();
  const findings: Finding[] = [];
  const add = (finding: Finding) => (findings.push(finding), finding);
  /** Addresses the deployment names as itself, and where: the evidence for `public-url`. */
  const claims: { where: string; origin: string }[] = [];
  const claim = (where: string, value: unknown) => {
    const origin = originOf(value);
    if (origin) claims.push({ where, origin });
  };

  add(checkTls(target));

  const as = await get("/.well-known/oauth-authorization-server", { headers: { Accept: "application/json" } });
  if (as.error) {
    add({ id: "reach", status: "fail", ms: as.ms, summary: `${target} did not answer: ${as.error.message}`, advice: as.error.kind === "timeout" ? "Check that the Worker is deployed and not stuck (`npx wrangler tail`); the address may also be firewalled." : "Check the address (spelling, https, port), that the Worker is deployed (`npm run deploy`) and that its route or workers.dev subdomain is enabled." });
    return finish(target, findings, started);
  }
  const asDoc = checkDocument(add, "discovery.authorization-server", "Authorization server metadata", as, target);
  if (asDoc) {
    claim("the metadata's issuer", asDoc.issuer);
    for (const finding of checkAuthorizationServer(asDoc, target, as.ms)) add(finding);
  }

  const challenge = await get("/mcp", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "xano-mcp-doctor", version: "1" } } }),
  });
  add(checkChallenge(challenge, target));
  const challengeParams = challenge.response?.status === 401 ? bearerChallenge(challenge.response.headers.get("WWW-Authenticate")) : undefined;
  claim("the 401 challenge's resource_metadata", challengeParams?.resource_metadata);
  const elsewhere = redirectedElsewhere(challenge, target);
  if (elsewhere) claims.push({ where: `POST /mcp (${challenge.response!.status})`, origin: elsewhere });

  const resourceMetadataUrl = challengeParams?.resource_metadata && originOf(challengeParams.resource_metadata) === target ? challengeParams.resource_metadata : "/.well-known/oauth-protected-resource";
  const pr = await get(resourceMetadataUrl, { headers: { Accept: "application/json" } });
  const prDoc = checkDocument(add, "discovery.protected-resource", "Protected resource metadata", pr, target);
  if (prDoc) {
    claim("the protected resource's resource", prDoc.resource);
    add(checkProtectedResource(prDoc, target, asDoc, pr.ms));
  }
  const prMcp = await get("/.well-known/oauth-protected-resource/mcp", { headers: { Accept: "application/json" } });
  add(checkSuffixedResource(prMcp, target));

  const health = await get("/health", { headers: { Accept: "application/json" } });
  const healthDoc = jsonObject(health);
  claim("/health's configuration.publicUrl", (healthDoc?.configuration as Record<string, unknown> | undefined)?.publicUrl);
  const home = await get("/", { headers: { Accept: "text/html" } });
  const homeElsewhere = redirectedElsewhere(home, target);
  if (homeElsewhere) claims.push({ where: `GET / (${home.response!.status} to ${homeElsewhere})`, origin: homeElsewhere });
  findings.splice(1, 0, checkPublicUrl(target, claims, home.ms));

  const mcpHeaders = "authorization, content-type, mcp-protocol-version";
  const corsMcp = await get("/mcp", { method: "OPTIONS", headers: { Origin: browserOrigin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": mcpHeaders } });
  // Without a token the answer is the 401 challenge whatever the Origin: whether ALLOWED_ORIGINS lets
  // this origin call /mcp with a token is not visible from outside.
  const fromPage = await get("/mcp", { method: "POST", headers: { Origin: browserOrigin, "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body: "{}" });
  add(checkCors("cors.mcp", "/mcp", corsMcp, browserOrigin, mcpHeaders, { exposes: "www-authenticate", actual: fromPage }));
  const tokenPath = endpointPath(asDoc?.token_endpoint, target) ?? "/oauth/token";
  add(checkCors("cors.token", tokenPath, await get(tokenPath, { method: "OPTIONS", headers: { Origin: browserOrigin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } }), browserOrigin, "content-type"));
  const registerPath = endpointPath(asDoc?.registration_endpoint, target) ?? "/oauth/register";
  add(checkCors("cors.register", registerPath, await get(registerPath, { method: "OPTIONS", headers: { Origin: browserOrigin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } }), browserOrigin, "content-type"));

  add(checkHealth(health, healthDoc));
  return finish(target, findings, started);
}

function finish(target: string, findings: Finding[], started: number): DoctorReport {
  const canConnect = !findings.some((f) => f.status === "fail");
  return { target, canConnect, exitCode: canConnect ? 0 : 1, findings, totalMs: Math.round(performance.now() - started) };
}

function checkTls(target: string): Finding {
  const url = new URL(target);
  if (url.protocol === "https:") return { id: "tls", status: "ok", ms: 0, summary: "https" };
  if (isLoopbackHost(url.hostname)) return { id: "tls", status: "ok", ms: 0, summary: "plain http on a loopback address (fine on this computer only)" };
  return { id: "tls", status: "fail", ms: 0, summary: `plain http on ${url.hostname}, which is not a loopback address`, advice: `Use https://${url.host}: MCP clients refuse OAuth over plain http, and tokens would travel unencrypted. Workers on workers.dev or a Cloudflare route always have https.` };
}

/** A metadata document: 200 with a JSON object, or a finding saying what came instead. */
function checkDocument(add: (f: Finding) => void, id: string, name: string, p: Probe, target: string): Record<string, unknown> | undefined {
  if (p.error) return void add({ id, status: "fail", ms: p.ms, summary: `${name}: ${p.error.message}`, advice: "Check that the Worker is deployed and answering (`npx wrangler tail`)." });
  const status = p.response!.status;
  const elsewhere = redirectedElsewhere(p, target);
  if (elsewhere) return void add({ id, status: "fail", ms: p.ms, summary: `${name}: ${status} to ${elsewhere}`, advice: `Clients do not follow this; use ${elsewhere} if that is the deployment's address, or ${SET_PUBLIC_URL}.` });
  const doc = jsonObject(p);
  if (status !== 200 || !doc) return void add({ id, status: "fail", ms: p.ms, summary: `${name}: HTTP ${status}${doc ? "" : ", not a JSON object"}`, advice: "Is this an xano-mcp deployment? Its address is the Worker's origin (no path); check the route in wrangler.toml." });
  add({ id, status: "ok", ms: p.ms, summary: `${name}: 200 JSON` });
  return doc;
}

function checkAuthorizationServer(doc: Record<string, unknown>, target: string, ms: number): Finding[] {
  const list = (name: string) => (Array.isArray(doc[name]) ? (doc[name] as unknown[]).map(String) : []);
  const findings: Finding[] = [];
  const issuer = typeof doc.issuer === "string" ? doc.issuer : "";
  findings.push(
    issuer === target
      ? { id: "discovery.issuer", status: "ok", ms, summary: `issuer is ${target}` }
      : { id: "discovery.issuer", status: "fail", ms, summary: `issuer is ${printable(issuer || "missing")}, not ${target}`, advice: `Clients must refuse metadata whose issuer differs from the address they used (RFC 8414 §3.3): ${SET_PUBLIC_URL}, or connect to the issuer's address.` },
  );
  const methods = list("code_challenge_methods_supported");
  findings.push(
    methods.includes("S256")
      ? { id: "discovery.pkce", status: "ok", ms, summary: "PKCE S256 supported" }
      : { id: "discovery.pkce", status: "fail", ms, summary: `code_challenge_methods_supported is [${printable(methods.join(", "))}], without S256`, advice: "MCP clients require PKCE S256 to be advertised; this is not an xano-mcp authorization server, or an old one: deploy the current release." },
  );
  const dcr = typeof doc.registration_endpoint === "string";
  const cimd = doc.client_id_metadata_document_supported === true;
  const endpointsOk = ["authorization_endpoint", "token_endpoint"].every((name) => originOf(doc[name]) === target) && (!dcr || originOf(doc.registration_endpoint) === target);
  const how = [dcr && "dynamic registration", cimd && "Client ID Metadata Documents"].filter(Boolean).join(" and ");
  if (!dcr && !cimd) findings.push({ id: "discovery.registration", status: "fail", ms, summary: "neither registration_endpoint nor client_id_metadata_document_supported", advice: "Clients have no way to obtain a client id: deploy the current release of xano-mcp." });
  else if (!endpointsOk) findings.push({ id: "discovery.registration", status: "fail", ms, summary: `endpoints are not on ${target} (authorization_endpoint ${printable(doc.authorization_endpoint)})`, advice: `Clients would sign in elsewhere than the address they use: ${SET_PUBLIC_URL}.` });
  else if (!cimd) findings.push({ id: "discovery.registration", status: "warn", ms, summary: `clients register by ${how}; Client ID Metadata Documents are off`, advice: 'Clients that prefer CIMD fall back to registration. To turn it on, keep compatibility_flags = ["global_fetch_strictly_public"] in wrangler.toml and deploy again.' });
  else if (!dcr) findings.push({ id: "discovery.registration", status: "warn", ms, summary: "Client ID Metadata Documents only; no registration_endpoint", advice: "Clients without CIMD support (most of 2025's) cannot register: deploy the current release of xano-mcp." });
  else findings.push({ id: "discovery.registration", status: "ok", ms, summary: `clients register by ${how}` });
  return findings;
}

function checkChallenge(p: Probe, target: string): Finding {
  const id = "mcp.challenge";
  if (p.error) return { id, status: "fail", ms: p.ms, summary: `POST /mcp: ${p.error.message}`, advice: "Check the Worker's log (`npx wrangler tail`) while running the doctor again." };
  const status = p.response!.status;
  const elsewhere = redirectedElsewhere(p, target);
  if (elsewhere) return { id, status: "fail", ms: p.ms, summary: `POST /mcp answered ${status}, pointing at ${elsewhere}`, advice: `This deployment serves MCP only at ${elsewhere}/mcp: connect clients there, or ${SET_PUBLIC_URL}.` };
  if (status === 403) return { id, status: "fail", ms: p.ms, summary: "POST /mcp answered 403 Forbidden (the Host is not PUBLIC_URL's host)", advice: `Connect through PUBLIC_URL's address, or ${SET_PUBLIC_URL}.` };
  if (status !== 401) return { id, status: "fail", ms: p.ms, summary: `POST /mcp without a token answered ${status}, not 401`, advice: status === 404 ? "There is no MCP endpoint at /mcp here: is this the xano-mcp Worker's address?" : "An MCP client learns how to sign in from the 401 answer; check the Worker's log for this request." };
  const params = bearerChallenge(p.response!.headers.get("WWW-Authenticate"));
  if (!params) return { id, status: "fail", ms: p.ms, summary: "401 without a Bearer WWW-Authenticate challenge", advice: "Clients cannot discover how to sign in; something in front of the Worker (a proxy, Access) may be answering instead." };
  if (!params.resource_metadata) return { id, status: "warn", ms: p.ms, summary: "401 challenge without resource_metadata", advice: `Clients fall back to /.well-known/oauth-protected-resource. This Worker names it in every challenge (on another address than PUBLIC_URL it answers 421 instead): something in front of it, or an older version, answered; see the public-url finding.` };
  const origin = originOf(params.resource_metadata);
  if (origin !== target) return { id, status: "fail", ms: p.ms, summary: `401 challenge names resource_metadata on ${printable(origin ?? params.resource_metadata)}`, advice: `Clients would fetch metadata from another address than the one they use: ${SET_PUBLIC_URL}.` };
  return { id, status: "ok", ms: p.ms, summary: `401 with WWW-Authenticate Bearer, resource_metadata=${printable(params.resource_metadata)}${params.scope ? `, scope="${printable(params.scope)}"` : ""}` };
}

function checkProtectedResource(doc: Record<string, unknown>, target: string, asDoc: Record<string, unknown> | undefined, ms: number): Finding {
  const id = "discovery.resource";
  const resource = typeof doc.resource === "string" ? doc.resource : "";
  const servers = Array.isArray(doc.authorization_servers) ? doc.authorization_servers.map(String) : [];
  const scopes = Array.isArray(doc.scopes_supported) ? doc.scopes_supported.map(String) : [];
  const asScopes = Array.isArray(asDoc?.scopes_supported) ? (asDoc!.scopes_supported as unknown[]).map(String) : scopes;
  if (resource !== target && resource !== `${target}/mcp`) return { id, status: "fail", ms, summary: `resource is ${printable(resource || "missing")}, not ${target}`, advice: `Tokens are bound to the resource (RFC 8707); clients refuse one that is not the server they use: ${SET_PUBLIC_URL}.` };
  if (!servers.includes(target)) return { id, status: "fail", ms, summary: `authorization_servers is [${printable(servers.join(", "))}], without ${target}`, advice: `Clients would sign in at another address: ${SET_PUBLIC_URL}.` };
  if (!scopes.length) return { id, status: "warn", ms, summary: `resource ${resource}; no scopes_supported`, advice: "Clients then ask for no scope and get the consent page's default: deploy the current release of xano-mcp." };
  const unknown = scopes.filter((s) => !asScopes.includes(s));
  if (unknown.length) return { id, status: "warn", ms, summary: `scope(s) ${printable(unknown.join(" "))} not in the authorization server's scopes_supported`, advice: "The two documents disagree; deploy the current release of xano-mcp." };
  return { id, status: "ok", ms, summary: `resource ${resource}, authorization server ${target}, scopes ${printable(scopes.join(" "))}` };
}

/** `/.well-known/oauth-protected-resource/mcp`: absent (404, clients fall back to the root) or naming the same resource. */
function checkSuffixedResource(p: Probe, target: string): Finding {
  const id = "discovery.resource-mcp";
  if (p.error) return { id, status: "warn", ms: p.ms, summary: `/.well-known/oauth-protected-resource/mcp: ${p.error.message}`, advice: "Clients try this address before the root document; a slow answer slows every first connection." };
  const status = p.response!.status;
  if (status === 404) return { id, status: "ok", ms: p.ms, summary: "/.well-known/oauth-protected-resource/mcp: 404, clients fall back to the root document" };
  const doc = jsonObject(p);
  if (status === 200 && doc && (doc.resource === target || doc.resource === `${target}/mcp`)) return { id, status: "ok", ms: p.ms, summary: `/.well-known/oauth-protected-resource/mcp names ${doc.resource}` };
  return { id, status: "warn", ms: p.ms, summary: `/.well-known/oauth-protected-resource/mcp answered ${status}${doc ? ` naming ${printable(doc.resource)}` : ""}`, advice: `Clients that read this document before the root one may bind tokens to the wrong resource: it should be absent (404) or name ${target}.` };
}

function checkPublicUrl(target: string, claims: { where: string; origin: string }[], ms: number): Finding {
  const id = "public-url";
  if (!claims.length) return { id, status: "warn", ms, summary: "could not tell which address PUBLIC_URL is (no issuer, resource or /health answer)", advice: "See the other findings; PUBLIC_URL must be exactly the address clients use." };
  const others = claims.filter((c) => c.origin !== target);
  if (!others.length) return { id, status: "ok", ms, summary: `PUBLIC_URL is ${target}, the address used (${claims.length} sources agree)` };
  const publicUrl = others[0].origin;
  const where = [...new Set(others.filter((c) => c.origin === publicUrl).map((c) => c.where))].join("; ");
  const loopbackTwin = isLoopbackHost(new URL(target).hostname) && isLoopbackHost(new URL(publicUrl).hostname) && new URL(target).port === new URL(publicUrl).port;
  return {
    id,
    status: "fail",
    ms,
    summary: `PUBLIC_URL is ${publicUrl}, but this deployment was reached at ${target} (seen in: ${where})`,
    advice: loopbackTwin
      ? `localhost and 127.0.0.1 are different origins: connect clients to ${publicUrl}/mcp exactly.`
      : `Tokens are bound to PUBLIC_URL, so clients using ${target} cannot connect. If ${target} is the right address, ${SET_PUBLIC_URL}; otherwise connect clients to ${publicUrl}/mcp.`,
  };
}

/** A CORS preflight, as a browser-based client's page at `origin` would send it. Warnings only: other clients need no CORS. */
function checkCors(id: string, path: string, p: Probe, origin: string, requested: string, o: { exposes?: string; actual?: Probe } = {}): Finding {
  const advice = "Browser-based clients (the MCP Inspector, web apps) cannot connect; other clients are not affected. Check that nothing in front of the Worker answers OPTIONS itself.";
  if (p.error) return { id, status: "warn", ms: p.ms, summary: `OPTIONS ${path}: ${p.error.message}`, advice };
  const status = p.response!.status;
  const headers = p.response!.headers;
  const allowOrigin = headers.get("Access-Control-Allow-Origin");
  const allowHeaders = (headers.get("Access-Control-Allow-Headers") ?? "").toLowerCase().split(",").map((h) => h.trim());
  // "*" covers every request header but Authorization, which must be listed (Fetch standard).
  const missing = requested.split(",").map((h) => h.trim()).filter((h) => !allowHeaders.includes(h) && (h === "authorization" || !allowHeaders.includes("*")));
  const ms = p.ms + (o.actual?.ms ?? 0);
  if (status < 200 || status > 299) return { id, status: "warn", ms, summary: `OPTIONS ${path} from ${origin} answered ${status}`, advice };
  if (allowOrigin !== origin && allowOrigin !== "*") return { id, status: "warn", ms, summary: `OPTIONS ${path} from ${origin}: Access-Control-Allow-Origin is ${printable(allowOrigin ?? "missing")}`, advice };
  if (missing.length) return { id, status: "warn", ms, summary: `OPTIONS ${path}: Access-Control-Allow-Headers lacks ${missing.join(", ")}`, advice };
  // The challenge is read from the actual answer, so that is where the browser must be let see it.
  const actual = o.actual?.response;
  if (o.actual?.error) return { id, status: "warn", ms, summary: `POST ${path} from ${origin}: ${o.actual.error.message}`, advice };
  if (actual && actual.headers.get("Access-Control-Allow-Origin") !== origin && actual.headers.get("Access-Control-Allow-Origin") !== "*") return { id, status: "warn", ms, summary: `POST ${path} from ${origin} answered ${actual.status} without Access-Control-Allow-Origin for it`, advice };
  const exposed = (actual ?? p.response!).headers.get("Access-Control-Expose-Headers")?.toLowerCase() ?? "";
  if (o.exposes && !exposed.split(",").map((h) => h.trim()).includes(o.exposes)) return { id, status: "warn", ms, summary: `POST ${path}: ${o.exposes} is not in Access-Control-Expose-Headers`, advice: "Browser-based clients cannot read the sign-in challenge, so they cannot start signing in." };
  return { id, status: "ok", ms, summary: `OPTIONS ${path} from ${origin}: ${status}, origin and headers allowed${o.actual ? `; POST ${path} lets it read the ${o.actual.response!.status} answer` : ""}` };
}

function checkHealth(p: Probe, doc: Record<string, unknown> | undefined): Finding {
  const id = "health";
  if (p.error) return { id, status: "warn", ms: p.ms, summary: `GET /health: ${p.error.message}`, advice: "The health check touches KV and a Durable Object; a slow answer points at them (`npx wrangler tail`)." };
  const status = p.response!.status;
  const warnings = Array.isArray(doc?.warnings) ? doc!.warnings.map((w) => printable(w, 300)) : [];
  const failed = Array.isArray(doc?.failed) ? doc!.failed.map(String) : [];
  if (status === 503 || doc?.status === "unhealthy") {
    const checks = (doc?.checks ?? {}) as Record<string, { error?: string; fix?: string }>;
    const fixes = failed.map((name) => `${name}: ${printable(checks[name]?.fix ?? checks[name]?.error ?? "see /health")}`);
    return { id, status: "fail", ms: p.ms, summary: `/health: unhealthy (${printable(failed.join(", ") || status)})`, advice: fixes.join(" ") || "Open /health for the failed check and its fix." };
  }
  if (status !== 200 || !doc) return { id, status: "warn", ms: p.ms, summary: `GET /health answered ${status}${doc ? "" : " without JSON"}`, advice: "An older release, or something in front of the Worker; the other findings still hold." };
  const version = typeof doc.version === "string" ? ` (version ${printable(doc.version, 40)})` : "";
  if (warnings.length) return { id, status: "warn", ms: p.ms, summary: `/health: ok${version}, with warnings: ${warnings.join(" ")}`, advice: "Follow the warning's own advice." };
  return { id, status: "ok", ms: p.ms, summary: `/health: ok${version}` };
}

/** An advertised endpoint's path when it is on the target, to probe it there. */
function endpointPath(value: unknown, target: string): string | undefined {
  return typeof value === "string" && originOf(value) === target ? new URL(value).pathname : undefined;
}
