/**
 * Pure policy modules, tested directly: configuration contract, upstream URL rule, HTML escaping,
 * Xano error mapping, the tool envelope.
 */
import { describe, expect, it } from "vitest";
import { toolsFor } from "../src/mcp/tools";
import { test as propTest, fc } from "@fast-check/vitest";
import { CONFIG_VARIABLES, loadConfig } from "../src/config";
import readme from "../README.md?raw";
import devVarsExample from "../.dev.vars.example?raw";
import { instanceMetaApiBase, parseUpstreamUrl } from "../src/lib/upstream-url";
import { instanceHostPolicy, typedInstanceMetaApiBase } from "../src/xano/instance-host";
import { escapeHtml, html } from "../src/lib/html";
import { XanoApiError, describeXanoError } from "../src/xano/errors";
import { userIdFor } from "../src/credentials/grant-props";
import { constantTimeEqual, sha256Hex } from "../src/lib/secrets";
import { parseRetryAfter } from "../src/lib/retry-after";
import { bearerToken } from "../src/lib/bearer";

describe("configuration contract", () => {
  const base = { PUBLIC_URL: "https://mcp.example.com" };

  it("applies documented defaults", () => {
    const result = loadConfig(base);
    expect(result).toEqual({
      ok: true,
      config: {
        publicUrl: "https://mcp.example.com",
        xanoAccountUrl: "https://app.xano.com",
        xanoAuthUrl: null,
        accessTokenTtlSeconds: 86400,
        signInMethods: ["xano_oauth", "metadata_token"],
        xanoOAuthClientId: null,
        debugTools: false,
        rateLimits: { signInPerMinute: 10, signInPerAddressPerMinute: 100, registrationsPerMinute: 60, toolCallsPerMinute: 120, authorizationsPerMinute: 30 },
        allowedOrigins: [],
        xanoCustomDomains: [],
        defaultToolsets: ["default"],
        personalTokensAllowNoExpiry: false,
        activityRetentionDays: 30,
        upstreamServers: [],
      },
    });
  });

  it("README and .dev.vars.example document every variable", () => {
    const table = readme.split("## Configuration")[1].split("\n## ")[0];
    for (const name of CONFIG_VARIABLES) {
      expect(table, `README: ${name}`).toContain(`| \`${name}\` |`);
      expect(devVarsExample, `.dev.vars.example: ${name}`).toMatch(new RegExp(`^# ${name}[:=]`, "m"));
    }
  });

  it("reads XANO_TOOLSETS: unset is the common path (about 60 tools), `all` every tool, unknown names refused naming the variable", () => {
    expect(loadConfig(base)).toMatchObject({ ok: true, config: { defaultToolsets: ["default"] } });
    const loaded = loadConfig(base);
    const common = toolsFor({ debugTools: false }, { toolsets: loaded.ok ? loaded.config.defaultToolsets : [] });
    expect(common.length).toBeGreaterThanOrEqual(50);
    expect(common.length).toBeLessThanOrEqual(70);
    expect(loadConfig({ ...base, XANO_TOOLSETS: "all" })).toMatchObject({ ok: true, config: { defaultToolsets: undefined } });
    expect(loadConfig({ ...base, XANO_TOOLSETS: " agents, default ,data" })).toMatchObject({ ok: true, config: { defaultToolsets: ["default", "data", "agents"] } });
    for (const wrong of ["data,bogus", ",", "everything"]) {
      const result = loadConfig({ ...base, XANO_TOOLSETS: wrong });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.join("\n")).toContain('XANO_TOOLSETS must be "default", "all", or a comma-separated list of default, data, logic');
    }
  });

  it("reads XANO_CUSTOM_DOMAINS as host names, and refuses anything else", () => {
    expect(loadConfig({ ...base, XANO_CUSTOM_DOMAINS: "API.Example.com, *.acme.dev" })).toMatchObject({ ok: true, config: { xanoCustomDomains: ["api.example.com", "*.acme.dev"] } });
    for (const wrong of ["https://api.example.com", "api.example.com:8443", "10.0.0.1", "localhost", "api.example.com/x", "*"]) {
      const result = loadConfig({ ...base, XANO_CUSTOM_DOMAINS: wrong });
      expect(result.ok, wrong).toBe(false);
      if (!result.ok) expect(result.problems.join("\n")).toContain("XANO_CUSTOM_DOMAINS must be a comma-separated list of host names");
    }
  });

  it("reads ALLOWED_ORIGINS as exact origins", () => {
    const result = loadConfig({ ...base, ALLOWED_ORIGINS: "http://localhost:6274, https://vscode.dev/" });
    expect(result).toMatchObject({ ok: true, config: { allowedOrigins: ["http://localhost:6274", "https://vscode.dev"] } });
  });

  it("accepts loopback http for local development and normalises trailing slashes", () => {
    const result = loadConfig({ PUBLIC_URL: "http://localhost:8787/", XANO_ACCOUNT_URL: "http://127.0.0.1:8788/", XANO_AUTH_URL: "http://127.0.0.1:8789/api:auth/", OAUTH_TOKEN_TTL: "3600" });
    expect(result).toMatchObject({
      ok: true,
      config: {
        publicUrl: "http://localhost:8787",
        xanoAccountUrl: "http://127.0.0.1:8788",
        xanoAuthUrl: "http://127.0.0.1:8789/api:auth",
        accessTokenTtlSeconds: 3600,
        signInMethods: ["xano_oauth", "metadata_token", "app_auth"],
      },
    });
  });

  it.each([
    [{}, "PUBLIC_URL is not set"],
    [{ PUBLIC_URL: "not a url" }, "PUBLIC_URL is not a valid URL"],
    [{ PUBLIC_URL: "https://mcp.example.com/mcp" }, "PUBLIC_URL must be an origin"],
    [{ ...base, XANO_ACCOUNT_URL: "http://app.xano.com" }, "XANO_ACCOUNT_URL is not a valid URL (\"http://app.xano.com\"): it must use https"],
    [{ ...base, XANO_AUTH_URL: "ftp://x.example.com" }, "XANO_AUTH_URL is not a valid URL"],
    [{ ...base, OAUTH_TOKEN_TTL: "60" }, "OAUTH_TOKEN_TTL must be a whole number of seconds, at least 3600"],
    [{ ...base, OAUTH_TOKEN_TTL: "1h" }, "OAUTH_TOKEN_TTL must be a whole number"],
    [{ ...base, SIGN_IN_METHODS: "password" }, "SIGN_IN_METHODS must be a comma-separated list"],
    [{ ...base, SIGN_IN_METHODS: "app_auth" }, "SIGN_IN_METHODS includes app_auth, which needs XANO_AUTH_URL"],
    [{ ...base, DEBUG_TOOLS: "yes" }, "DEBUG_TOOLS must be"],
    [{ ...base, RATE_LIMIT_SIGN_IN_PER_MINUTE: "ten" }, "RATE_LIMIT_SIGN_IN_PER_MINUTE must be a whole number"],
    [{ ...base, RATE_LIMIT_TOOL_CALLS_PER_MINUTE: "-1" }, "RATE_LIMIT_TOOL_CALLS_PER_MINUTE must be a whole number"],
    [{ ...base, ALLOWED_ORIGINS: "https://app.example.com/path" }, "ALLOWED_ORIGINS must be a comma-separated list of origins"],
    [{ ...base, ALLOWED_ORIGINS: "*" }, "ALLOWED_ORIGINS must be a comma-separated list of origins"],
    [{ ...base, ACTIVITY_RETENTION_DAYS: "0" }, "ACTIVITY_RETENTION_DAYS must be a whole number of days from 1 to 3650"],
    [{ ...base, ACTIVITY_RETENTION_DAYS: "thirty" }, "ACTIVITY_RETENTION_DAYS must be a whole number of days from 1 to 3650"],
  ])("rejects %j naming the variable and how to set it", (env, message) => {
    const result = loadConfig(env);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join("\n")).toContain(message);
    expect(result.problems.join("\n")).toMatch(/wrangler\.toml|\.dev\.vars/);
  });
});

