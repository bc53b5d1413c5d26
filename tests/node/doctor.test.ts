/**
 * The deployment doctor (scripts/lib/doctor.ts, doctor-cli.ts, scripts/doctor.ts).
 *
 * Against the local stack (scripts/lib/local-stack.ts): a correctly configured Worker passes every
 * check (exit 0, through the real script too); one started with a PUBLIC_URL other than the
 * address it is reached at fails the `public-url` finding, naming that PUBLIC_URL (exit 1).
 *
 * With an injected fetch playing a deployment that answers as ours does: plain http on a public
 * host, a step that never answers (the timeout becomes a finding), an unreachable host, a 421
 * naming another address, missing PKCE or CIMD, and the command line's usage errors.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../scripts/lib/local-stack";
import { runDoctor, type DoctorReport, type Finding } from "../../scripts/lib/doctor";
import { doctorMain } from "../../scripts/lib/doctor-cli";
import type { Fetch } from "../../scripts/lib/oauth-http-client";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const STACK_TIMEOUT_MS = 150_000;

const finding = (report: DoctorReport, id: string): Finding => {
  const found = report.findings.find((f) => f.id === id);
  if (!found) throw new Error(`no finding ${id} in ${JSON.stringify(report.findings, null, 2)}`);
  return found;
};
const notOk = (report: DoctorReport) => report.findings.filter((f) => f.status !== "ok");

/** `npm run doctor -- …` as a person runs it: the script under tsx (slow to start on a busy machine), its exit code and output. */
async function runScript(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(`${ROOT}node_modules/.bin/tsx`, ["scripts/doctor.ts", ...args], { cwd: ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("against the local stack", { timeout: 120_000 }, () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
  }, STACK_TIMEOUT_MS);
  afterAll(() => stack?.stop(), 30_000);

  it("finds nothing wrong with a correctly configured Worker: a client can connect", async () => {
    const report = await runDoctor(stack.publicUrl, { fetch });
    expect(notOk(report)).toEqual([]);
    expect(report).toMatchObject({ target: stack.publicUrl, canConnect: true, exitCode: 0 });
    expect(report.findings.map((f) => f.id)).toEqual([
      "tls", "public-url", "discovery.authorization-server", "discovery.issuer", "discovery.pkce", "discovery.registration",
      "mcp.challenge", "discovery.protected-resource", "discovery.resource", "discovery.resource-mcp", "cors.mcp", "cors.token", "cors.register", "health",
    ]);
    expect(finding(report, "mcp.challenge").summary).toContain(`resource_metadata=${stack.publicUrl}/.well-known/oauth-protected-resource`);
    for (const f of report.findings) expect(f.ms).toBeGreaterThanOrEqual(0);
  });

  it("prints ✓ lines and exits 0 from the script; --json prints the same report", async () => {
    const human = await runScript([`${stack.publicUrl}/mcp`]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^✓ public-url: PUBLIC_URL is http:\/\/localhost:\d+, the address used .* \(\d+ ms\)$/m);
    expect(human.stdout).not.toMatch(/^[!✗]/m);
    expect(human.stdout).toContain(`A client can connect to ${stack.publicUrl}/mcp (`);
    const json = await runScript([stack.publicUrl, "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ target: stack.publicUrl, canConnect: true, exitCode: 0 });
  });

  it("checks CORS from a browser-based client's origin (the MCP Inspector's)", async () => {
    const report = await runDoctor(stack.publicUrl, { fetch, origin: "http://localhost:6274" });
    expect(finding(report, "cors.mcp")).toMatchObject({ status: "ok", summary: "OPTIONS /mcp from http://localhost:6274: 204, origin and headers allowed; POST /mcp lets it read the 401 answer" });
    expect(notOk(report)).toEqual([]);
  });
});

describe("against a Worker whose PUBLIC_URL is not the address it is reached at", { timeout: 120_000 }, () => {
  const WRONG = "http://localhost:9999";
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ vars: { PUBLIC_URL: WRONG } });
  }, STACK_TIMEOUT_MS);
  afterAll(() => stack?.stop(), 30_000);

  it("fails public-url, naming PUBLIC_URL and where it was seen, and says what to do", async () => {
    const report = await runDoctor(stack.publicUrl, { fetch });
    expect(report).toMatchObject({ canConnect: false, exitCode: 1 });
    const publicUrl = finding(report, "public-url");
    expect(publicUrl.status).toBe("fail");
    expect(publicUrl.summary).toContain(`PUBLIC_URL is ${WRONG}, but this deployment was reached at ${stack.publicUrl}`);
    expect(publicUrl.summary).toContain("issuer");
    expect(publicUrl.summary).toContain(`GET / (308 to ${WRONG})`);
    expect(publicUrl.advice).toContain("set PUBLIC_URL");
    expect(publicUrl.advice).toContain(`${WRONG}/mcp`);
    expect(finding(report, "discovery.issuer")).toMatchObject({ status: "fail", summary: `issuer is ${WRONG}, not ${stack.publicUrl}` });
    expect(finding(report, "discovery.resource").status).toBe("fail");
    // The Worker answers MCP on another address than PUBLIC_URL with 400 naming PUBLIC_URL (src/front-door/public-origin.ts).
    expect(finding(report, "mcp.challenge")).toMatchObject({ status: "fail", summary: `POST /mcp answered 400, pointing at ${WRONG}` });
    expect(finding(report, "health").summary).toContain(`but PUBLIC_URL is ${WRONG}`);
  });

  it("exits 1 from the script, with the ✗ line", async () => {
    const run = await runScript([stack.publicUrl]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ public-url: PUBLIC_URL is http:\/\/localhost:9999, but/m);
    expect(run.stdout).toContain("A client cannot connect");
  });
});

