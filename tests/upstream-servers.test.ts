/**
 * UPSTREAM_MCP_SERVERS (src/upstream/servers.ts): parsed once at start-up; a bad entry stops the
 * Worker with a message naming the entry and its field. And the pure decisions of
 * src/upstream/tool-filter.ts and src/credentials/grant-binding.ts.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";
import { backendOfPath, grantServes } from "../src/credentials/grant-binding";
import { parseUpstreamServers } from "../src/upstream/servers";
import { decideCall, listedTools } from "../src/upstream/tool-filter";

const problemsOf = (raw: unknown) => {
  const parsed = parseUpstreamServers(raw);
  return parsed.ok ? [] : parsed.problems;
};

describe("UPSTREAM_MCP_SERVERS", () => {
  it("unset or blank: no servers", () => {
    expect(parseUpstreamServers(undefined)).toEqual({ ok: true, servers: [] });
    expect(parseUpstreamServers("  ")).toEqual({ ok: true, servers: [] });
  });

  it("reads a full entry, with defaults for what is left out", () => {
    const parsed = parseUpstreamServers(
      JSON.stringify([
        { name: "support", url: "https://mcp.example.com/mcp", auth: "bearer", title: "Support", tools: { allow: ["search"], deny: ["drop"] }, readOnly: true },
        { name: "local-1", url: "http://localhost:8791/public/mcp", auth: "none" },
        { name: "sso", url: "https://sso.example.com/mcp", auth: "oauth", clientId: "abc", clientSecret: "s3cret" },
      ]),
    );
    expect(parsed).toEqual({
      ok: true,
      servers: [
        { name: "support", url: "https://mcp.example.com/mcp", auth: "bearer", title: "Support", allow: ["search"], deny: ["drop"], readOnly: true, clientId: null, clientSecret: null },
        { name: "local-1", url: "http://localhost:8791/public/mcp", auth: "none", title: "local-1", allow: null, deny: [], readOnly: false, clientId: null, clientSecret: null },
        { name: "sso", url: "https://sso.example.com/mcp", auth: "oauth", title: "sso", allow: null, deny: [], readOnly: false, clientId: "abc", clientSecret: "s3cret" },
      ],
    });
  });

  it.each([
    ["not JSON", "[{", /not valid JSON/],
    ["not an array", JSON.stringify({ name: "a" }), /must be a JSON array/],
    ["an entry that is no object", JSON.stringify(["a"]), /entry 0 must be an object/],
    ["an upper-case name", JSON.stringify([{ name: "Support", url: "https://a.example/mcp", auth: "none" }]), /entry 0 \("Support"\): "name" must be 1 to 40 lower-case/],
    ["a name too long", JSON.stringify([{ name: "a".repeat(41), url: "https://a.example/mcp", auth: "none" }]), /"name" must be 1 to 40/],
    ["a name used twice", JSON.stringify([{ name: "a", url: "https://a.example/mcp", auth: "none" }, { name: "a", url: "https://b.example/mcp", auth: "none" }]), /entry 1 \("a"\): "name" must be unique/],
    ["plain http to another host", JSON.stringify([{ name: "a", url: "http://a.example/mcp", auth: "none" }]), /"url" is not usable: it must use https/],
    ["no url", JSON.stringify([{ name: "a", auth: "none" }]), /"url" must be the upstream server's MCP endpoint/],
    ["an unknown auth", JSON.stringify([{ name: "a", url: "https://a.example/mcp", auth: "basic" }]), /"auth" must be one of "none", "bearer", "oauth"/],
    ["a client id for bearer", JSON.stringify([{ name: "a", url: "https://a.example/mcp", auth: "bearer", clientId: "x" }]), /"clientId" is only for "auth": "oauth"/],
    ["a secret without a client id", JSON.stringify([{ name: "a", url: "https://a.example/mcp", auth: "oauth", clientSecret: "x" }]), /"clientSecret" needs "clientId"/],
    ["a tool list that is no list", JSON.stringify([{ name: "a", url: "https://a.example/mcp", auth: "none", tools: { allow: "x" } }]), /"tools.allow" must be a list of tool names/],
    ["an unknown field", JSON.stringify([{ name: "a", url: "https://a.example/mcp", auth: "none", token: "x" }]), /unknown field "token"/],
    ["readOnly that is no boolean", JSON.stringify([{ name: "a", url: "https://a.example/mcp", auth: "none", readOnly: "yes" }]), /"readOnly" must be true or false/],
  ])("refuses %s, naming the entry and field", (_what, raw, message) => {
    const problems = problemsOf(raw);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).toMatch(message);
  });

  it("a bad entry stops the configuration like every other variable", () => {
    const loaded = loadConfig({ PUBLIC_URL: "https://mcp.example.com", UPSTREAM_MCP_SERVERS: JSON.stringify([{ name: "x", url: "ftp://a/mcp", auth: "none" }]) });
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.problems.join("\n")).toMatch(/UPSTREAM_MCP_SERVERS entry 0 \("x"\): "url" is not usable/);
  });
});

describe("which upstream tools a connection lists and calls", () => {
  const tools = [
    { name: "read", annotations: { readOnlyHint: true } },
    { name: "write", annotations: { readOnlyHint: false } },
    { name: "plain" },
    { name: "secret", annotations: { readOnlyHint: true } },
  ];
  const open = { allow: null, deny: [], readOnly: false };

  it("a read-only grant sees only readOnlyHint tools and is asked to step up for the others", () => {
    expect(listedTools(open, tools, true).map((t) => t.name)).toEqual(["read", "write", "plain", "secret"]);
    expect(listedTools(open, tools, false).map((t) => t.name)).toEqual(["read", "secret"]);
    expect(decideCall(open, tools[1], false)).toEqual({ allowed: false, reason: "needs_write" });
    expect(decideCall(open, tools[2], false)).toEqual({ allowed: false, reason: "needs_write" });
    expect(decideCall(open, tools[0], false)).toEqual({ allowed: true });
  });

  it("the operator's lists and readOnly flag hide tools from everyone", () => {
    const server = { allow: ["read", "write", "secret"], deny: ["secret"], readOnly: false };
    expect(listedTools(server, tools, true).map((t) => t.name)).toEqual(["read", "write"]);
    expect(decideCall(server, tools[3], true)).toEqual({ allowed: false, reason: "not_offered" });
    expect(decideCall(server, tools[2], true)).toEqual({ allowed: false, reason: "not_offered" });
    expect(decideCall({ ...open, readOnly: true }, tools[1], true)).toEqual({ allowed: false, reason: "not_offered" });
    expect(decideCall(open, undefined, true)).toEqual({ allowed: false, reason: "not_offered" });
  });
});

describe("a grant serves one backend", () => {
  it("reads the backend from the path and compares it with the grant's", () => {
    expect(backendOfPath("/servers/desk/mcp")).toBe("desk");
    expect(backendOfPath("/servers/desk/mcp/extra")).toBeNull();
    expect(backendOfPath("/mcp")).toBeNull();
    expect(grantServes({}, null)).toBe(true);
    expect(grantServes({}, "desk")).toBe(false);
    expect(grantServes({ backend: { server: "desk" } }, "desk")).toBe(true);
    expect(grantServes({ backend: { server: "desk" } }, null)).toBe(false);
    expect(grantServes({ backend: { server: "desk" } }, "other")).toBe(false);
  });
});