describe("upstream URL rule: https always, http only for loopback", () => {
  it.each(["https://x1.n7.xano.io", "http://localhost:8789", "http://127.0.0.1:8789", "http://[::1]:8789"])("accepts %s", (url) => {
    expect(parseUpstreamUrl(url).ok).toBe(true);
  });
  it.each(["http://x1.n7.xano.io", "http://10.0.0.1", "javascript:alert(1)", "file:///etc/passwd", "https://user:pw@x.io", "https://x.io/?a=1", "nope"])("rejects %s", (url) => {
    expect(parseUpstreamUrl(url).ok).toBe(false);
  });
  it("turns what people type into the Meta API base", () => {
    expect(instanceMetaApiBase("x1234-5678-9012.n7.xano.io")).toEqual({ ok: true, base: "https://x1234-5678-9012.n7.xano.io/api:meta" });
    expect(instanceMetaApiBase("https://x1.n7.xano.io/")).toEqual({ ok: true, base: "https://x1.n7.xano.io/api:meta" });
    expect(instanceMetaApiBase("https://x1.n7.xano.io/api:meta/")).toEqual({ ok: true, base: "https://x1.n7.xano.io/api:meta" });
    expect(instanceMetaApiBase("https://x1.n7.xano.io/api:other").ok).toBe(false);
    expect(instanceMetaApiBase("").ok).toBe(false);
  });
});