// ---- A deployment played by an injected fetch ----

type Handler = (request: Request) => Response | Promise<Response> | "hang" | "network";

/** Answers as a correctly configured xano-mcp at `origin` does; `override` may answer a request first. */
function deployment(origin: string, override: (request: Request, path: string) => ReturnType<Handler> | undefined = () => undefined): Fetch {
  const cors = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Authorization, *", "Access-Control-Allow-Methods": "*", "Access-Control-Expose-Headers": "WWW-Authenticate" };
  return async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    const answer = override(request, path) ?? standard(request, path);
    if (answer === "network") throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    if (answer === "hang") return new Promise<Response>(() => {});
    return answer;
  };
  function standard(request: Request, path: string): Response {
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    if (path === "/.well-known/oauth-authorization-server") {
      return Response.json({ issuer: origin, authorization_endpoint: `${origin}/authorize`, token_endpoint: `${origin}/oauth/token`, registration_endpoint: `${origin}/oauth/register`, scopes_supported: ["xano:read", "xano:write"], code_challenge_methods_supported: ["S256"], client_id_metadata_document_supported: true });
    }
    if (path === "/.well-known/oauth-protected-resource") return Response.json({ resource: origin, authorization_servers: [origin], scopes_supported: ["xano:read", "xano:write"] });
    if (path === "/mcp" && request.method === "POST") {
      return new Response(null, { status: 401, headers: { ...cors, "WWW-Authenticate": `Bearer realm="OAuth", resource_metadata="${origin}/.well-known/oauth-protected-resource", scope="xano:read xano:write"` } });
    }
    if (path === "/health") return Response.json({ status: "ok", version: "0.1.0", failed: [], checks: {}, configuration: { publicUrl: origin }, warnings: [] });
    if (path === "/") return new Response("<!doctype html>", { headers: { "Content-Type": "text/html" } });
    return new Response(null, { status: 404 });
  }
}