describe("HTML escaping", () => {
  propTest.prop([fc.string()])("no interpolated string can open a tag or break an attribute", (text) => {
    const out = html`<p title="${text}">${text}</p>`.value;
    const escaped = escapeHtml(text);
    expect(out).toBe(`<p title="${escaped}">${escaped}</p>`);
    expect(escapeHtml(text).replace(/&(amp|lt|gt|quot|#39|#96);/g, "")).not.toMatch(/[&<>"'`]/);
  });
  it("does not re-escape nested html", () => {
    expect(html`<div>${html`<b>${"<x>"}</b>`}</div>`.value).toBe("<div><b>&lt;x&gt;</b></div>");
  });
});

describe("Xano error mapping", () => {
  it.each([
    [0, "XANO_UNREACHABLE"],
    [400, "INVALID_INPUT"],
    [401, "XANO_UNAUTHORIZED"],
    [403, "XANO_FORBIDDEN"],
    [404, "NOT_FOUND"],
    [429, "RATE_LIMITED"],
    [502, "XANO_SERVER_ERROR"],
    [418, "XANO_ERROR"],
  ])("status %i → %s", (status, code) => {
    const mapped = describeXanoError(new XanoApiError(status, "X", "msg"), "do a thing");
    expect(mapped.code).toBe(code);
    expect(mapped.message).toContain("do a thing");
  });
  it("a 429 says when to retry", () => {
    const mapped = describeXanoError(new XanoApiError(429, "ERROR_CODE_TOO_MANY_REQUESTS", "slow down", "", 7), "list tables");
    expect(mapped.message).toContain("after 7 seconds");
    expect(mapped.details?.retryAfterSeconds).toBe(7);
  });
  it("a 403 names the missing permission as the likely cause", () => {
    expect(describeXanoError(new XanoApiError(403, "ERROR_CODE_ACCESS_DENIED", "denied"), "list tables").message).toMatch(/permission/);
  });
});

describe("identity and secrets", () => {
  it("user ids separate instances and never contain ':'", () => {
    const a = userIdFor("http://127.0.0.1:8789/api:meta", 1);
    const b = userIdFor("https://x1.n7.xano.io/api:meta", 1);
    expect(a).not.toBe(b);
    expect(a).not.toContain(":");
  });
  it("compares secrets exactly", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });
});

describe("shared primitives (src/lib)", () => {
  it("sha256Hex is the lower-case hex SHA-256 of the UTF-8 bytes", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await sha256Hex("\u00e9")).toBe("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
  });

  // RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds.
  const now = Date.UTC(1994, 10, 6, 8, 49, 0); // Sun, 06 Nov 1994 08:49:00 GMT
  it("Retry-After: delay-seconds as given", () => {
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter(" 7 ", now)).toBe(7);
  });
  it("Retry-After: an HTTP-date in any of the three formats a recipient must accept, as seconds from now", () => {
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now)).toBe(37);
    expect(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now)).toBe(37);
    expect(parseRetryAfter("Sun Nov  6 08:49:37 1994", now)).toBe(37);
    expect(parseRetryAfter("Sun, 06 Nov 1994 09:49:00 GMT", now)).toBe(3600);
  });
  it("Retry-After: a date already past means retry now", () => {
    expect(parseRetryAfter("Sat, 05 Nov 1994 08:49:37 GMT", now)).toBe(0);
  });
  it("Retry-After: no header, or a value that is neither form, is none", () => {
    for (const value of [null, "", "-5", "1.5", "soon", "06 Nov 1994", "Sun, 06 Nov 1994 08:49:37 CET", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT"]) {
      expect(parseRetryAfter(value, now), String(value)).toBeNull();
    }
  });

  it("bearerToken reads `Authorization: Bearer <token>` and nothing else", () => {
    const withAuth = (value: string) => new Request("https://mcp.example.com/status", { headers: { Authorization: value } });
    expect(bearerToken(withAuth("Bearer u:g:secret"))).toBe("u:g:secret");
    expect(bearerToken(withAuth("bearer   u:g:secret"))).toBe("u:g:secret");
    expect(bearerToken(withAuth("Basic dTpw"))).toBeNull();
    expect(bearerToken(withAuth("Bearer"))).toBeNull();
    expect(bearerToken(withAuth("Bearer a b"))).toBeNull();
    expect(bearerToken(new Request("https://mcp.example.com/status"))).toBeNull();
  });
});

describe("typed instance hosts (xano/instance-host.ts)", () => {
  const deployed = instanceHostPolicy({ xanoAccountUrl: "https://app.xano.com", xanoAuthUrl: "https://auth.acme.dev/api:auth", xanoCustomDomains: ["api.example.com", "*.acme.io"] });
  const dev = instanceHostPolicy({ xanoAccountUrl: "http://127.0.0.1:8788", xanoAuthUrl: null, xanoCustomDomains: [] });

  it.each(["https://x1234-5678-9012.n7.xano.io", "https://x9999-0000-1111.n7c.xano.io/api:meta", "https://api.example.com", "https://eu.acme.io", "https://auth.acme.dev"])("accepts %s when deployed", (url) => {
    expect(typedInstanceMetaApiBase(url, deployed).ok).toBe(true);
  });

  it.each(["https://127.0.0.1", "http://localhost:8789", "https://10.0.0.1", "https://[fe80::1]", "https://0x7f000001", "https://x1.n7.xano.io:444", "https://xano.io", "https://evilxano.io", "https://example.com", "https://acme.io", "https://api.example.com.evil.test"])("refuses %s when deployed", (url) => {
    expect(typedInstanceMetaApiBase(url, deployed)).toMatchObject({ ok: false, reason: expect.stringContaining("only to Xano instance addresses") });
  });

  it("accepts loopback (any port) only when the configured Xano URLs are loopback, as under npm run dev", () => {
    expect(typedInstanceMetaApiBase("http://127.0.0.1:8789", dev)).toEqual({ ok: true, base: "http://127.0.0.1:8789/api:meta" });
    expect(typedInstanceMetaApiBase("http://localhost:8789", dev).ok).toBe(true);
    expect(typedInstanceMetaApiBase("https://10.0.0.1", dev).ok).toBe(false);
  });
});