describe("with an injected fetch", () => {
  const ORIGIN = "https://mcp.example.com";

  it("passes a deployment that answers as ours does", async () => {
    const report = await runDoctor(`${ORIGIN}/mcp?ignored=1`, { fetch: deployment(ORIGIN) });
    expect(notOk(report)).toEqual([]);
    expect(report.target).toBe(ORIGIN);
  });

  it("fails plain http on a host that is not loopback, and accepts it on loopback", async () => {
    const plain = "http://mcp.example.com";
    const report = await runDoctor(plain, { fetch: deployment(plain) });
    expect(finding(report, "tls")).toMatchObject({ status: "fail", advice: expect.stringContaining("https://mcp.example.com") });
    expect(report.exitCode).toBe(1);
    for (const loopback of ["http://127.0.0.1:8787", "http://[::1]:8787", "http://localhost:8787"]) {
      expect(finding(await runDoctor(loopback, { fetch: deployment(loopback) }), "tls").status).toBe("ok");
    }
  });

  it("turns a step that never answers into a finding after the timeout, and goes on", async () => {
    const started = Date.now();
    const report = await runDoctor(ORIGIN, { timeoutMs: 100, fetch: deployment(ORIGIN, (_, path) => (path === "/health" ? "hang" : undefined)) });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(finding(report, "health")).toMatchObject({ status: "warn", summary: "GET /health: no answer within 100 ms" });
    expect(finding(report, "health").ms).toBeGreaterThanOrEqual(90);
    expect(report.exitCode).toBe(0);
  });

  it("stops at the first request when the host cannot be reached or does not answer", async () => {
    const refused = await runDoctor(ORIGIN, { fetch: deployment(ORIGIN, () => "network") });
    expect(finding(refused, "reach")).toMatchObject({ status: "fail", summary: `${ORIGIN} did not answer: fetch failed (ECONNREFUSED)` });
    expect(refused.findings.map((f) => f.id)).toEqual(["tls", "reach"]);
    const silent = await runDoctor(ORIGIN, { timeoutMs: 50, fetch: deployment(ORIGIN, () => "hang") });
    expect(finding(silent, "reach").summary).toBe(`${ORIGIN} did not answer: no answer within 50 ms`);
    expect(silent.exitCode).toBe(1);
  });

  it("reports host pinning: a 421 or 308 naming another address is PUBLIC_URL elsewhere", async () => {
    const canonical = "https://xano-mcp.example.org";
    const pinned = deployment(ORIGIN, (request, path) => {
      if (path === "/mcp" && request.method === "POST" && !request.headers.has("Origin")) return Response.json({ error: "misdirected_request", error_description: `This server answers at ${canonical}` }, { status: 421 });
      if (path === "/") return new Response(null, { status: 308, headers: { Location: `${canonical}/` } });
      return undefined;
    });
    const report = await runDoctor(ORIGIN, { fetch: pinned });
    expect(finding(report, "mcp.challenge")).toMatchObject({ status: "fail", summary: `POST /mcp answered 421, pointing at ${canonical}` });
    expect(finding(report, "public-url")).toMatchObject({ status: "fail", summary: expect.stringContaining(`PUBLIC_URL is ${canonical}`) });
    expect(finding(report, "public-url").summary).toContain("POST /mcp (421)");
    expect(report.exitCode).toBe(1);
  });

  it("warns, and still lets clients connect, when a browser cannot read the challenge or a preflight is refused", async () => {
    const report = await runDoctor(ORIGIN, {
      origin: "https://app.example.net",
      fetch: deployment(ORIGIN, (request, path) => {
        if (path === "/mcp" && request.method === "POST" && request.headers.has("Origin")) return new Response(null, { status: 401, headers: { "Access-Control-Allow-Origin": "*", "WWW-Authenticate": "Bearer" } });
        if (path === "/oauth/token" && request.method === "OPTIONS") return new Response(null, { status: 405 });
        return undefined;
      }),
    });
    expect(finding(report, "cors.mcp")).toMatchObject({ status: "warn", summary: "POST /mcp: www-authenticate is not in Access-Control-Expose-Headers" });
    expect(finding(report, "cors.token")).toMatchObject({ status: "warn", summary: "OPTIONS /oauth/token from https://app.example.net answered 405" });
    expect(finding(report, "cors.register").status).toBe("ok");
    expect(report.exitCode).toBe(0);
  });

  it("fails an unhealthy /health with the fix it names, and prints what the server says without control characters", async () => {
    const report = await runDoctor(ORIGIN, {
      fetch: deployment(ORIGIN, (_, path) => {
        if (path === "/health") return Response.json({ status: "unhealthy", failed: ["kv"], checks: { kv: { ok: false, error: "timeout", fix: "Check the OAUTH_KV namespace id in wrangler.toml." } }, warnings: [] }, { status: 503 });
        if (path === "/.well-known/oauth-authorization-server") return Response.json({ issuer: "https://evil.example\u001b[2J", code_challenge_methods_supported: ["S256"], registration_endpoint: `${ORIGIN}/oauth/register` });
        return undefined;
      }),
    });
    expect(finding(report, "health")).toMatchObject({ status: "fail", summary: "/health: unhealthy (kv)", advice: "kv: Check the OAUTH_KV namespace id in wrangler.toml." });
    expect(finding(report, "discovery.issuer").status).toBe("fail");
    expect(JSON.stringify(report)).not.toContain("\\u001b");
    expect(report.exitCode).toBe(1);
  });

  it("fails without PKCE S256, warns without CIMD, and says 127.0.0.1 is not localhost", async () => {
    const withDoc = (patch: Record<string, unknown>, origin = ORIGIN) =>
      deployment(origin, (_, path) => (path === "/.well-known/oauth-authorization-server" ? Response.json({ issuer: origin, authorization_endpoint: `${origin}/authorize`, token_endpoint: `${origin}/oauth/token`, registration_endpoint: `${origin}/oauth/register`, code_challenge_methods_supported: ["S256"], client_id_metadata_document_supported: true, ...patch }) : undefined));
    const noPkce = await runDoctor(ORIGIN, { fetch: withDoc({ code_challenge_methods_supported: ["plain"] }) });
    expect(finding(noPkce, "discovery.pkce").status).toBe("fail");
    const noCimd = await runDoctor(ORIGIN, { fetch: withDoc({ client_id_metadata_document_supported: false }) });
    expect(finding(noCimd, "discovery.registration")).toMatchObject({ status: "warn", advice: expect.stringContaining("global_fetch_strictly_public") });
    expect(noCimd.exitCode).toBe(0);
    const twin = deployment("http://localhost:8787");
    const viaIp = await runDoctor("http://127.0.0.1:8787", { fetch: (input, init) => twin(String(input).replace("127.0.0.1", "localhost"), init) });
    expect(finding(viaIp, "public-url").advice).toContain("localhost and 127.0.0.1 are different origins");
  });
});

describe("the command line", () => {
  const run = async (argv: string[], fetchImpl?: Fetch) => {
    let out = "";
    let err = "";
    const code = await doctorMain(argv, { fetch: fetchImpl, out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  };

  it("exits 2 with the usage for a missing, invalid or credential-carrying URL, and never echoes a password", async () => {
    for (const argv of [[], ["not a url"], ["ftp://example.com"], ["https://a.example", "https://b.example"], ["--bogus", "https://a.example"], ["https://a.example", "--timeout", "soon"], ["https://a.example", "--origin", "https://x.example/path"]]) {
      const result = await run(argv);
      expect(result, argv.join(" ")).toMatchObject({ code: 2, out: "" });
      expect(result.err).toContain("Usage: npm run doctor -- <deployment URL>");
    }
    const secret = await run(["https://admin:hunter2@mcp.example.com"]);
    expect(secret.code).toBe(2);
    expect(secret.err).toContain("must not contain a user name or password");
    expect(secret.err).not.toContain("hunter2");
    expect(await run(["--help"])).toMatchObject({ code: 0, err: "" });
  });

  it("prints a line per finding with its mark, time and advice, and exits 1 when a client cannot connect", async () => {
    const plain = "http://mcp.example.com";
    const result = await run([plain], deployment(plain));
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^✗ tls: plain http on mcp.example.com, which is not a loopback address \(0 ms\)\n {4}→ Use https:\/\/mcp.example.com/m);
    expect(result.out).toMatch(/^✓ discovery.pkce: PKCE S256 supported \(\d+ ms\)$/m);
    expect(result.out).toContain("A client cannot connect: 1 problem to fix");
  });
});
